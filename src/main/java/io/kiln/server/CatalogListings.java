package io.kiln.server;

import io.kiln.Kiln;
import io.kiln.catalog.TableProvider;
import io.kiln.types.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.impl.FlightSql;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What DatabaseMetaData asks of the server: the session's tables (no catalogs or schemas: Kiln's
 * names are unqualified) with their columns as Arrow schemas in Kiln's types, the table types, and
 * the SQL types Kiln has (XDBC type info).
 */
final class CatalogListings {
  private final Kiln kiln;

  CatalogListings(Kiln kiln) {
    this.kiln = kiln;
  }

  /** A table's columns with the Arrow types Kiln answers them with. */
  Schema tableSchema(TableProvider table) {
    List<Field> fields = new ArrayList<>();
    for (Field f : table.schema().getFields()) {
      fields.add(new Field(f.getName(), DataType.fromArrow(f.getType(), f.getName()).toFieldType(true), null));
    }
    return new Schema(fields);
  }

  /** The type of a column of that name in any table, or null (used to type parameters). */
  DataType columnType(String column) {
    for (String name : kiln.catalog().names()) {
      for (Field f : kiln.catalog().get(name).schema().getFields()) {
        if (f.getName().equalsIgnoreCase(column)) {
          return DataType.fromArrow(f.getType(), f.getName());
        }
      }
    }
    return null;
  }

  VectorSchemaRoot tables(FlightSql.CommandGetTables command, BufferAllocator allocator) {
    Pattern namePattern = command.hasTableNameFilterPattern() ? like(command.getTableNameFilterPattern()) : null;
    boolean tableTypeWanted = command.getTableTypesCount() == 0 || command.getTableTypesList().stream()
        .anyMatch(t -> t.equalsIgnoreCase("TABLE"));
    // Kiln has no catalogs or schemas: a filter naming one matches nothing.
    boolean scopeMatches = (!command.hasCatalog() || command.getCatalog().isEmpty())
        && (!command.hasDbSchemaFilterPattern() || like(command.getDbSchemaFilterPattern()).matcher("").matches());
    List<Object[]> rows = new ArrayList<>();
    if (tableTypeWanted && scopeMatches) {
      for (String name : kiln.catalog().names()) {
        if (namePattern != null && !namePattern.matcher(name).matches()) {
          continue;
        }
        byte[] schema = command.getIncludeSchema() ? ipc(tableSchema(kiln.catalog().get(name))) : null;
        rows.add(new Object[] {null, null, name, "TABLE", schema});
      }
    }
    return Rows.of(command.getIncludeSchema() ? Schemas.GET_TABLES_SCHEMA : Schemas.GET_TABLES_SCHEMA_NO_SCHEMA,
        rows, allocator);
  }

  VectorSchemaRoot tableTypes(BufferAllocator allocator) {
    return Rows.of(Schemas.GET_TABLE_TYPES_SCHEMA, List.<Object[]>of(new Object[] {"TABLE"}), allocator);
  }

  /** The XDBC type info of Kiln's SQL types, or of the one with JDBC type {@code dataType}. */
  VectorSchemaRoot typeInfo(FlightSql.CommandGetXdbcTypeInfo command, BufferAllocator allocator) {
    List<Object[]> rows = new ArrayList<>();
    Object[][] types = {
        {"BOOLEAN", Types.BOOLEAN, 1, null, null},
        {"TINYINT", Types.TINYINT, 3, null, null},
        {"SMALLINT", Types.SMALLINT, 5, null, null},
        {"INTEGER", Types.INTEGER, 10, null, null},
        {"BIGINT", Types.BIGINT, 19, null, null},
        {"REAL", Types.REAL, 7, null, null},
        {"DOUBLE", Types.DOUBLE, 15, null, null},
        {"DECIMAL", Types.DECIMAL, DataType.MAX_PRECISION, null, null},
        {"VARCHAR", Types.VARCHAR, Integer.MAX_VALUE, "'", "'"},
        {"DATE", Types.DATE, 10, "DATE '", "'"},
        {"TIMESTAMP", Types.TIMESTAMP, 26, "TIMESTAMP '", "'"},
    };
    List<Field> fields = Schemas.GET_TYPE_INFO_SCHEMA.getFields();
    for (Object[] t : types) {
      int jdbcType = (Integer) t[1];
      if (command.hasDataType() && command.getDataType() != jdbcType) {
        continue;
      }
      Map<String, Object> values = new HashMap<>();
      values.put("type_name", t[0]);
      values.put("data_type", jdbcType);
      values.put("column_size", t[2]);
      values.put("literal_prefix", t[3]);
      values.put("literal_suffix", t[4]);
      values.put("nullable", java.sql.DatabaseMetaData.typeNullable);
      values.put("case_sensitive", jdbcType == Types.VARCHAR);
      values.put("searchable", java.sql.DatabaseMetaData.typeSearchable);
      values.put("unsigned_attribute", false);
      values.put("fixed_prec_scale", jdbcType == Types.DECIMAL);
      values.put("auto_increment", false);
      values.put("local_type_name", t[0]);
      values.put("minimum_scale", 0);
      values.put("maximum_scale", jdbcType == Types.DECIMAL ? DataType.MAX_PRECISION : 0);
      values.put("sql_data_type", jdbcType);
      values.put("num_prec_radix", 10);
      Object[] row = new Object[fields.size()];
      for (int i = 0; i < row.length; i++) {
        row[i] = values.get(fields.get(i).getName());
      }
      rows.add(row);
    }
    return Rows.of(Schemas.GET_TYPE_INFO_SCHEMA, rows, allocator);
  }

  /** A schema as the IPC message Flight SQL carries schemas in. */
  static byte[] ipc(Schema schema) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), schema);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize a schema", e);
    }
    return out.toByteArray();
  }

  /** A SQL LIKE pattern ('%', '_', case-insensitive) as a regular expression. */
  static Pattern like(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  }
}
