package io.kiln.tpch;

import io.kiln.testing.DuckDbOracle;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads TPC-H data made by io.trino.tpch straight into DuckDB (through dbgen-format text), with
 * no Kiln code involved. It checks the query texts against the shipped answers independently of
 * the engine and of the Parquet generator.
 */
final class TpchDuckDbData {
  /** DuckDB column lists with the types Kiln's generator uses: BIGINT keys, DECIMAL(15,2) money, DATE dates. */
  static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("region", "r_regionkey: 'BIGINT', r_name: 'VARCHAR', r_comment: 'VARCHAR'");
    COLUMNS.put("nation", "n_nationkey: 'BIGINT', n_name: 'VARCHAR', n_regionkey: 'BIGINT', n_comment: 'VARCHAR'");
    COLUMNS.put("supplier", "s_suppkey: 'BIGINT', s_name: 'VARCHAR', s_address: 'VARCHAR', s_nationkey: 'BIGINT', "
        + "s_phone: 'VARCHAR', s_acctbal: 'DECIMAL(15,2)', s_comment: 'VARCHAR'");
    COLUMNS.put("customer", "c_custkey: 'BIGINT', c_name: 'VARCHAR', c_address: 'VARCHAR', c_nationkey: 'BIGINT', "
        + "c_phone: 'VARCHAR', c_acctbal: 'DECIMAL(15,2)', c_mktsegment: 'VARCHAR', c_comment: 'VARCHAR'");
    COLUMNS.put("part", "p_partkey: 'BIGINT', p_name: 'VARCHAR', p_mfgr: 'VARCHAR', p_brand: 'VARCHAR', "
        + "p_type: 'VARCHAR', p_size: 'INTEGER', p_container: 'VARCHAR', p_retailprice: 'DECIMAL(15,2)', "
        + "p_comment: 'VARCHAR'");
    COLUMNS.put("partsupp", "ps_partkey: 'BIGINT', ps_suppkey: 'BIGINT', ps_availqty: 'INTEGER', "
        + "ps_supplycost: 'DECIMAL(15,2)', ps_comment: 'VARCHAR'");
    COLUMNS.put("orders", "o_orderkey: 'BIGINT', o_custkey: 'BIGINT', o_orderstatus: 'VARCHAR', "
        + "o_totalprice: 'DECIMAL(15,2)', o_orderdate: 'DATE', o_orderpriority: 'VARCHAR', o_clerk: 'VARCHAR', "
        + "o_shippriority: 'INTEGER', o_comment: 'VARCHAR'");
    COLUMNS.put("lineitem", "l_orderkey: 'BIGINT', l_partkey: 'BIGINT', l_suppkey: 'BIGINT', "
        + "l_linenumber: 'INTEGER', l_quantity: 'DECIMAL(15,2)', l_extendedprice: 'DECIMAL(15,2)', "
        + "l_discount: 'DECIMAL(15,2)', l_tax: 'DECIMAL(15,2)', l_returnflag: 'VARCHAR', l_linestatus: 'VARCHAR', "
        + "l_shipdate: 'DATE', l_commitdate: 'DATE', l_receiptdate: 'DATE', l_shipinstruct: 'VARCHAR', "
        + "l_shipmode: 'VARCHAR', l_comment: 'VARCHAR'");
  }

  private TpchDuckDbData() {}

  /** Creates the 8 tables in {@code db} at {@code scaleFactor}, using {@code scratch} for text files. */
  static void load(DuckDbOracle db, double scaleFactor, Path scratch) {
    for (TpchTable<?> table : TpchTable.getTables()) {
      String name = table.getTableName();
      Path text = scratch.resolve(name + ".tbl");
      writeText(table, scaleFactor, text);
      // dbgen lines end with '|', which reads as one extra empty column; it is declared and dropped.
      String columns = COLUMNS.get(name) + ", dbgen_trailing: 'VARCHAR'";
      String select = COLUMNS.get(name).replaceAll(": '[^']*'", "");
      db.execute("CREATE OR REPLACE TABLE " + name + " AS SELECT " + select + " FROM read_csv('"
          + text.toAbsolutePath().toString().replace("'", "''")
          + "', delim = '|', header = false, quote = '', escape = '', columns = {" + columns + "})");
    }
  }

  private static <E extends TpchEntity> void writeText(TpchTable<E> table, double scaleFactor, Path out) {
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (E entity : table.createGenerator(scaleFactor, 1, 1)) {
        w.write(entity.toLine());
        w.newLine();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
  }
}
