package io.kiln.datasource.parquet;

import java.io.IOException;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * A morsel whose I/O is done: its pages fetched (still compressed) and the rows to emit from them.
 * Decoding it needs no more reads. Closing it releases the pages and the file's stream.
 */
final class OpenMorsel implements AutoCloseable {
  final ParquetFileReader reader;
  final PageReadStore pages;
  final RowSelection rows;
  final PageOwnership ownership;

  OpenMorsel(ParquetFileReader reader, PageReadStore pages, RowSelection rows, PageOwnership ownership) {
    this.reader = reader;
    this.pages = pages;
    this.rows = rows;
    this.ownership = ownership;
  }

  @Override
  public void close() throws IOException {
    try {
      pages.close();
    } finally {
      reader.close();
    }
  }
}
