package io.kiln;

import io.kiln.error.KilnException;
import java.util.Locale;

/**
 * How pipelines run. Both modes execute the same physical pipelines, sinks and hash tables; only
 * the code between a pipeline's source and its sink differs.
 */
public enum ExecutionMode {
  /** Each pipeline is fused into one generated Java class compiled at run time (Janino). */
  COMPILED,
  /** Vectorized operators evaluate expressions batch by batch. */
  INTERPRETED;

  /** Parses a setting value ({@code compiled} or {@code interpreted}, any case). */
  public static ExecutionMode parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (ExecutionMode m : values()) {
      if (m.name().toLowerCase(Locale.ROOT).equals(v)) {
        return m;
      }
    }
    throw KilnException.binding("kiln.execution.mode must be 'compiled' or 'interpreted', got '" + value + "'");
  }
}
