package io.kiln.physical.agg;

/**
 * One row's grouping key, filled field by field by generated code, so a group can be looked up
 * without building key vectors. A string key is either a slice of an Arrow buffer (address and
 * length) or, when {@code bytes[k]} is set, a byte array.
 */
public final class KeyRow {
  public final long[] longs;
  public final double[] doubles;
  public final long[] addresses;
  public final int[] lengths;
  public final byte[][] bytes;
  /**
   * A string key's {@link io.kiln.data.Bytes#pack} ({@code NULL_PACKED} when NULL), set
   * for every string key: a short string is matched by this one long.
   */
  public final long[] packed;
  public final boolean[] nulls;

  public KeyRow(int keys) {
    longs = new long[keys];
    doubles = new double[keys];
    addresses = new long[keys];
    lengths = new int[keys];
    bytes = new byte[keys][];
    packed = new long[keys];
    nulls = new boolean[keys];
  }
}
