package io.kiln.distributed.scheduler;

import io.kiln.distributed.proto.ClusterProtos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated workers saw, in one order: every launch they accepted and every report they
 * sent, each numbered before the scheduler hears of it, so a launch numbered after a report was
 * made after the scheduler could know of that report. Also the inputs a worker found wrong.
 */
final class SimulationLog {
  enum Kind { LAUNCH, REPORT }

  record Event(long seq, long nanos, Kind kind, int stage, int task, int attempt, String worker,
      ClusterProtos.TaskState state) {}

  private final AtomicLong seq = new AtomicLong();
  private final List<Event> events = new ArrayList<>();
  /** Per stage and task (see {@link #key}): its successful attempt's report. */
  private final Map<Long, Event> succeeded = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicInteger> successesPerStage = new ConcurrentHashMap<>();
  /** Every successful attempt, by stage/task/attempt: a task whose output was lost succeeds again. */
  private final Map<String, Event> everySuccess = new ConcurrentHashMap<>();
  private final List<String> wrongInputs = new ArrayList<>();

  void launched(ClusterProtos.TaskDefinition t, String worker) {
    add(new Event(0, 0, Kind.LAUNCH, t.getStageId(), t.getTask(), t.getAttempt(), worker,
        ClusterProtos.TaskState.TASK_STATE_UNSPECIFIED));
  }

  void reported(ClusterProtos.TaskReport r) {
    Event e = add(new Event(0, 0, Kind.REPORT, r.getStageId(), r.getTask(), r.getAttempt(), r.getWorkerId(),
        r.getState()));
    if (r.getState() == ClusterProtos.TaskState.TASK_STATE_SUCCEEDED) {
      // a task run again (its output was lost) counts once, and its latest success is the one that stands
      everySuccess.put(r.getStageId() + "/" + r.getTask() + "/" + r.getAttempt(), e);
      if (succeeded.put(key(r.getStageId(), r.getTask()), e) == null) {
        successesPerStage.computeIfAbsent(r.getStageId(), s -> new AtomicInteger()).incrementAndGet();
      }
    }
  }

  private Event add(Event e) {
    synchronized (events) {
      Event numbered = new Event(seq.incrementAndGet(), System.nanoTime(), e.kind(), e.stage(), e.task(), e.attempt(),
          e.worker(), e.state());
      events.add(numbered);
      return numbered;
    }
  }

  /** Forgets everything: the next query starts a new log. */
  void clear() {
    synchronized (events) {
      events.clear();
      succeeded.clear();
      successesPerStage.clear();
      everySuccess.clear();
    }
    synchronized (wrongInputs) {
      wrongInputs.clear();
    }
  }

  /** The successful report of a task, or null. */
  Event success(int stage, int task) {
    return succeeded.get(key(stage, task));
  }

  /** The successful report of that attempt, or null. */
  Event success(int stage, int task, int attempt) {
    return everySuccess.get(stage + "/" + task + "/" + attempt);
  }

  /** Tasks of {@code stage} that have succeeded. */
  int successes(int stage) {
    AtomicInteger n = successesPerStage.get(stage);
    return n == null ? 0 : n.get();
  }

  void wrongInputs(String what) {
    synchronized (wrongInputs) {
      wrongInputs.add(what);
    }
  }

  List<String> wrongInputs() {
    synchronized (wrongInputs) {
      return List.copyOf(wrongInputs);
    }
  }

  List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  private static long key(int stage, int task) {
    return ((long) stage << 32) | (task & 0xffffffffL);
  }
}
