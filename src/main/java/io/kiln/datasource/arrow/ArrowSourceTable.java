package io.kiln.datasource.arrow;

import io.kiln.catalog.ArrowSource;
import io.kiln.catalog.ScanRequest;
import io.kiln.catalog.ScanTask;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.catalog.TableProvider;
import io.kiln.catalog.TableStatistics;
import io.kiln.data.ArrowConversion;
import io.kiln.data.Batch;
import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A {@link TableProvider} over a user's {@link ArrowSource}: one scan task per partition, each
 * batch the source hands over checked against the schema and converted to the engine's encoding.
 */
public final class ArrowSourceTable implements TableProvider {
  private final String name;
  private final ArrowSource source;
  private final Schema schema;
  private final List<DataType> types = new ArrayList<>();

  public ArrowSourceTable(String name, ArrowSource source) {
    this.name = name;
    this.source = source;
    this.schema = source.schema();
    for (Field f : schema.getFields()) {
      types.add(DataType.fromArrow(f.getType(), f.getName()));
    }
    if (source.partitions() < 1) {
      throw KilnException.binding("Arrow source " + name + " has " + source.partitions() + " partitions; it needs 1 or more");
    }
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public TableStatistics statistics() {
    long rows = source.rowCount();
    return rows < 0 ? TableStatistics.UNKNOWN : new TableStatistics(OptionalLong.of(rows), java.util.Map.of());
  }

  /** One task per partition of the source. */
  @Override
  public List<ScanTaskDescriptor> splitScan(ScanRequest request) {
    List<ScanTaskDescriptor> out = new ArrayList<>();
    for (int p = 0; p < source.partitions(); p++) {
      out.add(new ScanTaskDescriptor(name, p, 0, ScanTaskDescriptor.ALL_ROWS, -1));
    }
    return out;
  }

  @Override
  public List<ScanTask> open(ScanRequest request, List<ScanTaskDescriptor> descriptors) {
    List<ScanTask> tasks = new ArrayList<>();
    for (ScanTaskDescriptor d : descriptors) {
      if (!d.location().equals(name) || d.rowGroup() >= source.partitions() || d.firstRow() != 0 || !d.toTheEnd()) {
        throw KilnException.execution("Arrow source " + name + " has partitions 0.." + (source.partitions() - 1)
            + ", each read whole, not scan task " + d);
      }
      tasks.add(new PartitionTask(d.rowGroup(), request.projection()));
    }
    return tasks;
  }

  @Override
  public String describe() {
    return "arrow source " + name;
  }

  /** Reads one partition, converting each batch as the source hands it over. */
  private final class PartitionTask implements ScanTask {
    private final int partition;
    private final int[] projection;

    PartitionTask(int partition, int[] projection) {
      this.partition = partition;
      this.projection = projection;
    }

    @Override
    public void run(BufferAllocator allocator, Consumer<Batch> out, BooleanSupplier stop) {
      List<String> columns = new ArrayList<>();
      for (int c : projection) {
        columns.add(schema.getFields().get(c).getName());
      }
      source.scan(partition, columns, allocator, root -> {
        if (!stop.getAsBoolean()) {
          out.accept(convert(root, columns, allocator));
        }
      });
    }

    private Batch convert(VectorSchemaRoot root, List<String> columns, BufferAllocator allocator) {
      if (root.getFieldVectors().size() != columns.size()) {
        throw KilnException.execution("Arrow source " + name + " handed over a batch of columns "
            + root.getSchema().getFields().stream().map(Field::getName).toList() + ", not the requested " + columns);
      }
      ValueVector[] converted = new ValueVector[columns.size()];
      try {
        for (int i = 0; i < columns.size(); i++) {
          FieldVector v = root.getVector(i);
          Field declared = schema.getFields().get(projection[i]);
          if (!v.getName().equalsIgnoreCase(columns.get(i)) || !v.getField().getType().equals(declared.getType())) {
            throw KilnException.execution("Arrow source " + name + ": column " + (i + 1) + " of a batch is "
                + v.getName() + " " + v.getField().getType() + ", but the schema says " + declared.getName() + " "
                + declared.getType());
          }
          if (v.getValueCount() < root.getRowCount()) {
            throw KilnException.execution("Arrow source " + name + ": column " + v.getName() + " has "
                + v.getValueCount() + " values in a batch of " + root.getRowCount() + " rows");
          }
          converted[i] = ArrowConversion.toInternal(v, types.get(projection[i]), allocator);
        }
      } catch (RuntimeException e) {
        for (ValueVector c : converted) {
          if (c != null) {
            c.close();
          }
        }
        throw e;
      }
      return new Batch(converted, root.getRowCount());
    }
  }
}
