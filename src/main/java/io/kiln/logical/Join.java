package io.kiln.logical;

import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins two inputs on a condition (null: every pair, a cross product). For MARK joins,
 * {@code mark} is the boolean output column.
 */
public final class Join extends LogicalPlan {
  private final LogicalPlan left;
  private final LogicalPlan right;
  private final JoinType type;
  private final Expr condition;
  private final ColumnRef mark;
  private final boolean nullAware;

  public Join(LogicalPlan left, LogicalPlan right, JoinType type, Expr condition, ColumnRef mark, boolean nullAware) {
    this.left = left;
    this.right = right;
    this.type = type;
    this.condition = condition;
    this.mark = mark;
    this.nullAware = nullAware;
  }

  public Join(LogicalPlan left, LogicalPlan right, JoinType type, Expr condition) {
    this(left, right, type, condition, null, false);
  }

  /** For MARK joins from IN: the condition's last conjunct is the IN equality, with IN's NULL rules. */
  public boolean nullAware() {
    return nullAware;
  }

  public static ColumnRef newMark() {
    return ColumnRef.fresh("mark", DataType.BOOLEAN);
  }

  public LogicalPlan left() {
    return left;
  }

  public LogicalPlan right() {
    return right;
  }

  public JoinType type() {
    return type;
  }

  /** The join condition, or null for a cross product. */
  public Expr condition() {
    return condition;
  }

  public ColumnRef mark() {
    return mark;
  }

  public Join withCondition(Expr newCondition) {
    return new Join(left, right, type, newCondition, mark, nullAware);
  }

  @Override
  public List<ColumnRef> output() {
    switch (type) {
      case SEMI:
      case ANTI:
        return left.output();
      case MARK:
        List<ColumnRef> out = new ArrayList<>(left.output());
        out.add(mark);
        return out;
      default:
        return concat(left.output(), right.output());
    }
  }

  @Override
  public List<LogicalPlan> inputs() {
    return List.of(left, right);
  }

  @Override
  public LogicalPlan withInputs(List<LogicalPlan> inputs) {
    return new Join(inputs.get(0), inputs.get(1), type, condition, mark, nullAware);
  }

  @Override
  public List<Expr> expressions() {
    return condition == null ? List.of() : List.of(condition);
  }

  @Override
  public String describe() {
    return "Join " + type + (condition == null ? "" : " on " + condition) + (mark == null ? "" : " mark=" + mark);
  }
}
