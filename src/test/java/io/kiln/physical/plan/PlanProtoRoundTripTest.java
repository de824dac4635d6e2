package io.kiln.physical.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.Call;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Function;
import io.kiln.logical.Interval;
import io.kiln.logical.JoinType;
import io.kiln.logical.Literal;
import io.kiln.logical.SortKey;
import io.kiln.logical.WindowCall;
import io.kiln.logical.WindowFrame;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Every node kind, expression kind, literal type, enum constant and predicate value, built by
 * hand, written to bytes and read back: the plan read equals the plan written. Records compare
 * columns by id only, so each test also re-encodes the plan read and compares the messages, which
 * covers every column's name and type too.
 */
class PlanProtoRoundTripTest {
  private static final ColumnRef A = ColumnRef.fresh("a", DataType.BIGINT);
  private static final ColumnRef B = ColumnRef.fresh("b", DataType.decimal(15, 2));
  private static final ColumnRef C = ColumnRef.fresh("ç名", DataType.VARCHAR);
  private static final ColumnRef D = ColumnRef.fresh("d", DataType.DATE);
  private int nextId;

  /** Writes, reads back, and checks the plan read is the plan written. */
  private static PhysicalNode roundTrip(PhysicalNode plan) {
    byte[] bytes = PlanProto.toBytes(plan);
    PhysicalNode back = PlanProto.fromBytes(bytes);
    assertEquals(plan, back);
    assertEquals(PlanProto.toProto(plan), PlanProto.toProto(back), "names and types survive too");
    assertEquals(plan.toString(), back.toString());
    return back;
  }

