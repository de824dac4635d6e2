package io.kiln.tpcds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The 99 TPC-DS query texts, shipped in the jar under {@code tpcds/qN.sql}. */
public final class TpcdsQueries {
  public static final int COUNT = 99;
  private static final List<Integer> ALL =
      IntStream.rangeClosed(1, COUNT).boxed().collect(Collectors.toUnmodifiableList());

  private TpcdsQueries() {}

  /** Query numbers 1 to 99, in order. */
  public static List<Integer> all() {
    return ALL;
  }

  /** The SQL text of query {@code n} (1–99). */
  public static String text(int n) {
    if (n < 1 || n > COUNT) {
      throw new IllegalArgumentException("TPC-DS has queries 1 to 99, not " + n);
    }
    String resource = "tpcds/q" + n + ".sql";
    try (InputStream in = TpcdsQueries.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
