package io.kiln.observe;

import java.util.List;

/**
 * One step of a query as the dashboard draws it: a stage on a cluster, a pipeline in a session.
 * {@code inputs} are the ids of the steps it reads, the edges of the query's DAG. {@code rowsRead}
 * counts what its running tasks have read so far too, so it moves while a long task runs;
 * {@code rows} and {@code bytes} are what its finished tasks wrote.
 */
public record StageView(int id, String label, List<Integer> inputs, int tasksDone, int tasksTotal, long rowsRead,
    long rows, long bytes) {
  public StageView {
    inputs = List.copyOf(inputs);
  }
}
