package io.kiln.distributed.shuffle;

import io.kiln.catalog.ScanTask;
import io.kiln.data.Batch;
import io.kiln.error.KilnException;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Source;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The rows of one partition of an earlier stage's output: one morsel per map task, each fetched
 * over Flight from the worker that wrote it. A fetch that fails is a {@link FetchFailedException}
 * naming the map output.
 */
public final class ShuffleInputSource implements Source {
  private final ShuffleClients clients;
  private final List<ShuffleLocation> maps;
  private final int partition;
  private final int nodeId;
  private final String shown;

  public ShuffleInputSource(ShuffleClients clients, List<ShuffleLocation> maps, int partition, int nodeId,
      String shown) {
    this.clients = clients;
    this.maps = List.copyOf(maps);
    this.partition = partition;
    this.nodeId = nodeId;
    this.shown = shown;
  }

  @Override
  public List<ScanTask> tasks(ExecContext ctx) {
    return maps.stream().<ScanTask>map(m -> new Fetch(m, ctx)).toList();
  }

  private final class Fetch implements ScanTask {
    private final ShuffleLocation map;
    private final ExecContext ctx;

    Fetch(ShuffleLocation map, ExecContext ctx) {
      this.map = map;
      this.ctx = ctx;
    }

    @Override
    public void run(BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop) {
      // the fetch's span is current while it runs, so the Flight call's own span (and the serving
      // worker's) nest under it
      Span span = ctx.span("shuffle fetch");
      span.setAttribute("kiln.from", map.host() + ":" + map.port());
      span.setAttribute("kiln.map", map.toString());
      span.setAttribute("kiln.partition", partition);
      long[] rowsAndBytes = new long[2];
      try (Scope ignored = span.makeCurrent()) {
        fetch(allocator, out, stop, rowsAndBytes);
      } catch (RuntimeException e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
        throw e;
      } finally {
        span.setAttribute("kiln.rows", rowsAndBytes[0]);
        span.setAttribute("kiln.bytes", rowsAndBytes[1]);
        span.end();
      }
    }

    private void fetch(BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop, long[] rowsAndBytes) {
      FlightStream stream;
      try {
        stream = clients.client(map.host(), map.port()).getStream(new Ticket(map.ticket(partition)));
      } catch (FlightRuntimeException e) {
        throw new FetchFailedException(map, partition, e);
      }
      try (FlightStream s = stream) { // closing cancels and drains a stream we stopped reading
        while (!stop.getAsBoolean() && s.next()) {
          VectorSchemaRoot root = s.getRoot();
          int rows = root.getRowCount();
          if (rows == 0) {
            continue;
          }
          ValueVector[] columns = new ValueVector[root.getFieldVectors().size()];
          long bytes = 0;
          for (int c = 0; c < columns.length; c++) {
            TransferPair move = root.getVector(c).getTransferPair(allocator);
            move.transfer();
            columns[c] = move.getTo();
            bytes += columns[c].getBufferSize();
          }
          clients.fetched(bytes);
          rowsAndBytes[0] += rows;
          rowsAndBytes[1] += bytes;
          out.accept(new Batch(columns, rows));
        }
      } catch (FlightRuntimeException e) {
        throw new FetchFailedException(map, partition, e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw KilnException.cluster("cannot close the shuffle stream of " + map, e);
      }
    }
  }

  @Override
  public int nodeId() {
    return nodeId;
  }

  @Override
  public String describe() {
    return shown;
  }
}
