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
 * A TCP proxy on 127.0.0.1 that forwards to an upstream port, except that it resets the next
 * {@link #dropNextConnections n} connections as soon as they are accepted (the client sees a real
 * network failure, as from a flaky load balancer), or answers the next
 * {@link #answerServiceUnavailable n} requests with HTTP 503 itself (as S3 does when it throttles),
 * or, {@link #sever() severed}, forwards nothing at all until {@link #restore() restored}: a link
 * that went down, where packets vanish and nobody is told (a blackhole, not a refusal).
 */
public final class FlakyTcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final AtomicInteger toDrop = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicInteger to503 = new AtomicInteger();
  private final AtomicInteger answered503 = new AtomicInteger();
  private final List<Socket> open = new ArrayList<>();
  private volatile boolean severed;
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

  /** The next {@code n} connections get "503 Slow Down" to their first request, then are closed. */
  public void answerServiceUnavailable(int n) {
    to503.set(n);
  }

  public int answered503() {
    return answered503.get();
  }

  /** From now on nothing passes either way, on open connections or new ones, and no one is told. */
  public void sever() {
    severed = true;
  }

  /** The link is back: the connections the outage broke are reset, new ones are forwarded. */
  public void restore() throws IOException {
    severed = false;
    closeOpenConnections();
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
        if (to503.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          answer503(client);
          continue;
        }
        if (severed) {
          synchronized (open) {
            open.add(client); // accepted by the kernel, then silence: reset when the link is restored
          }
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

  private void answer503(Socket client) throws IOException {
    try (client) {
      InputStream in = client.getInputStream();
      // Read the request head (HEAD and GET requests carry no body) before answering.
      int matched = 0;
      for (int b; matched < 4 && (b = in.read()) >= 0; ) {
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String body = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
      client.getOutputStream().write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
          + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      client.getOutputStream().flush();
      answered503.incrementAndGet();
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          if (!severed) {
            out.write(buf, 0, n);
          }
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
