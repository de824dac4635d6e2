package io.kiln.distributed.ha;

import io.kiln.error.KilnException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;

/**
 * The leader's running queries in ZooKeeper, one node each under {@code /kiln/<cluster>/queries},
 * so that a standby taking over finds them. Every write is a transaction that first checks the
 * epoch node is as this leader set it: a deposed leader's writes fail with
 * {@link DeposedLeaderException} and change nothing.
 */
public final class QueryStore {
  private final CuratorFramework zk;
  private final String folder;
  private final LeaderElection election;

  public QueryStore(LeaderElection election) {
    this.election = election;
    this.zk = election.zookeeper();
    this.folder = election.options().root() + "/queries";
  }

  /** Stores (creates or replaces) query {@code id}'s record. */
  public void save(String id, byte[] record) {
    LeaderElection.Fence f = fence();
    String path = folder + "/" + id;
    try {
      try {
        commit(f, zk.transactionOp().setData().forPath(path, record));
      } catch (KeeperException.NoNodeException absent) {
        ensureFolder();
        commit(f, zk.transactionOp().create().forPath(path, record));
      }
    } catch (KeeperException.BadVersionException deposed) {
      throw deposed(f);
    } catch (KilnException e) {
      throw e;
    } catch (Exception e) {
      throw KilnException.cluster("cannot store query " + id + " in ZooKeeper at " + election.options().zookeeper()
          + ": " + e, e);
    }
  }

  /** Forgets query {@code id}; nothing happens if it is not stored. */
  public void delete(String id) {
    LeaderElection.Fence f = fence();
    try {
      commit(f, zk.transactionOp().delete().forPath(folder + "/" + id));
    } catch (KeeperException.NoNodeException absent) {
      // never stored, or already gone
    } catch (KeeperException.BadVersionException deposed) {
      throw deposed(f);
    } catch (KilnException e) {
      throw e;
    } catch (Exception e) {
      throw KilnException.cluster("cannot delete query " + id + " from ZooKeeper: " + e, e);
    }
  }

  /** Every stored query's record by id, for a new leader. */
  public Map<String, byte[]> loadAll() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try {
      if (zk.checkExists().forPath(folder) == null) {
        return out;
      }
      for (String id : zk.getChildren().forPath(folder)) {
        try {
          out.put(id, zk.getData().forPath(folder + "/" + id));
        } catch (KeeperException.NoNodeException gone) {
          // deleted between the listing and the read
        }
      }
      return out;
    } catch (Exception e) {
      throw KilnException.cluster("cannot read the running queries from ZooKeeper at "
          + election.options().zookeeper() + folder + ": " + e, e);
    }
  }

  private LeaderElection.Fence fence() {
    LeaderElection.Fence f = election.fence();
    if (f == null) {
      throw new DeposedLeaderException("this scheduler does not lead the cluster (any more)");
    }
    return f;
  }

  private void commit(LeaderElection.Fence f, CuratorOp op) throws Exception {
    zk.transaction().forOperations(zk.transactionOp().check().withVersion(f.version()).forPath(f.epochPath()), op);
  }

  private void ensureFolder() throws Exception {
    try {
      zk.create().creatingParentsIfNeeded().forPath(folder);
    } catch (KeeperException.NodeExistsException exists) {
      // made by another write
    }
  }

  private DeposedLeaderException deposed(LeaderElection.Fence f) {
    return new DeposedLeaderException("the cluster's epoch moved past " + f.epoch()
        + ": another scheduler leads now, and this one may change nothing");
  }
}
