package io.kiln.sql;

import io.kiln.error.KilnException;
import io.kiln.catalog.Catalog;
import io.kiln.catalog.TableProvider;
import io.kiln.logical.Aggregate;
import io.kiln.logical.AggregateCall;
import io.kiln.optimizer.LateralJoins;
import io.kiln.logical.Call;
import io.kiln.logical.Calls;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.Filter;
import io.kiln.logical.Function;
import io.kiln.logical.Join;
import io.kiln.logical.JoinType;
import io.kiln.logical.Limit;
import io.kiln.logical.Literal;
import io.kiln.logical.LogicalPlan;
import io.kiln.logical.Project;
import io.kiln.logical.Scan;
import io.kiln.logical.Sort;
import io.kiln.logical.SortKey;
import io.kiln.logical.Union;
import io.kiln.logical.Values;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperation;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Turns a parsed query into a logical plan: resolves names against the catalog, views, CTEs and
 * enclosing queries, types every expression, and lays out the clauses in SQL's evaluation order
 * (FROM, WHERE, GROUP BY, HAVING, SELECT, DISTINCT, ORDER BY, LIMIT).
 */
public final class Binder {
  private final Catalog catalog;
  private final Views views;
  final SourcePositions positions;

  /** current_date and current_timestamp: one instant for the whole statement. */
  final java.time.LocalDateTime statementStart = java.time.LocalDateTime.now();

  private final TableFunctions tableFunctions;

  /** The session's user functions, which SQL calls by name. */
  io.kiln.catalog.FunctionRegistry functions() {
    return catalog.functions();
  }

  Binder(Catalog catalog, Views views, FileTables files, SourcePositions positions) {
    this.catalog = catalog;
    this.views = views;
    this.positions = positions;
    this.tableFunctions = new TableFunctions(files, positions);
  }

  /** A bound relation: its plan and the names it can be referred to by. */
  static final class Bound {
    final LogicalPlan plan;
    final Scope scope;

    Bound(LogicalPlan plan, Scope scope) {
      this.plan = plan;
      this.scope = scope;
    }
  }

  /** CTEs visible at a point: name to definition, each remembering the CTEs visible where it was defined. */
  static final class Ctes {
    final Map<String, WithItem<?>> items;
    final Map<String, Ctes> scopes;

    Ctes(Map<String, WithItem<?>> items, Map<String, Ctes> scopes) {
      this.items = items;
      this.scopes = scopes;
    }

    static final Ctes EMPTY = new Ctes(Map.of(), Map.of());

    Ctes with(List<WithItem<?>> withItems) {
      if (withItems == null || withItems.isEmpty()) {
        return this;
      }
      Map<String, WithItem<?>> i = new HashMap<>(items);
      Map<String, Ctes> s = new HashMap<>(scopes);
      Ctes current = this;
      for (WithItem<?> w : withItems) {
        String name = Identifiers.normalize(w.getAlias().getName());
        i.put(name, w);
        s.put(name, current);
        current = new Ctes(new HashMap<>(i), new HashMap<>(s));
      }
      return current;
    }
  }

  public LogicalPlan bindQuery(Select select) {
    return bindSelect(select, null, Ctes.EMPTY).plan;
  }

  LogicalPlan bindSubquery(Select select, Scope outer, Ctes ctes) {
    return bindSelect(select, outer, ctes).plan;
  }

  Bound bindSelect(Select select, Scope outer, Ctes ctes) {
    Ctes inner = ctes.with(select.getWithItemsList());
    if (select instanceof PlainSelect) {
      return bindPlainSelect((PlainSelect) select, outer, inner);
    }
    if (select instanceof SetOperationList) {
      return bindSetOperations((SetOperationList) select, outer, inner);
    }
    if (select instanceof net.sf.jsqlparser.statement.select.Values) {
      return bindValues((net.sf.jsqlparser.statement.select.Values) select, outer, inner);
    }
    if (select instanceof ParenthesedSelect) {
      ParenthesedSelect p = (ParenthesedSelect) select;
      Bound b = bindSelect(p.getSelect(), outer, inner);
      return applyOrderLimit(b, p.getOrderByElements(), p.getLimit(), p.getOffset(), outer, inner);
    }
    throw KilnException.unsupported("query form " + select.getClass().getSimpleName() + ": " + select);
  }

  // ---------------------------------------------------------------- FROM

  private Bound bindFrom(PlainSelect ps, Scope outer, Ctes ctes) {
    if (ps.getFromItem() == null) {
      return new Bound(Values.oneEmptyRow(), new Scope(List.of(), outer));
    }
    Bound current = bindFromItem(ps.getFromItem(), outer, ctes);
    if (ps.getJoins() != null) {
      for (net.sf.jsqlparser.statement.select.Join j : ps.getJoins()) {
        current = bindJoin(current, j, outer, ctes);
      }
    }
    return current;
  }

