package io.kiln.distributed.shuffle;

import io.kiln.error.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a worker keeps its map outputs: per map task attempt, one data file of Arrow IPC messages
 * and its {@link ShuffleIndex}, in {@code workDir/<query>/s<stage>/}. Files are written under a
 * hidden name and renamed into place, the index last, so a served output is always complete.
 */
public final class ShuffleFiles {
  private static final Pattern QUERY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Path workDir;

  public ShuffleFiles(Path workDir) {
    this.workDir = workDir;
  }

  public Path workDir() {
    return workDir;
  }

  /** Query ids become directory names: nothing that could climb out of the work directory. */
  public static void checkQueryId(String queryId) {
    if (!QUERY_ID.matcher(queryId).matches()) {
      throw KilnException.execution("'" + queryId + "' is not a query id (letters, digits, '-' and '_', at most 64)");
    }
  }

  private Path stageDir(String queryId, int stage) {
    checkQueryId(queryId);
    return workDir.resolve(queryId).resolve("s" + stage);
  }

  /** A map task's data file: every partition's batches, each partition's in the order written. */
  Path dataFile(String queryId, int stage, int task, int attempt) {
    return stageDir(queryId, stage).resolve("t" + task + "a" + attempt + ".data");
  }

  /** The index of {@link #dataFile}; written last, so an output with an index is complete. */
  Path indexFile(String queryId, int stage, int task, int attempt) {
    return stageDir(queryId, stage).resolve("t" + task + "a" + attempt + ".index");
  }

  /** Where a file is written before it is renamed into place. */
  static Path pending(Path file) {
    return file.resolveSibling("." + file.getFileName() + ".pending");
  }

  /** The finished output a ticket names, or null when this worker has none. */
  Path finishedIndex(ShuffleLocation.PartitionRef ref) {
    Path index = indexFile(ref.queryId(), ref.stage(), ref.task(), ref.attempt());
    return Files.isRegularFile(index) ? index : null;
  }

  /** Removes every output of a query (it ended). */
  public void deleteQuery(String queryId) {
    checkQueryId(queryId);
    deleteTree(workDir.resolve(queryId));
  }

  /** Removes every output; the work directory itself stays. */
  public void deleteAll() {
    try (Stream<Path> children = Files.list(workDir)) {
      children.forEach(ShuffleFiles::deleteTree);
    } catch (NoSuchFileException e) {
      // nothing was ever written
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + workDir, e);
    }
  }

  static void deleteTree(Path root) {
    // A task's sink may delete its unfinished files, or another end of the same query the whole
    // tree, while this walks it: an entry that vanished between listing and visit is walked again.
    for (int attempt = 1; ; attempt++) {
      try {
        io.kiln.util.FileTrees.delete(root);
        return;
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException) || attempt == 3) {
          throw e;
        }
      }
    }
  }
}
