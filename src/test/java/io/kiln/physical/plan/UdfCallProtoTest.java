package io.kiln.physical.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kiln.catalog.ScalarUdf;
import io.kiln.error.KilnException;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Literal;
import io.kiln.logical.UdfCall;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A user function's call in a plan travels by name and signature; its code does not. */
class UdfCallProtoTest {
  private static final ScalarUdf SCALE = ScalarUdf.of("scale", List.of(DataType.BIGINT, DataType.decimal(9, 2)),
      DataType.decimal(12, 2), args -> null);

  private static PhysicalNode valuesOf(Expr e) {
    return new PhysicalNode.Values(0, List.of(List.of(e)), List.of(ColumnRef.fresh("v", e.type())));
  }

  @Test
  void aCallRoundTripsByNameAndSignature() {
    UdfCall call = UdfCall.bind(SCALE, List.of(Literal.ofLong(3), Literal.nullOf(DataType.decimal(9, 2))));
    PhysicalNode plan = new PhysicalNode.Result(1, valuesOf(call));
    PhysicalNode back = PlanProto.fromBytes(PlanProto.toBytes(plan));
    assertEquals(plan, back);
    assertEquals(PlanProto.toProto(plan), PlanProto.toProto(back));
    UdfCall read = (UdfCall) ((PhysicalNode.Values) ((PhysicalNode.Result) back).input()).rows().get(0).get(0);
    assertEquals(SCALE.signature(), read.function().signature());
    assertFalse(read.function().isRegistered());
  }

  @Test
  void aProcessWithoutTheFunctionRefusesToRunItNamingIt() {
    UdfCall call = UdfCall.bind(SCALE, List.of(Literal.ofLong(3), Literal.nullOf(DataType.decimal(9, 2))));
    PhysicalNode back = PlanProto.fromBytes(PlanProto.toBytes(valuesOf(call)));
    Expr read = ((PhysicalNode.Values) back).rows().get(0).get(0);
    KilnException e = assertThrows(KilnException.class, () -> new ExprCompiler(List.of()).compile(read));
    assertEquals(KilnException.Kind.UNSUPPORTED, e.kind());
    assertEquals("unsupported error: unknown function 'scale' in a plan expression: the user function "
        + "scale(BIGINT, DECIMAL(9,2)) -> DECIMAL(12,2) is not registered in this process", e.getMessage());
  }

  @Test
  void anAggregateCallRoundTripsByName() {
    io.kiln.catalog.AggregateUdf f = io.kiln.catalog.AggregateUdf.unregistered("sum_sq", DataType.BIGINT,
        DataType.BIGINT);
    io.kiln.logical.AggregateCall call = io.kiln.logical.AggregateCall.udf(f,
        List.of(ColumnRef.fresh("x", DataType.INTEGER)), null);
    io.kiln.logical.AggregateCall back = ExprCodec.fromProto(ExprCodec.toProto(call));
    assertEquals(call, back);
    assertEquals("sum_sq(BIGINT) -> BIGINT", back.udf().signature());
    assertEquals(ExprCodec.toProto(call), ExprCodec.toProto(back));
  }
}
