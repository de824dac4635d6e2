package io.kiln.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.ExecutionMode;
import io.kiln.Kiln;
import io.kiln.QueryHandle;
import io.kiln.error.KilnException;
import io.kiln.testing.Modes;
import io.kiln.testing.TinyTables;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How the executor runs a query's pipeline DAG: independent pipelines at the same time, a failure
 * or a cancel stopping every pipeline and releasing all memory (each session's allocator fails
 * on close if anything leaked).
 */
@Timeout(60)
class DagSchedulingTest {
  /** ord is probed against two build sides that do not depend on each other: cust and nat. */
  private static final String TWO_BUILDS = "SELECT count(*), sum(o_total) FROM ord JOIN cust ON o_cust = c_id "
      + "JOIN nat ON o_cust * 10 = n_id";
  private static TinyTables tables;

  @BeforeAll
  static void setUp() {
    tables = new TinyTables();
  }

  @AfterAll
  static void tearDown() {
    tables.close();
  }

  static List<ExecutionMode> modes() {
    return Modes.all();
  }

  /** A session over the tiny tables, with the hooks on cust's and nat's morsels. */
  private static Kiln session(ExecutionMode mode, Consumer<BooleanSupplier> custHook,
      Consumer<BooleanSupplier> natHook) {
    Kiln kiln = Modes.builder(mode).threads(2).build();
    tables.catalog().names().forEach(n -> kiln.registerTable(n, tables.catalog().get(n)));
    kiln.registerTable("cust", new HookedTable(tables.catalog().get("cust"), custHook));
    kiln.registerTable("nat", new HookedTable(tables.catalog().get("nat"), natHook));
    return kiln;
  }

  private static void await(CountDownLatch latch, String what) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS), what);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Holds the morsel until the query tells it to stop (at most 10 s); says whether it was told. */
  private static boolean holdUntilStopped(BooleanSupplier stop) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      if (stop.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @ParameterizedTest
  @MethodSource("modes")
  void independentBuildSidesRunAtTheSameTime(ExecutionMode mode) {
    // Each build side's first morsel waits for the other's: run one after the other, they never meet.
    CountDownLatch both = new CountDownLatch(2);
    Consumer<BooleanSupplier> meet = stop -> {
      both.countDown();
      await(both, "the two build sides did not run at the same time");
    };
    String expected;
    try (Kiln plain = session(mode, s -> {}, s -> {})) {
      expected = plain.execute(TWO_BUILDS).rows().get(0)[0] + " " + plain.execute(TWO_BUILDS).rows().get(0)[1];
    }
    try (Kiln kiln = session(mode, meet, meet)) {
      String plan = String.join("\n", kiln.execute("EXPLAIN " + TWO_BUILDS).rows().stream()
          .map(r -> (String) r[0]).toList());
      assertTrue(plan.contains("Pipeline 1 -> HashJoinBuild") && plan.contains("Pipeline 2 -> HashJoinBuild"),
          "the plan no longer has two independent build sides:\n" + plan);
      Object[] row = kiln.execute(TWO_BUILDS).rows().get(0);
      assertEquals(expected, row[0] + " " + row[1]);
    }
  }

  @ParameterizedTest
  @MethodSource("modes")
  void aFailingPipelineStopsTheOthersAndReleasesEverything(ExecutionMode mode) {
    CountDownLatch natRunning = new CountDownLatch(1);
    AtomicBoolean natStopped = new AtomicBoolean();
    AtomicBoolean failed = new AtomicBoolean();
    Consumer<BooleanSupplier> failCust = stop -> {
      await(natRunning, "nat's build never started");
      if (failed.compareAndSet(false, true)) {
        throw KilnException.io("cannot read cust: simulated disk failure", null);
      }
    };
    Consumer<BooleanSupplier> holdNat = stop -> {
      natRunning.countDown();
      natStopped.set(holdUntilStopped(stop));
    };
    Kiln kiln = session(mode, failCust, holdNat);
    KilnException e = assertThrows(KilnException.class, () -> kiln.execute(TWO_BUILDS));
    assertTrue(e.getMessage().contains("simulated disk failure"), e.getMessage());
    assertEquals(0, e.getSuppressed().length, "closing after the failure went wrong too: " + List.of(e.getSuppressed()));
    assertTrue(natStopped.get(), "the other build side ran on after the failure");
    kiln.close(); // fails if any buffer of the query was not released
  }

  @ParameterizedTest
  @MethodSource("modes")
  void aCancelledQueryStopsAndReleasesEverything(ExecutionMode mode) {
    CountDownLatch natRunning = new CountDownLatch(1);
    AtomicBoolean natStopped = new AtomicBoolean();
    Consumer<BooleanSupplier> holdNat = stop -> {
      natRunning.countDown();
      natStopped.set(holdUntilStopped(stop));
    };
    Kiln kiln = session(mode, s -> {}, holdNat);
    QueryHandle query = kiln.submit(TWO_BUILDS);
    await(natRunning, "the query never started");
    assertFalse(query.isDone());
    query.cancel();
    KilnException e = assertThrows(KilnException.class, query::result);
    assertEquals(KilnException.Kind.CANCELLED, e.kind(), e.getMessage());
    assertTrue(natStopped.get(), "the running morsel was not told to stop");
    // The session still works, and closing it proves the cancelled query released everything.
    assertEquals(1, kiln.execute("SELECT count(*) FROM nonull WHERE v = 2").rows().size());
    kiln.close();
  }

  @ParameterizedTest
  @MethodSource("modes")
  void cancelAllStopsEveryRunningQuery(ExecutionMode mode) {
    CountDownLatch natRunning = new CountDownLatch(2);
    Consumer<BooleanSupplier> holdNat = stop -> {
      natRunning.countDown();
      holdUntilStopped(stop);
    };
    Kiln kiln = Modes.builder(mode).threads(4).build();
    tables.catalog().names().forEach(n -> kiln.registerTable(n, tables.catalog().get(n)));
    kiln.registerTable("nat", new HookedTable(tables.catalog().get("nat"), holdNat));
    QueryHandle first = kiln.submit(TWO_BUILDS);
    QueryHandle second = kiln.submit("SELECT n_name FROM nat ORDER BY n_name");
    await(natRunning, "the two queries did not both start");
    kiln.cancelAll();
    for (QueryHandle q : List.of(first, second)) {
      assertEquals(KilnException.Kind.CANCELLED, assertThrows(KilnException.class, q::result).kind());
    }
    kiln.close();
  }
}
