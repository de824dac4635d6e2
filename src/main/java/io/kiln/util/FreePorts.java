package io.kiln.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A free port on loopback, for a server that must be told its port before it starts (a child
 * process, a ZooKeeper): free when asked, so another process could take it first; the callers are
 * local clusters and tests, where that is rare and fails loudly.
 */
public final class FreePorts {
  private FreePorts() {}

  public static int loopback() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on loopback", e);
    }
  }
}
