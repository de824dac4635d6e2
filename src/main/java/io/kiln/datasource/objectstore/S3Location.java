package io.kiln.datasource.objectstore;

import io.kiln.error.KilnException;
import java.util.Locale;

/** A parsed {@code s3://bucket/key} URI; the key may be empty (the whole bucket) or end in '/'. */
public record S3Location(String bucket, String key) {
  public static final String SCHEME = "s3://";

  public static boolean isS3(String location) {
    return location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
  }

  public static S3Location parse(String uri) {
    if (!isS3(uri)) {
      throw KilnException.io("not an S3 URI: " + uri + " (expected s3://bucket/key)", null);
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    if (bucket.isEmpty() || !bucket.equals(bucket.toLowerCase(Locale.ROOT)) || bucket.contains(" ")) {
      throw KilnException.io("bad S3 URI " + uri + ": expected s3://bucket/key with a lower-case bucket name", null);
    }
    return new S3Location(bucket, key);
  }

  /** A prefix (folder) rather than one object: the bucket itself or a key ending in '/'. */
  public boolean isPrefix() {
    return key.isEmpty() || key.endsWith("/");
  }

  public S3Location child(String childKey) {
    return new S3Location(bucket, childKey);
  }

  @Override
  public String toString() {
    return SCHEME + bucket + "/" + key;
  }
}
