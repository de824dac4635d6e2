package io.kiln.datasource.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import org.junit.jupiter.api.Test;

class S3LocationTest {
  @Test
  void parsesBucketAndKey() {
    assertEquals(new S3Location("b", "dir/x.parquet"), S3Location.parse("s3://b/dir/x.parquet"));
    assertFalse(S3Location.parse("s3://b/dir/x.parquet").isPrefix());
    assertTrue(S3Location.parse("s3://b/dir/").isPrefix());
    assertTrue(S3Location.parse("s3://b").isPrefix());
    assertEquals("s3://b/dir/", S3Location.parse("s3://b/dir/").toString());
    assertTrue(S3Location.isS3("S3://b/k"));
    assertFalse(S3Location.isS3("data/s3/x.parquet"));
  }

  @Test
  void badUrisAreClearErrors() {
    KilnException e = assertThrows(KilnException.class, () -> S3Location.parse("s3:///key"));
    assertEquals(KilnException.Kind.IO, e.kind());
    assertTrue(e.getMessage().contains("s3:///key"), e.getMessage());
    assertThrows(KilnException.class, () -> S3Location.parse("s3://Upper/key"));
  }
}
