package io.kiln.distributed.scheduler;

import io.kiln.distributed.proto.ClusterProtos;
import io.kiln.logical.ColumnRef;
import io.kiln.physical.plan.PhysicalNode;
import io.kiln.physical.plan.PlanProto;
import io.kiln.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * A submitted plan of about {@code mapTasks + reduceTasks + 1} tasks, made the way a client makes
 * one: a scan of a Parquet table of {@code mapTasks} one-row row groups (a morsel, so a task, each)
 * hashed into {@code reduceTasks} partitions, a task per partition, and the gathered result. The
 * scheduler splits it as it would any plan; the simulated workers never read the table.
 */
final class SimulatedQuery {
  static final int MAP_STAGE = 0;
  static final int REDUCE_STAGE = 1;
  static final int RESULT_STAGE = 2;
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message t { required int64 k; }");

  private SimulatedQuery() {}

  /**
   * The request for a table written to {@code dir}. The scheduler makes at most two tasks per slot
   * of a scan, so {@code mapTasks} tasks need at least half as many slots.
   */
  static ClusterProtos.SubmitRequest request(Path dir, int mapTasks, int reduceTasks) {
    Path table = dir.resolve("t" + mapTasks + ".parquet");
    if (!Files.exists(table)) { // the same for every query of as many map tasks
      writeRowGroups(table, mapTasks);
    }
    ColumnRef k = ColumnRef.fresh("k", DataType.BIGINT);
    PhysicalNode scan = new PhysicalNode.Scan(1, "t", List.of(k), List.of(0), List.of(), OptionalLong.empty(),
        List.of(false), List.of());
    PhysicalNode hashed = new PhysicalNode.Exchange(2, scan, PhysicalNode.ExchangeKind.HASH, List.of(k), reduceTasks);
    PhysicalNode gathered = new PhysicalNode.Exchange(3, hashed, PhysicalNode.ExchangeKind.GATHER, List.of(), 1);
    return ClusterProtos.SubmitRequest.newBuilder()
        .setSql("simulated: " + mapTasks + " map tasks, " + reduceTasks + " reduce tasks")
        .setMode(ClusterProtos.ExecutionMode.EXECUTION_MODE_INTERPRETED)
        .setPlan(PlanProto.toProto(new PhysicalNode.Result(4, gathered)))
        .addTables(ClusterProtos.TableDefinition.newBuilder().setName("t")
            .setFormat(ClusterProtos.TableFormat.TABLE_FORMAT_PARQUET).setLocation(table.toString()))
        .build();
  }

  private static void writeRowGroups(Path file, int rowGroups) {
    SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<org.apache.parquet.example.data.Group> w = ExampleParquetWriter
        .builder(new LocalOutputFile(file)).withConf(new PlainParquetConfiguration()).withType(SCHEMA)
        .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
        .withRowGroupRowCountLimit(1).build()) {
      for (long i = 0; i < rowGroups; i++) {
        w.write(rows.newGroup().append("k", i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the simulation's table " + file, e);
    }
  }
}
