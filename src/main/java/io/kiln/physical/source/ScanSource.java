package io.kiln.physical.source;

import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.catalog.TableProvider;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Source;
import java.util.List;

/** A table scan: the provider's morsels for the projected columns, with filters it may use to skip data. */
public final class ScanSource implements Source {
  private final TableProvider provider;
  private final ScanRequest request;
  private final int nodeId;
  private final String shown;

  public ScanSource(int nodeId, TableProvider provider, ScanRequest request, String shown) {
    this.nodeId = nodeId;
    this.provider = provider;
    this.request = request;
    this.shown = shown;
  }

  @Override
  public List<ScanTask> tasks(ExecContext ctx) {
    return provider.planScan(request.forWorkers(ctx.threads()));
  }

  @Override
  public int nodeId() {
    return nodeId;
  }

  @Override
  public String describe() {
    return "Scan " + shown + " [" + provider.describe() + "]"
        + (request.filters().isEmpty() ? "" : " pruning=" + request.filters());
  }
}
