package io.kiln.physical.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.logical.Expr;
import io.kiln.optimizer.Optimizer;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import io.kiln.testing.TinyTables;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How window functions are planned: one Window node per distinct window spec (calls sharing
 * PARTITION BY and ORDER BY share its sort), and in a cluster plan each Window's input is
 * hash-exchanged on its PARTITION BY keys, or gathered to one task without them; the plan
 * survives its protobuf form.
 */
class WindowPlanTest {
  private static TinyTables t;

  @BeforeAll
  static void open() {
    t = new TinyTables();
  }

  @AfterAll
  static void close() {
    t.close();
  }

  private static PhysicalPlanner.Planned planned(String sql) {
    return PhysicalPlanner.planQuery(new Optimizer().optimize(t.plan(sql)), 1);
  }

  @Test
  void callsSharingASpecShareOneWindowNode() {
    PhysicalNode plan = planned("SELECT row_number() OVER (PARTITION BY c_nation ORDER BY c_id),"
        + " sum(c_id) OVER (PARTITION BY c_nation ORDER BY c_id), lag(c_name) OVER (PARTITION BY c_nation ORDER BY c_id),"
        + " count(*) OVER (), rank() OVER (ORDER BY c_name) FROM cust").root();
    List<PhysicalNode.Window> windows = PlanNodes.find(plan, PhysicalNode.Window.class);
    assertEquals(3, windows.size(), plan.toString());
    assertEquals(3, windows.stream().mapToInt(w -> w.calls().size()).max().getAsInt());
  }

  @Test
  void severalThreadsSplitPartitionedWindowsByAHashExchange() {
    PhysicalNode plan = PhysicalPlanner.planQuery(new Optimizer().optimize(t.plan("SELECT c_id,"
        + " rank() OVER (PARTITION BY c_nation ORDER BY c_id), sum(c_id) OVER (ORDER BY c_name) FROM cust")), 2).root();
    List<PhysicalNode.Window> windows = PlanNodes.find(plan, PhysicalNode.Window.class);
    assertEquals(2, windows.size(), plan.toString());
    for (PhysicalNode.Window w : windows) {
      if (w.partitionKeys().isEmpty()) {
        assertTrue(!(w.input() instanceof PhysicalNode.Exchange), "one partition: nothing to split\n" + plan);
      } else {
        PhysicalNode.Exchange x = assertInstanceOf(PhysicalNode.Exchange.class, w.input());
        assertEquals(ExchangeKind.HASH, x.kind());
        assertEquals(w.partitionKeys(), x.keys());
        assertEquals(2 * PhysicalPlanner.PARTITIONS_PER_THREAD, x.partitions());
      }
    }
  }

  @Test
  void clusterPlanHashesOnThePartitionKeys() {
    PhysicalNode plan = ClusterPlanner.distribute(planned("SELECT c_id, rank() OVER (PARTITION BY c_nation, c_name"
        + " ORDER BY c_id) FROM cust"), 3, 0);
    PhysicalNode.Window w = PlanNodes.find(plan, PhysicalNode.Window.class).get(0);
    PhysicalNode.Exchange x = assertInstanceOf(PhysicalNode.Exchange.class, w.input());
    assertEquals(ExchangeKind.HASH, x.kind());
    assertEquals(w.partitionKeys(), x.keys());
    assertEquals(3, x.partitions());
    assertEquals(plan, PlanProto.fromBytes(PlanProto.toBytes(plan)));
  }

  @Test
  void clusterPlanGathersAWindowWithoutPartitions() {
    PhysicalNode plan = ClusterPlanner.distribute(planned("SELECT c_id, sum(c_id) OVER (ORDER BY c_id) FROM cust"), 3,
        0);
    PhysicalNode.Window w = PlanNodes.find(plan, PhysicalNode.Window.class).get(0);
    PhysicalNode.Exchange x = assertInstanceOf(PhysicalNode.Exchange.class, w.input());
    assertEquals(ExchangeKind.GATHER, x.kind());
    assertEquals(plan, PlanProto.fromBytes(PlanProto.toBytes(plan)));
  }

  @Test
  void windowsOverAnAggregateRepartitionOnTheirOwnKeys() {
    PhysicalNode plan = ClusterPlanner.distribute(planned("SELECT o_cust, sum(o_total),"
        + " rank() OVER (PARTITION BY count(*) ORDER BY sum(o_total)) FROM ord GROUP BY o_cust"), 3, 0);
    PhysicalNode.Window w = PlanNodes.find(plan, PhysicalNode.Window.class).get(0);
    PhysicalNode.Exchange x = assertInstanceOf(PhysicalNode.Exchange.class, w.input());
    assertEquals(ExchangeKind.HASH, x.kind());
    List<Expr> keys = x.keys();
    assertEquals(w.partitionKeys(), keys);
    assertEquals(2, PlanNodes.find(plan, PhysicalNode.HashAggregate.class).size(), "PARTIAL and FINAL");
  }

  @Test
  void aWindowNoOneReadsIsNotComputed() {
    PhysicalNode plan = planned("SELECT c_id FROM (SELECT c_id, rank() OVER (ORDER BY c_name) AS r,"
        + " sum(c_nation) OVER (PARTITION BY c_name) AS s FROM cust) x WHERE s > 0").root();
    List<PhysicalNode.Window> windows = PlanNodes.find(plan, PhysicalNode.Window.class);
    assertEquals(1, windows.size(), plan.toString());
    assertEquals(1, windows.get(0).calls().size(), "only sum is read");
  }
}
