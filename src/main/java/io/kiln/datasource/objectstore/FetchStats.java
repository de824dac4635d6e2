package io.kiln.datasource.objectstore;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a store fetched: data requests (range GETs), metadata requests (LIST, HEAD), bytes received
 * and retries. Thread-safe; take a {@link #snapshot()} before and after a query to see its share.
 */
public final class FetchStats {
  private final AtomicLong getRequests = new AtomicLong();
  private final AtomicLong metadataRequests = new AtomicLong();
  private final AtomicLong bytesFetched = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();

  void recordGet(long bytes) {
    getRequests.incrementAndGet();
    bytesFetched.addAndGet(bytes);
  }

  void recordMetadataRequest() {
    metadataRequests.incrementAndGet();
  }

  void recordRetry() {
    retries.incrementAndGet();
  }

  public Snapshot snapshot() {
    return new Snapshot(getRequests.get(), metadataRequests.get(), bytesFetched.get(), retries.get());
  }

  /** Counts at one moment; {@link #minus} gives what happened between two. */
  public record Snapshot(long getRequests, long metadataRequests, long bytesFetched, long retries) {
    public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0);

    public Snapshot minus(Snapshot earlier) {
      return new Snapshot(getRequests - earlier.getRequests, metadataRequests - earlier.metadataRequests,
          bytesFetched - earlier.bytesFetched, retries - earlier.retries);
    }

    /** All requests, data and metadata (failed tries that were retried included). */
    public long requests() {
      return getRequests + metadataRequests;
    }
  }
}
