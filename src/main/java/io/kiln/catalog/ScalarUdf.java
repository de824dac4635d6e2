package io.kiln.catalog;

import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A scalar function written in Java by the user, called once per row with Java values (see
 * {@link UdfValues} for the classes each SQL type arrives as). By default a NULL argument makes the
 * result NULL without calling the body; {@link #calledOnNullInput()} hands NULLs (as Java null) to
 * the body instead. The body should be deterministic and thread-safe: worker threads call it
 * concurrently. An exception it throws fails the query with a KilnException naming the function.
 *
 * <p>Plans carry a call by name and signature; a process that reads such a plan without having
 * the function (a cluster worker) holds an {@linkplain #unregistered unregistered} stand-in that
 * refuses to run.
 */
public final class ScalarUdf {
  /** The user's code: one value per declared argument, in order; returns the result or null. */
  @FunctionalInterface
  public interface Body {
    Object apply(Object[] args) throws Exception;
  }

  private final String name;
  private final List<DataType> argTypes;
  private final DataType returnType;
  private final Body body;
  private final boolean strict;

  private ScalarUdf(String name, List<DataType> argTypes, DataType returnType, Body body, boolean strict) {
    this.name = name.toLowerCase(Locale.ROOT);
    this.argTypes = List.copyOf(argTypes);
    this.returnType = Objects.requireNonNull(returnType, "returnType");
    this.body = body;
    this.strict = strict;
  }

  /** A function of the given signature; the types must be ones {@link UdfValues#supports} lists. */
  public static ScalarUdf of(String name, List<DataType> argTypes, DataType returnType, Body body) {
    Objects.requireNonNull(body, "body");
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw KilnException.binding("a function name is letters, digits and underscores, not starting with a digit: "
          + name);
    }
    List<DataType> all = new ArrayList<>(argTypes);
    all.add(returnType);
    for (DataType t : all) {
      if (!UdfValues.supports(t)) {
        throw KilnException.unsupported("function " + name + ": user functions cannot take or return " + t);
      }
    }
    return new ScalarUdf(name, argTypes, returnType, body, true);
  }

  /** A one-argument function from a typed lambda, e.g. {@code (String s) -> s.length()}. */
  @SuppressWarnings("unchecked")
  public static <A, R> ScalarUdf of(String name, DataType argType, DataType returnType,
      java.util.function.Function<A, R> f) {
    return of(name, List.of(argType), returnType, args -> f.apply((A) args[0]));
  }

  /** A two-argument function from a typed lambda. */
  @SuppressWarnings("unchecked")
  public static <A, B, R> ScalarUdf of(String name, DataType a, DataType b, DataType returnType,
      java.util.function.BiFunction<A, B, R> f) {
    return of(name, List.of(a, b), returnType, args -> f.apply((A) args[0], (B) args[1]));
  }

  /** The stand-in for a function a plan names but this process does not have. */
  public static ScalarUdf unregistered(String name, List<DataType> argTypes, DataType returnType) {
    return new ScalarUdf(name, argTypes, returnType, null, true);
  }

  /** This function with NULL arguments passed to its body rather than making the result NULL. */
  public ScalarUdf calledOnNullInput() {
    return new ScalarUdf(name, argTypes, returnType, body, false);
  }

  public String name() {
    return name;
  }

  public List<DataType> argTypes() {
    return argTypes;
  }

  public DataType returnType() {
    return returnType;
  }

  public boolean isRegistered() {
    return body != null;
  }

  /** For errors: {@code name(BIGINT, VARCHAR) -> DOUBLE}. */
  public String signature() {
    StringBuilder sb = new StringBuilder(name).append('(');
    for (int i = 0; i < argTypes.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(argTypes.get(i));
    }
    return sb.append(") -> ").append(returnType).toString();
  }

  /** Fails unless this process has the function's code: checked before running a plan that calls it. */
  public void requireRegistered() {
    if (body == null) {
      throw KilnException.unsupported("unknown function '" + name + "' in a plan expression: the user function "
          + signature() + " is not registered in this process");
    }
  }

  /**
   * Calls the body on engine values (as the interpreter and generated code hold them) and returns
   * the engine value of its result. Both execution modes call this, so they cannot disagree.
   */
  public Object invoke(Object[] engineArgs) {
    requireRegistered();
    Object[] javaArgs = new Object[engineArgs.length];
    for (int i = 0; i < engineArgs.length; i++) {
      if (engineArgs[i] == null && strict) {
        return null;
      }
      javaArgs[i] = UdfValues.toJava(engineArgs[i], argTypes.get(i));
    }
    Object result;
    try {
      result = body.apply(javaArgs);
    } catch (Exception e) {
      throw new KilnException(KilnException.Kind.EXECUTION, "function " + name + " failed: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
    return UdfValues.toEngine(result, returnType, name);
  }

  @Override
  public String toString() {
    return signature();
  }
}
