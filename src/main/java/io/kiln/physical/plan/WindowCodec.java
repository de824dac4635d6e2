package io.kiln.physical.plan;

import io.kiln.logical.WindowCall;
import io.kiln.logical.WindowFrame;
import io.kiln.physical.plan.proto.PlanProtos;

/** Window function calls and their frames to and from the plan format. */
final class WindowCodec {
  private WindowCodec() {}

  static PlanProtos.WindowCall toProto(WindowCall c) {
    return PlanProtos.WindowCall.newBuilder()
        .setFunction(EnumNames.toProto(c.fn(), PlanProtos.WindowFunction.class, "WINDOW_FUNCTION_"))
        .addAllArgs(ExprCodec.toProto(c.args())).setFrame(frame(c.frame())).setIgnoreNulls(c.ignoreNulls())
        .setType(TypeCodec.toProto(c.type())).build();
  }

  static WindowCall fromProto(PlanProtos.WindowCall c) {
    WindowCall.Fn fn = EnumNames.fromProto(c.getFunction(), c.getFunctionValue(), WindowCall.Fn.class,
        "WINDOW_FUNCTION_", "window function");
    if (!c.hasFrame()) {
      throw PlanFormatErrors.invalid("window call " + fn + " has no frame");
    }
    return new WindowCall(fn, ExprCodec.fromProto(c.getArgsList()), frame(c.getFrame()), c.getIgnoreNulls(),
        TypeCodec.fromProto(c.getType()));
  }

  private static PlanProtos.WindowFrame frame(WindowFrame f) {
    return PlanProtos.WindowFrame.newBuilder()
        .setUnits(EnumNames.toProto(f.units(), PlanProtos.FrameUnits.class, "FRAME_UNITS_"))
        .setStart(bound(f.start())).setEnd(bound(f.end())).build();
  }

  private static WindowFrame frame(PlanProtos.WindowFrame f) {
    WindowFrame.Units units = EnumNames.fromProto(f.getUnits(), f.getUnitsValue(), WindowFrame.Units.class,
        "FRAME_UNITS_", "frame units");
    return new WindowFrame(units, bound(f.getStart()), bound(f.getEnd()));
  }

  private static PlanProtos.FrameBound bound(WindowFrame.Bound b) {
    PlanProtos.FrameBound.Builder out = PlanProtos.FrameBound.newBuilder()
        .setKind(EnumNames.toProto(b.kind(), PlanProtos.FrameBoundKind.class, "FRAME_BOUND_KIND_"));
    if (b.offset() != null) {
      out.setOffset(ValueCodec.toProto(b.offset()));
    }
    return out.build();
  }

  /** A bound read back; a PRECEDING without offset (or the reverse) fails the record's check: an invalid plan. */
  private static WindowFrame.Bound bound(PlanProtos.FrameBound b) {
    WindowFrame.BoundKind kind = EnumNames.fromProto(b.getKind(), b.getKindValue(), WindowFrame.BoundKind.class,
        "FRAME_BOUND_KIND_", "frame bound");
    return new WindowFrame.Bound(kind, b.hasOffset() ? ValueCodec.fromProto(b.getOffset()) : null);
  }
}
