package io.kiln.types;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The engine's encoding of TIMESTAMP: microseconds since 1970-01-01T00:00 UTC in a long. It lives
 * with the types, not with the vectors, because casts and literals need it without any Arrow.
 */
public final class Timestamps {
  private Timestamps() {}

  public static long toMicros(LocalDateTime t) {
    return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000;
  }

  public static LocalDateTime fromMicros(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
    return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
  }
}
