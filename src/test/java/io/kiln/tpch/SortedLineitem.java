package io.kiln.tpch;

import io.trino.tpch.LineItem;
import io.trino.tpch.TpchTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes TPC-H lineitem sorted by {@code l_shipdate} with parquet-hadoop's default page and row
 * group sizes (so it has column and offset indexes, and date filters can skip pages). A measuring
 * aid for {@link ScanVersusDuckDb}: {@code SortedLineitem SCALE_FACTOR OUT_DIR}.
 */
public final class SortedLineitem {
  private SortedLineitem() {}

  public static void main(String[] args) throws Exception {
    double sf = Double.parseDouble(args[0]);
    Path out = Path.of(args[1]).resolve("lineitem.parquet");
    TpchTable<LineItem> table = TpchTable.LINE_ITEM;
    List<LineItem> rows = new ArrayList<>();
    for (LineItem l : table.createGenerator(sf, 1, 1)) {
      rows.add(l);
    }
    rows.sort(Comparator.comparingInt(LineItem::getShipDate));
    TpchParquetSchema<LineItem> schema = new TpchParquetSchema<>(table);
    TpchWriteSupport.Builder<LineItem> builder = new TpchWriteSupport.Builder<>(new LocalOutputFile(out), schema);
    for (String column : schema.uniqueTextColumns()) {
      builder.withDictionaryEncoding(column, false);
    }
    try (ParquetWriter<LineItem> writer = builder.withConf(new PlainParquetConfiguration())
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (LineItem l : rows) {
        writer.write(l);
      }
    }
    System.out.println("wrote " + rows.size() + " rows to " + out);
  }
}
