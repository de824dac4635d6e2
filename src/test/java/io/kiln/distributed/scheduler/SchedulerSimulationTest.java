package io.kiln.distributed.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.error.KilnException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real scheduler with simulated workers in this process (see {@link SimulatedCluster}): a
 * query of 5,000 tasks on 50 workers runs every task's successful attempt exactly once, in stage
 * order, each task given every output of the stages it reads; a failure that may pass is tried
 * again on another worker, and one that will not fails the query with its kind and message.
 */
@Timeout(60)
class SchedulerSimulationTest {
  private static final long WAIT_MILLIS = 30_000;
  @TempDir static Path dir;

  @Test
  void everyTaskRunsOnceInStageOrder() {
    try (SimulatedCluster cluster = new SimulatedCluster(50, 2, 0, 2, SimulatedFaults.NONE, true)) {
      // 100 slots: a scan of 100 morsels runs as 100 tasks, then 4,899 reduce tasks and the result's one.
      int[] tasks = {100, 4_899, 1};
      ClusterProtos.QueryStatus status = run(cluster, tasks);
      assertEquals(ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED, status.getState(), status.toString());
      assertEquals(1, status.getResultCount());
      assertEquals(tasks[SimulatedQuery.RESULT_STAGE] - 1, status.getResult(0).getMapTask());
      checkRuns(cluster.log(), tasks);
      long mapRows = tasks[0] * (long) tasks[1] * SimulatedWorker.ROWS_PER_PARTITION;
      assertTrue(status.getExplain().contains(tasks[0] + "/" + tasks[0] + " tasks done, " + mapRows + " rows"),
          status.getExplain());
    }
  }

  @Test
  void aFailureThatMayPassIsTriedAgainOnAnotherWorker() {
    SimulatedFaults faults = SimulatedFaults.firstAttempt(SimulatedQuery.REDUCE_STAGE, 30, KilnException.Kind.IO,
        "simulated: the disk went away");
    // Two workers of one slot; tasks take 2 ms, failures none: when the attempt fails, the other worker is busy.
    try (SimulatedCluster cluster = new SimulatedCluster(2, 1, 2_000, 2, faults, true)) {
      int[] tasks = {2, 60, 1};
      ClusterProtos.QueryStatus status = run(cluster, tasks);
      assertEquals(ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED, status.getState(), status.toString());
      checkRuns(cluster.log(), tasks);
      List<SimulationLog.Event> reports = cluster.log().events().stream()
          .filter(e -> e.kind() == SimulationLog.Kind.REPORT && e.stage() == SimulatedQuery.REDUCE_STAGE && e.task() == 30)
          .toList();
      assertEquals(2, reports.size(), reports.toString());
      assertEquals(ClusterProtos.TaskState.TASK_STATE_FAILED, reports.get(0).state());
      assertEquals(ClusterProtos.TaskState.TASK_STATE_SUCCEEDED, reports.get(1).state());
      assertEquals(1, reports.get(1).attempt());
      assertNotEquals(reports.get(0).worker(), reports.get(1).worker(), "the retry ran where the task had failed");
    }
  }

  @Test
  void anAttemptWhoseReportIsLostForGoodIsSeenMissingFromHeartbeatsAndRunsAgain() {
    SimulatedFaults faults = SimulatedFaults.firstReportLost(SimulatedQuery.REDUCE_STAGE, 7);
    SchedulerOptions options = SchedulerOptions.defaults().withAddress("127.0.0.1", 0).withLiveness(50, 400);
    try (SimulatedCluster cluster = new SimulatedCluster(options, 2, 1, 2_000, 2, faults, true)) {
      int[] tasks = {2, 20, 1};
      ClusterProtos.QueryStatus status = run(cluster, tasks);
      assertEquals(ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED, status.getState(), status.toString());
      List<SimulationLog.Event> launches = cluster.log().events().stream()
          .filter(e -> e.kind() == SimulationLog.Kind.LAUNCH && e.stage() == SimulatedQuery.REDUCE_STAGE
              && e.task() == 7).toList();
      assertEquals(2, launches.size(), "the attempt whose report was lost ran again: " + launches);
      assertEquals(1, launches.get(1).attempt());
    }
  }

