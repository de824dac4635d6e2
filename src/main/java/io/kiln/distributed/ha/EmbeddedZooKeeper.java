package io.kiln.distributed.ha;

import io.kiln.error.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A one-server ZooKeeper in this process, on loopback, for {@code kiln cluster --schedulers N} and
 * the tests: the real server, not a fake, so elections and session expiry behave as in production.
 * Its data lives in a temporary folder deleted on close. Production points at an ensemble instead.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  /** Short ticks: sessions of 1 s upwards are allowed, so tests see a dead leader go within seconds. */
  private static final int TICK_MILLIS = 200;

  private final ZooKeeperServerEmbedded server;
  private final Path dir;
  private final int port;

  private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, Path dir, int port) {
    this.server = server;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server on a free loopback port; fails if it does not serve within 30 s. */
  public static EmbeddedZooKeeper start() {
    Path dir;
    try {
      dir = Files.createTempDirectory("kiln-zookeeper-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the embedded ZooKeeper", e);
    }
    int port = io.kiln.util.FreePorts.loopback();
    Properties config = new Properties();
    config.setProperty("clientPort", Integer.toString(port));
    config.setProperty("clientPortAddress", "127.0.0.1");
    config.setProperty("tickTime", Integer.toString(TICK_MILLIS));
    config.setProperty("minSessionTimeout", Integer.toString(5 * TICK_MILLIS));
    config.setProperty("maxSessionTimeout", "60000");
    config.setProperty("admin.enableServer", "false");
    config.setProperty("maxCnxns", "1000");
    config.setProperty("4lw.commands.whitelist", "");
    ZooKeeperServerEmbedded server = null;
    try {
      server = ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(config)
          .exitHandler(ExitHandler.LOG_ONLY).build();
      server.start(30_000);
      return new EmbeddedZooKeeper(server, dir, port);
    } catch (Exception e) {
      if (server != null) {
        server.close();
      }
      io.kiln.util.FileTrees.delete(dir);
      throw KilnException.cluster("cannot start an embedded ZooKeeper on 127.0.0.1:" + port + ": " + e, e);
    }
  }

  /** The connect string for clients: {@code 127.0.0.1:PORT}. */
  public String connectString() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.close();
    io.kiln.util.FileTrees.delete(dir);
  }
}
