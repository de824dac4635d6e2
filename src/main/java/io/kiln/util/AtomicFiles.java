package io.kiln.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Files that appear whole or not at all: the content is written to a hidden temporary file in the
 * target's folder (same file system, so the rename is atomic; not named like the target, so
 * readers of the folder never pick it up half-written), then renamed over the target. If writing
 * fails the temporary file is deleted and the target is left as it was.
 */
public final class AtomicFiles {
  /** Writes a file's whole content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path temp) throws Exception;
  }

  private AtomicFiles() {}

  /**
   * Writes {@code target} through {@code content}; any exception {@code content} throws is
   * rethrown (checked ones wrapped in {@link IOException}) after the temporary file is removed.
   */
  public static void write(Path target, Content content) throws IOException {
    // Not Files.createTempFile: that makes the final file owner-only (0600).
    Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      content.writeTo(temp);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (Exception | Error e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      if (e instanceof Error) {
        throw (Error) e;
      }
      if (e instanceof IOException) {
        throw (IOException) e;
      }
      throw new IOException(e);
    }
  }
}
