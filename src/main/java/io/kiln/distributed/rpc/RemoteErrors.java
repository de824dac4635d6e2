package io.kiln.distributed.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.error.KilnException;
import javax.net.ssl.SSLException;

/**
 * Errors across processes: a {@link KilnException}'s kind and message travel as they are, so a
 * division by zero on a worker reads the same at the client; a failed call becomes a CLUSTER error
 * naming what was called and where.
 */
public final class RemoteErrors {
  private RemoteErrors() {}

  public static ClusterProtos.Error toProto(Throwable t) {
    if (t instanceof KilnException k) {
      return ClusterProtos.Error.newBuilder().setKind(k.kind().name()).setMessage(k.detail()).build();
    }
    String message = t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    return ClusterProtos.Error.newBuilder().setKind(KilnException.Kind.EXECUTION.name()).setMessage(message).build();
  }

  public static KilnException fromProto(ClusterProtos.Error e) {
    KilnException.Kind kind;
    try {
      kind = KilnException.Kind.valueOf(e.getKind());
    } catch (IllegalArgumentException unknown) {
      kind = KilnException.Kind.EXECUTION;
    }
    return new KilnException(kind, e.getMessage());
  }

  /** A call that failed: a status carrying a Kiln error keeps it; anything else is a CLUSTER error. */
  public static KilnException ofCall(String what, String address, Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      KilnException carried = CarriedError.of(s);
      if (carried != null) {
        return carried;
      }
      return KilnException.cluster(what + " at " + address + " failed: " + describe(s.getStatus()), t);
    }
    if (t instanceof KilnException k) {
      return k;
    }
    return KilnException.cluster(what + " at " + address + " failed: " + t, t);
  }

  static String describe(Status status) {
    // gRPC appends the Netty pipeline to a description on later lines: no help to a user
    String description = status.getDescription() == null ? null : status.getDescription().lines().findFirst().orElse("");
    String described = status.getCode() + (description == null ? "" : " (" + description + ")");
    if (tlsFailure(status) != null) {
      return described + ": the TLS handshake failed (" + root(status.getCause()) + "); both ends need certificates signed"
          + " by the cluster's CA, and the server's must name the host dialled";
    }
    if (status.getCode() == Status.Code.UNAVAILABLE && "Network closed for unknown reason".equals(
        status.getDescription())) {
      return described + ": the server closed the connection at once, as a server requiring TLS does with a"
          + " client without it";
    }
    return status.getCause() == null ? described : described + ": " + root(status.getCause());
  }

  /** Why a call that did not go through gRPC's stubs (a Flight fetch) failed, TLS refusals explained. */
  public static String reason(Throwable t) {
    String message = t.getMessage() == null ? t.toString() : t.getMessage().lines().findFirst().orElse("");
    if (tlsFailure(t) != null) {
      return message + ": the TLS handshake failed (" + root(t) + "); both ends need certificates signed by"
          + " the cluster's CA";
    }
    String root = root(t);
    return root.equals(message) ? message : message + ": " + root;
  }

  private static String root(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** The TLS error behind a failed call, or null: a certificate refused fails the same way every time. */
  private static SSLException tlsFailure(Status status) {
    return tlsFailure(status.getCause());
  }

  private static SSLException tlsFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SSLException ssl) {
        return ssl;
      }
    }
    return null;
  }

  /** Whether a call that failed this way may succeed if tried again. */
  public static boolean isTransient(Throwable t) {
    if (!(t instanceof StatusRuntimeException s)) {
      return false;
    }
    if (tlsFailure(s.getStatus()) != null) {
      return false;
    }
    return switch (s.getStatus().getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED -> CarriedError.of(s) == null;
      default -> false;
    };
  }
}
