package io.kiln.physical.agg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kiln.catalog.AggregateUdf;
import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

/** A user aggregate's state crosses the phases as its own bytes in a Binary column. */
class UdfAggStateTest {
  /** Concatenates values in arrival order: merging order shows in the result. */
  private static final AggregateUdf JOIN = AggregateUdf.of("joined", DataType.BIGINT, DataType.VARCHAR,
      new AggregateUdf.Steps<StringBuilder>() {
        @Override
        public StringBuilder init() {
          return new StringBuilder();
        }

        @Override
        public StringBuilder update(StringBuilder s, Object value) {
          return s.append(value).append(';');
        }

        @Override
        public StringBuilder merge(StringBuilder s, StringBuilder other) {
          return s.append(other);
        }

        @Override
        public Object finish(StringBuilder s) {
          return s.toString();
        }

        @Override
        public byte[] serialize(StringBuilder s) {
          return s.toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public StringBuilder deserialize(byte[] bytes) {
          return new StringBuilder(new String(bytes, StandardCharsets.UTF_8));
        }
      });

  private static BigIntVector longs(RootAllocator allocator, Long... values) {
    BigIntVector v = new BigIntVector("v", allocator);
    v.allocateNew(values.length);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        v.setNull(i);
      } else {
        v.set(i, values[i]);
      }
    }
    v.setValueCount(values.length);
    return v;
  }

  @Test
  void statesWrittenAsBytesMergeIntoAFinalState() {
    try (RootAllocator allocator = new RootAllocator()) {
      UdfAggState partial = new UdfAggState(JOIN);
      partial.ensure(3);
      try (BigIntVector v = longs(allocator, 1L, 2L, null, 3L)) {
        partial.update(new int[] {0, 1, 0, 0}, 4, v, null); // the NULL is skipped; group 2 gets none
      }
      assertEquals(UdfAggState.FIELDS, partial.stateFields());
      ValueVector[] columns = partial.writeState(3, allocator);
      UdfAggState fin = new UdfAggState(JOIN);
      fin.ensure(2);
      fin.add(1, 9L);
      fin.mergeState(new int[] {1, 0, 0}, 3, columns); // group 0 there is group 1 here, 1 and 2 are 0 here
      for (ValueVector c : columns) {
        c.close();
      }
      try (VarCharVector out = (VarCharVector) fin.result(2, allocator)) {
        assertEquals("2;", new String(out.get(0), StandardCharsets.UTF_8));
        assertEquals("9;1;3;", new String(out.get(1), StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void aPlanReadWithoutTheFunctionRefusesToAggregate() {
    AggregateUdf stranger = AggregateUdf.unregistered("joined", DataType.BIGINT, DataType.VARCHAR);
    KilnException e = assertThrows(KilnException.class, () -> new UdfAggState(stranger));
    assertEquals("unsupported error: unknown aggregate function 'joined' in a plan: the user function "
        + "joined(BIGINT) -> VARCHAR is not registered in this process", e.getMessage());
    assertEquals(List.of("state"), List.of(UdfAggState.FIELDS.get(0).getName()));
  }
}
