package io.kiln.datasource.objectstore;

/**
 * One file of a table as its store listed it: where it is (a local path or an {@code s3://} URI,
 * used in messages), its length in bytes, known from the listing so opening it costs no request,
 * and, for objects, the version seen then (the S3 ETag; null for local files), so that reads of an
 * object replaced after its footer was read fail instead of mixing two versions.
 */
public record StoredFile(String location, long length, String version) {
  public StoredFile(String location, long length) {
    this(location, length, null);
  }

  @Override
  public String toString() {
    return location;
  }
}
