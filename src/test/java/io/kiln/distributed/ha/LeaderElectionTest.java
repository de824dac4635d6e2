package io.kiln.distributed.ha;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Election, epochs and fenced writes against a real (embedded) ZooKeeper server. */
@Timeout(120)
class LeaderElectionTest {
  private static EmbeddedZooKeeper zooKeeper;

  @BeforeAll
  static void startZooKeeper() {
    zooKeeper = EmbeddedZooKeeper.start();
  }

  @AfterAll
  static void stopZooKeeper() {
    zooKeeper.close();
  }

  /** Records what an election tells its scheduler. */
  private static final class Events implements LeaderElection.Listener {
    final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    @Override
    public void leading(long epoch) {
      seen.add("leading " + epoch);
    }

    @Override
    public void standingBy(String why) {
      seen.add("standing by");
    }

    String next() throws InterruptedException {
      String e = seen.poll(30, TimeUnit.SECONDS);
      assertTrue(e != null, "no election event within 30 s");
      return e;
    }
  }

  private static HaOptions options(String cluster) {
    return new HaOptions(zooKeeper.connectString(), cluster, 2_000);
  }

  @Test
  void oneLeadsAndTheOtherTakesOverWithAHigherEpochAndTheStoredQueries() throws Exception {
    Events a = new Events();
    Events b = new Events();
    LeaderElection first = LeaderElection.join(options("takeover"), "127.0.0.1:1", a);
    assertEquals("leading 1", a.next());
    try (LeaderElection second = LeaderElection.join(options("takeover"), "127.0.0.1:2", b)) {
      assertEquals("127.0.0.1:1", second.leader(), "the standby names the leader");
      assertNull(second.fence());
      assertThrows(DeposedLeaderException.class, () -> new QueryStore(second).save("q", new byte[] {1}),
          "a standby may not write");
      new QueryStore(first).save("q1", "state".getBytes(StandardCharsets.UTF_8));
      first.close();
      assertEquals("leading 2", b.next());
      assertArrayEquals("state".getBytes(StandardCharsets.UTF_8), new QueryStore(second).loadAll().get("q1"));
      new QueryStore(second).delete("q1");
      assertTrue(new QueryStore(second).loadAll().isEmpty());
    }
  }

  @Test
  void aLeaderWhoseEpochMovedOnCanWriteNothing() throws Exception {
    Events a = new Events();
    try (LeaderElection leader = LeaderElection.join(options("fenced"), "127.0.0.1:1", a);
        CuratorFramework other = LeaderElection.connect(options("fenced"))) {
      assertEquals("leading 1", a.next());
      QueryStore store = new QueryStore(leader);
      store.save("q1", new byte[] {1});
      // another scheduler took the lead meanwhile (this one was paused, say) and raised the epoch
      other.setData().forPath("/kiln/fenced/epoch", "2".getBytes(StandardCharsets.UTF_8));
      KilnException e = assertThrows(DeposedLeaderException.class, () -> store.save("q1", new byte[] {2}));
      assertTrue(e.getMessage().contains("another scheduler leads now"), e.getMessage());
      assertThrows(DeposedLeaderException.class, () -> store.delete("q1"));
      assertArrayEquals(new byte[] {1}, other.getData().forPath("/kiln/fenced/queries/q1"), "nothing changed");
    }
  }

  @Test
  void anUnreachableZooKeeperIsAClearError() {
    KilnException e = assertThrows(KilnException.class,
        () -> LeaderElection.join(new HaOptions("127.0.0.1:1", "none", 1_000), "127.0.0.1:1", new Events()));
    assertTrue(e.getMessage().contains("cannot reach ZooKeeper at 127.0.0.1:1"), e.getMessage());
  }
}
