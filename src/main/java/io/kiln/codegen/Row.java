package io.kiln.codegen;

import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The slots of one segment and how their values get into the current loop's variables: input and
 * build columns are read from their Arrow buffers by address (addresses hoisted into the segment's
 * setup), computed columns are evaluated, each on first use in a loop.
 */
final class Row {
  private static final String MEMORY = "org.apache.arrow.memory.util.MemoryUtil";

  private final ClassBuilder cls;
  private final Code setup;
  private final List<Slot> all = new ArrayList<>();

  Row(ClassBuilder cls, Code setup) {
    this.cls = cls;
    this.setup = setup;
  }

  Slot add(Slot s) {
    all.add(s);
    return s;
  }

  /** An expression generator over {@code slots} (in {@code layout}'s order), once the columns {@code e} reads are loaded. */
  ExprGenerator generator(List<Slot> slots, List<ColumnRef> layout, Code code, Expr e) {
    for (ColumnRef ref : Exprs.columns(e)) {
      load(slot(slots, layout, ref), code);
    }
    return new ExprGenerator(cls, ref -> slot(slots, layout, ref).val);
  }

  /** The value of {@code e} over the slots, generated into {@code code}. */
  Val value(List<Slot> slots, List<ColumnRef> layout, Code code, Expr e) {
    return generator(slots, layout, code, e).gen(e, code);
  }

  static Slot slot(List<Slot> slots, List<ColumnRef> layout, ColumnRef ref) {
    int pos = layout.indexOf(ref);
    if (pos < 0) {
      throw new CodegenException("column " + ref + " is not among the inputs " + layout);
    }
    return slots.get(pos);
  }

  /** Gets the slot's value into variables of the current loop, unless it is there already. */
  void load(Slot s, Code code) {
    if (s.val != null) {
      return;
    }
    switch (s.kind) {
      case INPUT:
        read(s, "in.column(" + s.column + ")", "i", code);
        break;
      case BUILD:
        read(s, s.table + ".column(" + s.column + ")", s.buildRow, code);
        break;
      case COMPUTED:
        s.val = value(s.scope, s.layout, code, s.expr);
        break;
      default:
        throw new CodegenException("a carried value is read before its loop restored it");
    }
  }

  /** Hoists an input column's buffer addresses into the segment's setup, for code that reads the buffers itself. */
  void addresses(Slot s) {
    if (s.kind != Slot.Kind.INPUT) {
      throw new CodegenException("only input columns are read by address outside the loop, not " + s.kind);
    }
    hoistAddresses(s, "in.column(" + s.column + ")");
  }

  private void hoistAddresses(Slot s, String vector) {
    if (s.data == null) {
      s.data = hoist(s, "long", "data", vector + ".getDataBuffer().memoryAddress()");
      s.validity = hoist(s, "long", "valid", vector + ".getValidityBuffer().memoryAddress()");
      s.noNulls = hoist(s, "boolean", "noNulls", "noNulls(" + vector + ")");
      if (s.type.kind() == io.kiln.types.PhysicalKind.STRING) {
        s.offsets = hoist(s, "long", "offsets", vector + ".getOffsetBuffer().memoryAddress()");
      }
    }
  }

  /** Reads row {@code r} of a vector by address; a build row of -1 (no match) reads as NULL. */
  private void read(Slot s, String vector, String r, Code code) {
    hoistAddresses(s, vector);
    String nullable = "!" + s.noNulls + " && isNull(" + s.validity + ", " + r + ")";
    String isNull = cls.var(code, "boolean", "cn", s.nullRow ? r + " < 0 || (" + nullable + ")" : nullable);
    String none = s.nullRow ? r + " < 0 ? " : null;
    switch (s.type.kind()) {
      case LONG:
        s.val = Val.of(s.type, cls.var(code, "long", "c",
            guard(none, "0L", MEMORY + ".getLong(" + s.data + " + ((long) " + r + " << 3))")), isNull);
        break;
      case DOUBLE:
        s.val = Val.of(s.type, cls.var(code, "double", "c", guard(none, "0.0",
            "Double.longBitsToDouble(" + MEMORY + ".getLong(" + s.data + " + ((long) " + r + " << 3)))")), isNull);
        break;
      case BOOLEAN:
        s.val = Val.of(s.type, cls.var(code, "boolean", "c", guard(none, "false", "bit(" + s.data + ", " + r + ")")),
            isNull);
        break;
      default: {
        String at = s.offsets + " + ((long) " + r + " << 2)";
        String start = cls.var(code, "int", "start", guard(none, "0", MEMORY + ".getInt(" + at + ")"));
        String len = cls.var(code, "int", "len", guard(none, "0", MEMORY + ".getInt(" + at + " + 4) - " + start));
        String addr = cls.var(code, "long", "addr", s.data + " + " + start);
        s.val = Val.slice(s.type, addr, len, isNull);
      }
    }
  }

  /**
   * A per-batch variable for an address or null count. The build side does not change, so its
   * values are computed once per instance (counting a large build column's NULLs per batch would
   * cost more than the batch) and only copied per batch.
   */
  private String hoist(Slot s, String javaType, String prefix, String init) {
    String value = s.kind == Slot.Kind.BUILD ? cls.field(javaType, "build" + capitalized(prefix), init) : init;
    return cls.var(setup, javaType, prefix, value);
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String guard(String none, String zero, String read) {
    return none == null ? read : none + zero + " : " + read;
  }

  /** A new loop starts: every slot is read or computed again when used. */
  void forgetAll() {
    for (Slot s : all) {
      s.val = null;
    }
  }

  /** The slots loaded in the current loop so far. */
  Set<Slot> loaded() {
    Set<Slot> out = new HashSet<>();
    for (Slot s : all) {
      if (s.val != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** A block ended: the slots first loaded inside it (not in {@code before}) are out of scope. */
  void forgetSince(Set<Slot> before) {
    for (Slot s : all) {
      if (!before.contains(s)) {
        s.val = null;
      }
    }
  }
}
