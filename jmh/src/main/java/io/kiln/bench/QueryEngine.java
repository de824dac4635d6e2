package io.kiln.bench;

/** One engine holding the TPC-H tables in memory, running SQL to completion. */
interface QueryEngine extends AutoCloseable {
  /** Runs {@code sql} and returns its whole answer as Java values, so nothing is skipped. */
  Object run(String sql);

  @Override
  void close();
}
