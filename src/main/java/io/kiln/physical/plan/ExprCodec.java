package io.kiln.physical.plan;

import io.kiln.catalog.AggregateUdf;
import io.kiln.catalog.ScalarUdf;
import io.kiln.error.KilnException;
import io.kiln.logical.AggregateCall;
import io.kiln.logical.Call;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Function;
import io.kiln.logical.Literal;
import io.kiln.logical.SortKey;
import io.kiln.logical.UdfCall;
import io.kiln.types.DataType;
import io.kiln.physical.plan.proto.PlanProtos;
import java.util.ArrayList;
import java.util.List;

/** Expressions, aggregate calls and sort keys to and from the plan format. */
final class ExprCodec {
  private ExprCodec() {}

  static PlanProtos.Expr toProto(Expr e) {
    PlanProtos.Expr.Builder b = PlanProtos.Expr.newBuilder();
    if (e instanceof ColumnRef c) {
      b.setColumn(column(c));
    } else if (e instanceof Literal l) {
      b.setLiteral(ValueCodec.toProto(l));
    } else if (e instanceof Call c) {
      b.setCall(PlanProtos.Call.newBuilder().setFunction(c.function().name()).addAllArgs(toProto(c.args()))
          .setType(TypeCodec.toProto(c.type())));
    } else if (e instanceof UdfCall u) {
      PlanProtos.UdfCall.Builder udf = PlanProtos.UdfCall.newBuilder().setName(u.function().name())
          .addAllArgs(toProto(u.args())).setType(TypeCodec.toProto(u.type()));
      for (DataType t : u.function().argTypes()) {
        udf.addArgTypes(TypeCodec.toProto(t));
      }
      b.setUdf(udf);
    } else {
      // Subqueries are joins by the time a physical plan exists.
      throw new IllegalArgumentException("a physical plan holds no " + e.getClass().getSimpleName() + ": " + e);
    }
    return b.build();
  }

  static Expr fromProto(PlanProtos.Expr e) {
    return switch (e.getKindCase()) {
      case COLUMN -> column(e.getColumn());
      case LITERAL -> ValueCodec.fromProto(e.getLiteral());
      case CALL -> call(e.getCall());
      case UDF -> udf(e.getUdf());
      case KIND_NOT_SET -> throw PlanFormatErrors.unknownKind("an expression", e);
    };
  }

  static List<PlanProtos.Expr> toProto(List<? extends Expr> exprs) {
    List<PlanProtos.Expr> out = new ArrayList<>(exprs.size());
    for (Expr e : exprs) {
      out.add(toProto(e));
    }
    return out;
  }

  static List<Expr> fromProto(List<PlanProtos.Expr> exprs) {
    List<Expr> out = new ArrayList<>(exprs.size());
    for (PlanProtos.Expr e : exprs) {
      out.add(fromProto(e));
    }
    return out;
  }

  private static Call call(PlanProtos.Call c) {
    Function f;
    try {
      f = Function.valueOf(c.getFunction());
    } catch (IllegalArgumentException e) {
      throw KilnException.unsupported("unknown function '" + c.getFunction() + "' in a plan expression");
    }
    return new Call(f, fromProto(c.getArgsList()), TypeCodec.fromProto(c.getType()));
  }

  /** A user function's call; its code is not in the plan, so it runs only where it is registered. */
  private static UdfCall udf(PlanProtos.UdfCall c) {
    List<DataType> argTypes = new ArrayList<>();
    for (PlanProtos.DataType t : c.getArgTypesList()) {
      argTypes.add(TypeCodec.fromProto(t));
    }
    List<Expr> args = fromProto(c.getArgsList());
    if (args.size() != argTypes.size()) {
      throw KilnException.unsupported("user function call '" + c.getName() + "' in a plan expression has "
          + args.size() + " arguments but " + argTypes.size() + " argument types");
    }
    return new UdfCall(ScalarUdf.unregistered(c.getName(), argTypes, TypeCodec.fromProto(c.getType())), args);
  }

  // ---------------------------------------------------------------- columns

  static PlanProtos.ColumnRef column(ColumnRef c) {
    return PlanProtos.ColumnRef.newBuilder().setId(c.id()).setName(c.name()).setType(TypeCodec.toProto(c.type()))
        .build();
  }

  /** The sender's column, with the sender's id. */
  static ColumnRef column(PlanProtos.ColumnRef c) {
    return ColumnRef.withId(c.getId(), c.getName(), TypeCodec.fromProto(c.getType()));
  }

