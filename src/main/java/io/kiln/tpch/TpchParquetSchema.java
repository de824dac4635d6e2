package io.kiln.tpch;

import io.trino.tpch.Customer;
import io.trino.tpch.LineItem;
import io.trino.tpch.Order;
import io.trino.tpch.Part;
import io.trino.tpch.PartSupplier;
import io.trino.tpch.Supplier;
import io.trino.tpch.TpchColumn;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The Parquet layout of one TPC-H table (keys BIGINT, other integers INTEGER, money and
 * quantities DECIMAL(15,2) in INT64, dates DATE, strings STRING; all REQUIRED) and how each column
 * of an io.trino.tpch entity is written.
 */
final class TpchParquetSchema<E extends TpchEntity> {
  static final int MONEY_PRECISION = 15;
  static final int MONEY_SCALE = 2;

  /**
   * Exact cents for the columns io.trino.tpch types as DOUBLE: the double getters would round,
   * the entities keep the exact integers.
   */
  private static final Map<String, ToLongFunction<Object>> CENTS = Map.of(
      "l_quantity", e -> ((LineItem) e).getQuantity() * 100,
      "l_extendedprice", e -> ((LineItem) e).getExtendedPriceInCents(),
      "l_discount", e -> ((LineItem) e).getDiscountPercent(),
      "l_tax", e -> ((LineItem) e).getTaxPercent(),
      "o_totalprice", e -> ((Order) e).getTotalPriceInCents(),
      "c_acctbal", e -> ((Customer) e).getAccountBalanceInCents(),
      "s_acctbal", e -> ((Supplier) e).getAccountBalanceInCents(),
      "p_retailprice", e -> ((Part) e).getRetailPriceInCents(),
      "ps_supplycost", e -> ((PartSupplier) e).getSupplyCostInCents());

  /** Writes one column's value of an entity. */
  private interface ColumnWriter<E> {
    void write(RecordConsumer out, E entity);
  }

  private final MessageType schema;
  private final String[] names;
  private final List<ColumnWriter<E>> writers;

  TpchParquetSchema(TpchTable<E> table) {
    List<Type> fields = new ArrayList<>();
    writers = new ArrayList<>();
    for (TpchColumn<E> c : table.getColumns()) {
      String name = c.getColumnName();
      switch (c.getType().getBase()) {
        case IDENTIFIER:
          fields.add(Types.required(PrimitiveTypeName.INT64).named(name));
          writers.add((out, e) -> out.addLong(c.getIdentifier(e)));
          break;
        case INTEGER:
          fields.add(Types.required(PrimitiveTypeName.INT32).named(name));
          writers.add((out, e) -> out.addInteger(c.getInteger(e)));
          break;
        case DATE:
          fields.add(Types.required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name));
          writers.add((out, e) -> out.addInteger(c.getDate(e)));
          break;
        case VARCHAR:
          fields.add(Types.required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name));
          writers.add((out, e) -> out.addBinary(Binary.fromString(c.getString(e))));
          break;
        case DOUBLE: {
          ToLongFunction<Object> cents = CENTS.get(name);
          if (cents == null) {
            throw new IllegalStateException("no exact accessor for TPC-H column " + name);
          }
          fields.add(Types.required(PrimitiveTypeName.INT64)
              .as(LogicalTypeAnnotation.decimalType(MONEY_SCALE, MONEY_PRECISION)).named(name));
          writers.add((out, e) -> out.addLong(cents.applyAsLong(e)));
          break;
        }
        default:
          throw new IllegalStateException("unexpected TPC-H column type " + c.getType() + " of " + name);
      }
    }
    schema = new MessageType(table.getTableName(), fields);
    names = fields.stream().map(Type::getName).toArray(String[]::new);
  }

  /** Free-text columns with (nearly) one distinct value per row. */
  List<String> uniqueTextColumns() {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (n.endsWith("_comment") || n.endsWith("_address") || n.endsWith("_phone") || n.equals("p_name")
          || n.equals("c_name") || n.equals("s_name")) {
        out.add(n);
      }
    }
    return out;
  }

  MessageType schema() {
    return schema;
  }

  /** One row, straight to the record consumer (no intermediate Group objects). */
  void write(RecordConsumer out, E entity) {
    out.startMessage();
    for (int i = 0; i < names.length; i++) {
      out.startField(names[i], i);
      writers.get(i).write(out, entity);
      out.endField(names[i], i);
    }
    out.endMessage();
  }
}
