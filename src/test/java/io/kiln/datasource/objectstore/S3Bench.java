package io.kiln.datasource.objectstore;

import io.kiln.Kiln;
import io.kiln.testing.S3ProxyServer;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bytes and requests S3 queries fetch: starts S3Proxy, uploads a TPC-H folder written by
 * {@code kiln tpch gen}, runs the queries once each from S3 and prints what each one fetched next
 * to the size of the files it reads. Not a test (no assertions, no timings); run with
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.kiln.datasource.objectstore.S3Bench -Dexec.args="data/sf0.1 1,6 [coalesceGapBytes]"}.
 */
public final class S3Bench {
  private S3Bench() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    List<Integer> queries = new ArrayList<>();
    for (String q : (args.length > 1 ? args[1] : "1,6").split(",")) {
      queries.add(Integer.parseInt(q.trim()));
    }
    try (S3ProxyServer server = S3ProxyServer.start()) {
      List<Path> files = new ArrayList<>();
      for (String table : TpchDriver.TABLES) {
        files.add(data.resolve(table + ".parquet"));
      }
      try (S3Client client = server.client()) {
        S3ProxyServer.upload(client, "tpch", "data/", files);
      }
      S3Config config = S3Config.builder().endpoint(server.endpoint()).region("us-east-1").pathStyle(true)
          .credentials(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL)
          .coalesceGapBytes(args.length > 2 ? Integer.parseInt(args[2]) : S3Config.defaults().coalesceGapBytes())
          .build();
      System.out.println("coalescing column chunks less than " + config.coalesceGapBytes() + " bytes apart");
      try (Kiln kiln = Kiln.builder().threads(2).s3(config).build()) {
        TpchDriver.registerS3Tables(kiln, "s3://tpch/data/");
        FetchStats.Snapshot footers = kiln.s3Stats();
        System.out.printf("registering %d tables: %d HEAD, %d GET (footers), %d bytes%n", TpchDriver.TABLES.size(),
            footers.metadataRequests(), footers.getRequests(), footers.bytesFetched());
        System.out.printf("lineitem.parquet: %d bytes; all tables: %d bytes%n",
            Files.size(data.resolve("lineitem.parquet")), totalSize(files));
        System.out.println("query\tGET requests\tbytes fetched\tretries");
        for (int q : queries) {
          FetchStats.Snapshot before = kiln.s3Stats();
          kiln.execute(TpchQueries.text(q));
          FetchStats.Snapshot used = kiln.s3Stats().minus(before);
          System.out.printf("q%d\t%d\t%d\t%d%n", q, used.getRequests(), used.bytesFetched(), used.retries());
        }
      }
    }
  }

  private static long totalSize(List<Path> files) throws Exception {
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    return total;
  }
}
