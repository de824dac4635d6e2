package io.kiln;

import io.kiln.catalog.TableProvider;
import java.nio.file.Path;

/** An embedded Kiln session. Skeleton: the engine behind it lands in the next commits. */
public final class Kiln implements AutoCloseable {
  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    int threads = Runtime.getRuntime().availableProcessors();
    long memoryLimit = Long.MAX_VALUE;

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public Builder memoryLimit(long bytes) {
      this.memoryLimit = bytes;
      return this;
    }

    public Kiln build() {
      return new Kiln();
    }
  }

  public void registerTable(String name, TableProvider provider) {
    throw new UnsupportedOperationException("engine not landed yet");
  }

  public void registerParquet(String name, Path path) {
    throw new UnsupportedOperationException("engine not landed yet");
  }

  public void registerCsv(String name, Path path) {
    throw new UnsupportedOperationException("engine not landed yet");
  }

  /** Runs one or more ;-separated statements and returns the last one's result. */
  public Result execute(String sql) {
    throw new UnsupportedOperationException("engine not landed yet");
  }

  @Override
  public void close() {}
}