  private PhysicalNode scan(ColumnRef... columns) {
    List<Integer> indexes = new ArrayList<>();
    List<Boolean> dictionary = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      indexes.add(i);
      dictionary.add(i % 2 == 0);
    }
    return new PhysicalNode.Scan(nextId++, "t", List.of(columns), indexes, List.of(), OptionalLong.empty(), dictionary,
        List.of());
  }

  private PhysicalNode result(PhysicalNode input) {
    return new PhysicalNode.Result(nextId++, input);
  }

  /** One Values node with one row per expression, so any expression can be round-tripped in a plan. */
  private PhysicalNode valuesOf(List<? extends Expr> exprs) {
    List<List<Expr>> rows = new ArrayList<>();
    for (Expr e : exprs) {
      rows.add(List.of(e));
    }
    return new PhysicalNode.Values(nextId++, rows, List.of(ColumnRef.fresh("v", DataType.BIGINT)));
  }

  // ---------------------------------------------------------------- types and literals

  static List<DataType> everyType() {
    List<DataType> types = new ArrayList<>(List.of(DataType.NULL, DataType.BOOLEAN, DataType.TINYINT,
        DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT, DataType.REAL, DataType.DOUBLE, DataType.DATE,
        DataType.TIMESTAMP, DataType.VARCHAR, DataType.INTERVAL, DataType.decimal(1, 0), DataType.decimal(15, 2),
        DataType.decimal(38, 38)));
    for (DataType.Id id : DataType.Id.values()) {
      assertTrue(types.stream().anyMatch(t -> t.id() == id), "a test type for " + id);
    }
    return types;
  }

  @Test
  void everyTypeAsAColumnAndANull() {
    List<Expr> exprs = new ArrayList<>();
    for (DataType t : everyType()) {
      exprs.add(ColumnRef.fresh("col " + t, t));
      exprs.add(Literal.nullOf(t));
    }
    roundTrip(result(valuesOf(exprs)));
  }

  @Test
  void literalsOfEveryType() {
    List<Literal> literals = List.of(
        Literal.ofBoolean(true), Literal.ofBoolean(false),
        new Literal(-128L, DataType.TINYINT), new Literal(32767L, DataType.SMALLINT),
        new Literal(-2147483648L, DataType.INTEGER), new Literal(Long.MIN_VALUE, DataType.BIGINT),
        Literal.ofLong(Long.MAX_VALUE),
        new Literal(1.5, DataType.REAL), new Literal(-0.0, DataType.DOUBLE), new Literal(Double.NaN, DataType.DOUBLE),
        new Literal(Double.MAX_VALUE, DataType.DOUBLE), new Literal(Double.MIN_VALUE, DataType.DOUBLE),
        // DECIMAL literals hold the unscaled long at the type's scale.
        new Literal(-123456789012345678L, DataType.decimal(18, 2)), new Literal(0L, DataType.decimal(1, 0)),
        new Literal(Long.MAX_VALUE, DataType.decimal(38, 6)), new Literal(Long.MIN_VALUE, DataType.decimal(38, 0)),
        new Literal(-5L, DataType.decimal(3, 3)),
        // DATE: epoch days; TIMESTAMP: epoch micros; both before 1970 too.
        new Literal(LocalDate.of(1969, 12, 31).toEpochDay(), DataType.DATE),
        new Literal(LocalDate.of(1, 1, 1).toEpochDay(), DataType.DATE),
        new Literal(LocalDate.of(1998, 12, 1).toEpochDay(), DataType.DATE),
        new Literal(-1L, DataType.TIMESTAMP), new Literal(1_700_000_000_123_456L, DataType.TIMESTAMP),
        new Literal("", DataType.VARCHAR), new Literal("it's", DataType.VARCHAR),
        new Literal("naïve café — 日本語 🚀 \u0000", DataType.VARCHAR),
        new Literal(new Interval(-14, 3), DataType.INTERVAL), new Literal(new Interval(0, -30), DataType.INTERVAL),
        new Literal(new Interval(Integer.MAX_VALUE, Long.MIN_VALUE), DataType.INTERVAL));
    PhysicalNode back = roundTrip(result(valuesOf(literals)));
    // Literal.equals compares values with equals, so the Java classes (Long, Double, ...) are checked too.
    List<List<Expr>> rows = ((PhysicalNode.Values) back.inputs().get(0)).rows();
    for (int i = 0; i < literals.size(); i++) {
      assertEquals(literals.get(i).value().getClass(), ((Literal) rows.get(i).get(0)).value().getClass());
    }
  }

  // ---------------------------------------------------------------- calls, aggregates, sort keys

  @Test
  void callsOfEveryFunction() {
    List<Expr> calls = new ArrayList<>();
    for (Function f : Function.values()) {
      calls.add(new Call(f, List.of(A, Literal.ofLong(1)), DataType.BIGINT));
    }
    // Nested calls, no arguments, and a CAST's target type.
    calls.add(Call.of(Function.AND, DataType.BOOLEAN, Call.of(Function.EQ, DataType.BOOLEAN, A, Literal.ofLong(3)),
        Call.of(Function.NOT, DataType.BOOLEAN, Call.of(Function.LIKE, DataType.BOOLEAN, C,
            new Literal("%ü_", DataType.VARCHAR)))));
    calls.add(new Call(Function.CONCAT, List.of(), DataType.VARCHAR));
    calls.add(Call.of(Function.CAST, DataType.decimal(12, 4), A));
    roundTrip(result(valuesOf(calls)));
  }

  @Test
  void aggregatesOfEveryFunctionAndMode() {
    Expr filter = Call.of(Function.GT, DataType.BOOLEAN, A, Literal.ofLong(0));
    for (AggregateMode mode : AggregateMode.values()) {
      List<AggregateCall> calls = new ArrayList<>();
      List<ColumnRef> output = new ArrayList<>(List.of(A));
      for (AggregateCall.Fn fn : AggregateCall.Fn.values()) {
        if (fn == AggregateCall.Fn.UDF) {
          // a user's aggregate, by name (its code stays where it was registered)
          calls.add(AggregateCall.udf(io.kiln.catalog.AggregateUdf.unregistered("mine", B.type(), DataType.DOUBLE),
              List.of(B), filter));
          output.add(ColumnRef.fresh("mine", DataType.DOUBLE));
          continue;
        }
        Expr arg = fn == AggregateCall.Fn.COUNT_STAR ? null : B;
        // arg_min and arg_max have a second per-row argument
        Expr by = fn == AggregateCall.Fn.ARG_MIN || fn == AggregateCall.Fn.ARG_MAX ? A : null;
        calls.add(new AggregateCall(fn, arg, by, false, null, DataType.DOUBLE, null, AggregateCall.ValueOrder.AS_READ));
        calls.add(new AggregateCall(fn, arg, by, true, filter, DataType.decimal(38, 2), null,
            AggregateCall.ValueOrder.AS_READ));
        output.add(ColumnRef.fresh(fn + " plain", DataType.DOUBLE));
        output.add(ColumnRef.fresh(fn + " distinct", DataType.decimal(38, 2)));
      }
      // a constant parameter and a value order (quantile's fraction, string_agg's separator and ORDER BY)
      calls.add(new AggregateCall(AggregateCall.Fn.QUANTILE_CONT, B, false, null, DataType.DOUBLE,
          new Literal(0.25, DataType.DOUBLE), AggregateCall.ValueOrder.AS_READ));
      calls.add(new AggregateCall(AggregateCall.Fn.STRING_AGG, B, false, filter, DataType.VARCHAR, Literal.of(", "),
          AggregateCall.ValueOrder.DESCENDING));
      output.add(ColumnRef.fresh("quantile", DataType.DOUBLE));
      output.add(ColumnRef.fresh("string_agg", DataType.VARCHAR));
      roundTrip(result(new PhysicalNode.HashAggregate(nextId++, scan(A, B), mode, List.of(A), calls, output)));
    }
    // No keys, no calls.
    roundTrip(result(new PhysicalNode.HashAggregate(nextId++, scan(A), AggregateMode.SINGLE, List.of(), List.of(),
        List.of())));
  }

  @Test
  void sortAndTopNWithEveryKeyOrder() {
    List<SortKey> keys = List.of(new SortKey(A, true, false), new SortKey(B, false, true), new SortKey(C, true, true),
        new SortKey(D, false, false));
    roundTrip(result(new PhysicalNode.Sort(nextId++, scan(A, B, C, D), keys)));
    roundTrip(result(new PhysicalNode.TopN(nextId++, scan(A, B, C, D), keys, 10, 0)));
    roundTrip(result(new PhysicalNode.TopN(nextId++, scan(A), List.of(), Long.MAX_VALUE, 5)));
  }

  @Test
  void windowsOfEveryFunctionAndFrame() {
    List<WindowFrame> frames = List.of(WindowFrame.RUNNING, WindowFrame.WHOLE_PARTITION,
        new WindowFrame(WindowFrame.Units.ROWS, new WindowFrame.Bound(WindowFrame.BoundKind.PRECEDING, Literal.ofLong(3)),
            new WindowFrame.Bound(WindowFrame.BoundKind.FOLLOWING, Literal.ofLong(0))),
        new WindowFrame(WindowFrame.Units.RANGE, WindowFrame.Bound.of(WindowFrame.BoundKind.CURRENT_ROW),
            new WindowFrame.Bound(WindowFrame.BoundKind.FOLLOWING, new Literal(250L, DataType.decimal(15, 2)))),
        new WindowFrame(WindowFrame.Units.RANGE,
            new WindowFrame.Bound(WindowFrame.BoundKind.PRECEDING, new Literal(1.5, DataType.DOUBLE)),
            WindowFrame.Bound.of(WindowFrame.BoundKind.UNBOUNDED_FOLLOWING)));
    List<WindowCall> calls = new ArrayList<>();
    List<ColumnRef> output = new ArrayList<>(List.of(A, B, C, D));
    int i = 0;
    for (WindowCall.Fn fn : WindowCall.Fn.values()) {
      List<Expr> args = fn == WindowCall.Fn.LAG || fn == WindowCall.Fn.LEAD ? List.of(B, Literal.ofLong(2), B)
          : fn == WindowCall.Fn.NTILE ? List.of(Literal.ofLong(4)) : fn == WindowCall.Fn.NTH_VALUE
          ? List.of(C, Literal.ofLong(2)) : fn.ordinal() < WindowCall.Fn.LAG.ordinal() || fn == WindowCall.Fn.COUNT_STAR
          ? List.of() : List.of(B);
      calls.add(new WindowCall(fn, args, frames.get(i++ % frames.size()), i % 2 == 0, DataType.decimal(38, 2)));
      output.add(ColumnRef.fresh(fn.name(), DataType.decimal(38, 2)));
    }
    List<SortKey> order = List.of(new SortKey(B, true, false), new SortKey(D, false, true));
    roundTrip(result(new PhysicalNode.Window(nextId++, scan(A, B, C, D), List.of(A, C), order, calls, output)));
    // No PARTITION BY, no ORDER BY.
    roundTrip(result(new PhysicalNode.Window(nextId++, scan(A), List.of(), List.of(),
        List.of(new WindowCall(WindowCall.Fn.ROW_NUMBER, List.of(), WindowFrame.WHOLE_PARTITION, false,
            DataType.BIGINT)), List.of(A, ColumnRef.fresh("rn", DataType.BIGINT)))));
  }

  // ---------------------------------------------------------------- scans and predicates

  @Test
  void scanWithPredicatesOfEveryOpAndValueKind() {
    List<ColumnPredicate> predicates = new ArrayList<>();
    for (ColumnPredicate.Op op : ColumnPredicate.Op.values()) {
      List<Object> values = switch (op) {
        case IS_NULL, IS_NOT_NULL -> List.of();
        case LIKE, NOT_LIKE -> List.of("%Straße_");
        case IN -> List.of(1L, -2L, 3L);
        default -> List.of(7L);
      };
      predicates.add(new ColumnPredicate(op.ordinal(), op, values));
    }
    // Every Java class a predicate value has (what Literal.javaValue returns).
    List<Object> values = List.of(Long.MIN_VALUE, new BigDecimal("-12345678901234567890123456.7890"),
        new BigDecimal("0.00"), new BigDecimal("1E+5"), new BigDecimal("-0.05"), LocalDate.of(1969, 7, 20),
        LocalDate.of(-44, 3, 15), LocalDateTime.of(1965, 1, 2, 3, 4, 5, 678_901_000), "日本語 ok", -1.25,
        Double.NEGATIVE_INFINITY, true, false, new Interval(1, -1));
    for (Object v : values) {
      predicates.add(new ColumnPredicate(3, ColumnPredicate.Op.EQ, List.of(v)));
    }
    predicates.add(new ColumnPredicate(2, ColumnPredicate.Op.IN, values));
    predicates.add(new ColumnPredicate(2, ColumnPredicate.Op.IN, List.of()));
    PhysicalNode scan = new PhysicalNode.Scan(nextId++, "lineitem", List.of(A, B, C, D), List.of(15, 0, 3, 7),
        predicates, OptionalLong.of(1000), List.of(true, false, true, false), List.of());
    PhysicalNode back = roundTrip(result(scan));
    // BigDecimal.equals compares scales, so 0.00 came back as 0.00, not 0.
    List<ColumnPredicate> read = ((PhysicalNode.Scan) back.inputs().get(0)).predicates();
    assertEquals(new BigDecimal("0.00"), read.get(ColumnPredicate.Op.values().length + 2).value());
  }

  @Test
  void scanWithNothingOptional() {
    roundTrip(result(new PhysicalNode.Scan(nextId++, "empty", List.of(), List.of(), List.of(), OptionalLong.empty(),
        List.of(), List.of())));
    roundTrip(result(new PhysicalNode.Scan(nextId++, "t", List.of(A), List.of(0), List.of(), OptionalLong.of(0),
        List.of(false), List.of())));
  }

  @Test
  void scanWithRuntimeFilters() {
    List<RuntimeFilter> filters = List.of(new RuntimeFilter(7, 0, 15), new RuntimeFilter(9, 2, 0));
    PhysicalNode scan = new PhysicalNode.Scan(nextId++, "lineitem", List.of(A, B), List.of(15, 0), List.of(),
        OptionalLong.empty(), List.of(false, false), List.of(), filters);
    PhysicalNode back = roundTrip(result(scan));
    assertEquals(filters, ((PhysicalNode.Scan) back.inputs().get(0)).runtimeFilters());
  }

  @Test
  void scanWithTaskDescriptors() {
    List<ScanTaskDescriptor> tasks = List.of(
        new ScanTaskDescriptor("/data/t/a.parquet", 0, 0, 60_000, 60_000),
        new ScanTaskDescriptor("s3://bucket/t/b ü.parquet", 3, 8_572, 8_572, 8_572),
        new ScanTaskDescriptor("memory", Integer.MAX_VALUE, Long.MAX_VALUE - 1, 0, -1),
        new ScanTaskDescriptor("/data/t.csv", 0, 0, ScanTaskDescriptor.ALL_ROWS, -1));
    PhysicalNode scan = new PhysicalNode.Scan(nextId++, "t", List.of(A, C), List.of(0, 2),
        List.of(new ColumnPredicate(0, ColumnPredicate.Op.GE, List.of(5L))), OptionalLong.empty(),
        List.of(false, true), tasks);
    PhysicalNode back = roundTrip(result(scan));
    assertEquals(tasks, ((PhysicalNode.Scan) back.inputs().get(0)).tasks());
    assertTrue(back.inputs().get(0).describe().endsWith(" tasks=4"), back.inputs().get(0).describe());
  }

  // ---------------------------------------------------------------- the other nodes

  @Test
  void hashJoinsOfEveryType() {
    Expr residual = Call.of(Function.LT, DataType.BOOLEAN, A, Literal.ofLong(10));
    for (JoinType type : JoinType.values()) {
      for (boolean withResidual : new boolean[] {false, true}) {
        List<ColumnRef> output = type == JoinType.MARK ? List.of(A, ColumnRef.fresh("mark", DataType.BOOLEAN))
            : type.keepsOnlyLeft() ? List.of(A) : List.of(A, B);
        roundTrip(result(new PhysicalNode.HashJoin(nextId++, scan(A), scan(B), type, List.of(A),
            List.of(Call.of(Function.CAST, DataType.BIGINT, B)), List.of(type == JoinType.FULL),
            withResidual ? residual : null, type == JoinType.MARK ? 0 : -1, type.keepsOnlyLeft() && withResidual,
            output)));
      }
    }
    // A nested loop: no keys.
    roundTrip(result(new PhysicalNode.HashJoin(nextId++, scan(A), scan(B), JoinType.INNER, List.of(), List.of(),
        List.of(), residual, -1, false, List.of(A, B))));
  }

  @Test
  void filterProjectLimitUnionValuesExchange() {
    PhysicalNode filter = new PhysicalNode.Filter(nextId++, scan(A, C),
        Call.of(Function.IS_NOT_NULL, DataType.BOOLEAN, C));
    ColumnRef doubled = ColumnRef.fresh("doubled", DataType.BIGINT);
    PhysicalNode project = new PhysicalNode.Project(nextId++, filter,
        List.of(Call.of(Function.MULTIPLY, DataType.BIGINT, A, Literal.ofLong(2))), List.of(doubled));
    roundTrip(result(new PhysicalNode.Limit(nextId++, project, 5, 2)));
    roundTrip(result(new PhysicalNode.Project(nextId++, scan(A), List.of(), List.of())));

    ColumnRef u = ColumnRef.fresh("u", DataType.BIGINT);
    roundTrip(result(new PhysicalNode.Union(nextId++, List.of(scan(A), scan(A), valuesOf(List.of(Literal.ofLong(1)))),
        List.of(u))));
    roundTrip(result(new PhysicalNode.Union(nextId++, List.of(), List.of())));
    roundTrip(result(new PhysicalNode.Values(nextId++, List.of(), List.of(u))));
    roundTrip(result(new PhysicalNode.Values(nextId++, List.of(List.of(), List.of()), List.of())));

    for (ExchangeKind kind : ExchangeKind.values()) {
      List<Expr> keys = kind == ExchangeKind.HASH ? List.of(A, C) : List.of();
      roundTrip(result(new PhysicalNode.Exchange(nextId++, scan(A, C), kind, keys, kind == ExchangeKind.GATHER ? 1 : 4)));
      roundTrip(result(new PhysicalNode.Filter(nextId++, new PhysicalNode.StageInput(nextId++, 3, kind, List.of(A, C)),
          Call.of(Function.IS_NOT_NULL, DataType.BOOLEAN, C))));
    }
  }

  @Test
  void nodeIdsAreKeptAsTheyAre() {
    PhysicalNode plan = new PhysicalNode.Result(-7, new PhysicalNode.Limit(Integer.MAX_VALUE,
        new PhysicalNode.Scan(0, "t", List.of(A), List.of(0), List.of(), OptionalLong.empty(), List.of(false),
            List.of()), 1, 0));
    PhysicalNode back = roundTrip(plan);
    assertEquals(-7, back.id());
    assertEquals(Integer.MAX_VALUE, back.inputs().get(0).id());
  }

  @Test
  void columnsKeepTheSendersIdsAndLaterColumnsGetHigherOnes() {
    int senderId = ColumnRef.fresh("x", DataType.BIGINT).id() + 1000;
    ColumnRef sent = ColumnRef.withId(senderId, "remote", DataType.VARCHAR);
    PhysicalNode back = roundTrip(result(scan(sent)));
    ColumnRef read = back.output().get(0);
    assertEquals(senderId, read.id());
    assertEquals("remote", read.name());
    assertEquals(DataType.VARCHAR, read.type());
    assertTrue(ColumnRef.fresh("y", DataType.BIGINT).id() > senderId);
  }

  @Test
  void literalsWhoseJavaValueDoesNotFitTheirTypeAreRefused() {
    // An Integer where the engine carries a Long would come back as a Long and compare unequal.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlanProto.toBytes(result(valuesOf(List.of(new Literal(5, DataType.INTEGER))))));
    assertTrue(e.getMessage().contains("INTEGER literal holds a Integer, not a Long"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PlanProto.toBytes(result(new PhysicalNode.Scan(nextId++, "t",
        List.of(A), List.of(0), List.of(new ColumnPredicate(0, ColumnPredicate.Op.EQ, List.of(5))),
        OptionalLong.empty(), List.of(false), List.of()))));
  }
}
