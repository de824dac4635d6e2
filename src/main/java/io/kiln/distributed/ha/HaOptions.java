package io.kiln.distributed.ha;

import java.util.Objects;

/**
 * Schedulers standing in for each other: the ZooKeeper ensemble they elect a leader in and keep
 * running queries in, the cluster's name there (several clusters may share an ensemble), and the
 * session timeout, which bounds how long a dead leader goes unnoticed.
 */
public record HaOptions(String zookeeper, String clusterName, int sessionTimeoutMillis) {
  public static final String DEFAULT_CLUSTER_NAME = "kiln";
  public static final int DEFAULT_SESSION_TIMEOUT_MILLIS = 6_000;

  public HaOptions {
    Objects.requireNonNull(zookeeper, "zookeeper");
    if (zookeeper.isBlank()) {
      throw new IllegalArgumentException("the ZooKeeper connect string is empty; give HOST:PORT[,HOST:PORT...]");
    }
    if (!clusterName.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("a cluster name is letters, digits, '_', '.' and '-', got '" + clusterName + "'");
    }
    if (sessionTimeoutMillis < 1_000) {
      throw new IllegalArgumentException("the ZooKeeper session timeout must be at least 1000 ms, got "
          + sessionTimeoutMillis);
    }
  }

  public static HaOptions of(String zookeeper) {
    return new HaOptions(zookeeper, DEFAULT_CLUSTER_NAME, DEFAULT_SESSION_TIMEOUT_MILLIS);
  }

  public HaOptions withSessionTimeout(int millis) {
    return new HaOptions(zookeeper, clusterName, millis);
  }

  /** The cluster's folder in ZooKeeper. */
  String root() {
    return "/kiln/" + clusterName;
  }
}
