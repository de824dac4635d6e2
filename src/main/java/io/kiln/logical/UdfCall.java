package io.kiln.logical;

import io.kiln.catalog.ScalarUdf;
import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import io.kiln.types.DataType.Id;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A call of a user's scalar function ({@link ScalarUdf}). Its arguments have exactly the declared
 * types (the binder casts them), so both execution modes hand the body the values it declared.
 * Calls compare by the function's name and signature, not its code, as plans read elsewhere do.
 */
public final class UdfCall extends Expr {
  private final ScalarUdf function;
  private final List<Expr> args;

  public UdfCall(ScalarUdf function, List<Expr> args) {
    if (args.size() != function.argTypes().size()) {
      throw new IllegalArgumentException(function.signature() + " given " + args.size() + " arguments");
    }
    this.function = function;
    this.args = List.copyOf(args);
  }

  /**
   * The call of {@code f} on {@code args}, cast to the declared types where SQL would convert
   * implicitly (a narrower number, NULL, a string literal for a date); anything else is an error
   * naming the signature.
   */
  public static UdfCall bind(ScalarUdf f, List<Expr> args) {
    return new UdfCall(f, convertArguments(f.signature(), f.argTypes(), args));
  }

  /** {@code args} cast to {@code declared}, or a binding error naming {@code signature}. */
  static List<Expr> convertArguments(String signature, List<DataType> declared, List<Expr> args) {
    if (args.size() != declared.size()) {
      throw KilnException.binding("function " + signature + " takes " + declared.size() + " argument"
          + (declared.size() == 1 ? "" : "s") + ", got " + args.size());
    }
    List<Expr> cast = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Expr a = args.get(i);
      DataType to = declared.get(i);
      if (!converts(a, to)) {
        throw KilnException.binding("function " + signature + " cannot take " + a.type() + " as argument "
            + (i + 1) + " (" + a + ")");
      }
      cast.add(Calls.cast(a, to));
    }
    return cast;
  }

  /** Whether {@code a} converts to {@code to} without loss, as an argument may implicitly. */
  private static boolean converts(Expr a, DataType to) {
    DataType from = a.type();
    if (from.equals(to) || from.id() == Id.NULL) {
      return true;
    }
    if (from.isExactNumeric() && to.isExactNumeric()) {
      // every digit before and after the point still fits
      return to.scale() >= from.scale() && to.precision() - to.scale() >= from.precision() - from.scale();
    }
    if (from.isNumeric() && to.kind() == io.kiln.types.PhysicalKind.DOUBLE) {
      return true;
    }
    if (from.id() == Id.DATE && to.id() == Id.TIMESTAMP) {
      return true;
    }
    return from.id() == Id.VARCHAR && a instanceof Literal && to.isTemporal();
  }

  public ScalarUdf function() {
    return function;
  }

  public List<Expr> args() {
    return args;
  }

  @Override
  public DataType type() {
    return function.returnType();
  }

  @Override
  public List<Expr> children() {
    return args;
  }

  @Override
  public Expr withChildren(List<Expr> children) {
    return new UdfCall(function, children);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof UdfCall)) {
      return false;
    }
    UdfCall c = (UdfCall) o;
    return function.signature().equals(c.function.signature()) && args.equals(c.args);
  }

  @Override
  public int hashCode() {
    return Objects.hash(function.signature(), args);
  }

  @Override
  public String toString() {
    return function.name() + args;
  }
}
