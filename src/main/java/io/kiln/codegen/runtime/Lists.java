package io.kiln.codegen.runtime;

/** Membership tests for constant IN lists in generated code. */
public final class Lists {
  private Lists() {}

  public static boolean contains(long[] list, long v) {
    for (long x : list) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  /** Same equality as the interpreter's boxed Double.equals. */
  public static boolean contains(double[] list, double v) {
    long bits = Double.doubleToLongBits(v);
    for (double x : list) {
      if (Double.doubleToLongBits(x) == bits) {
        return true;
      }
    }
    return false;
  }

  public static boolean contains(byte[][] list, long address, int length) {
    for (byte[] x : list) {
      if (io.kiln.data.Bytes.equals(address, length, x)) {
        return true;
      }
    }
    return false;
  }

  public static boolean contains(byte[][] list, byte[] v) {
    for (byte[] x : list) {
      if (java.util.Arrays.equals(x, v)) {
        return true;
      }
    }
    return false;
  }
}