  @Test
  void aDeterministicFailureFailsTheQueryWithItsMessage() {
    SimulatedFaults faults = SimulatedFaults.firstAttempt(SimulatedQuery.REDUCE_STAGE, 3,
        KilnException.Kind.EXECUTION, "simulated: division by zero");
    try (SimulatedCluster cluster = new SimulatedCluster(10, 2, 0, 2, faults, true)) {
      ClusterProtos.QueryStatus status = run(cluster, new int[] {20, 479, 1});
      assertEquals(ClusterProtos.QueryState.QUERY_STATE_FAILED, status.getState(), status.toString());
      assertEquals(KilnException.Kind.EXECUTION.name(), status.getError().getKind());
      assertTrue(status.getError().getMessage().contains("simulated: division by zero"), status.toString());
      assertTrue(cluster.log().events().stream().noneMatch(e -> e.stage() == SimulatedQuery.REDUCE_STAGE
          && e.task() == 3 && e.attempt() > 0), "a deterministic failure was tried again");
      assertTrue(cluster.log().events().stream().noneMatch(e -> e.stage() == SimulatedQuery.RESULT_STAGE),
          "the stage after a failed one started");
    }
  }

  @Test
  void aWorkerLostHoldingAnOutputTheNextStageNeedsHasOnlyThatOutputMadeAgain() throws InterruptedException {
    // heartbeats every 50 ms, lost after 400 ms of silence; tasks take 1.5 s, so the reduce stage
    // still runs when the worker that wrote map output 0 dies
    SchedulerOptions options = SchedulerOptions.defaults().withAddress("127.0.0.1", 0).withLiveness(50, 400);
    try (SimulatedCluster cluster = new SimulatedCluster(options, 4, 1, 1_500_000, 4, SimulatedFaults.NONE, true)) {
      String id = cluster.submit(SimulatedQuery.request(dir, 4, 4));
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      while (cluster.log().successes(SimulatedQuery.MAP_STAGE) < 4) {
        assertTrue(System.nanoTime() < deadline, "the map stage did not finish");
        Thread.sleep(5);
      }
      SimulationLog.Event lostOutput = cluster.log().success(SimulatedQuery.MAP_STAGE, 0);
      String victim = lostOutput.worker();
      cluster.kill(victim);
      ClusterProtos.QueryStatus status = cluster.await(id, WAIT_MILLIS);
      assertEquals(ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED, status.getState(), status.toString());
      assertEquals(List.of(), cluster.log().wrongInputs());
      // the map tasks that ran again are those whose output was on the victim, each elsewhere
      for (SimulationLog.Event e : cluster.log().events()) {
        if (e.stage() == SimulatedQuery.MAP_STAGE && e.kind() == SimulationLog.Kind.LAUNCH && e.attempt() > 0) {
          SimulationLog.Event first = cluster.log().events().stream().filter(f -> f.stage() == e.stage()
              && f.task() == e.task() && f.attempt() == 0 && f.kind() == SimulationLog.Kind.REPORT).findFirst()
              .orElseThrow();
          assertEquals(victim, first.worker(), "map task " + e.task() + " ran again though its output was not lost");
          assertNotEquals(victim, e.worker());
        }
      }
      assertTrue(cluster.log().success(SimulatedQuery.MAP_STAGE, 0).attempt() > 0, "map output 0 was not made again");
      // no reduce task launched after the loss before map output 0 existed again
      long regenerated = cluster.log().success(SimulatedQuery.MAP_STAGE, 0).seq();
      long killedAfter = lostOutput.seq();
      assertTrue(cluster.log().events().stream().noneMatch(e -> e.stage() == SimulatedQuery.RESULT_STAGE
          && e.kind() == SimulationLog.Kind.LAUNCH && e.seq() < regenerated), "the result stage started early");
      assertTrue(killedAfter < regenerated);
    }
  }