  static List<PlanProtos.ColumnRef> columns(List<ColumnRef> columns) {
    List<PlanProtos.ColumnRef> out = new ArrayList<>(columns.size());
    for (ColumnRef c : columns) {
      out.add(column(c));
    }
    return out;
  }

  static List<ColumnRef> columnsFromProto(List<PlanProtos.ColumnRef> columns) {
    List<ColumnRef> out = new ArrayList<>(columns.size());
    for (PlanProtos.ColumnRef c : columns) {
      out.add(column(c));
    }
    return out;
  }

  // ---------------------------------------------------------------- aggregate calls and sort keys

  static PlanProtos.AggregateCall toProto(AggregateCall a) {
    PlanProtos.AggregateCall.Builder b = PlanProtos.AggregateCall.newBuilder()
        .setFunction(EnumNames.toProto(a.fn(), PlanProtos.AggregateFunction.class, "AGGREGATE_FUNCTION_"))
        .setDistinct(a.distinct())
        .setType(TypeCodec.toProto(a.type()));
    if (a.arg() != null) {
      b.setArg(toProto(a.arg()));
    }
    if (a.filter() != null) {
      b.setFilter(toProto(a.filter()));
    }
    if (a.by() != null) {
      b.setBy(toProto(a.by()));
    }
    if (a.param() != null) {
      b.setParam(toProto(a.param()));
    }
    b.setOrder(EnumNames.toProto(a.order(), PlanProtos.ValueOrder.class, "VALUE_ORDER_"));
    if (a.udf() != null) {
      b.setUdfName(a.udf().name());
    }
    return b.build();
  }

  static AggregateCall fromProto(PlanProtos.AggregateCall a) {
    AggregateCall.Fn fn = EnumNames.fromProto(a.getFunction(), a.getFunctionValue(), AggregateCall.Fn.class,
        "AGGREGATE_FUNCTION_", "aggregate function");
    Literal param = null;
    if (a.hasParam()) {
      Expr p = fromProto(a.getParam());
      if (!(p instanceof Literal)) {
        throw PlanFormatErrors.invalid("an aggregate call's parameter must be a literal, got " + p);
      }
      param = (Literal) p;
    }
    AggregateCall.ValueOrder order = EnumNames.fromProto(a.getOrder(), a.getOrderValue(),
        AggregateCall.ValueOrder.class, "VALUE_ORDER_", "aggregate value order");
    if (fn == AggregateCall.Fn.UDF) {
      if (!a.hasArg() || a.getUdfName().isEmpty()) {
        throw PlanFormatErrors.invalid("a user aggregate's call needs a name and an argument");
      }
      Expr arg = fromProto(a.getArg());
      DataType type = TypeCodec.fromProto(a.getType());
      return AggregateCall.udf(AggregateUdf.unregistered(a.getUdfName(), arg.type(), type), List.of(arg),
          a.hasFilter() ? fromProto(a.getFilter()) : null);
    }
    Expr by = a.hasBy() ? fromProto(a.getBy()) : null;
    if ((by != null) != (fn == AggregateCall.Fn.ARG_MIN || fn == AggregateCall.Fn.ARG_MAX)) {
      throw PlanFormatErrors.invalid("aggregate " + fn + (by == null ? " needs a" : " takes no") + " 'by' argument");
    }
    return new AggregateCall(fn, a.hasArg() ? fromProto(a.getArg()) : null, by, a.getDistinct(),
        a.hasFilter() ? fromProto(a.getFilter()) : null, TypeCodec.fromProto(a.getType()), param, order);
  }

  static List<PlanProtos.SortKey> sortKeys(List<SortKey> keys) {
    List<PlanProtos.SortKey> out = new ArrayList<>(keys.size());
    for (SortKey k : keys) {
      out.add(PlanProtos.SortKey.newBuilder().setExpr(toProto(k.expr())).setAscending(k.ascending())
          .setNullsFirst(k.nullsFirst()).build());
    }
    return out;
  }

  static List<SortKey> sortKeysFromProto(List<PlanProtos.SortKey> keys) {
    List<SortKey> out = new ArrayList<>(keys.size());
    for (PlanProtos.SortKey k : keys) {
      out.add(new SortKey(fromProto(k.getExpr()), k.getAscending(), k.getNullsFirst()));
    }
    return out;
  }
}
