package io.kiln.tpcds;

import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;

/** Feeds generated TPC-DS rows (lists of text values) to parquet-hadoop's writer through {@link TpcdsParquetSchema}. */
final class TpcdsWriteSupport extends WriteSupport<List<String>> {
  private final TpcdsParquetSchema schema;
  private RecordConsumer consumer;

  TpcdsWriteSupport(TpcdsParquetSchema schema) {
    this.schema = schema;
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema.schema(), Map.of());
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(schema.schema(), Map.of());
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(List<String> row) {
    schema.write(consumer, row);
  }

  /** parquet-hadoop has no builder that takes a plain {@link OutputFile}; this is the small one. */
  static final class Builder extends ParquetWriter.Builder<List<String>, Builder> {
    private final TpcdsParquetSchema schema;

    Builder(OutputFile file, TpcdsParquetSchema schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<List<String>> getWriteSupport(Configuration conf) {
      return new TpcdsWriteSupport(schema);
    }

    @Override
    protected WriteSupport<List<String>> getWriteSupport(ParquetConfiguration conf) {
      return new TpcdsWriteSupport(schema);
    }
  }
}
