package io.kiln.logical;

import io.kiln.types.DataType;
import java.util.List;

/**
 * One window function call of a {@link Window} node: the function, its arguments (expressions over
 * the window's input), its frame, and its result type. Ranking functions and lag/lead ignore the
 * frame; they carry the default one.
 */
public record WindowCall(Fn fn, List<Expr> args, WindowFrame frame, boolean ignoreNulls, DataType type) {
  public enum Fn {
    ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE,
    LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE,
    COUNT_STAR, COUNT, SUM, AVG, MIN, MAX, STDDEV_SAMP, STDDEV_POP, VAR_SAMP, VAR_POP;

    /** Whether the function reads the rows of its frame (the others look at positions or peers only). */
    public boolean usesFrame() {
      return ordinal() >= FIRST_VALUE.ordinal();
    }

    public boolean isAggregate() {
      return ordinal() >= COUNT_STAR.ordinal();
    }
  }

  public WindowCall {
    args = List.copyOf(args);
  }

  public WindowCall withArgs(List<Expr> newArgs) {
    return new WindowCall(fn, newArgs, frame, ignoreNulls, type);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(fn == Fn.COUNT_STAR ? "count(*" : fn.name().toLowerCase() + "(");
    for (int i = 0; i < args.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(args.get(i));
    }
    sb.append(')').append(ignoreNulls ? " IGNORE NULLS" : "");
    return fn.usesFrame() ? sb.append(' ').append(frame).toString() : sb.toString();
  }
}
