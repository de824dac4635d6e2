package io.kiln.codegen;

import io.kiln.types.DataType;
import io.kiln.types.PhysicalKind;

/**
 * A value in generated code: Java expressions for the value and for "is NULL". Integers, decimals
 * and dates are {@code long}, floats {@code double}, booleans {@code boolean}. A string is either a
 * slice of an Arrow buffer ({@code addr}, {@code len}) or a {@code byte[]} ({@code value}).
 */
final class Val {
  final DataType type;
  final String value;
  final String addr;
  final String len;
  final String isNull;

  private Val(DataType type, String value, String addr, String len, String isNull) {
    this.type = type;
    this.value = value;
    this.addr = addr;
    this.len = len;
    this.isNull = isNull;
  }

  static Val of(DataType type, String value, String isNull) {
    return new Val(type, value, null, null, isNull);
  }

  static Val slice(DataType type, String addr, String len, String isNull) {
    return new Val(type, null, addr, len, isNull);
  }

  PhysicalKind kind() {
    return type.kind();
  }

  boolean isSlice() {
    return addr != null;
  }

  boolean neverNull() {
    return "false".equals(isNull);
  }

  /** The value as a byte[] expression (copying a slice). */
  String bytes() {
    return isSlice() ? "io.kiln.codegen.runtime.Strs.bytes(" + addr + ", " + len + ")" : value;
  }

  /** The value boxed as the interpreter's engine object (Long, Double, Boolean, String), or null. */
  String boxed() {
    String box;
    switch (kind()) {
      case LONG:
        box = "Long.valueOf(" + value + ")";
        break;
      case DOUBLE:
        box = "Double.valueOf(" + value + ")";
        break;
      case BOOLEAN:
        box = "Boolean.valueOf(" + value + ")";
        break;
      default:
        box = isSlice() ? "io.kiln.codegen.runtime.Strs.string(" + addr + ", " + len + ")"
            : "io.kiln.codegen.runtime.Strs.string(" + value + ")";
    }
    return neverNull() ? "(Object) " + box : "(" + isNull + " ? null : (Object) " + box + ")";
  }

  static String javaType(DataType t) {
    switch (t.kind()) {
      case LONG:
        return "long";
      case DOUBLE:
        return "double";
      case BOOLEAN:
        return "boolean";
      default:
        return "byte[]";
    }
  }

  static String zero(DataType t) {
    switch (t.kind()) {
      case LONG:
        return "0L";
      case DOUBLE:
        return "0.0";
      case BOOLEAN:
        return "false";
      default:
        return "null";
    }
  }

  /** Unboxes an engine object expression of this type (not null). */
  static String unbox(DataType t, String o) {
    switch (t.kind()) {
      case LONG:
        return "((Long) " + o + ").longValue()";
      case DOUBLE:
        return "((Double) " + o + ").doubleValue()";
      case BOOLEAN:
        return "((Boolean) " + o + ").booleanValue()";
      default:
        return "io.kiln.codegen.runtime.Strs.utf8((String) " + o + ")";
    }
  }
}
