package io.kiln.physical.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.data.Batch;
import io.kiln.exec.ExecContext;
import io.kiln.physical.Sink;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;
import org.junit.jupiter.api.Test;

/** LIMIT keeps only the batches that hold rows it needs, even when workers push concurrently. */
class LimitSinkTest {
  private static Batch batch(RootAllocator allocator, long first, int rows) {
    BigIntVector v = new BigIntVector("k", allocator);
    v.allocateNew(rows);
    for (int i = 0; i < rows; i++) {
      v.set(i, first + i);
    }
    v.setValueCount(rows);
    return new Batch(new ValueVector[] {v}, rows);
  }

  @Test
  void aBatchArrivingAfterTheLimitIsReleasedAtOnce() {
    try (RootAllocator allocator = new RootAllocator(); LimitSink sink = new LimitSink(10, 5);
        ExecContext ctx = new ExecContext(allocator, null, 1)) {
      Sink.Local a = sink.newLocal(ctx);
      Sink.Local b = sink.newLocal(ctx);
      a.push(batch(allocator, 0, 20));
      long held = allocator.getAllocatedMemory();
      assertTrue(sink.isDone());
      // the second worker read its batch before it could see the sink was done
      b.push(batch(allocator, 100, 20));
      assertEquals(held, allocator.getAllocatedMemory(), "the late batch must not be kept");
      sink.merge(a);
      sink.merge(b);
      a.close();
      b.close();
      var out = sink.take(ctx);
      try {
        assertEquals(1, out.size());
        assertEquals(10, out.get(0).rowCount());
        assertEquals(5L, ((BigIntVector) out.get(0).column(0)).get(0));
      } finally {
        out.forEach(Batch::close);
      }
    }
  }

  @Test
  void batchesThatTogetherReachTheLimitAreAllKept() {
    try (RootAllocator allocator = new RootAllocator(); LimitSink sink = new LimitSink(25, 0);
        ExecContext ctx = new ExecContext(allocator, null, 1)) {
      Sink.Local a = sink.newLocal(ctx);
      a.push(batch(allocator, 0, 20));
      a.push(batch(allocator, 20, 20));
      a.push(batch(allocator, 40, 20));
      sink.merge(a);
      a.close();
      var out = sink.take(ctx);
      try {
        assertEquals(25, out.stream().mapToInt(Batch::rowCount).sum());
      } finally {
        out.forEach(Batch::close);
      }
    }
  }
}
