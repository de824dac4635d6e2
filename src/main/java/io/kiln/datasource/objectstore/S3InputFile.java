package io.kiln.datasource.objectstore;

import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/** An S3 object as parquet's {@link InputFile}; its length comes from the listing, not a request. */
final class S3InputFile implements InputFile {
  private final S3Store store;
  private final S3Location location;
  private final long length;
  private final String etag;

  S3InputFile(S3Store store, S3Location location, long length, String etag) {
    this.store = store;
    this.location = location;
    this.length = length;
    this.etag = etag;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() {
    return new S3InputStream(store, location, length, etag);
  }

  @Override
  public String toString() {
    return location.toString();
  }
}
