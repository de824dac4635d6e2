package io.kiln.observe;

import java.util.List;

/**
 * One step of a query as the dashboard draws it: a stage on a cluster, a pipeline in a session.
 * {@code inputs} are the ids of the steps it reads, the edges of the query's DAG.
 */
public record StageView(int id, String label, List<Integer> inputs, int tasksDone, int tasksTotal, long rows,
    long bytes) {
  public StageView {
    inputs = List.copyOf(inputs);
  }
}
