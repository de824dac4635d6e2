package io.kiln.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.data.Batch;
import io.kiln.logical.Call;
import io.kiln.logical.Calls;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Function;
import io.kiln.logical.Interval;
import io.kiln.logical.Literal;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.expr.VectorOps;
import io.kiln.types.DataType;
import io.kiln.types.Timestamps;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ValueVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Constant folding must compute what the interpreter computes for the same call on a row: the same
 * value and type, and a failure exactly where the interpreter fails (so the call stays for run
 * time). Every call here, nested ones included, is evaluated both ways; the interpreter, which
 * folding used before it had its own evaluator, is the oracle.
 */
class ConstantEvaluatorTest {
  private static BufferAllocator allocator;
  private int compared;

  @BeforeAll
  static void open() {
    allocator = new RootAllocator();
  }

  @AfterAll
  static void close() {
    allocator.close();
  }

  @AfterEach
  void somethingWasCompared() {
    assertTrue(compared > 0, "every call was rejected by the binder");
  }

  private static Literal lng(long v) {
    return new Literal(v, DataType.BIGINT);
  }

  private static Literal integer(long v) {
    return new Literal(v, DataType.INTEGER);
  }

  private static Literal dec(long unscaled, int p, int s) {
    return new Literal(unscaled, DataType.decimal(p, s));
  }

  private static Literal dbl(double v) {
    return new Literal(v, DataType.DOUBLE);
  }

  private static Literal str(String v) {
    return new Literal(v, DataType.VARCHAR);
  }

  private static Literal bool(Boolean v) {
    return new Literal(v, DataType.BOOLEAN);
  }

  private static Literal date(String iso) {
    return new Literal(LocalDate.parse(iso).toEpochDay(), DataType.DATE);
  }

  private static final List<Literal> NUMBERS = List.of(
      lng(0), lng(7), lng(-3), lng(Long.MAX_VALUE), lng(Long.MIN_VALUE), Literal.nullOf(DataType.BIGINT),
      integer(2), integer(-2147483648L), integer(0),
      dec(125, 10, 2), dec(-550, 10, 2), dec(0, 10, 2), dec(999_999_999_999_999_999L, 18, 4), dec(5, 3, 1),
      Literal.nullOf(DataType.decimal(10, 2)),
      dbl(1.5), dbl(-0.0), dbl(0.0), dbl(Double.NaN), dbl(Double.POSITIVE_INFINITY), dbl(1e300),
      Literal.nullOf(DataType.DOUBLE));

  private static final List<Literal> STRINGS = List.of(
      str(""), str("ab"), str("AB"), str(" ab "), str("\u00e9t\u00e9"), str("\uD83D\uDE00x"), str("\uFFFDz"),
      str("12"), str(" -5 "), str("1.255"), str("1998-12-01"), str("1998-12-01 10:11:12.5"), str("true"), str("x%_"),
      Literal.nullOf(DataType.VARCHAR));

  private static final List<Literal> BOOLEANS = List.of(bool(true), bool(false), Literal.nullOf(DataType.BOOLEAN));

  private static final List<Literal> TEMPORALS = List.of(
      date("1998-12-01"), date("1994-01-31"), date("2000-02-29"), date("1969-12-31"),
      new Literal(micros("1998-12-01T23:59:59.999999"), DataType.TIMESTAMP),
      new Literal(micros("1969-12-31T23:59:59.5"), DataType.TIMESTAMP),
      Literal.nullOf(DataType.DATE));

  private static final List<Literal> INTERVALS = List.of(
      new Literal(new Interval(1, 0), DataType.INTERVAL), new Literal(new Interval(0, -90), DataType.INTERVAL),
      new Literal(new Interval(-13, 1), DataType.INTERVAL));

  private static final List<DataType> TARGETS = List.of(
      DataType.BOOLEAN, DataType.TINYINT, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT, DataType.REAL,
      DataType.DOUBLE, DataType.decimal(5, 2), DataType.decimal(18, 0), DataType.decimal(12, 6), DataType.DATE,
      DataType.TIMESTAMP, DataType.VARCHAR);

  private static long micros(String iso) {
    return Timestamps.toMicros(LocalDateTime.parse(iso));
  }

  @Test
  void arithmetic() {
    for (Function op : List.of(Function.ADD, Function.SUBTRACT, Function.MULTIPLY, Function.DIVIDE, Function.MODULO)) {
      for (Literal a : NUMBERS) {
        for (Literal b : NUMBERS) {
          check(() -> Calls.arithmetic(op, a, b));
        }
      }
    }
    for (Literal a : NUMBERS) {
      check(() -> Call.of(Function.NEGATE, a.type(), a));
      for (Function f : List.of(Function.ABS, Function.FLOOR, Function.CEIL)) {
        check(() -> Calls.math(f, List.of(a)));
      }
      for (long digits : new long[] {-2, 0, 1, 5}) {
        check(() -> Calls.math(Function.ROUND, List.of(a, lng(digits))));
      }
    }
  }

  @Test
  void comparisons() {
    List<Function> ops = List.of(Function.EQ, Function.NE, Function.LT, Function.LE, Function.GT, Function.GE,
        Function.IS_NOT_DISTINCT_FROM);
    for (List<Literal> values : List.of(NUMBERS, STRINGS, BOOLEANS, TEMPORALS)) {
      for (Function op : ops) {
        for (Literal a : values) {
          for (Literal b : values) {
            check(() -> Calls.compare(op, a, b));
          }
        }
      }
    }
    for (Literal a : STRINGS) {
      for (Literal b : TEMPORALS) {
        check(() -> Calls.compare(Function.LT, b, a));
      }
    }
  }