  private Bound bindJoin(Bound left, net.sf.jsqlparser.statement.select.Join j, Scope outer, Ctes ctes) {
    if (j.getFromItem() instanceof LateralSubSelect) {
      return bindLateralJoin(left, j, outer, ctes);
    }
    Bound right = bindFromItem(j.getFromItem(), outer, ctes);
    JoinType type = j.isLeft() ? JoinType.LEFT : j.isRight() ? JoinType.RIGHT : j.isFull() ? JoinType.FULL : JoinType.INNER;
    Scope merged = left.scope.merge(right.scope);
    Expr condition = null;
    if (j.getOnExpressions() != null && !j.getOnExpressions().isEmpty()) {
      ExprBinder eb = new ExprBinder(this, merged, ctes, null);
      eb.windowsRefused = "in a JOIN condition";
      List<Expr> parts = new ArrayList<>();
      for (Expression on : j.getOnExpressions()) {
        parts.add(Calls.requireBoolean(eb.bind(on), "ON"));
      }
      condition = Exprs.and(parts);
      if (Exprs.containsSubquery(condition)) {
        throw KilnException.unsupported("subqueries in a JOIN's ON condition; move them to WHERE");
      }
    } else if (j.isNatural() || (j.getUsingColumns() != null && !j.getUsingColumns().isEmpty())) {
      return bindJoinUsing(left, right, j, type);
    } else if (type != JoinType.INNER) {
      throw KilnException.syntax(type + " JOIN needs an ON or USING condition");
    }
    return new Bound(new Join(left.plan, right.plan, type, condition), merged);
  }

