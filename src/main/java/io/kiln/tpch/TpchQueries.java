package io.kiln.tpch;

import io.kiln.KilnException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The 22 TPC-H queries with the specification's validation parameters, shipped from the
 * repository's tpch/ folder inside the jar.
 */
public final class TpchQueries {
  public static final int COUNT = 22;

  private TpchQueries() {}

  public static String text(int n) {
    if (n < 1 || n > COUNT) {
      throw KilnException.binding("there is no TPC-H query " + n + " (1.." + COUNT + ")");
    }
    try (InputStream in = TpchQueries.class.getResourceAsStream("/tpch/q" + n + ".sql")) {
      if (in == null) {
        throw new IllegalStateException("tpch/q" + n + ".sql is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw KilnException.io("cannot read tpch/q" + n + ".sql", e);
    }
  }

  public static List<Integer> all() {
    List<Integer> out = new ArrayList<>();
    for (int i = 1; i <= COUNT; i++) {
      out.add(i);
    }
    return out;
  }
}
