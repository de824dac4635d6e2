package io.kiln.catalog;

import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table a third party serves as plain Arrow: a schema and batches of ordinary Arrow vectors
 * (Int32, Decimal128, DateDay, Utf8, ...), with no knowledge of Kiln's internal encoding; Kiln
 * converts each batch as it arrives. Register one with {@code Kiln.registerTable(name, source)}.
 * The source may be read by several threads at once, one partition each.
 */
public interface ArrowSource {
  /** The columns and their Arrow types; every batch has exactly the requested columns of it. */
  Schema schema();

  /** How many independent parts {@link #scan} can read, in parallel; 1 by default. */
  default int partitions() {
    return 1;
  }

  /**
   * Hands the batches of one partition to {@code out}, each holding the named columns (a subset
   * of the schema, in the order given; reading only them is the point of the projection). Each
   * batch is copied during the call, so the source keeps ownership and may reuse or close it
   * after {@code out} returns. {@code allocator} is there for the source's own vectors if it
   * wants it; vectors from elsewhere are fine too.
   */
  void scan(int partition, List<String> columns, BufferAllocator allocator, Consumer<VectorSchemaRoot> out);

  /** Rows in all partitions, if known, for planning (-1: unknown). */
  default long rowCount() {
    return -1;
  }
}
