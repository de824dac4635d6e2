package io.kiln.distributed;

import io.kiln.catalog.TableProvider;
import io.kiln.datasource.csv.CsvOptions;
import io.kiln.datasource.csv.CsvTable;
import io.kiln.datasource.objectstore.S3Config;
import io.kiln.datasource.objectstore.S3Location;
import io.kiln.datasource.objectstore.S3Store;
import io.kiln.datasource.parquet.ParquetTable;
import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.error.KilnException;
import io.kiln.physical.plan.TableResolver;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of one query as a cluster process opens them: from the paths (or s3:// URIs) the
 * client registered, which every worker can read. A process opens each table once per query and
 * keeps it (its footers) until the query ends.
 */
public final class TableDefinitions implements TableResolver, AutoCloseable {
  private final Map<String, ClusterProtos.TableDefinition> definitions = new HashMap<>();
  private final Map<String, TableProvider> opened = new HashMap<>();
  /** One store per way of reaching S3 that the query's tables name (almost always one). */
  private final Map<ClusterProtos.S3Access, S3Store> s3 = new HashMap<>();

  public TableDefinitions(List<ClusterProtos.TableDefinition> tables) {
    for (ClusterProtos.TableDefinition t : tables) {
      definitions.put(t.getName(), t);
    }
  }

  /** The definition a worker needs to open {@code table}, or a clear error for a table only this process has. */
  public static ClusterProtos.TableDefinition of(String name, TableProvider table) {
    ClusterProtos.TableDefinition.Builder b = ClusterProtos.TableDefinition.newBuilder().setName(name);
    if (table instanceof ParquetTable p) {
      b.setFormat(ClusterProtos.TableFormat.TABLE_FORMAT_PARQUET).setLocation(p.location());
      if (p.store() instanceof S3Store store) {
        b.setS3(access(store.config()));
      }
      return b.build();
    }
    if (table instanceof CsvTable c) {
      CsvOptions o = c.options();
      return b.setFormat(ClusterProtos.TableFormat.TABLE_FORMAT_CSV).setLocation(c.file().toString())
          .setCsv(ClusterProtos.CsvLayout.newBuilder().setNoHeader(!o.header())
              .setDelimiter(String.valueOf(o.delimiter())).setQuote(String.valueOf(o.quote())))
          .build();
    }
    throw KilnException.unsupported("table " + name + " (" + table.describe() + ") lives in this process only;"
        + " a cluster reads Parquet or CSV tables from paths or s3:// URIs every worker can read");
  }

  private static ClusterProtos.S3Access access(S3Config config) {
    ClusterProtos.S3Access.Builder a = ClusterProtos.S3Access.newBuilder().setPathStyle(config.pathStyle());
    config.endpoint().ifPresent(e -> a.setEndpoint(e.toString()));
    config.region().ifPresent(a::setRegion);
    return a.build();
  }

  @Override
  public synchronized TableProvider table(String name) {
    TableProvider t = opened.get(name);
    if (t == null) {
      ClusterProtos.TableDefinition d = definitions.get(name);
      if (d == null) {
        throw KilnException.binding("the plan reads table " + name + ", which the query did not define");
      }
      t = open(d);
      opened.put(name, t);
    }
    return t;
  }

  private TableProvider open(ClusterProtos.TableDefinition d) {
    switch (d.getFormat()) {
      case TABLE_FORMAT_PARQUET:
        if (S3Location.isS3(d.getLocation())) {
          return new ParquetTable(d.getLocation(), s3.computeIfAbsent(d.getS3(), TableDefinitions::s3Store));
        }
        return new ParquetTable(Path.of(d.getLocation()));
      case TABLE_FORMAT_CSV:
        return new CsvTable(Path.of(d.getLocation()), csvOptions(d.getCsv()));
      default:
        throw KilnException.unsupported("table " + d.getName() + " has format " + d.getFormat());
    }
  }

  private static CsvOptions csvOptions(ClusterProtos.CsvLayout layout) {
    CsvOptions o = CsvOptions.DEFAULT.withHeader(!layout.getNoHeader());
    if (!layout.getDelimiter().isEmpty()) {
      o = o.withDelimiter(layout.getDelimiter().charAt(0));
    }
    if (!layout.getQuote().isEmpty()) {
      o = o.withQuote(layout.getQuote().charAt(0));
    }
    return o;
  }

  private static S3Store s3Store(ClusterProtos.S3Access access) {
    S3Config.Builder config = S3Config.builder().pathStyle(access.getPathStyle());
    if (!access.getEndpoint().isEmpty()) {
      config.endpoint(java.net.URI.create(access.getEndpoint()));
    }
    if (!access.getRegion().isEmpty()) {
      config.region(access.getRegion());
    }
    return new S3Store(config.build());
  }

  @Override
  public synchronized void close() {
    opened.clear();
    s3.values().forEach(S3Store::close);
    s3.clear();
  }
}
