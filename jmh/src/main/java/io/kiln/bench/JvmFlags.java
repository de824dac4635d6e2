package io.kiln.bench;

/**
 * The JVM flags every forked benchmark JVM needs, as constants so {@code @Fork(jvmArgsAppend = ...)}
 * can name them. They are the engine's own flags (see the surefire argLine in pom.xml) plus the two
 * that turn off Arrow's per-access bounds and null checks, as a production deployment would.
 */
final class JvmFlags {
  /** Arrow reads buffer addresses through java.nio internals. */
  static final String ADD_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";
  /** Chosen explicitly rather than by whichever allocator comes first on the classpath. */
  static final String UNSAFE_ALLOCATOR = "-Darrow.allocation.manager.type=Unsafe";
  static final String UNSAFE_ACCESS = "-Darrow.enable_unsafe_memory_access=true";
  static final String NO_NULL_CHECK_FOR_GET = "-Darrow.enable_null_check_for_get=false";

  /** Micro benchmarks hold one 4 M-row table; the TPC-H ones hold SF 1 in memory (Arrow memory is off-heap). */
  static final String MICRO_HEAP = "-Xmx4g";
  static final String QUERY_HEAP = "-Xmx10g";

  private JvmFlags() {}
}
