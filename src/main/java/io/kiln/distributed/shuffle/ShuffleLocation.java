package io.kiln.distributed.shuffle;

import io.kiln.error.KilnException;
import java.nio.charset.StandardCharsets;

/**
 * Where one attempt of one map task left its output: the worker serving it and the task's ids.
 * A partition of it is fetched with the Flight ticket {@link #ticket(int)}.
 */
public record ShuffleLocation(String host, int port, String queryId, int stage, int task, int attempt) {

  /** The ids a ticket names: one partition of one map task's output. */
  public record PartitionRef(String queryId, int stage, int task, int attempt, int partition) {
    @Override
    public String toString() {
      return "query " + queryId + " stage " + stage + " task " + task + " attempt " + attempt + " partition "
          + partition;
    }
  }

  public byte[] ticket(int partition) {
    return (queryId + "/" + stage + "/" + task + "/" + attempt + "/" + partition).getBytes(StandardCharsets.UTF_8);
  }

  /** The partition a ticket asks for; a clear error for a ticket Kiln did not make. */
  public static PartitionRef parseTicket(byte[] ticket) {
    String text = new String(ticket, StandardCharsets.UTF_8);
    String[] parts = text.split("/", -1);
    if (parts.length != 5) {
      throw KilnException.execution("'" + text + "' is not a shuffle ticket (query/stage/task/attempt/partition)");
    }
    ShuffleFiles.checkQueryId(parts[0]);
    try {
      PartitionRef ref = new PartitionRef(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
          Integer.parseInt(parts[3]), Integer.parseInt(parts[4]));
      if (ref.stage() < 0 || ref.task() < 0 || ref.attempt() < 0 || ref.partition() < 0) {
        throw KilnException.execution("shuffle ticket '" + text + "' has a negative id");
      }
      return ref;
    } catch (NumberFormatException e) {
      throw KilnException.execution("shuffle ticket '" + text + "' has an id that is not a number");
    }
  }

  @Override
  public String toString() {
    return host + ":" + port + " (query " + queryId + " stage " + stage + " task " + task + " attempt " + attempt
        + ")";
  }
}
