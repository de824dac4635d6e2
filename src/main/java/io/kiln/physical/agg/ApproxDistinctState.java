package io.kiln.physical.agg;

import io.kiln.types.PhysicalKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * approx_count_distinct: a HyperLogLog sketch per group (Apache DataSketches, 2^12 buckets: about
 * 1.6% standard error). Values are hashed as the engine holds them (longs, doubles, UTF-8 bytes),
 * so every thread and process hashes a value alike. The state is {@code sketch}, the sketch's
 * compact serialized form (Binary, not null), merged by a sketch union.
 */
public final class ApproxDistinctState implements AggState {
  static final int LG_K = 12;
  static final List<Field> FIELDS = List.of(new Field("sketch", FieldType.notNullable(ArrowType.Binary.INSTANCE),
      null));

  private final PhysicalKind kind;
  private HllSketch[] sketches = new HllSketch[16];

  ApproxDistinctState(PhysicalKind kind) {
    this.kind = kind;
  }

  /** One row of generated code's update: a boxed Long, Double, Boolean or String, never null. */
  public void add(int g, Object v) {
    HllSketch s = sketch(g);
    if (v instanceof Long) {
      s.update((Long) v);
    } else if (v instanceof Double) {
      s.update((Double) v);
    } else if (v instanceof Boolean) {
      s.update((Boolean) v ? 1L : 0L);
    } else {
      s.update(((String) v).getBytes(StandardCharsets.UTF_8));
    }
  }

  private HllSketch sketch(int g) {
    HllSketch s = sketches[g];
    if (s == null) {
      s = sketches[g] = new HllSketch(LG_K);
    }
    return s;
  }

  @Override
  public void update(int[] groups, int n, ValueVector arg, BitVector filter) {
    for (int i = 0; i < n; i++) {
      if (AggState.skip(arg, filter, i)) {
        continue;
      }
      HllSketch s = sketch(groups[i]);
      switch (kind) {
        case LONG -> s.update(((BigIntVector) arg).get(i));
        case DOUBLE -> s.update(((Float8Vector) arg).get(i));
        case BOOLEAN -> s.update((long) ((BitVector) arg).get(i));
        default -> s.update(((VarCharVector) arg).get(i));
      }
    }
  }

  private void union(int g, HllSketch other) {
    if (sketches[g] == null) {
      sketches[g] = other.copy();
      return;
    }
    Union u = new Union(LG_K);
    u.update(sketches[g]);
    u.update(other);
    sketches[g] = u.getResult();
  }

  @Override
  public void merge(AggState other, int[] map, int otherGroups) {
    HllSketch[] o = ((ApproxDistinctState) other).sketches;
    for (int g = 0; g < otherGroups; g++) {
      if (o[g] != null) {
        union(map[g], o[g]);
      }
    }
  }

  @Override
  public void ensure(int groups) {
    if (sketches.length < groups) {
      sketches = Arrays.copyOf(sketches, Math.max(groups, sketches.length * 2));
    }
  }

  @Override
  public ValueVector result(int groups, BufferAllocator allocator) {
    BigIntVector v = new BigIntVector("approx_count_distinct", allocator);
    v.allocateNew(Math.max(groups, 1));
    for (int g = 0; g < groups; g++) {
      v.set(g, sketches[g] == null ? 0 : Math.round(sketches[g].getEstimate()));
    }
    v.setValueCount(groups);
    return v;
  }

  @Override
  public List<Field> stateFields() {
    return FIELDS;
  }

  @Override
  public ValueVector[] writeState(int groups, BufferAllocator allocator) {
    VarBinaryVector v = (VarBinaryVector) StateVectors.allocate(FIELDS.get(0), groups, allocator);
    ValueVector[] out = {v};
    return StateVectors.built(out, () -> {
      byte[] empty = new HllSketch(LG_K).toCompactByteArray();
      for (int g = 0; g < groups; g++) {
        v.setSafe(g, sketches[g] == null ? empty : sketches[g].toCompactByteArray());
      }
      v.setValueCount(groups);
    });
  }

  @Override
  public void mergeState(int[] groupIds, int n, ValueVector[] stateColumns) {
    VarBinaryVector v = (VarBinaryVector) stateColumns[0];
    for (int r = 0; r < n; r++) {
      if (!v.isNull(r)) {
        union(groupIds[r], HllSketch.heapify(v.get(r)));
      }
    }
  }
}
