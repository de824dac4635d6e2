package io.kiln.distributed.ha;

import io.kiln.error.KilnException;
import io.kiln.util.DaemonThreads;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler's part in electing the cluster's leader (Curator's LeaderLatch) and its fencing
 * token. A scheduler that gains the lead first raises the cluster's epoch in ZooKeeper by a
 * compare-and-set; everything it then writes checks that the epoch is still the one it set
 * ({@link #fence()}), and every task it launches carries it, so a deposed leader (paused, cut
 * off) can neither change the stored state nor start work once another has taken over. Losing the
 * ZooKeeper connection loses the lead at once (Curator's standard error policy): better a moment
 * without a leader than two.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  /** What a scheduler does as the lead comes and goes; called from one thread, in order. */
  public interface Listener {
    /** This scheduler leads under {@code epoch}, higher than any before it. */
    void leading(long epoch);

    /** It no longer leads (or never did): it must stop acting at once. */
    void standingBy(String why);
  }

  /** The epoch node's version as this leader left it: stored writes check it. */
  public record Fence(String epochPath, int version, long epoch) {}

  private final HaOptions options;
  private final String participantId;
  private final CuratorFramework zk;
  private final Listener listener;
  private final ExecutorService events = Executors.newSingleThreadExecutor(DaemonThreads.named("kiln-election"));
  private final Object latchLock = new Object();
  private LeaderLatch latch;
  private volatile Fence fence;

  private LeaderElection(HaOptions options, String participantId, CuratorFramework zk, Listener listener) {
    this.options = options;
    this.participantId = participantId;
    this.zk = zk;
    this.listener = listener;
  }

  /**
   * Connects to ZooKeeper (failing clearly if it cannot within the session timeout) and joins the
   * election as {@code participantId}, the address others reach this scheduler at.
   */
  public static LeaderElection join(HaOptions options, String participantId, Listener listener) {
    CuratorFramework zk = connect(options);
    LeaderElection e = new LeaderElection(options, participantId, zk, listener);
    try {
      e.startLatch();
    } catch (RuntimeException ex) {
      e.close();
      throw ex;
    }
    return e;
  }

  static CuratorFramework connect(HaOptions options) {
    CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(options.zookeeper())
        .sessionTimeoutMs(options.sessionTimeoutMillis())
        .connectionTimeoutMs(Math.min(options.sessionTimeoutMillis(), 5_000))
        .retryPolicy(new ExponentialBackoffRetry(100, 5, 1_000)).build();
    zk.start();
    try {
      if (!zk.blockUntilConnected(Math.max(5_000, options.sessionTimeoutMillis()), TimeUnit.MILLISECONDS)) {
        zk.close();
        throw KilnException.cluster("cannot reach ZooKeeper at " + options.zookeeper() + " (waited "
            + Math.max(5, options.sessionTimeoutMillis() / 1000) + " s)");
      }
    } catch (InterruptedException ie) {
      zk.close();
      Thread.currentThread().interrupt();
      throw KilnException.cancelled("interrupted while connecting to ZooKeeper at " + options.zookeeper());
    }
    return zk;
  }

  private void startLatch() {
    LeaderLatch l = new LeaderLatch(zk, options.root() + "/leader", participantId);
    l.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        gained(l);
      }

      @Override
      public void notLeader() {
        lost("it lost the lead (its ZooKeeper session was suspended or expired)");
      }
    }, events);
    try {
      l.start();
    } catch (Exception e) {
      throw KilnException.cluster("cannot join the leader election at " + options.zookeeper() + options.root()
          + ": " + e, e);
    }
    synchronized (latchLock) {
      latch = l;
    }
  }

  /** On the events thread: raise the epoch, then lead under it. */
  private void gained(LeaderLatch l) {
    try {
      Fence f = raiseEpoch();
      if (!l.hasLeadership()) {
        return; // lost again meanwhile: notLeader follows
      }
      fence = f;
      LOG.info("{} leads the cluster '{}' under epoch {}", participantId, options.clusterName(), f.epoch());
      listener.leading(f.epoch());
    } catch (RuntimeException e) {
      LOG.error("{} won the election but could not take the lead; standing by and trying again", participantId, e);
      rejoin("taking the lead failed: " + e.getMessage());
    }
  }

  private void lost(String why) {
    fence = null;
    listener.standingBy(why);
  }

  /** Compare-and-set of epoch + 1: two schedulers that both believe they won cannot both succeed. */
  private Fence raiseEpoch() {
    String path = options.root() + "/epoch";
    try {
      try {
        zk.create().creatingParentsIfNeeded().forPath(path, "0".getBytes(StandardCharsets.UTF_8));
      } catch (KeeperException.NodeExistsException exists) {
        // made by an earlier leader
      }
      Stat stat = new Stat();
      long epoch = Long.parseLong(new String(zk.getData().storingStatIn(stat).forPath(path), StandardCharsets.UTF_8)
          .trim()) + 1;
      Stat after = zk.setData().withVersion(stat.getVersion()).forPath(path,
          Long.toString(epoch).getBytes(StandardCharsets.UTF_8));
      return new Fence(path, after.getVersion(), epoch);
    } catch (KeeperException.BadVersionException raced) {
      throw new DeposedLeaderException("another scheduler raised the epoch at " + path + " first");
    } catch (KilnException e) {
      throw e;
    } catch (Exception e) {
      throw KilnException.cluster("cannot raise the cluster's epoch at " + options.zookeeper() + path + ": " + e, e);
    }
  }

  /** The fence of the current lead; null when standing by. */
  public Fence fence() {
    return fence;
  }

  /**
   * Gives up the lead (a write found the epoch moved on, or taking the lead failed) and joins the
   * election again as a standby.
   */
  public void rejoin(String why) {
    events.execute(() -> {
      lost(why);
      closeLatch();
      try {
        startLatch();
      } catch (RuntimeException e) {
        LOG.error("{} could not rejoin the election", participantId, e);
      }
    });
  }

  /** The address of the scheduler leading now, if one does (for a standby to point callers at it). */
  public String leader() {
    LeaderLatch l;
    synchronized (latchLock) {
      l = latch;
    }
    try {
      Participant p = l == null ? null : l.getLeader();
      return p == null || !p.isLeader() ? null : p.getId();
    } catch (Exception e) {
      return null;
    }
  }

  /** Leaves the election without a word to this scheduler's listener. */
  private void closeLatch() {
    synchronized (latchLock) {
      try {
        if (latch != null) {
          latch.close(LeaderLatch.CloseMode.SILENT);
        }
      } catch (Exception e) {
        LOG.warn("closing the leader latch of {} failed: {}", participantId, e.toString());
      }
      latch = null;
    }
  }

  CuratorFramework zookeeper() {
    return zk;
  }

  HaOptions options() {
    return options;
  }

  @Override
  public void close() {
    closeLatch();
    events.shutdownNow();
    zk.close();
  }
}
