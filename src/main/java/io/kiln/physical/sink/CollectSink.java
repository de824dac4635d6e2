package io.kiln.physical.sink;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import java.util.ArrayList;
import java.util.List;

/** Keeps every batch: query results and materialized intermediate results. */
public final class CollectSink implements Sink {
  private final List<Batch> batches = new ArrayList<>();

  private static final class CollectLocal implements Local {
    final List<Batch> batches = new ArrayList<>();

    @Override
    public void push(Batch batch) {
      if (batch.rowCount() == 0) {
        batch.close();
      } else {
        batches.add(batch);
      }
    }

    @Override
    public void close() {
      Batches.closeAll(batches);
    }
  }

  @Override
  public Local newLocal(ExecContext ctx) {
    return new CollectLocal();
  }

  @Override
  public void merge(Local local) {
    CollectLocal l = (CollectLocal) local;
    batches.addAll(l.batches);
    l.batches.clear();
  }

  /** The collected batches; ownership passes to the caller. */
  public List<Batch> take() {
    List<Batch> out = new ArrayList<>(batches);
    batches.clear();
    return out;
  }

  @Override
  public String describe() {
    return "Collect";
  }

  @Override
  public void close() {
    Batches.closeAll(batches);
    batches.clear();
  }
}
