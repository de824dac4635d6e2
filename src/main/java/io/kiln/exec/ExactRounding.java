package io.kiln.exec;

import org.apache.arrow.memory.rounding.RoundingPolicy;

/**
 * Arrow's default policy rounds every request below 16 MiB up to a power of two, because its
 * Netty pool does. Kiln allocates through Unsafe (malloc), which takes any size, so the default
 * only inflated the accounting: a 32 Ki-row BIGINT vector (256 KiB of values plus 4 KiB of
 * validity) was charged 512 KiB against the memory limit. Rounding to a cache line keeps buffers
 * aligned for vector loads and charges what is really used.
 */
public final class ExactRounding implements RoundingPolicy {
  public static final ExactRounding INSTANCE = new ExactRounding();
  private static final long LINE = 64;

  private ExactRounding() {}

  @Override
  public long getRoundedSize(long requestSize) {
    return (requestSize + LINE - 1) & -LINE;
  }
}
