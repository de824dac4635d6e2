package io.kiln.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class ArrowConversionTest {
  private static final List<DataType> TYPES = List.of(DataType.BOOLEAN, DataType.TINYINT, DataType.SMALLINT,
      DataType.INTEGER, DataType.BIGINT, DataType.REAL, DataType.DOUBLE, DataType.decimal(12, 3), DataType.DATE,
      DataType.TIMESTAMP, DataType.VARCHAR);
  private static final List<String> NAMES = List.of("b", "ti", "si", "i", "bi", "r", "d", "dec", "dt", "ts", "s");
  private static final Object[] ROW0 = {true, (byte) -7, (short) 300, 70000, -5_000_000_000L, 1.5f, -0.25,
      new BigDecimal("-123456789.125"), LocalDate.of(1969, 7, 20), LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123456000),
      "héllo"};

  @Test
  void roundTripWithNulls() {
    try (RootAllocator allocator = new RootAllocator()) {
      ValueVector[] cols = new ValueVector[TYPES.size()];
      for (int c = 0; c < cols.length; c++) {
        cols[c] = Vectors.allocate(TYPES.get(c), NAMES.get(c), allocator, 2);
        Vectors.set(cols[c], TYPES.get(c), 0, ROW0[c]);
        Vectors.set(cols[c], TYPES.get(c), 1, null);
      }
      try (Batch batch = new Batch(cols, 2);
           VectorSchemaRoot root = ArrowConversion.toArrow(batch, NAMES, TYPES, allocator)) {
        assertEquals(2, root.getRowCount());
        assertInstanceOf(BitVector.class, root.getVector("b"));
        assertInstanceOf(TinyIntVector.class, root.getVector("ti"));
        assertInstanceOf(SmallIntVector.class, root.getVector("si"));
        assertInstanceOf(IntVector.class, root.getVector("i"));
        assertInstanceOf(BigIntVector.class, root.getVector("bi"));
        assertInstanceOf(Float4Vector.class, root.getVector("r"));
        assertInstanceOf(Float8Vector.class, root.getVector("d"));
        assertInstanceOf(DecimalVector.class, root.getVector("dec"));
        assertInstanceOf(DateDayVector.class, root.getVector("dt"));
        assertInstanceOf(TimeStampMicroVector.class, root.getVector("ts"));
        assertInstanceOf(VarCharVector.class, root.getVector("s"));
        assertEquals(new BigDecimal("-123456789.125"), ((DecimalVector) root.getVector("dec")).getObject(0));
        assertEquals(-165, ((DateDayVector) root.getVector("dt")).get(0));
        assertEquals(70000, ((IntVector) root.getVector("i")).get(0));
        for (FieldVector v : root.getFieldVectors()) {
          assertTrue(v.isNull(1), v.getName() + " row 1 should be NULL");
        }
        // And back: the internal values equal the originals.
        for (int c = 0; c < TYPES.size(); c++) {
          try (ValueVector back = ArrowConversion.toInternal(root.getVector(c), TYPES.get(c), allocator)) {
            assertEquals(ROW0[c], Vectors.get(back, TYPES.get(c), 0), NAMES.get(c));
            assertNull(Vectors.get(back, TYPES.get(c), 1));
            assertEquals(2, back.getValueCount());
          }
        }
      }
      assertEquals(0, allocator.getAllocatedMemory());
    }
  }

  @Test
  void toInternalConvertsOtherArrowEncodings() {
    try (RootAllocator allocator = new RootAllocator();
         TimeStampMilliVector ms = new TimeStampMilliVector("ms", allocator);
         DecimalVector wide = new DecimalVector("w", allocator, 38, 0)) {
      ms.allocateNew(2);
      ms.set(0, 1_500L);
      ms.setNull(1);
      ms.setValueCount(2);
      try (ValueVector v = ArrowConversion.toInternal(ms, DataType.TIMESTAMP, allocator)) {
        assertEquals(1_500_000L, ((BigIntVector) v).get(0));
        assertTrue(v.isNull(1));
      }
      wide.allocateNew(1);
      wide.set(0, new BigDecimal("123456789012345678901234567890"));
      wide.setValueCount(1);
      long before = allocator.getAllocatedMemory();
      KilnException e = assertThrows(KilnException.class,
          () -> ArrowConversion.toInternal(wide, DataType.decimal(38, 0), allocator));
      assertTrue(e.getMessage().contains("column w"), e.getMessage());
      assertEquals(before, allocator.getAllocatedMemory(), "the failed conversion released its vector");
    }
  }
}
