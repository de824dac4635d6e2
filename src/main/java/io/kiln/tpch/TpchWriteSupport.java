package io.kiln.tpch;

import io.trino.tpch.TpchEntity;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;

/** Feeds TPC-H entities to parquet-hadoop's writer through {@link TpchParquetSchema}. */
final class TpchWriteSupport<E extends TpchEntity> extends WriteSupport<E> {
  private final TpchParquetSchema<E> schema;
  private RecordConsumer consumer;

  TpchWriteSupport(TpchParquetSchema<E> schema) {
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
  public void write(E entity) {
    schema.write(consumer, entity);
  }

  /** parquet-hadoop has no builder that takes a plain {@link OutputFile}; this is the small one. */
  static final class Builder<E extends TpchEntity> extends ParquetWriter.Builder<E, Builder<E>> {
    private final TpchParquetSchema<E> schema;

    Builder(OutputFile file, TpchParquetSchema<E> schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder<E> self() {
      return this;
    }

    @Override
    protected WriteSupport<E> getWriteSupport(Configuration conf) {
      return new TpchWriteSupport<>(schema);
    }

    @Override
    protected WriteSupport<E> getWriteSupport(ParquetConfiguration conf) {
      return new TpchWriteSupport<>(schema);
    }
  }
}
