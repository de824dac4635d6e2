package io.kiln;

import io.kiln.error.KilnException;
import io.kiln.exec.ExecContext;
import io.kiln.exec.MorselProgress;
import io.kiln.observe.KilnMetrics;
import io.kiln.observe.QueryBoard;
import io.kiln.observe.QueryOutcomes;
import io.kiln.observe.StageView;
import io.kiln.observe.WorkerView;
import io.kiln.observe.dashboard.DashboardServer;
import io.kiln.physical.BoundPipeline;
import io.kiln.physical.PipelineDag;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * An embedded session's dashboard ({@code Kiln.builder().dashboardPort(p)}): its SQL queries on a
 * {@link QueryBoard}, each pipeline shown as a step of the query's DAG with its morsels as tasks,
 * and the session itself as the one "worker".
 */
final class SessionDashboard implements AutoCloseable {
  /** Ended queries kept for the history page. */
  private static final int HISTORY = 200;

  private final QueryBoard board;
  private final DashboardServer server;

  SessionDashboard(int port, String traceUrl, KilnMetrics metrics, int threads, IntSupplier running,
      LongSupplier memory) {
    this.board = new QueryBoard(HISTORY, () -> List.of(new WorkerView("session", "in process", threads,
        running.getAsInt(), 0, memory.getAsLong(), false)));
    this.server = DashboardServer.start("127.0.0.1", port, board, metrics, traceUrl);
  }

  String url() {
    return server.url();
  }

  QueryBoard.Tracked start(String sql, Runnable cancel) {
    return board.start(sql, System.getProperty("user.name", ""), cancel);
  }

  /** Each pipeline of {@code dag} with its morsels run of planned and the rows its source produced so far. */
  static List<StageView> stages(PipelineDag dag, ExecContext ctx) {
    MorselProgress progress = ctx.progress();
    List<StageView> out = new ArrayList<>();
    for (BoundPipeline p : dag.pipelines()) {
      List<Integer> inputs = new ArrayList<>();
      for (BoundPipeline d : p.dependencies()) {
        inputs.add(d.id());
      }
      long rows = Math.max(0, ctx.rowCounts().rows(p.pipeline().source().nodeId()));
      out.add(new StageView(p.id(), p.pipeline().source().describe() + " -> " + p.sink().describe(), inputs,
          progress.ran(p.id()), progress.planned(p.id()), rows, rows, 0));
    }
    return out;
  }

  /** How a query's statements ended, for its entry: the outcome and, unless it succeeded, why. */
  static void ended(QueryBoard.Tracked tracked, RuntimeException error) {
    if (error == null) {
      tracked.ended(QueryOutcomes.SUCCEEDED, "");
    } else if (error instanceof KilnException && ((KilnException) error).kind() == KilnException.Kind.CANCELLED) {
      tracked.ended(QueryOutcomes.CANCELLED, error.getMessage());
    } else {
      tracked.ended(QueryOutcomes.FAILED, String.valueOf(error.getMessage()));
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
