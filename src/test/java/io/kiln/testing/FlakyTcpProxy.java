package io.kiln.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that forwards to an upstream port, except that it closes the next
 * {@link #dropNextConnections n} connections as soon as they are accepted: the client sees a real
 * network failure (a connection closed without a response), as from a flaky load balancer.
 */
public final class FlakyTcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final AtomicInteger toDrop = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final List<Socket> open = new ArrayList<>();
  private final Thread acceptor;

  public FlakyTcpProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "flaky-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The next {@code n} connections are closed right after they are accepted. */
  public void dropNextConnections(int n) {
    toDrop.set(n);
  }

  public int dropped() {
    return dropped.get();
  }

  /** Closes every forwarded connection, so the client's pooled connections go stale. */
  public void closeOpenConnections() throws IOException {
    synchronized (open) {
      for (Socket s : open) {
        s.close();
      }
      open.clear();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (SocketException closed) {
        return; // close() was called
      } catch (IOException e) {
        throw new IllegalStateException("flaky proxy cannot accept", e);
      }
      try {
        if (toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          dropped.incrementAndGet();
          client.setSoLinger(true, 0); // reset, not a polite close
          client.close();
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        synchronized (open) {
          open.add(client);
          open.add(upstream);
        }
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
        }
      } catch (IOException e) {
        // One side closed or reset: the connection is over, as in any proxy.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "flaky-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Already broken; nothing more to release.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    closeOpenConnections();
  }
}