  @Test
  void logic() {
    for (Literal a : BOOLEANS) {
      check(() -> Calls.not(a));
      check(() -> Calls.isNull(a, false));
      check(() -> Calls.isNull(a, true));
      for (Literal b : BOOLEANS) {
        check(() -> Calls.and(a, b));
        check(() -> Calls.or(a, b));
      }
    }
    check(() -> Calls.isNull(Literal.nullOf(DataType.NULL), false));
  }

  @Test
  void likeInCaseCoalesceNullif() {
    List<Literal> patterns = List.of(str("%"), str("a%"), str("%B"), str("_b"), str("%t\u00e9"), str(""), str("%x\\%%"),
        Literal.nullOf(DataType.VARCHAR));
    for (Literal s : STRINGS) {
      for (Literal p : patterns) {
        check(() -> Calls.like(s, p, false));
        check(() -> Calls.like(s, p, true));
      }
      check(() -> Calls.inList(s, List.of(str("ab"), str("AB")), false));
      check(() -> Calls.inList(s, List.of(str("ab"), Literal.nullOf(DataType.VARCHAR)), true));
    }
    for (Literal n : NUMBERS) {
      check(() -> Calls.inList(n, List.of(lng(7), dec(125, 10, 2), dbl(-0.0)), false));
      check(() -> Calls.inList(n, List.of(integer(0), Literal.nullOf(DataType.INTEGER)), false));
      for (Literal c : BOOLEANS) {
        check(() -> Calls.caseWhen(List.of(c, bool(false)), List.of(n, lng(1)), dec(-1, 4, 1)));
        check(() -> Calls.caseWhen(List.of(c), List.of(n), null));
      }
      check(() -> Calls.coalesce(List.of(Literal.nullOf(DataType.BIGINT), n, lng(3))));
      check(() -> Calls.nullif(n, lng(7)));
    }
  }

  @Test
  void casts() {
    List<Literal> all = new ArrayList<>();
    all.addAll(NUMBERS);
    all.addAll(STRINGS);
    all.addAll(BOOLEANS);
    all.addAll(TEMPORALS);
    for (Literal v : all) {
      for (DataType to : TARGETS) {
        // built directly: Calls.cast would cast a literal at bind time instead of making a call
        check(() -> v.type().equals(to) ? v : Call.of(Function.CAST, to, v));
      }
    }
  }

  @Test
  void temporalAndStringFunctions() {
    for (Literal t : TEMPORALS) {
      for (Literal i : INTERVALS) {
        check(() -> Calls.arithmetic(Function.ADD, t, i));
      }
      check(() -> Calls.arithmetic(Function.ADD, t, lng(-400)));
      check(() -> Calls.arithmetic(Function.SUBTRACT, t, date("1970-01-01")));
      for (String field : List.of("year", "month", "day", "quarter")) {
        check(() -> Calls.extract(field, t));
      }
    }
    for (Literal s : STRINGS) {
      for (Function f : List.of(Function.UPPER, Function.LOWER, Function.TRIM, Function.LTRIM, Function.RTRIM,
          Function.LENGTH)) {
        check(() -> Calls.stringFunction(f, List.of(s)));
      }
      check(() -> Calls.stringFunction(Function.CONCAT, List.of(s, Literal.nullOf(DataType.VARCHAR), str("!"))));
      check(() -> Calls.stringFunction(Function.CONCAT_OP, List.of(s, str("!"))));
      for (long[] range : new long[][] {{1, 2}, {0, 3}, {-1, 5}, {3, 0}, {2, -1}, {Long.MAX_VALUE, 1}}) {
        check(() -> Calls.stringFunction(Function.SUBSTRING, List.of(s, lng(range[0]), lng(range[1]))));
      }
      check(() -> Calls.stringFunction(Function.SUBSTRING, List.of(s, lng(2))));
    }
  }

  @Test
  void literalsOfTheWrongClassAreLeftAlone() {
    // Not something the binder makes; the interpreter cannot write them to a vector, so neither folds.
    check(() -> Calls.arithmetic(Function.ADD, new Literal(1, DataType.INTEGER), lng(1)));
    check(() -> Call.of(Function.EQ, DataType.BOOLEAN, str("a"), lng(1)));
  }

  /** Builds an expression (skipping what the binder rejects) and compares every call in it, bottom up. */
  private void check(Supplier<Expr> build) {
    Expr e;
    try {
      e = build.get();
    } catch (RuntimeException bindingError) {
      return;
    }
    Exprs.transform(e, this::compareOne);
  }

  private Expr compareOne(Expr e) {
    if (!(e instanceof Call) || e.type().id() == DataType.Id.INTERVAL) {
      return e;
    }
    Call c = (Call) e;
    for (Expr a : c.args()) {
      if (!(a instanceof Literal)) {
        return e;
      }
    }
    Literal expected = interpreted(c);
    Literal actual;
    try {
      actual = new Literal(ConstantEvaluator.evaluate(c), c.type());
    } catch (RuntimeException failure) {
      actual = null;
    }
    assertEquals(expected, actual, () -> c + " with args " + describe(c));
    compared++;
    return expected == null ? e : expected;
  }

  /** What folding computed before: the interpreter on one row, or null where it failed. */
  private static Literal interpreted(Call c) {
    try (Batch one = new Batch(new ValueVector[0], 1);
        ValueVector v = new ExprCompiler(List.of()).compile(c).evaluate(one, allocator)) {
      return new Literal(VectorOps.read(v, 0), c.type());
    } catch (RuntimeException failure) {
      return null;
    }
  }

  private static String describe(Call c) {
    List<String> out = new ArrayList<>();
    for (Expr a : c.args()) {
      Literal l = (Literal) a;
      out.add(Objects.toString(l.value()) + ":" + l.type());
    }
    return out.toString();
  }
}
