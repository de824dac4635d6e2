package io.kiln.physical.window;

import io.kiln.physical.sink.RowComparator;

/**
 * A stable merge sort of row numbers by a {@link RowComparator}, on plain {@code int[]}: sorting
 * boxed Integers costs an object per row and an unboxing per comparison, which dominate a window
 * over millions of rows.
 */
final class StableRowSort {
  /** Runs this short are sorted by insertion first. */
  private static final int INSERTION = 24;

  private StableRowSort() {}

  /** The row numbers 0..n-1 in the comparator's order, equal rows in their input order. */
  static int[] sort(int n, RowComparator by) {
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    int[] scratch = new int[n];
    for (int from = 0; from < n; from += INSERTION) {
      insertion(rows, from, Math.min(n, from + INSERTION), by);
    }
    int[] src = rows;
    int[] dst = scratch;
    for (int width = INSERTION; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(n, lo + width);
        int hi = Math.min(n, lo + 2 * width);
        merge(src, dst, lo, mid, hi, by);
      }
      int[] t = src;
      src = dst;
      dst = t;
    }
    return src;
  }

  private static void insertion(int[] a, int from, int to, RowComparator by) {
    for (int i = from + 1; i < to; i++) {
      int v = a[i];
      int j = i - 1;
      while (j >= from && by.compareRows(a[j], v) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }

  private static void merge(int[] src, int[] dst, int lo, int mid, int hi, RowComparator by) {
    if (mid >= hi || by.compareRows(src[mid - 1], src[mid]) <= 0) {
      System.arraycopy(src, lo, dst, lo, hi - lo);
      return;
    }
    int i = lo;
    int j = mid;
    for (int k = lo; k < hi; k++) {
      // Ties take the left run first: stable.
      if (j >= hi || (i < mid && by.compareRows(src[i], src[j]) <= 0)) {
        dst[k] = src[i++];
      } else {
        dst[k] = src[j++];
      }
    }
  }
}
