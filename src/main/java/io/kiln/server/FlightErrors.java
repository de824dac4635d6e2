package io.kiln.server;

import io.kiln.error.KilnException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;

/**
 * Kiln's errors as gRPC statuses for the client: the status says what kind of failure it was and
 * the description keeps Kiln's message (with line and column for SQL errors) word for word.
 */
final class FlightErrors {
  private FlightErrors() {}

  static FlightRuntimeException of(Throwable t) {
    if (t instanceof FlightRuntimeException) {
      return (FlightRuntimeException) t;
    }
    if (t instanceof KilnException) {
      KilnException k = (KilnException) t;
      return status(k.kind()).withDescription(k.getMessage()).withCause(k).toRuntimeException();
    }
    if (t instanceof IllegalArgumentException) {
      return CallStatus.INVALID_ARGUMENT.withDescription(t.getMessage()).withCause(t).toRuntimeException();
    }
    return CallStatus.INTERNAL.withDescription(t.getClass().getSimpleName() + ": " + t.getMessage()).withCause(t)
        .toRuntimeException();
  }

  private static CallStatus status(KilnException.Kind kind) {
    switch (kind) {
      case SYNTAX:
      case BINDING:
        return CallStatus.INVALID_ARGUMENT;
      case UNSUPPORTED:
        return CallStatus.UNIMPLEMENTED;
      case CANCELLED:
        return CallStatus.CANCELLED;
      case RESOURCE:
        return CallStatus.RESOURCE_EXHAUSTED;
      default:
        return CallStatus.INTERNAL;
    }
  }
}
