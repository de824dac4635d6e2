package io.kiln.distributed.rpc;

import io.grpc.ManagedChannel;
import io.kiln.observe.Tracing;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * How Kiln's processes talk: gRPC over Netty, one port per process for the control plane and
 * Flight. Messages may be as large as Flight's own (gRPC's 4 MiB default refuses a plan or a batch
 * of a few MB), and connections are pinged when quiet, so a peer that vanished without a word (its
 * machine gone, its link down) fails the calls and fetches waiting on it within about 10 s
 * instead of hanging.
 */
public final class Rpc {
  /** Every control-plane call's deadline unless it says otherwise. */
  public static final long DEFAULT_DEADLINE_MILLIS = 10_000;

  private Rpc() {}

  public static NettyServerBuilder server(String host, int port, ClusterAuth auth) {
    return server(host, port, auth, Tracing.OFF);
  }

  /** A server whose calls, Flight's too, get spans (child of the caller's) when tracing is on. */
  public static NettyServerBuilder server(String host, int port, ClusterAuth auth, Tracing tracing) {
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .maxInboundMessageSize(Integer.MAX_VALUE)
        .permitKeepAliveTime(2, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    if (auth.tls() != null) {
      b.sslContext(auth.tls().serverContext());
    }
    if (tracing.enabled()) {
      b.intercept(tracing.serverInterceptor());
    }
    return auth.hasSecret() ? b.intercept(auth.serverInterceptor()) : b;
  }

  public static ManagedChannel channel(String host, int port, ClusterAuth auth) {
    return channel(host, port, auth, Tracing.OFF);
  }

  /** A channel whose calls get spans and carry the caller's trace context when tracing is on. */
  public static ManagedChannel channel(String host, int port, ClusterAuth auth, Tracing tracing) {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port)
        .maxInboundMessageSize(Integer.MAX_VALUE)
        .keepAliveTime(5, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true);
    if (auth.tls() != null) {
      b.sslContext(auth.tls().clientContext());
    } else {
      b.usePlaintext();
    }
    if (tracing.enabled()) {
      b.intercept(tracing.clientInterceptor());
    }
    return (auth.hasSecret() ? b.intercept(auth.clientInterceptor()) : b).build();
  }

  /** {@code host:port} split; a clear error for anything else. */
  public static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("an address is HOST:PORT, not '" + hostPort + "'");
    }
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the port of '" + hostPort + "' is not a number");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the port of '" + hostPort + "' is out of range");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  public static void shutdown(ManagedChannel channel) {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
