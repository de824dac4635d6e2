package io.kiln.sql;

import io.kiln.catalog.Catalog;
import io.kiln.catalog.TableProvider;
import io.kiln.error.KilnException;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Literal;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.logical.Values;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.insert.Insert;

/**
 * Binds CREATE TABLE, INSERT and DROP TABLE into {@link TableCommands}: checks names against the
 * catalog, and gives an INSERT's rows the table's column order and types (with the implicit casts
 * {@link AssignmentCasts} allows), so that the session only has to run the rows and swap the table.
 */
final class TableStatements {
  private final Catalog catalog;
  private final Views views;
  private final Binder binder;

  TableStatements(Catalog catalog, Views views, Binder binder) {
    this.catalog = catalog;
    this.views = views;
    this.binder = binder;
  }

  private SourcePositions positions() {
    return binder.positions;
  }

  /** CREATE TABLE; null when IF NOT EXISTS finds the table already there (nothing to do). */
  TableCommands.CreateTable create(CreateTable ct) {
    String name = Identifiers.normalize(ct.getTable().getName());
    if (ct.getLikeTable() != null || (ct.getIndexes() != null && !ct.getIndexes().isEmpty())) {
      throw KilnException.unsupported("CREATE TABLE with LIKE or table constraints; Kiln takes a column list "
          + "(with NOT NULL) or AS query" + positions().of(name));
    }
    if (views.find(name) != null) {
      throw KilnException.binding("cannot create table " + name + ": a view of that name exists"
          + positions().of(name));
    }
    if (catalog.find(name) != null && !ct.isOrReplace()) {
      if (ct.isIfNotExists()) {
        return null;
      }
      throw KilnException.binding("table " + name + " already exists (use CREATE OR REPLACE TABLE, or CREATE TABLE "
          + "IF NOT EXISTS)" + positions().of(name));
    }
    List<String> columns = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    List<Boolean> nullable = new ArrayList<>();
    LogicalPlan rows = null;
    if (ct.getSelect() != null) {
      if (ct.getColumnDefinitions() != null && !ct.getColumnDefinitions().isEmpty()) {
        throw KilnException.unsupported("CREATE TABLE with both a column list and AS query" + positions().of(name));
      }
      rows = binder.bindQuery(ct.getSelect());
      for (ColumnRef c : rows.output()) {
        columns.add(c.name());
        types.add(c.type().id() == DataType.Id.NULL ? DataType.INTEGER : c.type());
        nullable.add(true);
      }
    } else {
      if (ct.getColumnDefinitions() == null || ct.getColumnDefinitions().isEmpty()) {
        throw KilnException.syntax("CREATE TABLE " + name + " needs columns or AS query" + positions().of(name));
      }
      for (ColumnDefinition cd : ct.getColumnDefinitions()) {
        columns.add(Identifiers.normalize(cd.getColumnName()));
        types.add(ExprBinder.typeOf(cd.getColDataType()));
        nullable.add(!notNull(cd));
      }
    }
    Set<String> seen = new HashSet<>();
    for (String c : columns) {
      if (!seen.add(c)) {
        throw KilnException.binding("table " + name + " would have two columns named " + c + positions().of(c));
      }
    }
    return new TableCommands.CreateTable(name, columns, types, nullable, rows);
  }

  /** Whether a column definition says NOT NULL; other constraints are refused rather than ignored. */
  private boolean notNull(ColumnDefinition cd) {
    List<String> specs = cd.getColumnSpecs() == null ? List.of() : cd.getColumnSpecs();
    String text = String.join(" ", specs).toUpperCase(Locale.ROOT).trim();
    if (text.isEmpty() || text.equals("NULL")) {
      return false;
    }
    if (text.equals("NOT NULL")) {
      return true;
    }
    throw KilnException.unsupported("column constraint " + text + " on " + cd.getColumnName() + "; Kiln supports "
        + "NOT NULL" + positions().of(cd.getColumnName()));
  }

