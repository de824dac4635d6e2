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
 * Where a worker keeps its map outputs: {@code workDir/<query>/s<stage>/t<task>a<attempt>/p<partition>.arrow},
 * one Arrow IPC stream per partition. A task writes into a hidden directory and renames it into
 * place when it succeeds, so a served output is always complete.
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

  Path taskDir(String queryId, int stage, int task, int attempt) {
    checkQueryId(queryId);
    return workDir.resolve(queryId).resolve("s" + stage).resolve("t" + task + "a" + attempt);
  }

  /** The directory a running attempt writes into, renamed to {@link #taskDir} when it succeeds. */
  Path pendingDir(String queryId, int stage, int task, int attempt) {
    checkQueryId(queryId);
    return workDir.resolve(queryId).resolve("s" + stage).resolve(".t" + task + "a" + attempt + ".pending");
  }

  static Path partitionFile(Path taskDir, int partition) {
    return taskDir.resolve("p" + partition + ".arrow");
  }

  /** The file of a finished output's partition, or null when this worker has no such output. */
  Path finishedPartition(ShuffleLocation.PartitionRef ref) {
    Path file = partitionFile(taskDir(ref.queryId(), ref.stage(), ref.task(), ref.attempt()), ref.partition());
    return Files.isRegularFile(file) ? file : null;
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
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
