package io.kiln.exec;

import io.kiln.catalog.ScanTask;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One pipeline of a query's DAG as the executor sees it: it starts once every pipeline it depends
 * on has finished, hands out its morsels, runs each on some worker thread's {@link Worker}, and
 * finishes once all its morsels ran.
 */
public interface PipelineTask {
  /** Unique within the query; dependencies have smaller ids. */
  int id();

  /** Pipelines that must finish before this one starts (a join's build side, a breaker's input). */
  List<? extends PipelineTask> dependencies();

  /** One line for EXPLAIN and errors. */
  String describe();

  /** The morsels to run, asked for once the dependencies have finished. */
  List<ScanTask> start(ExecContext ctx);

  /** A worker's state for this pipeline (operators, sink-local state); one worker runs one morsel at a time. */
  Worker newWorker(ExecContext ctx);

  /**
   * After the last morsel: absorbs every worker's state (on one thread) and completes what the
   * pipeline feeds. The executor closes the workers afterwards.
   */
  void finish(List<Worker> workers, ExecContext ctx);

  /** Whether what the pipeline feeds needs no more input (a LIMIT reached): its remaining morsels are skipped. */
  default boolean satisfied() {
    return false;
  }

  /** A pipeline's state on one worker thread at a time. */
  interface Worker extends AutoCloseable {
    /** Runs one morsel through the pipeline; returns early when {@code stop} says so. */
    void run(ScanTask morsel, BooleanSupplier stop);

    @Override
    void close();
  }
}
