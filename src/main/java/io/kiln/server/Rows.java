package io.kiln.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Small answers built row by row (metadata listings, the text of EXPLAIN and SET): Java values into
 * a root of the given schema. Strings, ints, booleans and byte arrays are set; a null, or a column
 * of another type (the list columns of the XDBC type info), is left null.
 */
final class Rows {
  private Rows() {}

  /** A root the caller closes. */
  static VectorSchemaRoot of(Schema schema, List<Object[]> rows, BufferAllocator allocator) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    try {
      root.allocateNew();
      for (int r = 0; r < rows.size(); r++) {
        Object[] row = rows.get(r);
        for (int c = 0; c < schema.getFields().size(); c++) {
          set(root.getVector(c), r, c < row.length ? row[c] : null);
        }
      }
      root.setRowCount(rows.size());
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static void set(FieldVector v, int r, Object value) {
    if (value == null) {
      return; // allocateNew left every slot null
    }
    if (v instanceof VarCharVector) {
      ((VarCharVector) v).setSafe(r, value.toString().getBytes(StandardCharsets.UTF_8));
    } else if (v instanceof IntVector) {
      ((IntVector) v).setSafe(r, ((Number) value).intValue());
    } else if (v instanceof BitVector) {
      ((BitVector) v).setSafe(r, (Boolean) value ? 1 : 0);
    } else if (v instanceof VarBinaryVector) {
      ((VarBinaryVector) v).setSafe(r, (byte[]) value);
    }
  }
}
