package io.kiln.datasource.objectstore;

import java.util.List;
import java.util.Optional;
import org.apache.parquet.io.InputFile;

/**
 * Where table files live: local disk or an S3 bucket. Parquet reads everything through the
 * {@link InputFile}s a store opens, so the Parquet reader does not know which one it reads from.
 */
public interface ObjectStore {
  /**
   * The Parquet files at a location: the file or object itself, or, for a folder or prefix, every
   * {@code *.parquet} directly in it, sorted by name (a local store also takes a glob pattern, such
   * as {@code dir/*.parquet}; {@code **} crosses folders). Fails with a KilnException (kind IO) naming
   * the location if there is nothing to read.
   */
  List<StoredFile> listParquetFiles(String location);

  /** Opens a listed file for reading; no I/O happens until the first read. */
  InputFile open(StoredFile file);

  /**
   * Bytes a morsel should fetch at least, so that its requests' latency is paid for by what they
   * bring; 0 where reads cost no round trip (local files).
   */
  default long minMorselBytes() {
    return 0;
  }

  /**
   * Whether scans fetch the next morsels' bytes while workers decode earlier ones, and how; empty
   * when that does not pay.
   */
  default Optional<ReadAhead> readAhead() {
    return Optional.empty();
  }
}
