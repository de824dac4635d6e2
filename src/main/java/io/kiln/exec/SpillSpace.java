package io.kiln.exec;

import io.kiln.error.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where one query's operators spill when their state outgrows the memory limit: a directory made
 * on first use under the session's spill directory, deleted with every file in it when the query
 * ends, whether it succeeded, failed or was cancelled.
 */
public final class SpillSpace implements AutoCloseable {
  private final Path parent;
  private final LongAdder sessionBytes;
  private final LongAdder bytes = new LongAdder();
  private Path directory;
  private int files;
  private boolean closed;

  /** {@code sessionBytes}: the session's or worker's running total, which this query's spills add to. */
  public SpillSpace(Path parent, LongAdder sessionBytes) {
    this.parent = parent;
    this.sessionBytes = sessionBytes;
  }

  /** A path for a new spill file of {@code owner} (an operator's description, for errors). */
  public synchronized Path newFile(String owner) {
    if (closed) {
      throw new IllegalStateException(owner + " asked for a spill file after its query ended");
    }
    if (directory == null) {
      try {
        Files.createDirectories(parent);
        directory = Files.createTempDirectory(parent, "kiln-spill-");
      } catch (IOException e) {
        throw new KilnException(KilnException.Kind.RESOURCE, owner + " needs to spill, but no spill directory could be made in "
            + parent + ": " + e, e);
      }
    }
    return directory.resolve("spill-" + files++ + ".arrows");
  }

  /** Counts bytes written to a spill file. */
  public void wrote(long n) {
    bytes.add(n);
    sessionBytes.add(n);
  }

  /** Bytes this query spilled so far. */
  public long bytes() {
    return bytes.sum();
  }

  /** The query's spill directory, or null while nothing spilled. */
  public synchronized Path directory() {
    return directory;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (directory == null) {
      return;
    }
    try (DirectoryStream<Path> left = Files.newDirectoryStream(directory)) {
      for (Path file : left) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the spill directory " + directory, e);
    }
  }
}
