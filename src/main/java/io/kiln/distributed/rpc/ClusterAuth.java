package io.kiln.distributed.rpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kiln.error.KilnException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who may call a cluster's processes. With a shared secret (read from a file every process of the
 * cluster has), each call carries a token derived from it and a call without the right token is
 * refused; the secret itself never travels, and is never printed. With mutual TLS, connections are
 * encrypted and only peers holding a certificate of the cluster's CA connect at all. Both may be
 * used together. With neither, calls are not checked, which is only safe on loopback.
 */
public final class ClusterAuth {
  public static final ClusterAuth NONE = new ClusterAuth(null, null, null);
  /** Shortest secret accepted: a guessable one would protect nothing. */
  static final int MIN_SECRET_BYTES = 16;

  private static final Metadata.Key<String> TOKEN = Metadata.Key.of("kiln-auth", Metadata.ASCII_STRING_MARSHALLER);

  private final byte[] token;
  private final Path source;
  private final MutualTls tls;

  private ClusterAuth(byte[] token, Path source, MutualTls tls) {
    this.token = token;
    this.source = source;
    this.tls = tls;
  }

  /** The secret in {@code file} (surrounding whitespace ignored); a clear error if it is missing or short. */
  public static ClusterAuth sharedSecret(Path file) {
    byte[] secret;
    try {
      secret = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw KilnException.io("the cluster secret file " + file + " does not exist", e);
    } catch (IOException e) {
      throw KilnException.io("cannot read the cluster secret file " + file, e);
    }
    if (secret.length < MIN_SECRET_BYTES) {
      throw KilnException.binding("the cluster secret in " + file + " is " + secret.length + " bytes; use at least "
          + MIN_SECRET_BYTES + " random bytes (for example: head -c 32 /dev/urandom | base64 > " + file + ")");
    }
    return new ClusterAuth(derive(secret), file, null);
  }

  private static byte[] derive(byte[] secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("kiln cluster call v1\n".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(secret)).getBytes(StandardCharsets.US_ASCII);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** This authentication with mutual TLS as well (or instead, from {@link #NONE}). */
  public ClusterAuth withTls(MutualTls mutualTls) {
    return new ClusterAuth(token, source, java.util.Objects.requireNonNull(mutualTls, "mutualTls"));
  }

  /** Whether calls carry a token made from a shared secret. */
  boolean hasSecret() {
    return token != null;
  }

  /** Null without TLS. */
  MutualTls tls() {
    return tls;
  }

  /** Whether anything checks who calls: a secret, TLS or both. */
  public boolean enabled() {
    return token != null || tls != null;
  }

  /** Refuses calls without this cluster's token (all services on the server, Flight included). */
  public ServerInterceptor serverInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String presented = headers.get(TOKEN);
        if (presented == null || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII))) {
          call.close(Status.UNAUTHENTICATED.withDescription(presented == null
              ? "this Kiln cluster requires its shared secret; the call carried none (give the client or worker"
                  + " the cluster's secret file)"
              : "this Kiln cluster refused the call: it carried a token made from another secret"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
  }

  /** Adds this cluster's token to every call. */
  public ClientInterceptor clientInterceptor() {
    String value = new String(token, StandardCharsets.US_ASCII);
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            headers.put(TOKEN, value);
            super.start(listener, headers);
          }
        };
      }
    };
  }

  @Override
  public String toString() {
    if (!enabled()) {
      return "no authentication";
    }
    String secret = token == null ? null : "the shared secret in " + source;
    return tls == null ? secret : secret == null ? tls.toString() : secret + " and " + tls;
  }
}
