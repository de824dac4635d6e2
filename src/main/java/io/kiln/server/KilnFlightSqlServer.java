package io.kiln.server;

import com.google.common.cache.CacheBuilder;
import io.kiln.Kiln;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.auth2.BasicCallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;
import org.apache.arrow.flight.auth2.GeneratedBearerTokenAuthenticator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * {@code kiln server}: a Kiln session served over Arrow Flight SQL. With a password file, clients
 * log in with user and password and get a bearer token that expires; without one the server only
 * listens on loopback. With a certificate and key it speaks TLS. Closing it stops the server and
 * fails if any Arrow memory of its answers leaked; the session stays the caller's.
 */
public final class KilnFlightSqlServer implements AutoCloseable {
  private final FlightServer server;
  private final KilnFlightSqlProducer producer;
  private final BufferAllocator allocator;
  private final String host;
  private final boolean tls;

  /** How to serve: where to listen, who may connect, TLS. */
  public record Options(String host, int port, Path passwords, Path tlsCertificate, Path tlsKey, Duration tokenLifetime) {
    public static Options loopback(int port) {
      return new Options("127.0.0.1", port, null, null, null, Duration.ofHours(1));
    }

    public Options withAuth(Path passwordFile) {
      return new Options(host, port, passwordFile, tlsCertificate, tlsKey, tokenLifetime);
    }

    public Options withTls(Path certificate, Path key) {
      return new Options(host, port, passwords, certificate, key, tokenLifetime);
    }

    public Options withHost(String listenHost) {
      return new Options(listenHost, port, passwords, tlsCertificate, tlsKey, tokenLifetime);
    }

    public Options withTokenLifetime(Duration lifetime) {
      return new Options(host, port, passwords, tlsCertificate, tlsKey, lifetime);
    }
  }

  private KilnFlightSqlServer(FlightServer server, KilnFlightSqlProducer producer, BufferAllocator allocator,
      String host, boolean tls) {
    this.server = server;
    this.producer = producer;
    this.allocator = allocator;
    this.host = host;
    this.tls = tls;
  }

  public static KilnFlightSqlServer start(Kiln kiln, Options options, String version) throws IOException {
    if (options.passwords() == null && !isLoopback(options.host())) {
      throw new IllegalArgumentException("refusing to serve " + options.host() + " without authentication: give"
          + " --auth FILE, or listen on loopback (127.0.0.1) only");
    }
    if ((options.tlsCertificate() == null) != (options.tlsKey() == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate and its private key");
    }
    CallHeaderAuthenticator auth = CallHeaderAuthenticator.NO_OP;
    if (options.passwords() != null) {
      PasswordFile users = PasswordFile.read(options.passwords());
      auth = new GeneratedBearerTokenAuthenticator(new BasicCallHeaderAuthenticator((user, password) -> {
        if (!users.matches(user, password)) {
          throw CallStatus.UNAUTHENTICATED.withDescription("wrong user name or password").toRuntimeException();
        }
        return () -> user;
      }), CacheBuilder.newBuilder().expireAfterWrite(options.tokenLifetime().toMillis(), TimeUnit.MILLISECONDS));
    }
    boolean tls = options.tlsCertificate() != null;
    Location location = tls ? Location.forGrpcTls(options.host(), options.port())
        : Location.forGrpcInsecure(options.host(), options.port());
    BufferAllocator allocator = new RootAllocator();
    KilnFlightSqlProducer producer = new KilnFlightSqlProducer(kiln, allocator, version);
    try {
      FlightServer.Builder builder = FlightServer.builder(allocator, location, producer).headerAuthenticator(auth);
      if (tls) {
        builder.useTls(options.tlsCertificate().toFile(), options.tlsKey().toFile());
      }
      FlightServer server = builder.build();
      server.start();
      return new KilnFlightSqlServer(server, producer, allocator, options.host(), tls);
    } catch (IOException | RuntimeException e) {
      producer.close();
      allocator.close();
      throw e;
    }
  }

  private static boolean isLoopback(String host) {
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + host, e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** The address clients connect to, e.g. grpc://127.0.0.1:31337 (grpc+tls:// with TLS). */
  public String url() {
    return (tls ? "grpc+tls://" : "grpc://") + host + ":" + port();
  }

  /** Queries running now. */
  public int runningQueries() {
    return producer.runningQueries();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() throws InterruptedException {
    try {
      producer.cancelRunning();
      server.shutdown();
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.close(); // calls still running after the grace period are cut off
      }
      server.close();
    } finally {
      producer.close();
      allocator.close();
    }
  }
}
