package io.kiln.codegen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of one generated class: fields, constructor statements, methods, and the constants
 * array. Literals become constants read in the constructor, so queries that differ only in their
 * literals produce the same source and share one compiled class.
 */
final class ClassBuilder {
  final List<String> fields = new ArrayList<>();
  final List<String> constructor = new ArrayList<>();
  final List<String> methods = new ArrayList<>();
  final List<Object> refs = new ArrayList<>();
  /** Split mode: per-row variables are fields, so any block can move into its own method. */
  final boolean varsAsFields;
  private final Map<String, String> bufferFields = new HashMap<>();
  private int names;

  ClassBuilder(boolean varsAsFields) {
    this.varsAsFields = varsAsFields;
  }

  String fresh(String prefix) {
    return prefix + (names++);
  }

  /** A constant: a final field read from {@code refs[i]} in the constructor. */
  String ref(Object value, String javaType) {
    int i = refs.size();
    refs.add(value);
    String name = "k" + i;
    fields.add("private final " + javaType + " " + name + ";");
    String read;
    switch (javaType) {
      case "long":
        read = "((Long) refs[" + i + "]).longValue()";
        break;
      case "double":
        read = "((Double) refs[" + i + "]).doubleValue()";
        break;
      case "boolean":
        read = "((Boolean) refs[" + i + "]).booleanValue()";
        break;
      default:
        read = "(" + javaType + ") refs[" + i + "]";
    }
    constructor.add(name + " = " + read + ";");
    return name;
  }

  /** A per-instance object made in the constructor (after the constants it may use are read). */
  String field(String javaType, String prefix, String init) {
    String name = fresh(prefix);
    fields.add("private final " + javaType + " " + name + ";");
    constructor.add(name + " = " + init + ";");
    return name;
  }

  /**
   * An array field reused from batch to batch, grown in {@code setup} to hold the batch's {@code n}
   * rows; the name returned is a local alias (a field in split mode) for the loop to use.
   */
  String buffer(Code setup, String elementType, String prefix) {
    String field = fresh(prefix + "Buffer");
    fields.add("private " + elementType + "[] " + field + " = new " + elementType + "[0];");
    setup.line("if (" + field + ".length < n) " + field + " = new " + elementType + "[n];");
    String alias = var(setup, elementType + "[]", prefix, field);
    bufferFields.put(alias, field);
    return alias;
  }

  /** The field behind a {@link #buffer} alias, where an array grown in the loop is kept for later batches. */
  String bufferField(String alias) {
    return bufferFields.get(alias);
  }

  /** A variable assigned in {@code code}: a local, or a field in split mode. */
  String var(Code code, String javaType, String prefix, String init) {
    String name = fresh(prefix);
    if (varsAsFields) {
      fields.add("private " + javaType + " " + name + ";");
      code.line(name + " = " + init + ";");
    } else {
      code.line(javaType + " " + name + " = " + init + ";");
    }
    return name;
  }

  /** A mutable per-instance field, initialized where it is declared (stage arrays that grow). */
  String mutableField(String javaType, String prefix, String init) {
    String name = fresh(prefix);
    fields.add("private " + javaType + " " + name + " = " + init + ";");
    return name;
  }

  /**
   * A variable that several loops of a segment set (a join's build row): each loop declares it
   * with {@link #set}, or in split mode it is one field.
   */
  String loopVar(String javaType, String prefix) {
    String name = fresh(prefix);
    if (varsAsFields) {
      fields.add("private " + javaType + " " + name + ";");
    }
    return name;
  }

  /** Declares and sets a {@link #loopVar} in the current loop (only sets the field in split mode). */
  void set(Code code, String javaType, String name, String value) {
    code.line((varsAsFields ? "" : javaType + " ") + name + " = " + value + ";");
  }

  /** A variable declared here but only assigned later, maybe in nested blocks. */
  String declare(Code code, String javaType, String prefix) {
    String name = fresh(prefix);
    String zero = javaType.equals("long") ? "0L" : javaType.equals("double") ? "0.0"
        : javaType.equals("boolean") ? "false" : javaType.equals("int") ? "0" : "null";
    if (varsAsFields) {
      fields.add("private " + javaType + " " + name + ";");
    } else {
      code.line(javaType + " " + name + " = " + zero + ";");
    }
    return name;
  }
}
