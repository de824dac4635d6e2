package io.kiln.logical;

import io.kiln.types.DataType;
import java.util.List;
import java.util.Objects;

/** A scalar function or operator applied to arguments. */
public final class Call extends Expr {
  private final Function function;
  private final List<Expr> args;
  private final DataType type;

  public Call(Function function, List<Expr> args, DataType type) {
    this.function = function;
    this.args = List.copyOf(args);
    this.type = type;
  }

  public static Call of(Function function, DataType type, Expr... args) {
    return new Call(function, List.of(args), type);
  }

  public Function function() {
    return function;
  }

  public List<Expr> args() {
    return args;
  }

  public Expr arg(int i) {
    return args.get(i);
  }

  @Override
  public DataType type() {
    return type;
  }

  @Override
  public List<Expr> children() {
    return args;
  }

  @Override
  public Expr withChildren(List<Expr> children) {
    return new Call(function, children, type);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Call)) {
      return false;
    }
    Call c = (Call) o;
    return function == c.function && args.equals(c.args) && type.equals(c.type);
  }

  @Override
  public int hashCode() {
    return Objects.hash(function, args, type);
  }

  @Override
  public String toString() {
    switch (function) {
      case CAST:
      case TRY_CAST:
        return function.symbol() + "(" + args.get(0) + " AS " + type + ")";
      case NOT:
        return "NOT " + args.get(0);
      case NEGATE:
        return "-" + args.get(0);
      case IS_NULL:
      case IS_NOT_NULL:
        return args.get(0) + " " + function.symbol();
      case IN_LIST:
        return args.get(0) + " IN " + args.subList(1, args.size());
      default:
        if (function.isInfix() && args.size() == 2) {
          return "(" + args.get(0) + " " + function.symbol() + " " + args.get(1) + ")";
        }
        return function.symbol() + args;
    }
  }
}
