package io.kiln.physical.plan;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kiln.error.KilnException;
import io.kiln.physical.plan.proto.PlanProtos;

/**
 * A physical plan to and from its wire format, {@code kiln.plan.v1.PhysicalPlan}
 * (src/main/proto/kiln/plan/v1/plan.proto): what a coordinator sends a worker process. A plan read
 * back equals the one written, column ids included (they are the sender's). Reading throws a
 * {@link KilnException} naming what it does not understand: a newer format version, an unknown
 * node kind, function, type or enum value, or bytes that are not a plan.
 */
public final class PlanProto {
  /** The format version written, and the newest one read. Bump it with any change an older reader would misread. */
  public static final int FORMAT_VERSION = 4; // 2: scans may carry their tasks; 3: stage inputs; 4: windows

  private PlanProto() {}

  public static PlanProtos.PhysicalPlan toProto(PhysicalNode root) {
    return PlanProtos.PhysicalPlan.newBuilder().setFormatVersion(FORMAT_VERSION).setRoot(NodeCodec.toProto(root))
        .build();
  }

  public static PhysicalNode fromProto(PlanProtos.PhysicalPlan plan) {
    int version = plan.getFormatVersion();
    if (version == 0) {
      throw PlanFormatErrors.invalid("no format version; is this a Kiln plan?");
    }
    if (Integer.compareUnsigned(version, FORMAT_VERSION) > 0) {
      throw KilnException.unsupported("plan format version " + Integer.toUnsignedString(version)
          + " is newer than this Kiln reads (" + FORMAT_VERSION + ")");
    }
    if (!plan.hasRoot()) {
      throw PlanFormatErrors.invalid("no root node");
    }
    try {
      return NodeCodec.fromProto(plan.getRoot());
    } catch (IllegalArgumentException e) {
      // A node record's own checks (join keys that do not pair up, a GATHER with 2 partitions, ...).
      throw PlanFormatErrors.invalid(e);
    }
  }

  public static byte[] toBytes(PhysicalNode root) {
    return toProto(root).toByteArray();
  }

  public static PhysicalNode fromBytes(byte[] bytes) {
    PlanProtos.PhysicalPlan plan;
    try {
      plan = PlanProtos.PhysicalPlan.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new KilnException(KilnException.Kind.EXECUTION, "cannot read a plan: " + e.getMessage(), e);
    }
    return fromProto(plan);
  }
}
