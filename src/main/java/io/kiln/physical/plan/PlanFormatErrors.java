package io.kiln.physical.plan;

import com.google.protobuf.Message;
import io.kiln.error.KilnException;

/**
 * The errors of reading a plan that this Kiln cannot understand. Most come from a newer writer
 * (a node kind, function or type added since), so the messages name what is unknown.
 */
final class PlanFormatErrors {
  private PlanFormatErrors() {}

  /**
   * A oneof with no case this reader knows: {@code message}'s fields that the generated code did
   * not recognize say what the writer meant to send.
   */
  static KilnException unknownKind(String what, Message message) {
    var unknown = message.getUnknownFields().asMap().keySet();
    if (unknown.isEmpty()) {
      return KilnException.unsupported(what + " has no kind set in a plan");
    }
    return KilnException.unsupported(what + " is of a kind this Kiln does not know (proto field "
        + (unknown.size() == 1 ? unknown.iterator().next() : unknown) + "); was the plan written by a newer Kiln?");
  }

  /** A plan that parses but breaks a rule of the format or of the node records. */
  static KilnException invalid(String detail) {
    return new KilnException(KilnException.Kind.EXECUTION, "invalid plan: " + detail);
  }

  /** As {@link #invalid(String)}, for a rule a node record's constructor enforced. */
  static KilnException invalid(IllegalArgumentException broken) {
    return new KilnException(KilnException.Kind.EXECUTION, "invalid plan: " + broken.getMessage(), broken);
  }
}
