package io.kiln.catalog;

import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An aggregate function of one argument written in Java by the user. Kiln aggregates in two
 * phases (PARTIAL per thread or worker, FINAL after an exchange), so the user supplies a state and
 * five steps: {@code init} makes a group's empty state, {@code update} folds in one value,
 * {@code merge} folds two states together, {@code finish} gives the result, and
 * {@code serialize}/{@code deserialize} carry a state between the phases as bytes (an Arrow
 * Binary column). Values arrive as {@link UdfValues} describes; NULL values are skipped, as
 * built-in aggregates skip them, and a group without values gets {@code finish(init())}. The
 * steps may run on several threads at once, each on its own states.
 */
public final class AggregateUdf {
  /** The user's steps over a state of type S (mutable or not: update and merge return the state to keep). */
  public interface Steps<S> {
    S init();

    S update(S state, Object value) throws Exception;

    S merge(S state, S other) throws Exception;

    Object finish(S state) throws Exception;

    byte[] serialize(S state) throws Exception;

    S deserialize(byte[] bytes) throws Exception;
  }

  private final String name;
  private final DataType argType;
  private final DataType returnType;
  private final Steps<Object> steps;

  @SuppressWarnings("unchecked")
  private AggregateUdf(String name, DataType argType, DataType returnType, Steps<?> steps) {
    this.name = name.toLowerCase(Locale.ROOT);
    this.argType = argType;
    this.returnType = returnType;
    this.steps = (Steps<Object>) steps;
  }

  public static AggregateUdf of(String name, DataType argType, DataType returnType, Steps<?> steps) {
    Objects.requireNonNull(steps, "steps");
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw KilnException.binding("a function name is letters, digits and underscores, not starting with a digit: "
          + name);
    }
    for (DataType t : List.of(argType, returnType)) {
      if (!UdfValues.supports(t)) {
        throw KilnException.unsupported("function " + name + ": user functions cannot take or return " + t);
      }
    }
    return new AggregateUdf(name, argType, returnType, steps);
  }

  /** The stand-in for an aggregate a plan names but this process does not have. */
  public static AggregateUdf unregistered(String name, DataType argType, DataType returnType) {
    return new AggregateUdf(name, argType, returnType, null);
  }

  public String name() {
    return name;
  }

  public DataType argType() {
    return argType;
  }

  public DataType returnType() {
    return returnType;
  }

  public boolean isRegistered() {
    return steps != null;
  }

  /** For errors: {@code name(BIGINT) -> DOUBLE}. */
  public String signature() {
    return name + "(" + argType + ") -> " + returnType;
  }

  public void requireRegistered() {
    if (steps == null) {
      throw KilnException.unsupported("unknown aggregate function '" + name + "' in a plan: the user function "
          + signature() + " is not registered in this process");
    }
  }

  // The engine's side of the steps: engine values in and out, the user's exceptions named.

  public Object init() {
    requireRegistered();
    try {
      return steps.init();
    } catch (RuntimeException e) {
      throw failed("init", e);
    }
  }

  public Object update(Object state, Object engineValue) {
    try {
      return steps.update(state, UdfValues.toJava(engineValue, argType));
    } catch (Exception e) {
      throw failed("update", e);
    }
  }

  public Object merge(Object state, Object other) {
    try {
      return steps.merge(state, other);
    } catch (Exception e) {
      throw failed("merge", e);
    }
  }

  /** The result as an engine value. */
  public Object finish(Object state) {
    Object result;
    try {
      result = steps.finish(state);
    } catch (Exception e) {
      throw failed("finish", e);
    }
    return UdfValues.toEngine(result, returnType, name);
  }

  public byte[] serialize(Object state) {
    byte[] bytes;
    try {
      bytes = steps.serialize(state);
    } catch (Exception e) {
      throw failed("serialize", e);
    }
    if (bytes == null) {
      throw KilnException.execution("function " + name + " serialized a state to null; serialize must return bytes");
    }
    return bytes;
  }

  public Object deserialize(byte[] bytes) {
    try {
      return steps.deserialize(bytes);
    } catch (Exception e) {
      throw failed("deserialize", e);
    }
  }

  private KilnException failed(String step, Exception e) {
    if (e instanceof KilnException) {
      return (KilnException) e;
    }
    return new KilnException(KilnException.Kind.EXECUTION, "function " + name + " failed in " + step + ": "
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
  }

  @Override
  public String toString() {
    return signature();
  }
}
