package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.catalog.Catalog;
import io.kiln.logical.LogicalPlan;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.statement.ExplainStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.select.Select;

/**
 * The SQL front end: splits text into statements, parses them (JSqlParser) with errors that give
 * line and column, and binds each one in turn so a view created by one statement is visible to the
 * next.
 */
public final class SqlStatements {
  /**
   * JSqlParser runs each parse on an executor to enforce its timeout; its default makes a pool
   * of non-daemon threads per call, which can keep a JVM alive after a failed parse. One shared
   * daemon thread does the same job.
   */
  private static final java.util.concurrent.ExecutorService PARSER = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kiln-sql-parser");
    t.setDaemon(true);
    return t;
  });

  private final Catalog catalog;
  private final FileTables files;
  private final Views views = new Views();

  /** Statements whose table functions read local files only. */
  public SqlStatements(Catalog catalog) {
    this(catalog, FileTables.LOCAL);
  }

  public SqlStatements(Catalog catalog, FileTables files) {
    this.catalog = catalog;
    this.files = files;
  }

  /** One parsed statement with the text it came from (for error positions). */
  public static final class Parsed {
    final Statement statement;
    final String text;
    /** Where the statement starts in {@link #text} (0 when not known), for error positions. */
    final int offset;
    /** For COPY: the statement around {@link #statement}, the query it writes (null otherwise). */
    final CopyStatement copy;

    Parsed(Statement statement, String text, int offset, CopyStatement copy) {
      this.statement = statement;
      this.text = text;
      this.offset = offset;
      this.copy = copy;
    }
  }

  /** What to do for a statement: run (or explain) a query, or report a DDL message. */
  public static final class Action {
    public final LogicalPlan query;
    public final boolean explain;
    public final String message;
    /** EXPLAIN CODEGEN: print each pipeline's generated source. */
    public boolean explainCodegen;
    /** EXPLAIN DISTRIBUTED: print the plan's stages and tasks for a cluster. */
    public boolean explainDistributed;
    /** SET name = value: the setting's name and value (the query is null). */
    public String setting;
    public String value;
    /** EXPLAIN ANALYZE: run the query, then show the plan with what it did. */
    public final boolean analyze;
    /** CREATE TABLE, INSERT, DROP TABLE or COPY for the session to carry out (the query is null). */
    public TableCommands.Command command;

    Action(LogicalPlan query, boolean explain, String message) {
      this(query, explain, message, false);
    }

    Action(LogicalPlan query, boolean explain, String message, boolean analyze) {
      this.query = query;
      this.explain = explain;
      this.message = message;
      this.analyze = analyze;
    }
  }

  /**
   * JSqlParser has no EXPLAIN CODEGEN; the word is swapped for VERBOSE, which has the same length,
   * so error positions stay right. EXPLAIN VERBOSE therefore also prints the generated code.
   */
  private static final java.util.regex.Pattern EXPLAIN_CODEGEN =
      java.util.regex.Pattern.compile("(?i)(\\bEXPLAIN\\s+)CODEGEN\\b");
  /** EXPLAIN DISTRIBUTED becomes EXPLAIN BUFFERS (padded to the same length), which Kiln has no other use for. */
  private static final java.util.regex.Pattern EXPLAIN_DISTRIBUTED =
      java.util.regex.Pattern.compile("(?i)(\\bEXPLAIN\\s+)DISTRIBUTED\\b");

  public List<Parsed> parse(String sql) {
    List<StatementSpans.Span> spans = StatementSpans.of(sql);
    String text = EXPLAIN_CODEGEN.matcher(sql).replaceAll("$1VERBOSE");
    text = EXPLAIN_DISTRIBUTED.matcher(text).replaceAll("$1BUFFERS    ");
    if (spans.stream().anyMatch(span -> CopyStatement.isCopy(sql, span.start()))) {
      return parseEach(sql, text, spans);
    }
    Statements statements;
    try {
      statements = CCJSqlParserUtil.parseStatements(text, PARSER, parser -> { });
    } catch (JSQLParserException e) {
      throw syntaxError(sql, e);
    }
    List<Parsed> out = new ArrayList<>();
    // Our split agrees with the parser's unless the text is unusual; then positions come from the whole text.
    boolean spansAgree = spans.size() == statements.size();
    for (int i = 0; i < statements.size(); i++) {
      out.add(new Parsed(statements.get(i), sql, spansAgree ? spans.get(i).start() : 0, null));
    }
    return out;
  }

  /**
   * A script with COPY in it, which JSqlParser cannot read: each statement is parsed alone, in
   * the text ({@code rewritten}: with EXPLAIN's words swapped, same length) with the rest blanked
   * so that positions stay right, and for a COPY only its query.
   */
  private static List<Parsed> parseEach(String sql, String rewritten, List<StatementSpans.Span> spans) {
    List<Parsed> out = new ArrayList<>();
    for (StatementSpans.Span span : spans) {
      CopyStatement copy = CopyStatement.isCopy(sql, span.start())
          ? CopyStatement.parse(sql, span.start(), span.end()) : null;
      String text = copy == null ? StatementSpans.only(rewritten, span.start(), span.end())
          : copy.table != null ? "SELECT * FROM " + copy.table
          : StatementSpans.only(rewritten, copy.queryStart, copy.queryEnd);
      try {
        out.add(new Parsed(CCJSqlParserUtil.parse(text, PARSER, parser -> { }), sql, span.start(), copy));
      } catch (JSQLParserException e) {
        throw syntaxError(sql, e);
      }
    }
    return out;
  }

  public Action bind(Parsed p) {
    Statement s = p.statement;
    Binder binder = new Binder(catalog, views, files, new SourcePositions(p.text, p.offset));
    if (p.copy != null) {
      if (!(s instanceof Select)) {
        throw KilnException.syntax("COPY (...) TO needs a query (SELECT or WITH) in the parentheses, not "
            + s.getClass().getSimpleName());
      }
      return command(copy(p, binder.bindQuery((Select) s)));
    }
    if (s instanceof Select) {
      return new Action(binder.bindQuery((Select) s), false, null);
    }
    if (s instanceof ExplainStatement) {
      Statement inner = ((ExplainStatement) s).getStatement();
      if (!(inner instanceof Select)) {
        throw KilnException.unsupported("EXPLAIN of " + inner.getClass().getSimpleName());
      }
      boolean analyze = ((ExplainStatement) s).getOption(ExplainStatement.OptionType.ANALYZE) != null;
      Action a = new Action(binder.bindQuery((Select) inner), true, null, analyze);
      a.explainCodegen = ((ExplainStatement) s).getOption(ExplainStatement.OptionType.VERBOSE) != null;
      a.explainDistributed = ((ExplainStatement) s).getOption(ExplainStatement.OptionType.BUFFERS) != null;
      return a;
    }
    if (s instanceof net.sf.jsqlparser.statement.SetStatement) {
      net.sf.jsqlparser.statement.SetStatement set = (net.sf.jsqlparser.statement.SetStatement) s;
      if (set.getCount() != 1 || set.getExpressions(0).size() != 1) {
        throw KilnException.unsupported("SET of more than one value: " + s);
      }
      Action a = new Action(null, false, null);
      a.setting = set.getName(0).toString();
      net.sf.jsqlparser.expression.Expression v = set.getExpressions(0).get(0);
      a.value = v instanceof net.sf.jsqlparser.expression.StringValue
          ? ((net.sf.jsqlparser.expression.StringValue) v).getValue() : v.toString();
      return a;
    }
    if (s instanceof CreateView) {
      CreateView cv = (CreateView) s;
      Select query = cv.getSelect();
      binder.bindQuery(query); // report errors now, not at first use
      String name = cv.getView().getName();
      views.create(name, query, cv.isOrReplace());
      return new Action(null, false, "created view " + name);
    }
    if (s instanceof net.sf.jsqlparser.statement.create.table.CreateTable) {
      TableCommands.CreateTable create = new TableStatements(catalog, views, binder)
          .create((net.sf.jsqlparser.statement.create.table.CreateTable) s);
      return create == null
          ? new Action(null, false, "table " + ((net.sf.jsqlparser.statement.create.table.CreateTable) s).getTable()
              .getName() + " already exists")
          : command(create);
    }
    if (s instanceof net.sf.jsqlparser.statement.insert.Insert) {
      return command(new TableStatements(catalog, views, binder).insert((net.sf.jsqlparser.statement.insert.Insert) s));
    }
    if (s instanceof Drop && "TABLE".equalsIgnoreCase(((Drop) s).getType())) {
      TableCommands.DropTable drop = new TableStatements(catalog, views, binder).drop((Drop) s);
      return drop == null ? new Action(null, false, "no table " + ((Drop) s).getName().getName() + " to drop")
          : command(drop);
    }
    if (s instanceof Drop) {
      Drop d = (Drop) s;
      if (!"VIEW".equalsIgnoreCase(d.getType())) {
        throw KilnException.unsupported("DROP " + d.getType() + " (only DROP VIEW and DROP TABLE)");
      }
      views.drop(d.getName().getName(), d.isIfExists());
      return new Action(null, false, "dropped view " + d.getName().getName());
    }
    throw KilnException.unsupported("statement " + s.getClass().getSimpleName() + "; Kiln runs SELECT, WITH, "
        + "EXPLAIN [CODEGEN], SET, CREATE [OR REPLACE] VIEW, DROP VIEW, CREATE [OR REPLACE] TABLE, INSERT, "
        + "DROP TABLE and COPY");
  }

  /** COPY's command, after checking that the folder it writes into exists. */
  private static TableCommands.Copy copy(Parsed p, LogicalPlan rows) {
    CopyStatement c = p.copy;
    java.nio.file.Path target = java.nio.file.Path.of(c.path).toAbsolutePath().normalize();
    java.nio.file.Path folder = target.getParent();
    if (folder == null || !java.nio.file.Files.isDirectory(folder)) {
      throw KilnException.io("COPY cannot write " + target + ": folder " + folder + " does not exist at "
          + new SourcePositions(p.text).lineColumn(c.pathOffset), null);
    }
    return new TableCommands.Copy(rows, target.toString(), c.format, c.header, c.delimiter);
  }

  private static Action command(TableCommands.Command command) {
    Action a = new Action(null, false, null);
    a.command = command;
    return a;
  }

  /** The plan of a single query (for DataFrames built from SQL). */
  public LogicalPlan planQuery(String sql) {
    List<Parsed> parsed = parse(sql);
    if (parsed.size() != 1) {
      throw KilnException.syntax("expected one query, got " + parsed.size() + " statements");
    }
    Action a = bind(parsed.get(0));
    if (a.query == null || a.explain) {
      throw KilnException.syntax("expected a query (SELECT or WITH)");
    }
    return a.query;
  }

  private static KilnException syntaxError(String sql, JSQLParserException e) {
    Throwable cause = e.getCause();
    while (cause != null && !(cause instanceof ParseException)) {
      cause = cause.getCause();
    }
    if (cause instanceof ParseException) {
      ParseException pe = (ParseException) cause;
      // The parser backtracks out of a clause before failing, so currentToken can be far before the
      // mistake; the furthest token it looked at is where the text stopped making sense.
      Token t = pe.currentToken == null ? null : pe.currentToken.next;
      while (t != null && t.next != null && t.next.image != null && !t.next.image.isEmpty()) {
        t = t.next;
      }
      if (t != null) {
        return KilnException.syntax("unexpected " + (t.image == null || t.image.isEmpty() ? "end of input" : "'" + t.image + "'")
            + " at line " + t.beginLine + ", column " + t.beginColumn);
      }
    }
    String msg = e.getMessage() == null ? "cannot parse the SQL" : e.getMessage().split("\n")[0];
    return new KilnException(KilnException.Kind.SYNTAX, msg, e);
  }
}
