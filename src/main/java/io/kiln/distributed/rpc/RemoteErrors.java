package io.kiln.distributed.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.error.KilnException;

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
    return status.getCode() + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
  }

  /** Whether a call that failed this way may succeed if tried again. */
  public static boolean isTransient(Throwable t) {
    if (!(t instanceof StatusRuntimeException s)) {
      return false;
    }
    return switch (s.getStatus().getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED -> CarriedError.of(s) == null;
      default -> false;
    };
  }
}
