package io.kiln.physical.plan;

import com.google.protobuf.ProtocolMessageEnum;
import io.kiln.error.KilnException;

/**
 * Maps Kiln's Java enums to the plan format's proto enums by constant name: the proto value is the
 * Java name behind a prefix ({@code JOIN_TYPE_} + {@code INNER}). Never by ordinal, so reordering
 * either enum changes no plan's meaning.
 */
final class EnumNames {
  private EnumNames() {}

  static <P extends Enum<P>> P toProto(Enum<?> value, Class<P> protoType, String prefix) {
    try {
      return Enum.valueOf(protoType, prefix + value.name());
    } catch (IllegalArgumentException e) {
      // A constant added in Java but not to plan.proto.
      throw new IllegalStateException("plan.proto's " + protoType.getSimpleName() + " has no " + prefix + value.name(), e);
    }
  }

  /**
   * The Java constant for a proto enum value read from a plan; {@code what} names the field in the
   * error when the value is unset, unknown to the generated code (a newer writer), or unknown here.
   */
  static <P extends Enum<P> & ProtocolMessageEnum, J extends Enum<J>> J fromProto(P value, int number,
      Class<J> javaType, String prefix, String what) {
    if (number == 0) {
      throw PlanFormatErrors.invalid(what + " is not set");
    }
    String name = value.name();
    if (name.startsWith(prefix)) {
      try {
        return Enum.valueOf(javaType, name.substring(prefix.length()));
      } catch (IllegalArgumentException e) {
        // Known to plan.proto but not (or no longer) to the Java enum.
      }
    }
    throw KilnException.unsupported("unknown " + what + " " + (name.equals("UNRECOGNIZED") ? number : name)
        + " in a plan; was it written by a newer Kiln?");
  }
}