  /**
   * {@code JOIN ... USING (names)} and {@code NATURAL JOIN} (USING the names both sides have): equal
   * columns of those names join, and each name then stands for one column, as in DuckDB and the
   * standard: the left side's value (the right's for a RIGHT join, the first non-NULL for FULL),
   * listed first by {@code *}, which leaves out the sides' own columns of those names.
   */
  private Bound bindJoinUsing(Bound left, Bound right, net.sf.jsqlparser.statement.select.Join j, JoinType type) {
    List<String> names = new ArrayList<>();
    List<String> spelled = new ArrayList<>(); // as written, for errors
    if (j.isNatural()) {
      for (Scope.Entry e : left.scope.entries) {
        if (!e.qualifiedOnly && !names.contains(e.name) && right.scope.find(null, e.name) != null) {
          names.add(e.name);
          spelled.add(e.name);
        }
      }
    } else {
      for (Column c : j.getUsingColumns()) {
        names.add(Identifiers.normalize(c.getColumnName()));
        spelled.add(c.getColumnName());
      }
    }
    List<Expr> parts = new ArrayList<>();
    List<ColumnRef> joined = new ArrayList<>();
    List<Expr> coalesced = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      ColumnRef l = left.scope.find(null, name);
      ColumnRef r = right.scope.find(null, name);
      if (l == null || r == null) { // only a USING name can be missing: NATURAL's are on both sides
        throw KilnException.binding("USING column " + spelled.get(i) + " is not on both sides of the join"
            + positions.of(spelled.get(i)));
      }
      parts.add(Calls.compare(Function.EQ, l, r));
      if (type == JoinType.FULL) {
        Expr either = Calls.coalesce(List.of(l, r));
        coalesced.add(either);
        joined.add(ColumnRef.fresh(name, either.type()));
      } else {
        joined.add(type == JoinType.RIGHT ? r : l);
      }
    }
    // NATURAL JOIN of sides with no name in common is a cross join.
    LogicalPlan plan = new Join(left.plan, right.plan, type, names.isEmpty() ? null : Exprs.and(parts));
    if (!coalesced.isEmpty()) {
      List<Expr> exprs = new ArrayList<>(coalesced);
      exprs.addAll(plan.output());
      List<ColumnRef> outputs = new ArrayList<>(joined);
      outputs.addAll(plan.output());
      plan = new Project(plan, exprs, outputs);
    }
    return new Bound(plan, left.scope.mergeUsing(right.scope, names, joined));
  }

  /**
   * {@code left, LATERAL (query) alias} and {@code left [LEFT] JOIN LATERAL (query) alias ON ...}: the
   * query sees the left side's columns, and is decorrelated into a plain join here, so that a shape
   * that cannot be is an error at its place in the SQL.
   */
  private Bound bindLateralJoin(Bound left, net.sf.jsqlparser.statement.select.Join j, Scope outer, Ctes ctes) {
    LateralSubSelect lateral = (LateralSubSelect) j.getFromItem();
    String where = positions.of("LATERAL");
    if (j.isRight() || j.isFull() || j.isNatural() || (j.getUsingColumns() != null && !j.getUsingColumns().isEmpty())) {
      throw KilnException.unsupported("this kind of JOIN LATERAL (only comma, CROSS, INNER and LEFT JOIN LATERAL"
          + " ... ON)" + where);
    }
    Bound sub = bindSelect(lateral.getSelect(), left.scope.withOuter(outer), ctes);
    Alias alias = lateral.getAlias();
    Bound right = renameRelation(sub, alias == null ? null : Identifiers.normalize(alias.getName()), alias, outer);
    Scope merged = left.scope.merge(right.scope);
    Expr on = null;
    if (j.getOnExpressions() != null && !j.getOnExpressions().isEmpty()) {
      ExprBinder eb = new ExprBinder(this, merged, ctes, null);
      eb.windowsRefused = "in a JOIN condition";
      List<Expr> parts = new ArrayList<>();
      for (Expression c : j.getOnExpressions()) {
        parts.add(Calls.requireBoolean(eb.bind(c), "ON"));
      }
      on = Exprs.and(parts);
      if (Exprs.containsSubquery(on)) {
        throw KilnException.unsupported("subqueries in a JOIN's ON condition; move them to WHERE" + where);
      }
    } else if (j.isLeft()) {
      throw KilnException.syntax("LEFT JOIN LATERAL needs an ON condition (ON true for none)" + where);
    }
    try {
      return new Bound(LateralJoins.join(left.plan, right.plan, j.isLeft() ? JoinType.LEFT : JoinType.INNER, on),
          merged);
    } catch (KilnException e) {
      throw e.kind() == KilnException.Kind.UNSUPPORTED
          ? new KilnException(e.kind(), "LATERAL subquery: " + e.detail() + where, e) : e;
    }
  }

  private Bound bindFromItem(FromItem item, Scope outer, Ctes ctes) {
    Alias alias = item.getAlias();
    if (item instanceof Table) {
      Table t = (Table) item;
      String name = Identifiers.normalize(t.getName());
      String qualifier = alias != null ? Identifiers.normalize(alias.getName()) : name;
      Bound b = bindNamedRelation(t, name, outer, ctes);
      return renameRelation(b, qualifier, alias, outer);
    }
    if (item instanceof ParenthesedSelect) {
      ParenthesedSelect p = (ParenthesedSelect) item;
      Bound b = bindSelect(p, null, ctes);
      return renameRelation(b, alias == null ? null : Identifiers.normalize(alias.getName()), alias, outer);
    }
    if (item instanceof ParenthesedFromItem) {
      ParenthesedFromItem p = (ParenthesedFromItem) item;
      Bound current = bindFromItem(p.getFromItem(), outer, ctes);
      if (p.getJoins() != null) {
        for (net.sf.jsqlparser.statement.select.Join j : p.getJoins()) {
          current = bindJoin(current, j, outer, ctes);
        }
      }
      return alias == null ? current : renameRelation(current, Identifiers.normalize(alias.getName()), alias, outer);
    }
    if (item instanceof net.sf.jsqlparser.statement.select.Values) {
      Bound b = bindValues((net.sf.jsqlparser.statement.select.Values) item, outer, ctes);
      return renameRelation(b, alias == null ? null : Identifiers.normalize(alias.getName()), alias, outer);
    }
    if (item instanceof net.sf.jsqlparser.statement.select.TableFunction) {
      TableFunctions.Opened f = tableFunctions.open(((net.sf.jsqlparser.statement.select.TableFunction) item)
          .getFunction());
      String qualifier = alias != null ? Identifiers.normalize(alias.getName())
          : Identifiers.normalize(((net.sf.jsqlparser.statement.select.TableFunction) item).getFunction().getName());
      return renameRelation(scanOf(f.name(), f.table()), qualifier, alias, outer);
    }
    throw KilnException.unsupported("FROM item " + item);
  }

  private Bound bindNamedRelation(Table t, String name, Scope outer, Ctes ctes) {
    String key = Identifiers.normalize(name);
    WithItem<?> cte = ctes.items.get(key);
    if (cte != null && t.getSchemaName() == null) {
      Bound b = bindSelect(cte.getSelect(), null, ctes.scopes.getOrDefault(key, Ctes.EMPTY));
      if (cte.getWithItemList() != null && !cte.getWithItemList().isEmpty()) {
        List<String> names = new ArrayList<>();
        for (SelectItem<?> si : cte.getWithItemList()) {
          names.add(si.getExpression().toString());
        }
        b = withColumnNames(b, names, name);
      }
      return b;
    }
    Select view = views.find(name);
    if (view != null) {
      return bindSelect(view, null, Ctes.EMPTY);
    }
    TableProvider provider = catalog.find(name);
    if (provider == null) {
      List<String> known = new ArrayList<>(catalog.names());
      known.addAll(ctes.items.keySet());
      throw KilnException.binding("unknown table " + name + io.kiln.util.Suggestions.didYouMean(name, known)
          + positions.of(name));
    }
    return scanOf(key, provider);
  }

  /** A scan of every column of {@code provider}, under the name the plan knows it by. */
  private static Bound scanOf(String key, TableProvider provider) {
    List<ColumnRef> cols = new ArrayList<>();
    int[] idx = new int[provider.schema().getFields().size()];
    int i = 0;
    for (org.apache.arrow.vector.types.pojo.Field f : provider.schema().getFields()) {
      cols.add(ColumnRef.fresh(f.getName().toLowerCase(Locale.ROOT), DataType.fromArrow(f.getType(), f.getName())));
      idx[i] = i;
      i++;
    }
    return new Bound(new Scan(key, provider, cols, idx, List.of(), OptionalLong.empty()), null);
  }

  private Bound withColumnNames(Bound b, List<String> names, String what) {
    List<ColumnRef> out = b.plan.output();
    if (names.size() > out.size()) {
      throw KilnException.binding(what + " has " + out.size() + " columns but " + names.size() + " names were given");
    }
    List<Expr> exprs = new ArrayList<>();
    List<ColumnRef> renamed = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      exprs.add(out.get(i));
      renamed.add(i < names.size() ? ColumnRef.fresh(Identifiers.normalize(names.get(i)), out.get(i).type()) : out.get(i));
    }
    return new Bound(new Project(b.plan, exprs, renamed), null);
  }

  /** Gives a relation's columns their qualifier (and column aliases, if the alias lists them). */
  private Bound renameRelation(Bound b, String qualifier, Alias alias, Scope outer) {
    if (alias != null && alias.getAliasColumns() != null && !alias.getAliasColumns().isEmpty()) {
      List<String> names = new ArrayList<>();
      for (Alias.AliasColumn c : alias.getAliasColumns()) {
        names.add(c.name);
      }
      b = withColumnNames(b, names, qualifier);
    }
    return new Bound(b.plan, Scope.of(qualifier, b.plan.output(), outer));
  }

  // ---------------------------------------------------------------- VALUES

  /**
   * VALUES rows as a relation: each column gets the common type of its values (a column of only
   * NULLs is INTEGER) and, as in DuckDB, the name col0, col1, ...
   */
  private Bound bindValues(net.sf.jsqlparser.statement.select.Values v, Scope outer, Ctes ctes) {
    List<List<Expr>> rows = bindValueRows(v, outer, ctes);
    int width = rows.get(0).size();
    List<ColumnRef> outputs = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      DataType type = DataType.NULL;
      for (List<Expr> row : rows) {
        type = Calls.commonType(type, row.get(c).type(), "combine in VALUES column " + (c + 1));
      }
      if (type.id() == DataType.Id.NULL) {
        type = DataType.INTEGER;
      }
      outputs.add(ColumnRef.fresh("col" + c, type));
      for (List<Expr> row : rows) {
        Expr e = row.get(c);
        row.set(c, e.type().id() == DataType.Id.NULL ? io.kiln.logical.Literal.nullOf(type) : Calls.cast(e, type));
      }
    }
    return new Bound(new Values(rows, outputs), null);
  }

  /** The rows of a VALUES list, bound as constants (each row as wide as the first), in their own types. */
  List<List<Expr>> bindValueRows(net.sf.jsqlparser.statement.select.Values v, Scope outer, Ctes ctes) {
    List<List<Expression>> raw = new ArrayList<>();
    net.sf.jsqlparser.expression.operators.relational.ExpressionList<?> list = v.getExpressions();
    if (list instanceof net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList) {
      raw.add(new ArrayList<>(list)); // VALUES (a, b): one row
    } else {
      for (Expression e : list) {
        raw.add(e instanceof net.sf.jsqlparser.expression.operators.relational.ExpressionList
            ? new ArrayList<>((net.sf.jsqlparser.expression.operators.relational.ExpressionList<?>) e)
            : new ArrayList<>(List.of(e)));
      }
    }
    ExprBinder eb = new ExprBinder(this, new Scope(List.of(), outer), ctes, null);
    eb.aggregatesRefused = "in VALUES";
    eb.windowsRefused = "in VALUES";
    List<List<Expr>> rows = new ArrayList<>();
    for (int r = 0; r < raw.size(); r++) {
      if (raw.get(r).size() != raw.get(0).size()) {
        throw KilnException.binding("VALUES row " + (r + 1) + " has " + raw.get(r).size() + " values, row 1 has "
            + raw.get(0).size() + positions.of("values"));
      }
      List<Expr> row = new ArrayList<>();
      for (Expression e : raw.get(r)) {
        Expr bound = eb.bind(e);
        if (Exprs.containsSubquery(bound)) {
          throw KilnException.unsupported("subqueries in VALUES" + positions.of("values"));
        }
        row.add(bound);
      }
      rows.add(row);
    }
    return rows;
  }

  // ---------------------------------------------------------------- SELECT

  /**
   * Select-list columns that are a bare NULL, typed INTEGER for want of a type: a set operation
   * gives them the other side's type, as DuckDB and PostgreSQL do.
   */
  private final Set<ColumnRef> untypedNulls = new HashSet<>();

  private Bound bindPlainSelect(PlainSelect ps, Scope outer, Ctes ctes) {
    if (ps.getIntoTables() != null) {
      throw KilnException.unsupported("SELECT INTO");
    }
    Bound from = bindFrom(ps, outer, ctes);
    Scope scope = from.scope;
    LogicalPlan plan = from.plan;

    if (ps.getWhere() != null) {
      ExprBinder eb = new ExprBinder(this, scope, ctes, null);
      eb.aggregatesRefused = "in WHERE (filter groups with HAVING)";
      eb.windowsRefused = "in WHERE (filter on window functions with QUALIFY)";
      Expr where = Calls.requireBoolean(eb.bind(ps.getWhere()), "WHERE");
      if (eb.sawAggregate) {
        throw KilnException.binding("aggregate functions are not allowed in WHERE; use HAVING" + positions.of("where"));
      }
      plan = new Filter(plan, where);
    }

    List<SelectItem<?>> items = ps.getSelectItems();
    AggregateContext agg = new AggregateContext(scope);
    ExprBinder selectBinder = new ExprBinder(this, scope, ctes, agg);
    WindowBinder windows = new WindowBinder(this, ps.getWindowDefinitions());
    selectBinder.windows = windows;

    // GROUP BY keys: expressions over FROM, select-list ordinals or select-list aliases.
    GroupByElement groupBy = ps.getGroupBy();
    if (groupBy != null) {
      List<BitSet> sets = new ArrayList<>();
      for (List<Expression> spelled : GroupingSets.spelled(groupBy)) {
        BitSet set = new BitSet();
        for (Expression g : spelled) {
          Expression resolved = resolveSelectReference(g, items, scope);
          ExprBinder keyBinder = new ExprBinder(this, scope, ctes, null);
          keyBinder.windowsRefused = "in GROUP BY";
          Expr key = keyBinder.bind(resolved);
          agg.addGroupKey(key);
          set.set(agg.groupKeys.indexOf(key));
        }
        sets.add(set);
      }
      if (sets.size() > 1) {
        agg.groupingSets = new GroupingSets(sets);
      }
    }

    // Select list.
    List<Expr> selectExprs = new ArrayList<>();
    List<String> selectNames = new ArrayList<>();
    for (SelectItem<?> item : items) {
      Expression e = item.getExpression();
      if (e instanceof AllColumns && !(e instanceof AllTableColumns)) {
        if (scope.entries.isEmpty()) {
          throw KilnException.binding("SELECT * with no FROM clause");
        }
        for (Scope.Entry entry : scope.entries) {
          if (!entry.qualifiedOnly) {
            selectExprs.add(entry.column);
            selectNames.add(entry.column.name());
          }
        }
        continue;
      }
      if (e instanceof AllTableColumns) {
        String q = ((AllTableColumns) e).getTable().getName();
        boolean any = false;
        for (Scope.Entry entry : scope.entries) {
          if (Identifiers.normalize(q).equals(entry.qualifier)) {
            selectExprs.add(entry.column);
            selectNames.add(entry.column.name());
            any = true;
          }
        }
        if (!any) {
          throw KilnException.binding("unknown table " + q + " in " + q + ".*" + positions.of(q));
        }
        continue;
      }
      selectExprs.add(selectBinder.bind(e));
      selectNames.add(item.getAlias() != null ? Identifiers.normalize(item.getAlias().getName()) : displayName(e));
    }

    Expr having = null;
    if (ps.getHaving() != null) {
      selectBinder.windows = null;
      selectBinder.windowsRefused = "in HAVING (filter on window functions with QUALIFY)";
      having = Calls.requireBoolean(selectBinder.bind(ps.getHaving()), "HAVING");
      selectBinder.windows = windows;
    }
    Expr qualify = null;
    if (ps.getQualify() != null) {
      qualify = Calls.requireBoolean(selectBinder.bind(ps.getQualify()), "QUALIFY");
    }

    // ORDER BY: ordinals and output names refer to the select list; anything else is bound like
    // a select expression and, if not in the list, carried as a hidden column.
    List<OrderByElement> orderBy = ps.getOrderByElements() == null ? List.of() : ps.getOrderByElements();
    List<Integer> orderTargets = new ArrayList<>();
    int visible = selectExprs.size();
    for (OrderByElement o : orderBy) {
      Integer target = selectReference(o.getExpression(), selectNames, visible);
      if (target == null) {
        Expr e = selectBinder.bind(o.getExpression());
        int found = selectExprs.indexOf(e);
        if (found < 0) {
          if (ps.getDistinct() != null) {
            throw KilnException.binding("with SELECT DISTINCT, ORDER BY expressions must appear in the select list: "
                + o.getExpression());
          }
          selectExprs.add(e);
          selectNames.add("__order" + selectExprs.size());
          found = selectExprs.size() - 1;
        }
        target = found;
      }
      orderTargets.add(target);
    }

    boolean aggregating = groupBy != null || !agg.calls.isEmpty();
    if (aggregating) {
      plan = agg.aggregate(plan);
      for (int i = 0; i < selectExprs.size(); i++) {
        selectExprs.set(i, agg.rewriteAfterAggregation(selectExprs.get(i), selectNames.get(i), positions));
      }
      if (having != null) {
        having = agg.rewriteAfterAggregation(having, "HAVING", positions);
      }
      if (qualify != null) {
        qualify = agg.rewriteAfterAggregation(qualify, "QUALIFY", positions);
      }
    } else if (having != null) {
      throw KilnException.binding("HAVING needs GROUP BY or an aggregate");
    }
    if (having != null) {
      plan = new Filter(plan, having);
    }
    // Window functions see the rows after WHERE, GROUP BY and HAVING; QUALIFY filters on their results.
    List<Expr> windowed = new ArrayList<>(selectExprs);
    if (qualify != null) {
      windowed.add(qualify);
    }
    plan = WindowNodes.place(plan, windowed);
    if (qualify != null) {
      plan = new Filter(plan, windowed.remove(windowed.size() - 1));
    } else if (windowed.size() != selectExprs.size()) {
      throw new IllegalStateException("window placement changed the select list's length");
    }
    for (int i = 0; i < selectExprs.size(); i++) {
      selectExprs.set(i, windowed.get(i));
    }

    List<ColumnRef> outputs = new ArrayList<>();
    for (int i = 0; i < selectExprs.size(); i++) {
      Expr e = selectExprs.get(i);
      outputs.add(ColumnRef.fresh(selectNames.get(i).toLowerCase(Locale.ROOT), e.type().id() == DataType.Id.NULL
          ? DataType.INTEGER : e.type()));
      if (e.type().id() == DataType.Id.NULL) {
        selectExprs.set(i, Calls.cast(e, DataType.INTEGER));
        untypedNulls.add(outputs.get(i));
      }
    }
    plan = new Project(plan, selectExprs, outputs);

    if (ps.getDistinct() != null) {
      if (ps.getDistinct().getOnSelectItems() != null) {
        throw KilnException.unsupported("DISTINCT ON");
      }
      plan = distinct(plan);
      outputs = plan.output();
    }

    if (!orderTargets.isEmpty()) {
      List<SortKey> keys = new ArrayList<>();
      for (int i = 0; i < orderBy.size(); i++) {
        keys.add(sortKey(outputs.get(orderTargets.get(i)), orderBy.get(i)));
      }
      plan = new Sort(plan, keys);
    }
    plan = applyLimit(plan, ps.getLimit(), ps.getOffset());
    if (outputs.size() > visible) {
      plan = new Project(plan, new ArrayList<>(outputs.subList(0, visible)), outputs.subList(0, visible));
    }
    return new Bound(plan, Scope.of(null, plan.output(), outer));
  }

  static LogicalPlan distinct(LogicalPlan plan) {
    List<Expr> keys = new ArrayList<>(plan.output());
    List<ColumnRef> outs = new ArrayList<>();
    for (ColumnRef c : plan.output()) {
      outs.add(ColumnRef.fresh(c.name(), c.type()));
    }
    return new Aggregate(plan, keys, outs, List.of(), List.of());
  }

  static SortKey sortKey(Expr e, OrderByElement o) {
    boolean asc = o.isAsc();
    boolean nullsFirst;
    if (o.getNullOrdering() == null) {
      nullsFirst = !asc; // NULLs sort as the largest value, like DuckDB and PostgreSQL
    } else {
      nullsFirst = o.getNullOrdering() == OrderByElement.NullOrdering.NULLS_FIRST;
    }
    return new SortKey(e, asc, nullsFirst);
  }

  /** For ORDER BY: the select-list position an ordinal or output name refers to, else null. */
  private Integer selectReference(Expression e, List<String> names, int visible) {
    if (e instanceof LongValue) {
      long n = ((LongValue) e).getValue();
      if (n < 1 || n > visible) {
        throw KilnException.binding("ORDER BY position " + n + " is not in the select list (1.." + visible + ")");
      }
      return (int) n - 1;
    }
    if (e instanceof Column && ((Column) e).getTable() == null) {
      String name = Identifiers.normalize(((Column) e).getColumnName());
      for (int i = 0; i < visible; i++) {
        if (Identifiers.normalize(names.get(i)).equals(name)) {
          return i;
        }
      }
    }
    return null;
  }

  /** For GROUP BY: replaces an ordinal or a select alias (not shadowed by a FROM column) by its expression. */
  private Expression resolveSelectReference(Expression g, List<SelectItem<?>> items, Scope scope) {
    if (g instanceof LongValue) {
      long n = ((LongValue) g).getValue();
      if (n < 1 || n > items.size()) {
        throw KilnException.binding("GROUP BY position " + n + " is not in the select list (1.." + items.size() + ")");
      }
      return items.get((int) n - 1).getExpression();
    }
    if (g instanceof Column && ((Column) g).getTable() == null) {
      String name = ((Column) g).getColumnName();
      if (scope.find(null, name) == null) {
        for (SelectItem<?> si : items) {
          if (si.getAlias() != null && Identifiers.normalize(si.getAlias().getName()).equals(Identifiers.normalize(name))) {
            return si.getExpression();
          }
        }
      }
    }
    return g;
  }

  private static String displayName(Expression e) {
    if (e instanceof Column) {
      return Identifiers.normalize(((Column) e).getColumnName());
    }
    return e.toString();
  }

  private LogicalPlan applyLimit(LogicalPlan plan, net.sf.jsqlparser.statement.select.Limit limit,
      net.sf.jsqlparser.statement.select.Offset offset) {
    long n = -1;
    long skip = 0;
    if (limit != null) {
      if (limit.getOffset() != null) {
        skip = constantLong(limit.getOffset(), "OFFSET");
      }
      if (limit.getRowCount() != null && !limit.isLimitAll() && !limit.isLimitNull()) {
        n = constantLong(limit.getRowCount(), "LIMIT");
      }
    }
    if (offset != null) {
      skip = constantLong(offset.getOffset(), "OFFSET");
    }
    if (n < 0 && skip == 0) {
      return plan;
    }
    return new Limit(plan, n, skip);
  }

  private static long constantLong(Expression e, String what) {
    if (e instanceof LongValue) {
      long v = ((LongValue) e).getValue();
      if (v < 0) {
        throw KilnException.binding(what + " must not be negative");
      }
      return v;
    }
    throw KilnException.unsupported(what + " must be an integer literal, got " + e);
  }

  // ---------------------------------------------------------------- set operations

  private Bound bindSetOperations(SetOperationList list, Scope outer, Ctes ctes) {
    hoistTrailingClauses(list);
    List<LogicalPlan> operands = new ArrayList<>();
    for (Select s : list.getSelects()) {
      operands.add(bindSelect(s, outer, ctes).plan);
    }
    List<SetOperation> ops = list.getOperations();
    // INTERSECT binds tighter than UNION and EXCEPT; the rest is left to right.
    List<LogicalPlan> terms = new ArrayList<>();
    List<SetOperation> termOps = new ArrayList<>();
    LogicalPlan current = operands.get(0);
    for (int i = 0; i < ops.size(); i++) {
      SetOperation op = ops.get(i);
      if (op instanceof net.sf.jsqlparser.statement.select.IntersectOp) {
        current = setOperation(current, operands.get(i + 1), op);
      } else {
        terms.add(current);
        termOps.add(op);
        current = operands.get(i + 1);
      }
    }
    terms.add(current);
    LogicalPlan result = terms.get(0);
    for (int i = 0; i < termOps.size(); i++) {
      result = setOperation(result, terms.get(i + 1), termOps.get(i));
    }
    Bound b = new Bound(result, Scope.of(null, result.output(), outer));
    return applyOrderLimit(b, list.getOrderByElements(), list.getLimit(), list.getOffset(), outer, ctes);
  }

  /**
   * JSqlParser attaches a trailing ORDER BY / LIMIT / OFFSET to the last SELECT of "a UNION b LIMIT
   * n"; in SQL they apply to the whole set operation (only a parenthesized SELECT keeps its own).
   */
  private static void hoistTrailingClauses(SetOperationList list) {
    Select last = list.getSelects().get(list.getSelects().size() - 1);
    if (!(last instanceof PlainSelect)) {
      return;
    }
    PlainSelect ps = (PlainSelect) last;
    if (list.getOrderByElements() == null && ps.getOrderByElements() != null) {
      list.setOrderByElements(ps.getOrderByElements());
      ps.setOrderByElements(null);
    }
    if (list.getLimit() == null && ps.getLimit() != null) {
      list.setLimit(ps.getLimit());
      ps.setLimit(null);
    }
    if (list.getOffset() == null && ps.getOffset() != null) {
      list.setOffset(ps.getOffset());
      ps.setOffset(null);
    }
  }

  private LogicalPlan setOperation(LogicalPlan left, LogicalPlan right, SetOperation op) {
    List<ColumnRef> lo = left.output();
    List<ColumnRef> ro = right.output();
    if (lo.size() != ro.size()) {
      throw KilnException.binding("each side of " + op + " must have the same number of columns (" + lo.size()
          + " vs " + ro.size() + ")");
    }
    List<DataType> types = new ArrayList<>();
    for (int i = 0; i < lo.size(); i++) {
      // a bare NULL (typed INTEGER for want of a type) takes the other side's type
      boolean leftNull = untypedNulls.contains(lo.get(i));
      boolean rightNull = untypedNulls.contains(ro.get(i));
      types.add(leftNull && !rightNull ? ro.get(i).type() : rightNull && !leftNull ? lo.get(i).type()
          : Calls.commonType(lo.get(i).type(), ro.get(i).type(), "combine in " + op));
    }
    left = castColumns(left, types);
    right = castColumns(right, types);
    String name = op.toString().toUpperCase(Locale.ROOT);
    boolean all = name.endsWith("ALL");
    if (name.startsWith("UNION")) {
      List<ColumnRef> outs = new ArrayList<>();
      for (int i = 0; i < lo.size(); i++) {
        outs.add(ColumnRef.fresh(lo.get(i).name(), types.get(i)));
        if (untypedNulls.contains(lo.get(i)) && untypedNulls.contains(ro.get(i))) {
          untypedNulls.add(outs.get(i));
        }
      }
      LogicalPlan u = new Union(List.of(left, right), outs);
      if (all) {
        return u;
      }
      LogicalPlan d = distinct(u);
      for (int i = 0; i < outs.size(); i++) {
        if (untypedNulls.contains(outs.get(i))) {
          untypedNulls.add(d.output().get(i));
        }
      }
      return d;
    }
    if (all) {
      throw KilnException.unsupported(name);
    }
    // INTERSECT / EXCEPT: distinct left rows with / without a null-safe match on the right.
    LogicalPlan d = distinct(left);
    List<Expr> eq = new ArrayList<>();
    for (int i = 0; i < lo.size(); i++) {
      eq.add(Call.of(Function.IS_NOT_DISTINCT_FROM, DataType.BOOLEAN, d.output().get(i), right.output().get(i)));
    }
    return new Join(d, right, name.startsWith("INTERSECT") ? JoinType.SEMI : JoinType.ANTI, Exprs.and(eq));
  }

  private static LogicalPlan castColumns(LogicalPlan plan, List<DataType> types) {
    List<ColumnRef> out = plan.output();
    boolean same = true;
    for (int i = 0; i < out.size(); i++) {
      same &= out.get(i).type().equals(types.get(i));
    }
    if (same) {
      return plan;
    }
    List<Expr> exprs = new ArrayList<>();
    List<ColumnRef> cols = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      exprs.add(Calls.cast(out.get(i), types.get(i)));
      cols.add(out.get(i).type().equals(types.get(i)) ? out.get(i) : ColumnRef.fresh(out.get(i).name(), types.get(i)));
    }
    return new Project(plan, exprs, cols);
  }

  private Bound applyOrderLimit(Bound b, List<OrderByElement> orderBy, net.sf.jsqlparser.statement.select.Limit limit,
      net.sf.jsqlparser.statement.select.Offset offset, Scope outer, Ctes ctes) {
    LogicalPlan plan = b.plan;
    if (orderBy != null && !orderBy.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (ColumnRef c : plan.output()) {
        names.add(c.name());
      }
      List<SortKey> keys = new ArrayList<>();
      for (OrderByElement o : orderBy) {
        Integer target = selectReference(o.getExpression(), names, names.size());
        Expr e;
        if (target != null) {
          e = plan.output().get(target);
        } else {
          e = new ExprBinder(this, b.scope, ctes, null).bind(o.getExpression());
          if (!(e instanceof ColumnRef) || !plan.output().contains(e)) {
            throw KilnException.unsupported("ORDER BY on a set operation must name an output column or position: "
                + o.getExpression());
          }
        }
        keys.add(sortKey(e, o));
      }
      plan = new Sort(plan, keys);
    }
    plan = applyLimit(plan, limit, offset);
    return new Bound(plan, Scope.of(null, plan.output(), outer));
  }

  // ---------------------------------------------------------------- aggregation

  /** Collects the aggregate calls and GROUP BY keys of one SELECT, and rewrites expressions over them. */
  static final class AggregateContext {
    final Scope fromScope;
    final List<Expr> groupKeys = new ArrayList<>();
    final List<ColumnRef> groupOutputs = new ArrayList<>();
    final List<AggregateCall> calls = new ArrayList<>();
    final List<ColumnRef> callOutputs = new ArrayList<>();

    AggregateContext(Scope fromScope) {
      this.fromScope = fromScope;
    }

    /** Null for a plain GROUP BY. */
    GroupingSets groupingSets;

    /** The aggregation over {@code input}; with grouping sets, over its rows repeated once per set. */
    LogicalPlan aggregate(LogicalPlan input) {
      if (groupingSets == null) {
        return new Aggregate(input, groupKeys, groupOutputs, calls, callOutputs);
      }
      GroupingSets.Expanded expanded = groupingSets.expand(input, groupKeys, calls);
      List<Expr> keys = new ArrayList<>(expanded.keyColumns());
      keys.add(groupingSets.setColumn);
      List<ColumnRef> outputs = new ArrayList<>(groupOutputs);
      outputs.add(groupingSets.setOutput);
      return new Aggregate(expanded.input(), keys, outputs, expanded.calls(), callOutputs);
    }

    /** {@code grouping(args)}: which of its arguments (GROUP BY keys) the row's grouping set leaves out, as bits. */
    Expr grouping(List<Expr> args, SourcePositions positions) {
      List<Integer> indexes = new ArrayList<>();
      for (Expr a : args) {
        int k = groupKeys.indexOf(a);
        if (k < 0) {
          throw KilnException.binding("the arguments of GROUPING must be GROUP BY keys, not " + a
              + positions.of("grouping"));
        }
        indexes.add(k);
      }
      if (args.isEmpty()) {
        throw KilnException.binding("GROUPING needs at least one argument" + positions.of("grouping"));
      }
      return groupingSets == null ? Literal.ofLong(0) : groupingSets.grouping(indexes);
    }

    void addGroupKey(Expr key) {
      if (!groupKeys.contains(key)) {
        groupKeys.add(key);
        String name = key instanceof ColumnRef ? ((ColumnRef) key).name() : "group" + groupKeys.size();
        groupOutputs.add(ColumnRef.fresh(name, key.type()));
      }
    }

    ColumnRef addCall(AggregateCall call) {
      int i = calls.indexOf(call);
      if (i >= 0) {
        return callOutputs.get(i);
      }
      calls.add(call);
      String name = call.udf() != null ? call.udf().name() : call.fn().name().toLowerCase(Locale.ROOT);
      ColumnRef out = ColumnRef.fresh(name, call.type());
      callOutputs.add(out);
      return out;
    }

    /** Maps group-key expressions to their outputs; any other FROM column left over is an error. */
    Expr rewriteAfterAggregation(Expr e, String where, SourcePositions positions) {
      int k = groupKeys.indexOf(e);
      if (k >= 0) {
        return groupOutputs.get(k);
      }
      if (e instanceof ColumnRef) {
        if (!callOutputs.contains(e) && isFromColumn((ColumnRef) e)) {
          throw KilnException.binding("column " + ((ColumnRef) e).name() + " must appear in GROUP BY or be used in an"
              + " aggregate function" + positions.of(((ColumnRef) e).name()));
        }
        return e;
      }
      List<Expr> children = e.children();
      if (children.isEmpty()) {
        return e;
      }
      List<Expr> out = new ArrayList<>();
      for (Expr c : children) {
        out.add(rewriteAfterAggregation(c, where, positions));
      }
      return e.withChildren(out);
    }

    private boolean isFromColumn(ColumnRef c) {
      for (Scope.Entry e : fromScope.entries) {
        if (e.column.equals(c)) {
          return true;
        }
      }
      return false;
    }
  }

  static final Set<String> AGGREGATE_NAMES = Set.of("count", "sum", "avg", "min", "max", "stddev", "stddev_samp",
      "stddev_pop", "variance", "var_samp", "var_pop", "mean", "bool_and", "bool_or", "median", "quantile_cont",
      "quantile_disc", "quantile", "string_agg", "listagg", "approx_count_distinct", "arg_min", "argmin", "min_by",
      "arg_max", "argmax", "max_by");

  /** The aggregates that also run as window functions. */
  static final Set<String> WINDOW_AGGREGATE_NAMES = Set.of("count", "sum", "avg", "min", "max", "stddev",
      "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop", "mean");
}
