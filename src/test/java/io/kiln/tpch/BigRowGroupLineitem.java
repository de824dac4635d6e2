package io.kiln.tpch;

import io.trino.tpch.LineItem;
import io.trino.tpch.TpchTable;
import java.nio.file.Path;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes TPC-H lineitem in generation order with parquet-hadoop and row groups of a given size, as
 * Spark and parquet-mr write them (128 MB gives two row groups at SF1; 512 MB one of 6 million
 * rows). A measuring aid for slicing row groups into morsels:
 * {@code BigRowGroupLineitem SCALE_FACTOR OUT_FILE ROW_GROUP_MB}.
 */
public final class BigRowGroupLineitem {
  private BigRowGroupLineitem() {}

  public static void main(String[] args) throws Exception {
    double sf = Double.parseDouble(args[0]);
    Path out = Path.of(args[1]);
    long rowGroupBytes = Long.parseLong(args[2]) << 20;
    TpchTable<LineItem> table = TpchTable.LINE_ITEM;
    TpchParquetSchema<LineItem> schema = new TpchParquetSchema<>(table);
    TpchWriteSupport.Builder<LineItem> builder = new TpchWriteSupport.Builder<>(new LocalOutputFile(out), schema);
    for (String column : schema.uniqueTextColumns()) {
      builder.withDictionaryEncoding(column, false);
    }
    long rows = 0;
    try (ParquetWriter<LineItem> writer = builder.withConf(new PlainParquetConfiguration())
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).withCompressionCodec(CompressionCodecName.SNAPPY)
        .withRowGroupSize(rowGroupBytes).build()) {
      for (LineItem l : table.createGenerator(sf, 1, 1)) {
        writer.write(l);
        rows++;
      }
    }
    System.out.println("wrote " + rows + " rows to " + out);
  }
}
