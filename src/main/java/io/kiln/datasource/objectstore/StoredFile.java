package io.kiln.datasource.objectstore;

/**
 * One file of a table as its store listed it: where it is (a local path or an {@code s3://} URI,
 * used in messages) and its length in bytes, known from the listing so opening it costs no request.
 */
public record StoredFile(String location, long length) {
  @Override
  public String toString() {
    return location;
  }
}
