package io.kiln.types;

import io.kiln.error.KilnException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Exact arithmetic on decimals carried as scaled longs; every overflow is an error, never a wrap. */
public final class Decimals {
  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private Decimals() {}

  public static long pow10(int n) {
    if (n < 0 || n > 18) {
      throw overflow();
    }
    return POW10[n];
  }

  /** Rescales an unscaled value from one scale to a larger or equal one. */
  public static long upscale(long value, int by) {
    if (by == 0) {
      return value;
    }
    try {
      return Math.multiplyExact(value, pow10(by));
    } catch (ArithmeticException e) {
      throw overflow();
    }
  }

  /** Rescales down with SQL rounding (half away from zero). */
  public static long downscale(long value, int by) {
    if (by == 0) {
      return value;
    }
    if (by > 18) {
      return 0;
    }
    long p = POW10[by];
    long q = value / p;
    long r = value % p;
    if (Math.abs(r) * 2 >= p) {
      q += value < 0 ? -1 : 1;
    }
    return q;
  }

  public static long rescale(long value, int fromScale, int toScale) {
    return toScale >= fromScale ? upscale(value, toScale - fromScale) : downscale(value, fromScale - toScale);
  }

  /**
   * An exact numeric cast: rescales and fails if the result is beyond {@code max} (the largest
   * unscaled value of the target type), rather than wrapping.
   */
  public static long rescaleWithin(long value, int fromScale, int toScale, long max, DataType to) {
    long r = rescale(value, fromScale, toScale);
    if (r > max || r < -max) {
      throw KilnException.execution("value " + toBigDecimal(value, fromScale).toPlainString() + " does not fit in " + to);
    }
    return r;
  }

  public static long add(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      throw overflow();
    }
    return r;
  }

  public static long subtract(long a, long b) {
    long r = a - b;
    if (((a ^ b) & (a ^ r)) < 0) {
      throw overflow();
    }
    return r;
  }

  public static long multiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    if ((hi != 0 || lo < 0) && (hi != -1 || lo >= 0)) {
      throw overflow();
    }
    return lo;
  }

  /** a / b where a has scale sa, b scale sb, result at scale rs, rounded half up. */
  public static long divide(long a, int sa, long b, int sb, int rs) {
    if (b == 0) {
      throw KilnException.execution("division by zero");
    }
    // result = a * 10^(rs - sa + sb) / b
    int shift = rs - sa + sb;
    if (shift >= 0 && shift <= 18) {
      long p = POW10[shift];
      long hi = Math.multiplyHigh(a, p);
      long lo = a * p;
      boolean fits = (hi == 0 && lo >= 0) || (hi == -1 && lo < 0);
      if (fits) {
        long q = lo / b;
        long r = lo % b;
        if (r != 0 && Math.abs(r) >= Math.abs(b) - Math.abs(r)) {
          q += (lo < 0) == (b < 0) ? 1 : -1;
        }
        return q;
      }
    }
    BigDecimal result = new BigDecimal(BigInteger.valueOf(a), sa)
        .divide(new BigDecimal(BigInteger.valueOf(b), sb), rs, RoundingMode.HALF_UP);
    return toLongExact(result.unscaledValue());
  }

  public static long toLongExact(BigInteger v) {
    if (v.bitLength() > 63) {
      throw overflow();
    }
    return v.longValue();
  }

  /** The unscaled long of a BigDecimal at the given scale, rounding half up. */
  public static long fromBigDecimal(BigDecimal v, int scale) {
    return toLongExact(v.setScale(scale, RoundingMode.HALF_UP).unscaledValue());
  }

  public static BigDecimal toBigDecimal(long unscaled, int scale) {
    return BigDecimal.valueOf(unscaled, scale);
  }

  public static double toDouble(long unscaled, int scale) {
    if (scale == 0) {
      return unscaled;
    }
    return scale <= 18 ? (double) unscaled / POW10[scale] : BigDecimal.valueOf(unscaled, scale).doubleValue();
  }

  public static KilnException overflow() {
    return KilnException.execution("decimal overflow: a value does not fit in 18 digits; cast to DOUBLE for wider results");
  }
}
