package io.kiln.logical;

/** The scalar operations {@link Call} can apply. The binder checks argument types. */
public enum Function {
  ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), MODULO("%"), NEGATE("-"),
  EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="),
  /** Null-safe equality, IS NOT DISTINCT FROM: used for set operations. */
  IS_NOT_DISTINCT_FROM("IS NOT DISTINCT FROM"),
  AND("AND"), OR("OR"), NOT("NOT"), IS_NULL("IS NULL"), IS_NOT_NULL("IS NOT NULL"),
  /** args: value, pattern. */
  LIKE("LIKE"),
  /** args: value, then the list. */
  IN_LIST("IN"),
  /** args: when1, then1, when2, then2, ..., else. */
  CASE("CASE"),
  /** args: value; target is the call's type. */
  CAST("CAST"),
  /** As CAST, but NULL where the value cannot be converted. */
  TRY_CAST("TRY_CAST"),
  COALESCE("coalesce"), NULLIF("nullif"),
  /** DATE/TIMESTAMP + INTERVAL (args: temporal, interval). */
  DATE_ADD_INTERVAL("+"),
  /** DATE - DATE in days. */
  DATE_DIFF("-"),
  /** DATE + integer days. */
  DATE_ADD_DAYS("+"),
  EXTRACT_YEAR("year"), EXTRACT_MONTH("month"), EXTRACT_DAY("day"), EXTRACT_QUARTER("quarter"),
  SUBSTRING("substring"), UPPER("upper"), LOWER("lower"), TRIM("trim"), LTRIM("ltrim"), RTRIM("rtrim"),
  LENGTH("length"), CONCAT("concat"),
  /** a || b: NULL if any argument is NULL (unlike concat). */
  CONCAT_OP("||"),
  ABS("abs"), ROUND("round"), FLOOR("floor"), CEIL("ceil"),
  // strings (TextFunctions)
  REPLACE("replace"), STRPOS("strpos"), STARTS_WITH("starts_with"), ENDS_WITH("ends_with"), CONTAINS("contains"),
  LPAD("lpad"), RPAD("rpad"), SPLIT_PART("split_part"), LEFT("left"), RIGHT("right"), REVERSE("reverse"),
  REPEAT("repeat"), REGEXP_MATCHES("regexp_matches"), REGEXP_REPLACE("regexp_replace"),
  REGEXP_EXTRACT("regexp_extract"),
  // numbers (MathFunctions)
  POWER("power"), SQRT("sqrt"), LN("ln"), LOG10("log10"), EXP("exp"), SIGN("sign"), GREATEST("greatest"),
  LEAST("least"),
  // dates and times (DateFunctions); a part or format comes first, as a literal
  /** args: part, date or timestamp. */
  DATE_TRUNC("date_trunc"),
  /** args: part, date or timestamp: any EXTRACT field. */
  DATE_PART("date_part"),
  /** args: part, start, end: the part boundaries crossed from start to end. */
  DATE_DIFF_PART("date_diff"),
  /** args: part, start, end: the whole parts from start to end. */
  DATE_SUB_PART("date_sub"),
  MAKE_DATE("make_date"), LAST_DAY("last_day"),
  /** args: date or timestamp, format. */
  STRFTIME("strftime"),
  /** args: text, format. */
  STRPTIME("strptime");

  private final String symbol;

  Function(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public boolean isInfix() {
    switch (this) {
      case ADD: case SUBTRACT: case MULTIPLY: case DIVIDE: case MODULO:
      case EQ: case NE: case LT: case LE: case GT: case GE: case IS_NOT_DISTINCT_FROM:
      case AND: case OR: case LIKE: case DATE_ADD_INTERVAL: case DATE_DIFF: case DATE_ADD_DAYS: case CONCAT_OP:
        return true;
      default:
        return false;
    }
  }

  public boolean isComparison() {
    return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
  }

  /** The comparison with its operands swapped: a < b is b > a. */
  public Function flip() {
    switch (this) {
      case LT: return GT;
      case LE: return GE;
      case GT: return LT;
      case GE: return LE;
      default: return this;
    }
  }
}
