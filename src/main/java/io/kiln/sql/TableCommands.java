package io.kiln.sql;

import io.kiln.logical.LogicalPlan;
import io.kiln.types.DataType;
import java.util.List;

/**
 * Statements that change the session's tables or write files instead of returning a query's rows,
 * bound and checked: the session carries them out (the SQL layer runs nothing).
 */
public final class TableCommands {
  private TableCommands() {}

  /** What a statement asks the session to do. */
  public sealed interface Command permits CreateTable, Insert, DropTable, Copy {}

  /**
   * CREATE [OR REPLACE] TABLE: with {@code rows} null, an empty table of the given columns;
   * otherwise the table holds {@code rows}' result, whose output has these names and types.
   */
  public record CreateTable(String name, List<String> columns, List<DataType> types, List<Boolean> nullable,
      LogicalPlan rows) implements Command {
    public CreateTable {
      columns = List.copyOf(columns);
      types = List.copyOf(types);
      nullable = List.copyOf(nullable);
    }
  }

  /**
   * INSERT INTO: {@code rows} yields exactly the table's columns in its order and types (columns the
   * statement left out are NULL). {@code notNull} names the columns that must not receive NULL.
   */
  public record Insert(String table, LogicalPlan rows, List<String> notNull) implements Command {
    public Insert {
      notNull = List.copyOf(notNull);
    }
  }

  /** DROP TABLE of a table that exists (IF EXISTS of a missing one binds to a message, not a command). */
  public record DropTable(String name) implements Command {}

  /** The file formats COPY writes. */
  public enum Format { PARQUET, CSV }

  /** COPY (query) TO 'path' or COPY table TO 'path', with the format's options. */
  public record Copy(LogicalPlan rows, String path, Format format, boolean header, char delimiter)
      implements Command {}
}
