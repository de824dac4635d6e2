package io.kiln.distributed.rpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kiln.error.KilnException;

/**
 * A {@link KilnException} sent back as a call's status: its kind rides in a trailer, its message
 * in the status description, so the caller rethrows the same error.
 */
public final class CarriedError {
  private static final Metadata.Key<String> KIND = Metadata.Key.of("kiln-error-kind", Metadata.ASCII_STRING_MARSHALLER);

  private CarriedError() {}

  /** The status to answer a call with when it failed with {@code t}. */
  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    Metadata trailers = new Metadata();
    KilnException.Kind kind = t instanceof KilnException k ? k.kind() : KilnException.Kind.EXECUTION;
    trailers.put(KIND, kind.name());
    String message = t instanceof KilnException k ? k.detail() : String.valueOf(t);
    Status status = switch (kind) {
      case SYNTAX, BINDING, UNSUPPORTED -> Status.INVALID_ARGUMENT;
      case CANCELLED -> Status.CANCELLED;
      case RESOURCE -> Status.RESOURCE_EXHAUSTED;
      case CLUSTER -> Status.FAILED_PRECONDITION;
      default -> Status.INTERNAL;
    };
    return status.withDescription(message).asRuntimeException(trailers);
  }

  /** The Kiln error a status carries, or null. */
  static KilnException of(StatusRuntimeException s) {
    Metadata trailers = s.getTrailers();
    String kind = trailers == null ? null : trailers.get(KIND);
    if (kind == null) {
      return null;
    }
    KilnException.Kind k;
    try {
      k = KilnException.Kind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      k = KilnException.Kind.EXECUTION;
    }
    return new KilnException(k, s.getStatus().getDescription() == null ? "" : s.getStatus().getDescription());
  }
}
