package io.kiln.distributed;

import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.util.DaemonThreads;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reactive scaler for a pool of workers: when tasks have waited for a slot longer than a
 * threshold it starts a worker (one at a time, up to a maximum); when a worker has run nothing
 * for a while and nothing waits, it drains it (down to a minimum), so the outputs it holds stay
 * served until no query needs them. Each decision is logged with its reason and counted.
 */
public final class Autoscaler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);

  /** Workers it can start and drain, and the scheduler's view of them. */
  public interface WorkerPool {
    ClusterProtos.ClusterInfoResponse info();

    /** Starts a worker and returns once it has joined. */
    void startWorker();

    /** Asks worker {@code workerId} to drain and leave. */
    void drain(String workerId);
  }

  /** Between {@code minWorkers} and {@code maxWorkers}; up after tasks wait that long, down after that much idleness. */
  public record Policy(int minWorkers, int maxWorkers, long scaleUpAfterMillis, long idleMillis) {
    public Policy {
      if (minWorkers < 1 || maxWorkers < minWorkers) {
        throw new IllegalArgumentException("an autoscaled cluster has 1 <= min workers <= max workers, got "
            + minWorkers + " and " + maxWorkers);
      }
      if (scaleUpAfterMillis < 0 || idleMillis < 0) {
        throw new IllegalArgumentException("autoscaling thresholds must not be negative");
      }
    }
  }

  private final WorkerPool pool;
  private final Policy policy;
  private final long tickMillis;
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
      DaemonThreads.named("kiln-autoscaler"));
  private final AtomicLong scaleUps = new AtomicLong();
  private final AtomicLong scaleDowns = new AtomicLong();
  /** Workers it asked to drain: they stay in the scheduler's list, not yet marked draining, for a heartbeat. */
  private final java.util.Set<String> drainRequested = new java.util.HashSet<>();
  /** When tasks started waiting for a slot without a break; 0 while none waits. */
  private long pendingSinceNanos;

  private Autoscaler(WorkerPool pool, Policy policy, long tickMillis) {
    this.pool = pool;
    this.policy = policy;
    this.tickMillis = tickMillis;
  }

  /** Starts watching the pool every {@code tickMillis}. */
  public static Autoscaler start(WorkerPool pool, Policy policy, long tickMillis) {
    Autoscaler a = new Autoscaler(pool, policy, tickMillis);
    a.ticks.scheduleWithFixedDelay(a::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    return a;
  }

  public long scaleUps() {
    return scaleUps.get();
  }

  public long scaleDowns() {
    return scaleDowns.get();
  }

  private void tick() {
    try {
      decide(pool.info());
    } catch (RuntimeException e) {
      // The scheduler may be failing over or busy: the next tick looks again.
      LOG.warn("autoscaler: cannot read the cluster's state: {}", e.getMessage());
    }
  }

  private void decide(ClusterProtos.ClusterInfoResponse info) {
    long now = System.nanoTime();
    drainRequested.retainAll(info.getWorkerStatusList().stream().map(ClusterProtos.WorkerStatus::getWorkerId).toList());
    long staying = info.getWorkerStatusList().stream()
        .filter(w -> !w.getDraining() && !drainRequested.contains(w.getWorkerId())).count();
    if (info.getPendingTasks() == 0) {
      pendingSinceNanos = 0;
    } else if (pendingSinceNanos == 0) {
      pendingSinceNanos = now;
    }
    long waited = pendingSinceNanos == 0 ? 0 : (now - pendingSinceNanos) / 1_000_000;
    if (waited >= policy.scaleUpAfterMillis() && waited > 0 && staying < policy.maxWorkers()) {
      LOG.info("autoscaler: starting a worker ({} tasks have waited for a slot for {} ms; {} workers of at most {})",
          info.getPendingTasks(), waited, staying, policy.maxWorkers());
      pool.startWorker();
      scaleUps.incrementAndGet();
      pendingSinceNanos = 0; // the new worker's slots first; waiting counts again from here
      return;
    }
    if (info.getPendingTasks() > 0 || staying <= policy.minWorkers()) {
      return;
    }
    info.getWorkerStatusList().stream()
        .filter(w -> !w.getDraining() && !drainRequested.contains(w.getWorkerId()) && w.getBusySlots() == 0
            && w.getIdleMillis() >= policy.idleMillis())
        .max(Comparator.comparingLong(ClusterProtos.WorkerStatus::getIdleMillis))
        .ifPresent(w -> {
          LOG.info("autoscaler: draining worker {} (idle for {} ms, nothing waits; {} workers of at least {})",
              w.getWorkerId(), w.getIdleMillis(), staying, policy.minWorkers());
          drainRequested.add(w.getWorkerId());
          pool.drain(w.getWorkerId());
          scaleDowns.incrementAndGet();
        });
  }

  @Override
  public void close() {
    ticks.shutdownNow();
    try {
      ticks.awaitTermination(tickMillis + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
