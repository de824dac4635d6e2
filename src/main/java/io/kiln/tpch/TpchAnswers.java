package io.kiln.tpch;

import io.kiln.KilnException;
import io.kiln.Result;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a TPC-H result against the SF 0.01 answers shipped in io.trino.tpch
 * ({@code io/trino/tpch/queries/qN.result}). Numbers are compared at the precision the answer
 * prints (rounding half up), so 25.575155 matches 25.58.
 */
public final class TpchAnswers {
  private TpchAnswers() {}

  /** Mismatch messages; empty when the result matches. */
  public static List<String> check(int query, Result actual) {
    List<String[]> expected = expected(query);
    List<String> problems = new ArrayList<>();
    if (expected.size() != actual.rowCount()) {
      problems.add("q" + query + ": expected " + expected.size() + " rows, got " + actual.rowCount());
      return problems;
    }
    for (int r = 0; r < expected.size(); r++) {
      String[] want = expected.get(r);
      Object[] got = actual.rows().get(r);
      if (want.length != got.length) {
        problems.add("q" + query + " row " + (r + 1) + ": expected " + want.length + " columns, got " + got.length);
        continue;
      }
      for (int c = 0; c < want.length; c++) {
        if (!matches(want[c], got[c])) {
          problems.add("q" + query + " row " + (r + 1) + " column " + actual.columnNames().get(c) + ": expected "
              + want[c] + ", got " + got[c]);
        }
      }
    }
    return problems;
  }

  static boolean matches(String want, Object got) {
    if (got == null) {
      return want.equalsIgnoreCase("null");
    }
    if (got instanceof Number) {
      BigDecimal w;
      try {
        w = new BigDecimal(want.trim());
      } catch (NumberFormatException e) {
        return false;
      }
      BigDecimal g = got instanceof BigDecimal ? (BigDecimal) got : new BigDecimal(got.toString());
      int scale = Math.max(0, w.scale());
      return g.setScale(scale, RoundingMode.HALF_UP).compareTo(w) == 0
          || g.subtract(w).abs().compareTo(w.abs().multiply(new BigDecimal("1e-9")).max(BigDecimal.valueOf(1, scale))) <= 0;
    }
    return want.trim().equals(got.toString().trim());
  }

  static List<String[]> expected(int query) {
    String path = "/io/trino/tpch/queries/q" + query + ".result";
    try (InputStream in = TpchAnswers.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from io.trino.tpch");
      }
      List<String[]> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("--") || line.isEmpty()) {
          continue;
        }
        String body = line.endsWith("|") ? line.substring(0, line.length() - 1) : line;
        rows.add(body.split("\\|", -1));
      }
      return rows;
    } catch (IOException e) {
      throw KilnException.io("cannot read " + path, e);
    }
  }
}