  @Test
  void aFailedFetchMakesTheOutputsOfThatWorkerAgainWithoutCountingAgainstTheReader() {
    SimulatedFaults faults = SimulatedFaults.fetchFailsOnFirstAttempt(SimulatedQuery.REDUCE_STAGE, 5, 7);
    try (SimulatedCluster cluster = new SimulatedCluster(10, 2, 0, 2, faults, true)) {
      ClusterProtos.QueryStatus status = run(cluster, new int[] {20, 30, 1});
      assertEquals(ClusterProtos.QueryState.QUERY_STATE_SUCCEEDED, status.getState(), status.toString());
      // the unfetchable output is made again, with every other output of that worker (likely dead too)
      String holder = cluster.log().success(SimulatedQuery.MAP_STAGE, 7, 0).worker();
      List<Integer> heldThere = cluster.log().events().stream().filter(e -> e.stage() == SimulatedQuery.MAP_STAGE
          && e.kind() == SimulationLog.Kind.REPORT && e.attempt() == 0 && e.worker().equals(holder))
          .map(SimulationLog.Event::task).sorted().toList();
      List<Integer> ranAgain = cluster.log().events().stream().filter(e -> e.stage() == SimulatedQuery.MAP_STAGE
          && e.kind() == SimulationLog.Kind.LAUNCH && e.attempt() > 0).map(SimulationLog.Event::task).sorted().toList();
      assertTrue(heldThere.contains(7), heldThere.toString());
      assertEquals(heldThere, ranAgain);
      assertEquals(1, cluster.log().success(SimulatedQuery.REDUCE_STAGE, 5).attempt());
      assertTrue(status.getExplain().contains("30/30 tasks done"), status.getExplain());
    }
  }

  private static ClusterProtos.QueryStatus run(SimulatedCluster cluster, int[] tasks) {
    String id = cluster.submit(SimulatedQuery.request(dir, tasks[SimulatedQuery.MAP_STAGE],
        tasks[SimulatedQuery.REDUCE_STAGE]));
    ClusterProtos.QueryStatus status = cluster.await(id, WAIT_MILLIS);
    assertEquals(List.of(), cluster.log().wrongInputs());
    return status;
  }

  /**
   * Each attempt launched once and reported once by the worker it ran on; each task of each stage
   * succeeded once; no task of a stage launched before the last success of the stage it reads.
   */
  private static void checkRuns(SimulationLog log, int[] tasks) {
    Map<String, String> launchedOn = new HashMap<>();
    Map<String, Integer> reportsOf = new HashMap<>();
    long[] firstLaunch = new long[tasks.length];
    long[] lastSuccess = new long[tasks.length];
    int[] successes = new int[tasks.length];
    java.util.Arrays.fill(firstLaunch, Long.MAX_VALUE);
    for (SimulationLog.Event e : log.events()) {
      String attempt = e.stage() + "/" + e.task() + "/" + e.attempt();
      assertTrue(e.task() >= 0 && e.task() < tasks[e.stage()], "no such task: " + e);
      if (e.kind() == SimulationLog.Kind.LAUNCH) {
        assertEquals(null, launchedOn.put(attempt, e.worker()), "launched twice: " + e);
        firstLaunch[e.stage()] = Math.min(firstLaunch[e.stage()], e.seq());
      } else {
        assertEquals(launchedOn.get(attempt), e.worker(), "reported by a worker that did not run it: " + e);
        assertEquals(1, reportsOf.merge(attempt, 1, Integer::sum), "reported twice: " + e);
        if (e.state() == ClusterProtos.TaskState.TASK_STATE_SUCCEEDED) {
          successes[e.stage()]++;
          lastSuccess[e.stage()] = Math.max(lastSuccess[e.stage()], e.seq());
        }
      }
    }
    assertEquals(launchedOn.keySet(), reportsOf.keySet(), "attempts launched and reported");
    for (int s = 0; s < tasks.length; s++) {
      assertEquals(tasks[s], successes[s], "successful tasks of stage " + s);
      assertEquals(tasks[s], log.successes(s), "distinct successful tasks of stage " + s);
      if (s > 0) {
        assertTrue(firstLaunch[s] > lastSuccess[s - 1], "stage " + s + " launched before stage " + (s - 1) + " ended");
      }
    }
  }
}
