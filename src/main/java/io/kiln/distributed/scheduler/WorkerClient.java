package io.kiln.distributed.scheduler;

import io.kiln.distributed.proto.ClusterProtos;

/**
 * The scheduler's calls to one registered worker, the Worker service of cluster.proto. A launch
 * only says the attempt started; how it ended comes back later as a task report. Production
 * reaches the worker over gRPC ({@link GrpcWorkerClient}); a simulation answers in this process.
 */
interface WorkerClient extends AutoCloseable {
  /** Starts a task attempt; throws, as a failed call does, when the worker cannot start it. */
  void launchTask(ClusterProtos.TaskDefinition task);

  /** Stops the query's tasks on the worker and deletes its shuffle files; refused if a newer leader than {@code leaderEpoch}'s is known. */
  void endQuery(String queryId, long leaderEpoch);

  /** The worker is gone or replaced: nothing more will be called. */
  @Override
  void close();

  /** Opens the client of a worker as it registers. */
  @FunctionalInterface
  interface Connector {
    WorkerClient connect(String workerId, String host, int port);
  }
}
