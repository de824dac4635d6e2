package io.kiln.distributed.scheduler;

import io.kiln.distributed.KilnVersion;
import io.kiln.distributed.StageOutputs;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.error.KilnException;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PlanProto;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A worker in the scheduler's process: it takes launches as a real worker's Worker service does
 * (a free slot or a RESOURCE error), runs nothing, and reports the attempt to the scheduler through
 * the method its gRPC service calls: after {@code taskDelayMicros} SUCCEEDED with made-up rows and
 * bytes for each output partition, or at once the failure {@code faults} picks. It can check that each
 * task was given every output of its input stages, as the attempts that succeeded wrote them.
 */
final class SimulatedWorker implements WorkerClient {
  /** Made-up counts reported for every output partition. */
  static final long ROWS_PER_PARTITION = 3;
  static final long BYTES_PER_ROW = 16;

  private final String id;
  private final int port;
  private final int slots;
  private final Shared shared;
  private final AtomicInteger busy = new AtomicInteger();
  /** Attempts launched and not yet reported, as a real worker lists them in its heartbeats. */
  private final Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean dead;

  /** What the workers of one simulation share: the scheduler, the threads their tasks "run" on, faults, the log. */
  record Shared(KilnScheduler scheduler, ScheduledExecutorService taskThreads, long taskDelayMicros,
      SimulatedFaults faults, SimulationLog log, boolean checkInputs,
      Map<String, ClusterProtos.TaskReport> successTemplates) {
    Shared(KilnScheduler scheduler, ScheduledExecutorService taskThreads, long taskDelayMicros, SimulatedFaults faults,
        SimulationLog log, boolean checkInputs) {
      this(scheduler, taskThreads, taskDelayMicros, faults, log, checkInputs, new ConcurrentHashMap<>());
    }
  }

  SimulatedWorker(int index, int slots, Shared shared) {
    this.id = "sim-" + index;
    this.port = 10_000 + index;
    this.slots = slots;
    this.shared = shared;
  }

  String id() {
    return id;
  }

  /** Joins the scheduler as a worker process does. */
  void register() {
    shared.scheduler().register(ClusterProtos.RegisterWorkerRequest.newBuilder().setWorkerId(id)
        .setHost("simulated").setPort(port).setSlots(slots).setMemoryLimitBytes(1L << 30)
        .setVersion(KilnVersion.get()).build());
  }

  /** The process is gone: it says nothing more and can be reached no more. */
  void kill() {
    dead = true;
  }

  void heartbeat() {
    if (dead) {
      return;
    }
    if (!shared.scheduler().heartbeat(ClusterProtos.HeartbeatRequest.newBuilder().setWorkerId(id)
        .setRunningTasks(running.size()).addAllRunningAttempts(running).build()).getKnown()) {
      register();
    }
  }

  @Override
  public void launchTask(ClusterProtos.TaskDefinition task) {
    if (dead) {
      throw KilnException.cluster("simulated worker " + id + " cannot be reached");
    }
    if (busy.incrementAndGet() > slots) {
      busy.decrementAndGet();
      throw new KilnException(KilnException.Kind.RESOURCE, "simulated worker " + id + " has no free slot");
    }
    shared.log().launched(task, id);
    String attempt = task.getQueryId() + "/" + task.getStageId() + "/" + task.getTask() + "/" + task.getAttempt();
    running.add(attempt);
    if (shared.checkInputs()) {
      checkInputs(task);
    }
    ClusterProtos.TaskReport report = outcome(task);
    Runnable finish = () -> {
      if (dead) {
        return; // a dead worker reports nothing
      }
      busy.decrementAndGet(); // before the report, as a real worker frees its slot
      if (shared.faults().loseReport(report)) {
        running.remove(attempt); // every retry of the report failed: the worker gives up on it
        return;
      }
      shared.log().reported(report);
      shared.scheduler().report(report);
      running.remove(attempt);
    };
    // A failing attempt fails at once (a missing input, a full disk): the worker's other slots are still busy.
    if (shared.taskDelayMicros() == 0 || report.getState() != ClusterProtos.TaskState.TASK_STATE_SUCCEEDED) {
      shared.taskThreads().execute(finish);
    } else {
      shared.taskThreads().schedule(finish, shared.taskDelayMicros(), TimeUnit.MICROSECONDS);
    }
  }

  private ClusterProtos.TaskReport outcome(ClusterProtos.TaskDefinition task) {
    ClusterProtos.TaskReport.Builder failed = shared.faults().failure(task, id);
    ClusterProtos.TaskReport.Builder r = failed == null ? successTemplate(task).toBuilder() : failed;
    return r.setWorkerId(id).setQueryId(task.getQueryId()).setStageId(task.getStageId()).setTask(task.getTask())
        .setAttempt(task.getAttempt()).setMillis(shared.taskDelayMicros() / 1000).build();
  }

  /** Per stage, one report with the counts of each of its partitions, shared by every task of the stage. */
  private ClusterProtos.TaskReport successTemplate(ClusterProtos.TaskDefinition task) {
    return shared.successTemplates().computeIfAbsent(task.getQueryId() + "/" + task.getStageId(), k -> {
      PhysicalNode.Exchange output = (PhysicalNode.Exchange) PlanProto.fromProto(task.getFragment());
      int partitions = output.kind() == PhysicalNode.ExchangeKind.HASH ? output.partitions() : 1;
      ClusterProtos.TaskReport.Builder r = ClusterProtos.TaskReport.newBuilder()
          .setState(ClusterProtos.TaskState.TASK_STATE_SUCCEEDED);
      for (int p = 0; p < partitions; p++) {
        r.addPartitionRows(ROWS_PER_PARTITION).addPartitionBytes(ROWS_PER_PARTITION * BYTES_PER_ROW);
      }
      return r.build();
    });
  }

  /** Every input stage's outputs, each map task once, as an attempt that succeeded wrote it and where. */
  private void checkInputs(ClusterProtos.TaskDefinition task) {
    String what = "stage " + task.getStageId() + " task " + task.getTask() + " attempt " + task.getAttempt();
    for (ClusterProtos.StageInputLocations in : task.getInputsList()) {
      Set<Integer> maps = new HashSet<>();
      for (ClusterProtos.MapOutputLocation m : StageOutputs.decode(in)) {
        // an output made again may replace this one before the task starts: the task would then fail to fetch it
        SimulationLog.Event ran = shared.log().success(in.getStageId(), m.getMapTask(), m.getAttempt());
        if (!maps.add(m.getMapTask()) || ran == null || ran.attempt() != m.getAttempt()
            || !ran.worker().equals(m.getWorkerId()) || m.getStageId() != in.getStageId()) {
          shared.log().wrongInputs(what + " was given " + m + "; the task's success was " + ran);
        }
      }
      if (maps.size() != shared.log().successes(in.getStageId())) {
        shared.log().wrongInputs(what + " was given " + maps.size() + " outputs of stage " + in.getStageId() + " of "
            + shared.log().successes(in.getStageId()));
      }
    }
  }

  @Override
  public void endQuery(String queryId, long leaderEpoch) {
    shared.successTemplates().keySet().removeIf(k -> k.startsWith(queryId + "/"));
  }

  @Override
  public void close() {}
}
