package io.kiln.testing;

import io.kiln.Kiln;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Counters that EXPLAIN ANALYZE prints as {@code name=N} on its node lines. */
public final class ExplainCounters {
  private ExplainCounters() {}

  /** Runs {@code sql} under EXPLAIN ANALYZE and sums counter {@code name} over every node that shows it. */
  public static long sum(Kiln kiln, String sql, String name) {
    return sum(kiln, sql, name, "");
  }

  /** {@link #sum} over the node lines that contain {@code node} (e.g. "HashJoin"). */
  public static long sum(Kiln kiln, String sql, String name, String node) {
    Pattern counter = Pattern.compile(Pattern.quote(name) + "=(\\d+)");
    long total = 0;
    for (Object[] line : kiln.execute("EXPLAIN ANALYZE " + sql).rows()) {
      if (!((String) line[0]).contains(node)) {
        continue;
      }
      Matcher m = counter.matcher((String) line[0]);
      while (m.find()) {
        total += Long.parseLong(m.group(1));
      }
    }
    return total;
  }
}
