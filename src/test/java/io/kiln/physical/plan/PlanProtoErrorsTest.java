package io.kiln.physical.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.kiln.error.KilnException;
import io.kiln.physical.plan.proto.PlanProtos;
import org.junit.jupiter.api.Test;

/**
 * Plans this Kiln cannot read, crafted message by message as a newer or broken writer would send
 * them: each fails with a KilnException that names what is unknown or wrong.
 */
class PlanProtoErrorsTest {
  private static final PlanProtos.DataType BIGINT =
      PlanProtos.DataType.newBuilder().setId(PlanProtos.TypeId.TYPE_ID_BIGINT).build();

  /** A field number no message here uses, as a newer writer's new oneof case would be. */
  private static UnknownFieldSet newerField(int number) {
    return UnknownFieldSet.newBuilder()
        .addField(number, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("?")).build())
        .build();
  }

  /** Result(Values(one row holding {@code e})) with node ids 1 and 0. */
  private static PlanProtos.PhysicalPlan planWithExpr(PlanProtos.Expr e) {
    PlanProtos.PlanNode values = PlanProtos.PlanNode.newBuilder().setId(0).setValues(PlanProtos.ValuesNode.newBuilder()
        .addRows(PlanProtos.ValuesRow.newBuilder().addValues(e))
        .addOutput(PlanProtos.ColumnRef.newBuilder().setId(1).setName("v").setType(BIGINT))).build();
    return plan(values);
  }

  private static PlanProtos.PhysicalPlan plan(PlanProtos.PlanNode input) {
    return PlanProtos.PhysicalPlan.newBuilder().setFormatVersion(PlanProto.FORMAT_VERSION)
        .setRoot(PlanProtos.PlanNode.newBuilder().setId(1).setResult(PlanProtos.ResultNode.newBuilder().setInput(input)))
        .build();
  }

  private static PlanProtos.Expr literal(PlanProtos.DataType type, PlanProtos.ScalarValue value) {
    return PlanProtos.Expr.newBuilder().setLiteral(PlanProtos.Literal.newBuilder().setType(type).setValue(value))
        .build();
  }

  /** Reads the plan from its bytes, as a worker would, and returns the error's message. */
  private static String failure(PlanProtos.PhysicalPlan plan) {
    return failure(plan.toByteArray());
  }

  private static String failure(byte[] bytes) {
    return assertThrows(KilnException.class, () -> PlanProto.fromBytes(bytes)).getMessage();
  }

  @Test
  void newerFormatVersion() {
    PlanProtos.PhysicalPlan plan = planWithExpr(literal(BIGINT, PlanProtos.ScalarValue.newBuilder()
        .setIntegerValue(1).build())).toBuilder().setFormatVersion(7).build();
    assertEquals("unsupported error: plan format version 7 is newer than this Kiln reads ("
        + PlanProto.FORMAT_VERSION + ")", failure(plan));
    assertEquals("unsupported error: plan format version 4294967295 is newer than this Kiln reads ("
        + PlanProto.FORMAT_VERSION + ")",
        failure(plan.toBuilder().setFormatVersion(-1).build()));
  }

  @Test
  void scanTaskWithNegativeRowGroup() {
    PlanProtos.PlanNode scan = PlanProtos.PlanNode.newBuilder().setId(0).setScan(PlanProtos.ScanNode.newBuilder()
        .setTable("t").addTasks(PlanProtos.ScanTaskDescriptor.newBuilder().setLocation("/t.parquet").setRowGroup(-1)
            .setRowCount(5))).build();
    assertEquals("execution error: invalid plan: bad scan task: row group -1, first row 0, row count 5",
        failure(plan(scan)));
  }

  @Test
  void missingVersionOrRoot() {
    assertEquals("execution error: invalid plan: no format version; is this a Kiln plan?",
        failure(PlanProtos.PhysicalPlan.newBuilder().build()));
    assertEquals("execution error: invalid plan: no root node",
        failure(PlanProtos.PhysicalPlan.newBuilder().setFormatVersion(1).build()));
  }

  @Test
  void unknownNodeKind() {
    PlanProtos.PlanNode newer = PlanProtos.PlanNode.newBuilder().setId(5).setUnknownFields(newerField(99)).build();
    assertEquals("unsupported error: plan node 5 is of a kind this Kiln does not know (proto field 99); "
        + "was the plan written by a newer Kiln?", failure(plan(newer)));
    assertEquals("unsupported error: plan node 5 has no kind set in a plan",
        failure(plan(PlanProtos.PlanNode.newBuilder().setId(5).build())));
  }

  @Test
  void unknownFunction() {
    PlanProtos.Expr call = PlanProtos.Expr.newBuilder().setCall(PlanProtos.Call.newBuilder().setFunction("FOO")
        .setType(BIGINT)).build();
    assertEquals("unsupported error: unknown function 'FOO' in a plan expression", failure(planWithExpr(call)));
    // Names are case-sensitive, as the Java constants are.
    PlanProtos.Expr lower = call.toBuilder().setCall(call.getCall().toBuilder().setFunction("add")).build();
    assertEquals("unsupported error: unknown function 'add' in a plan expression", failure(planWithExpr(lower)));
  }

  /** Result(Window(Scan t(a)) with one call), the call as given. */
  private static PlanProtos.PhysicalPlan planWithWindowCall(PlanProtos.WindowCall call) {
    PlanProtos.ColumnRef a = PlanProtos.ColumnRef.newBuilder().setId(3).setName("a").setType(BIGINT).build();
    PlanProtos.PlanNode scan = PlanProtos.PlanNode.newBuilder().setId(0)
        .setScan(PlanProtos.ScanNode.newBuilder().setTable("t").addOutput(a).addColumnIndexes(0)
            .addDictionaryIds(false)).build();
    return plan(PlanProtos.PlanNode.newBuilder().setId(2).setWindow(PlanProtos.WindowNode.newBuilder().setInput(scan)
        .addCalls(call).addOutput(a).addOutput(a.toBuilder().setId(4).setName("w"))).build());
  }

  @Test
  void windowCallsAWriterGotWrong() {
    PlanProtos.FrameBound current = PlanProtos.FrameBound.newBuilder()
        .setKind(PlanProtos.FrameBoundKind.FRAME_BOUND_KIND_CURRENT_ROW).build();
    PlanProtos.WindowFrame frame = PlanProtos.WindowFrame.newBuilder().setUnits(PlanProtos.FrameUnits.FRAME_UNITS_ROWS)
        .setStart(current).setEnd(current).build();
    PlanProtos.WindowCall call = PlanProtos.WindowCall.newBuilder()
        .setFunction(PlanProtos.WindowFunction.WINDOW_FUNCTION_ROW_NUMBER).setFrame(frame).setType(BIGINT).build();
    assertEquals(2, PlanProto.fromProto(planWithWindowCall(call)).inputs().get(0).output().size(), "a valid call reads");
    assertEquals("unsupported error: unknown window function 99 in a plan; was it written by a newer Kiln?",
        failure(planWithWindowCall(call.toBuilder().setFunctionValue(99).build())));
    assertEquals("execution error: invalid plan: window call ROW_NUMBER has no frame",
        failure(planWithWindowCall(call.toBuilder().clearFrame().build())));
    PlanProtos.FrameBound noOffset = current.toBuilder()
        .setKind(PlanProtos.FrameBoundKind.FRAME_BOUND_KIND_PRECEDING).build();
    assertEquals("execution error: invalid plan: PRECEDING needs an offset",
        failure(planWithWindowCall(call.toBuilder().setFrame(frame.toBuilder().setStart(noOffset)).build())));
  }

  @Test
  void unknownType() {
    PlanProtos.DataType newer = PlanProtos.DataType.newBuilder().setIdValue(42).build();
    PlanProtos.Expr column = PlanProtos.Expr.newBuilder()
        .setColumn(PlanProtos.ColumnRef.newBuilder().setId(3).setName("x").setType(newer)).build();
    assertEquals("unsupported error: unknown type 42 in a plan; was it written by a newer Kiln?",
        failure(planWithExpr(column)));
    PlanProtos.Expr untyped = PlanProtos.Expr.newBuilder()
        .setColumn(PlanProtos.ColumnRef.newBuilder().setId(3).setName("x")).build();
    assertEquals("execution error: invalid plan: type is not set", failure(planWithExpr(untyped)));
  }

  @Test
  void unknownEnumValues() {
    PlanProtos.PlanNode scan = PlanProtos.PlanNode.newBuilder().setId(0)
        .setScan(PlanProtos.ScanNode.newBuilder().setTable("t")).build();
    PlanProtos.PlanNode join = PlanProtos.PlanNode.newBuilder().setId(2).setHashJoin(PlanProtos.HashJoinNode
        .newBuilder().setProbe(scan).setBuild(scan).setTypeValue(12)).build();
    assertEquals("unsupported error: unknown join type 12 in a plan; was it written by a newer Kiln?",
        failure(plan(join)));
    PlanProtos.PlanNode exchange = PlanProtos.PlanNode.newBuilder().setId(2)
        .setExchange(PlanProtos.ExchangeNode.newBuilder().setInput(scan).setPartitions(1)).build();
    assertEquals("execution error: invalid plan: exchange kind is not set", failure(plan(exchange)));
    PlanProtos.PlanNode aggregate = PlanProtos.PlanNode.newBuilder().setId(2)
        .setHashAggregate(PlanProtos.HashAggregateNode.newBuilder().setInput(scan)
            .setMode(PlanProtos.AggregateMode.AGGREGATE_MODE_SINGLE)
            .addCalls(PlanProtos.AggregateCall.newBuilder().setFunctionValue(77).setType(BIGINT))).build();
    assertEquals("unsupported error: unknown aggregate function 77 in a plan; was it written by a newer Kiln?",
        failure(plan(aggregate)));
  }

  @Test
  void argMinWithoutItsSecondArgument() {
    PlanProtos.PlanNode scan = PlanProtos.PlanNode.newBuilder().setId(0)
        .setScan(PlanProtos.ScanNode.newBuilder().setTable("t")).build();
    PlanProtos.PlanNode aggregate = PlanProtos.PlanNode.newBuilder().setId(2)
        .setHashAggregate(PlanProtos.HashAggregateNode.newBuilder().setInput(scan)
            .setMode(PlanProtos.AggregateMode.AGGREGATE_MODE_SINGLE)
            .addCalls(PlanProtos.AggregateCall.newBuilder()
                .setFunction(PlanProtos.AggregateFunction.AGGREGATE_FUNCTION_ARG_MIN).setType(BIGINT)
                .setOrder(PlanProtos.ValueOrder.VALUE_ORDER_AS_READ))).build();
    assertEquals("execution error: invalid plan: aggregate ARG_MIN needs a 'by' argument", failure(plan(aggregate)));
  }

  @Test
  void unknownExpressionAndValueKinds() {
    PlanProtos.Expr newerExpr = PlanProtos.Expr.newBuilder().setUnknownFields(newerField(40)).build();
    assertEquals("unsupported error: an expression is of a kind this Kiln does not know (proto field 40); "
        + "was the plan written by a newer Kiln?", failure(planWithExpr(newerExpr)));
    PlanProtos.ScalarValue newerValue = PlanProtos.ScalarValue.newBuilder().setUnknownFields(newerField(30)).build();
    assertEquals("unsupported error: a BIGINT literal's value is of a kind this Kiln does not know (proto field 30); "
        + "was the plan written by a newer Kiln?", failure(planWithExpr(literal(BIGINT, newerValue))));
  }

  @Test
  void valuesThatDoNotFitTheirType() {
    PlanProtos.ScalarValue text = PlanProtos.ScalarValue.newBuilder().setStringValue("1").build();
    assertEquals("execution error: invalid plan: a BIGINT literal holds a STRING_VALUE",
        failure(planWithExpr(literal(BIGINT, text))));
    PlanProtos.DataType decimal = PlanProtos.DataType.newBuilder().setId(PlanProtos.TypeId.TYPE_ID_DECIMAL)
        .setPrecision(10).setScale(2).build();
    PlanProtos.ScalarValue wrongScale = PlanProtos.ScalarValue.newBuilder().setDecimalValue(PlanProtos.Decimal
        .newBuilder().setUnscaled(ByteString.copyFrom(new byte[] {1})).setScale(3)).build();
    assertEquals("execution error: invalid plan: a DECIMAL(10,2) literal with scale 3",
        failure(planWithExpr(literal(decimal, wrongScale))));
    PlanProtos.ScalarValue tooWide = PlanProtos.ScalarValue.newBuilder().setDecimalValue(PlanProtos.Decimal
        .newBuilder().setUnscaled(ByteString.copyFrom(new java.math.BigInteger("1" + "0".repeat(20)).toByteArray()))
        .setScale(2)).build();
    assertEquals("execution error: invalid plan: a DECIMAL(10,2) literal's unscaled value 100000000000000000000 "
        + "does not fit in 64 bits", failure(planWithExpr(literal(decimal, tooWide))));
  }

  @Test
  void nodesThatBreakTheirRecordsRules() {
    PlanProtos.PlanNode scan = PlanProtos.PlanNode.newBuilder().setId(0)
        .setScan(PlanProtos.ScanNode.newBuilder().setTable("t")).build();
    PlanProtos.PlanNode gather = PlanProtos.PlanNode.newBuilder().setId(2).setExchange(PlanProtos.ExchangeNode
        .newBuilder().setInput(scan).setKind(PlanProtos.ExchangeKind.EXCHANGE_KIND_GATHER).setPartitions(3)).build();
    assertEquals("execution error: invalid plan: a GATHER exchange has one partition, not 3", failure(plan(gather)));
  }

  @Test
  void bytesThatAreNotAPlan() {
    String message = failure(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertEquals(true, message.startsWith("execution error: cannot read a plan: "), message);
  }
}
