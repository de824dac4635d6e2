package io.kiln.physical.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.logical.ColumnRef;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import io.kiln.physical.expr.ExprCompiler;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import io.kiln.types.DataType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/**
 * An exchange deals rows out without losing or repeating any (every row once; BROADCAST: once per
 * partition), HASH sends equal keys (NULL too) to one partition, from any worker, and releases
 * what it holds.
 */
class ExchangeSinkTest {
  private static final ColumnRef K = ColumnRef.fresh("k", DataType.BIGINT);
  private static final ColumnRef S = ColumnRef.fresh("s", DataType.VARCHAR);

  /** Rows {@code first..first+n-1}: k = i % 97 (NULL every 13th), s = "v" + i. */
  private static Batch batch(RootAllocator allocator, int first, int n) {
    BigIntVector k = new BigIntVector("k", allocator);
    VarCharVector s = new VarCharVector("s", allocator);
    k.allocateNew(n);
    s.allocateNew(n);
    for (int i = 0; i < n; i++) {
      int row = first + i;
      if (row % 13 == 0) {
        k.setNull(i);
      } else {
        k.set(i, row % 97);
      }
      s.setSafe(i, ("v" + row).getBytes(StandardCharsets.UTF_8));
    }
    k.setValueCount(n);
    s.setValueCount(n);
    return new Batch(new ValueVector[] {k, s}, n);
  }

  /** Pushes 10 batches of 100 rows from two workers and returns the partitions' rows as "k|s". */
  private static List<List<String>> exchange(ExchangeKind kind, int partitions) {
    try (RootAllocator allocator = new RootAllocator(); ExecContext ctx = new ExecContext(allocator, null, 1)) {
      List<List<String>> out = new ArrayList<>();
      try (ExchangeSink sink = new ExchangeSink(kind,
          kind == ExchangeKind.HASH ? new ExprCompiler(List.of(K, S)).compileAll(List.of(K)) : List.of(), partitions)) {
        Sink.Local a = sink.newLocal(ctx);
        Sink.Local b = sink.newLocal(ctx);
        for (int i = 0; i < 10; i++) {
          (i % 2 == 0 ? a : b).push(batch(allocator, i * 100, 100));
        }
        sink.merge(a);
        sink.merge(b);
        a.close();
        b.close();
        for (List<Batch> part : sink.take()) {
          List<String> rows = new ArrayList<>();
          for (Batch batch : part) {
            for (int r = 0; r < batch.rowCount(); r++) {
              BigIntVector k = (BigIntVector) batch.column(0);
              rows.add((k.isNull(r) ? "null" : Long.toString(k.get(r))) + "|" + batch.column(1).getObject(r));
            }
          }
          Batches.closeAll(part);
          out.add(rows);
        }
      }
      return out;
    }
  }

  private static List<String> all(List<List<String>> partitions) {
    List<String> rows = new ArrayList<>();
    partitions.forEach(rows::addAll);
    rows.sort(null);
    return rows;
  }

  private static List<String> expected() {
    List<String> rows = new ArrayList<>();
    for (int row = 0; row < 1000; row++) {
      rows.add((row % 13 == 0 ? "null" : Long.toString(row % 97)) + "|v" + row);
    }
    rows.sort(null);
    return rows;
  }

  @Test
  void hashSendsEqualKeysToOnePartitionAndEveryRowOnce() {
    List<List<String>> parts = exchange(ExchangeKind.HASH, 7);
    assertEquals(7, parts.size());
    assertEquals(expected(), all(parts));
    Map<String, Integer> partitionOfKey = new HashMap<>();
    for (int p = 0; p < parts.size(); p++) {
      for (String row : parts.get(p)) {
        String key = row.substring(0, row.indexOf('|'));
        Integer before = partitionOfKey.putIfAbsent(key, p);
        assertTrue(before == null || before == p, "key " + key + " in partitions " + before + " and " + p);
      }
    }
    long used = parts.stream().filter(p -> !p.isEmpty()).count();
    assertTrue(used >= 5, "98 keys spread over only " + used + " of 7 partitions");
  }

  @Test
  void roundRobinAndGatherKeepEveryRowOnce() {
    List<List<String>> dealt = exchange(ExchangeKind.ROUND_ROBIN, 3);
    assertEquals(expected(), all(dealt));
    assertTrue(dealt.stream().allMatch(p -> !p.isEmpty()), "a partition got no batch");
    List<List<String>> gathered = exchange(ExchangeKind.GATHER, 1);
    assertEquals(1, gathered.size());
    assertEquals(expected(), all(gathered));
  }

  @Test
  void broadcastGivesEveryPartitionEveryRow() {
    List<List<String>> parts = exchange(ExchangeKind.BROADCAST, 3);
    for (List<String> p : parts) {
      List<String> sorted = new ArrayList<>(p);
      sorted.sort(null);
      assertEquals(expected(), sorted);
    }
  }

  @Test
  void partitionOfCoversEveryPartitionAndNoMore() {
    for (int partitions : new int[] {1, 2, 3, 16, 1000}) {
      assertEquals(0, Partitioner.partitionOf(0L, partitions));
      assertEquals(partitions - 1, Partitioner.partitionOf(-1L, partitions));
    }
  }
}
