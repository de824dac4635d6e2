package io.kiln.datasource.objectstore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plans the requests for a set of byte ranges of one object: ranges closer than {@code maxGap}
 * share a request (the gap is fetched and dropped, cheaper than another round trip), a request
 * grows to at most {@code maxRequest} bytes unless one range alone is larger, and each request is
 * cut into parts of at most {@code maxRequest} bytes that can be fetched in parallel.
 */
final class RangeCoalescer {
  private RangeCoalescer() {}

  /** A wanted range: {@code [offset, offset + length)}. */
  record Range(long offset, int length) {
    long end() {
      return offset + length;
    }
  }

  /** One merged request {@code [start, end)} and the ranges it serves. */
  record Request(long start, long end, List<Range> members) {
    int length() {
      return Math.toIntExact(end - start);
    }

    /** {@code [start, end)} cut into consecutive parts of at most {@code maxPart} bytes. */
    List<long[]> parts(int maxPart) {
      List<long[]> parts = new ArrayList<>();
      for (long at = start; at < end; at += maxPart) {
        parts.add(new long[] {at, Math.min(end, at + maxPart)});
      }
      return parts;
    }
  }

  static List<Request> plan(List<Range> ranges, int maxGap, int maxRequest) {
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(Range::offset).thenComparingLong(Range::end));
    List<Request> out = new ArrayList<>();
    long start = -1;
    long end = -1;
    List<Range> members = null;
    for (Range r : sorted) {
      if (r.length() < 0 || r.offset() < 0) {
        throw new IllegalArgumentException("bad range " + r);
      }
      long mergedEnd = Math.max(end, r.end());
      boolean fits = members != null && r.offset() - end <= maxGap && mergedEnd - start <= maxRequest;
      // Overlapping ranges are always merged: their bytes are needed either way.
      if (members != null && (fits || r.offset() < end) && mergedEnd - start < Integer.MAX_VALUE) {
        members.add(r);
        end = mergedEnd;
      } else {
        if (members != null) {
          out.add(new Request(start, end, members));
        }
        start = r.offset();
        end = r.end();
        members = new ArrayList<>();
        members.add(r);
      }
    }
    if (members != null) {
      out.add(new Request(start, end, members));
    }
    return out;
  }
}