  TableCommands.Insert insert(Insert ins) {
    String name = Identifiers.normalize(ins.getTable().getName());
    if (ins.getReturningClause() != null || ins.getConflictAction() != null || ins.isUseDuplicate()
        || ins.isUseSet() || ins.isOverwrite() || ins.getSelect() == null) {
      throw KilnException.unsupported("this form of INSERT; Kiln takes INSERT INTO t [(columns)] VALUES ... or "
          + "SELECT ..." + positions().of(name));
    }
    TableProvider table = catalog.find(name);
    if (table == null) {
      throw KilnException.binding("cannot insert into table " + name + ": it does not exist"
          + io.kiln.util.Suggestions.didYouMean(name, catalog.names()) + positions().of(name));
    }
    List<org.apache.arrow.vector.types.pojo.Field> fields = table.schema().getFields();
    List<String> names = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    List<String> notNull = new ArrayList<>();
    for (org.apache.arrow.vector.types.pojo.Field f : fields) {
      names.add(f.getName().toLowerCase(Locale.ROOT));
      types.add(DataType.fromArrow(f.getType(), f.getName()));
      if (!f.isNullable()) {
        notNull.add(f.getName().toLowerCase(Locale.ROOT));
      }
    }
    List<Integer> targets = targets(name, ins, names);
    for (String c : notNull) {
      if (!targets.contains(names.indexOf(c))) {
        throw KilnException.binding("INSERT INTO " + name + " gives no value to column " + c + ", which is NOT NULL"
            + positions().of(name));
      }
    }
    LogicalPlan rows;
    if (ins.getSelect() instanceof net.sf.jsqlparser.statement.select.Values) {
      rows = values(name, names, types, targets,
          binder.bindValueRows((net.sf.jsqlparser.statement.select.Values) ins.getSelect(), null, Binder.Ctes.EMPTY));
    } else {
      rows = query(name, names, types, targets, binder.bindQuery(ins.getSelect()));
    }
    return new TableCommands.Insert(name, rows, notNull);
  }

  /** The table columns the statement fills, by index: the ones it lists, or all of them in order. */
  private List<Integer> targets(String table, Insert ins, List<String> names) {
    List<Integer> out = new ArrayList<>();
    if (ins.getColumns() == null || ins.getColumns().isEmpty()) {
      for (int i = 0; i < names.size(); i++) {
        out.add(i);
      }
      return out;
    }
    for (Column c : ins.getColumns()) {
      String col = Identifiers.normalize(c.getColumnName());
      int i = names.indexOf(col);
      if (i < 0) {
        throw KilnException.binding("table " + table + " has no column " + col + " (it has " + String.join(", ", names)
            + ")" + positions().of(col));
      }
      if (out.contains(i)) {
        throw KilnException.binding("INSERT INTO " + table + " names column " + col + " twice" + positions().of(col));
      }
      out.add(i);
    }
    return out;
  }

  private LogicalPlan values(String table, List<String> names, List<DataType> types, List<Integer> targets,
      List<List<Expr>> given) {
    List<ColumnRef> outputs = outputs(names, types);
    List<List<Expr>> rows = new ArrayList<>();
    for (int r = 0; r < given.size(); r++) {
      List<Expr> row = given.get(r);
      checkWidth(table, targets, row.size(), "VALUES row " + (r + 1) + " has");
      Expr[] full = nulls(types);
      for (int i = 0; i < targets.size(); i++) {
        int c = targets.get(i);
        full[c] = AssignmentCasts.cast(row.get(i), types.get(c), table, names.get(c), positions());
      }
      rows.add(List.of(full));
    }
    return new Values(rows, outputs);
  }

  private LogicalPlan query(String table, List<String> names, List<DataType> types, List<Integer> targets,
      LogicalPlan query) {
    List<ColumnRef> given = query.output();
    checkWidth(table, targets, given.size(), "the query gives");
    Expr[] exprs = nulls(types);
    for (int i = 0; i < targets.size(); i++) {
      int c = targets.get(i);
      exprs[c] = AssignmentCasts.cast(given.get(i), types.get(c), table, names.get(c), positions());
    }
    return new Project(query, List.of(exprs), outputs(names, types));
  }

  private void checkWidth(String table, List<Integer> targets, int given, String what) {
    if (given != targets.size()) {
      throw KilnException.binding("INSERT INTO " + table + " expects " + targets.size() + " values"
          + " but " + what + " " + given + positions().of(table));
    }
  }

  private static Expr[] nulls(List<DataType> types) {
    Expr[] out = new Expr[types.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Literal.nullOf(types.get(i));
    }
    return out;
  }

  private static List<ColumnRef> outputs(List<String> names, List<DataType> types) {
    List<ColumnRef> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      out.add(ColumnRef.fresh(names.get(i), types.get(i)));
    }
    return out;
  }

  /** DROP TABLE; null when IF EXISTS finds no table (nothing to do). */
  TableCommands.DropTable drop(net.sf.jsqlparser.statement.drop.Drop d) {
    String name = Identifiers.normalize(d.getName().getName());
    if (catalog.find(name) == null) {
      if (d.isIfExists()) {
        return null;
      }
      throw KilnException.binding("cannot drop table " + name + ": it does not exist"
          + io.kiln.util.Suggestions.didYouMean(name, catalog.names()) + positions().of(name));
    }
    return new TableCommands.DropTable(name);
  }
}
