package io.kiln.tpch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The 22 TPC-H query texts, shipped in the jar under {@code tpch/qN.sql}. */
public final class TpchQueries {
  private static final List<Integer> ALL =
      IntStream.rangeClosed(1, 22).boxed().collect(Collectors.toUnmodifiableList());

  private TpchQueries() {}

  /** Query numbers 1 to 22, in order. */
  public static List<Integer> all() {
    return ALL;
  }

  /** The SQL text of query {@code n} (1–22). */
  public static String text(int n) {
    if (n < 1 || n > 22) {
      throw new IllegalArgumentException("TPC-H has queries 1 to 22, not " + n);
    }
    String resource = "tpch/q" + n + ".sql";
    try (InputStream in = TpchQueries.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
