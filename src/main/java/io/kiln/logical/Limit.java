package io.kiln.logical;

import java.util.List;

/** Skips {@code offset} rows, then passes at most {@code limit} rows (-1: no limit). */
public final class Limit extends LogicalPlan {
  private final LogicalPlan input;
  private final long limit;
  private final long offset;

  public Limit(LogicalPlan input, long limit, long offset) {
    this.input = input;
    this.limit = limit;
    this.offset = offset;
  }

  public long limit() {
    return limit;
  }

  public long offset() {
    return offset;
  }

  @Override
  public List<ColumnRef> output() {
    return input.output();
  }

  @Override
  public List<LogicalPlan> inputs() {
    return List.of(input);
  }

  @Override
  public LogicalPlan withInputs(List<LogicalPlan> inputs) {
    return new Limit(inputs.get(0), limit, offset);
  }

  @Override
  public List<Expr> expressions() {
    return List.of();
  }

  @Override
  public String describe() {
    return "Limit " + (limit < 0 ? "ALL" : String.valueOf(limit)) + (offset > 0 ? " offset " + offset : "");
  }
}
