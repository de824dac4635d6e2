package io.kiln.physical.window;

import org.apache.arrow.vector.Float8Vector;

/**
 * A segment tree of count, sum, mean and sum of squared deviations (M2) over a DOUBLE column's
 * non-NULL values: sum, avg, variance and standard deviation of any frame in O(log n), merged
 * pairwise (Chan et al.), so a sliding frame never subtracts floating-point sums.
 */
final class MomentTree {
  private final int size;
  private final long[] count;
  private final double[] sum;
  private final double[] mean;
  private final double[] m2;

  /** A frame's moments, as {@link #query} leaves them. */
  long qCount;
  double qSum;
  double qMean;
  double qM2;

  MomentTree(Float8Vector v) {
    int n = v.getValueCount();
    int s = 1;
    while (s < n) {
      s <<= 1;
    }
    size = s;
    count = new long[2 * s];
    sum = new double[2 * s];
    mean = new double[2 * s];
    m2 = new double[2 * s];
    for (int p = 0; p < n; p++) {
      if (!v.isNull(p)) {
        double x = v.get(p);
        count[s + p] = 1;
        sum[s + p] = x;
        mean[s + p] = x;
      }
    }
    for (int i = s - 1; i >= 1; i--) {
      int l = 2 * i;
      int r = l + 1;
      count[i] = count[l] + count[r];
      sum[i] = sum[l] + sum[r];
      if (count[i] > 0) {
        double delta = mean[r] - mean[l];
        mean[i] = mean[l] + delta * count[r] / count[i];
        m2[i] = m2[l] + m2[r] + delta * delta * count[l] * count[r] / count[i];
      }
    }
  }

  /** Fills the q fields with the moments of [from, to), left to right. */
  void query(int from, int to) {
    qCount = 0;
    qSum = 0;
    qMean = 0;
    qM2 = 0;
    // Left nodes are merged in order on the left, right nodes collected and merged afterwards in order.
    int[] right = new int[64];
    int rights = 0;
    for (int l = from + size, r = to + size; l < r; l >>= 1, r >>= 1) {
      if ((l & 1) == 1) {
        add(l++);
      }
      if ((r & 1) == 1) {
        right[rights++] = --r;
      }
    }
    for (int i = rights - 1; i >= 0; i--) {
      add(right[i]);
    }
  }

  private void add(int node) {
    long c = count[node];
    if (c == 0) {
      return;
    }
    long total = qCount + c;
    double delta = mean[node] - qMean;
    qM2 = qM2 + m2[node] + delta * delta * qCount * c / total;
    qMean = qMean + delta * c / total;
    qSum += sum[node];
    qCount = total;
  }
}
