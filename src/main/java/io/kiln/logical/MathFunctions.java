package io.kiln.logical;

import io.kiln.error.KilnException;
import java.math.BigDecimal;

/** Row-at-a-time numeric functions: DOUBLE math with DuckDB's errors for out-of-domain arguments. */
final class MathFunctions {
  private MathFunctions() {}

  static Object apply(Function f, Object[] a) {
    switch (f) {
      case POWER:
        return Math.pow((Double) a[0], (Double) a[1]);
      case SQRT: {
        double x = (Double) a[0];
        if (x < 0) {
          throw KilnException.execution("cannot take the square root of a negative number: " + x);
        }
        return Math.sqrt(x);
      }
      case LN:
      case LOG10: {
        double x = (Double) a[0];
        if (x < 0) {
          throw KilnException.execution("cannot take the logarithm of a negative number: " + x);
        }
        if (x == 0) {
          throw KilnException.execution("cannot take the logarithm of zero");
        }
        return f == Function.LN ? Math.log(x) : Math.log10(x);
      }
      case EXP:
        return Math.exp((Double) a[0]);
      case SIGN: {
        Object x = a[0];
        if (x instanceof Double) {
          double d = (Double) x;
          return d > 0 ? 1L : d < 0 ? -1L : 0L;
        }
        if (x instanceof BigDecimal) {
          return (long) ((BigDecimal) x).signum();
        }
        return (long) Long.signum((Long) x);
      }
      case GREATEST:
      case LEAST: {
        Object best = null;
        for (Object x : a) {
          if (x != null && (best == null || compare(x, best) * (f == Function.GREATEST ? 1 : -1) > 0)) {
            best = x;
          }
        }
        return best;
      }
      default:
        throw new IllegalStateException("no numeric implementation for " + f);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object x, Object y) {
    return ((Comparable) x).compareTo(y);
  }
}
