package io.kiln.physical.expr;

import io.kiln.error.KilnException;
import io.kiln.logical.Call;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Literal;
import io.kiln.logical.UdfCall;
import java.util.ArrayList;
import java.util.List;

/** Turns a bound expression into an interpreted evaluator over a known input column layout. */
public final class ExprCompiler {
  private final List<ColumnRef> layout;

  public ExprCompiler(List<ColumnRef> layout) {
    this.layout = layout;
  }

  public Evaluator compile(Expr e) {
    if (e instanceof ColumnRef) {
      int i = layout.indexOf(e);
      if (i < 0) {
        throw new IllegalStateException("column " + e + " is not among the inputs " + layout);
      }
      return new ColumnEvaluator(i, e.type());
    }
    if (e instanceof Literal) {
      return new LiteralEvaluator(((Literal) e).value(), e.type());
    }
    if (e instanceof UdfCall) {
      UdfCall u = (UdfCall) e;
      return new UdfEvaluator(u.function(), compileAll(u.args()));
    }
    if (!(e instanceof Call)) {
      throw KilnException.unsupported("cannot evaluate " + e + " here");
    }
    Call c = (Call) e;
    List<Evaluator> args = new ArrayList<>();
    for (Expr a : c.args()) {
      args.add(compile(a));
    }
    switch (c.function()) {
      case ADD: case SUBTRACT: case MULTIPLY: case DIVIDE: case MODULO:
        return new ArithmeticEvaluator(c.function(), args.get(0), args.get(1), c.type());
      case EQ: case NE: case LT: case LE: case GT: case GE: case IS_NOT_DISTINCT_FROM:
        if (args.get(0) instanceof LiteralEvaluator && !(args.get(1) instanceof LiteralEvaluator)
            && c.function() != io.kiln.logical.Function.IS_NOT_DISTINCT_FROM) {
          return new ComparisonEvaluator(c.function().flip(), args.get(1), args.get(0));
        }
        return new ComparisonEvaluator(c.function(), args.get(0), args.get(1));
      case AND: case OR: case NOT: case IS_NULL: case IS_NOT_NULL:
        return new BooleanEvaluator(c.function(), args);
      case LIKE:
        return new LikeEvaluator(args.get(0), args.get(1));
      case IN_LIST:
        return new InListEvaluator(args.get(0), args.subList(1, args.size()));
      case CASE:
        return new CaseEvaluator(args, c.type());
      case CAST:
        return new CastEvaluator(args.get(0), c.type(), false);
      case TRY_CAST:
        return new CastEvaluator(args.get(0), c.type(), true);
      default:
        return new RowFunctionEvaluator(c.function(), args, c.type());
    }
  }

  public List<Evaluator> compileAll(List<? extends Expr> exprs) {
    List<Evaluator> out = new ArrayList<>();
    for (Expr e : exprs) {
      out.add(compile(e));
    }
    return out;
  }
}
