package io.kiln.codegen;

import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.logical.JoinType;
import io.kiln.physical.FusionSpec;
import io.kiln.physical.join.ProbeTable;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Produce/consume code for a hash join probe fused into a segment. The rows reaching the probe of a
 * large table go through three loops, so that the random memory accesses of one row overlap those
 * of the next: phase 1 hashes each row's key (in the loop that produced the row) and keeps the row
 * and the hash; phase 2 looks up every hash's chain head in a tight loop; phase 3 walks each row's
 * chain, and for each match the rest of the segment runs, its code nested inside. A table small
 * enough to stay in the CPU's cache ({@link #CACHE_RESIDENT_ROWS}) has no misses to overlap: its
 * rows are looked up and walked in the loop that produced them, which saves storing and reloading
 * every row (most rows of a selective probe find no chain at all). Key hashing calls the same
 * {@link io.kiln.data.KeyHash} functions the table's build does.
 *
 * <p>When the table's keys are unique (known once it is built) a row stops at its first match;
 * otherwise each match continues the pipeline. LEFT, FULL and SINGLE pass a row without a match
 * once with NULL build columns; RIGHT and FULL mark matched build rows, and the join's interpreted
 * operator emits the unmatched ones at the end; SEMI and ANTI keep or drop the row; MARK adds
 * IN's three-valued mark. A SEMI or ANTI join preserving the build side only marks the build
 * rows matched; its operator emits the matched or unmatched ones at the end.
 */
final class ProbeGenerator {
  private static final String MEMORY = "org.apache.arrow.memory.util.MemoryUtil";
  private static final String TABLE = ProbeTable.class.getName();
  /**
   * Build sides up to this many rows are probed in one loop: their chain heads, links and keys
   * (about 30 bytes a row) fit in a 1 MB L2 cache, so a lookup costs a few cycles, not a miss.
   */
  static final int CACHE_RESIDENT_ROWS = 1 << 14;

  private final PipelineGenerator methods;
  private final ClassBuilder cls;
  private final Row row;
  private final Code setup;
  private final SegmentLoops loops;
  private final int oneLoopMaxRows;

  /** Tables of up to {@code oneLoopMaxRows} rows are probed in one loop ({@link #CACHE_RESIDENT_ROWS} but in tests). */
  ProbeGenerator(PipelineGenerator methods, ClassBuilder cls, Row row, Code setup, SegmentLoops loops,
      int oneLoopMaxRows) {
    this.methods = methods;
    this.cls = cls;
    this.row = row;
    this.setup = setup;
    this.loops = loops;
    this.oneLoopMaxRows = oneLoopMaxRows;
  }

  /** The generated names of a probe's table: its field, chains and key vectors' buffers. */
  private static final class Chains {
    String table;
    String heads;
    String next;
    String hashes;
    String mask;
    /** Per key: data, validity and (strings) offsets addresses. */
    final List<String[]> keys = new ArrayList<>();
  }

  /** Where phase 3 stands for the current row: its hash (if compared), its chain cursor and its probe key values. */
  private static final class Walk {
    String hash;
    String j;
    List<Val> keys;
  }

  /**
   * The probe's phases. Returns the slots of the rows it passes on (its output columns), or null
   * if it passes none on: a join preserving the build side only marks build rows, which its
   * operator emits at the end.
   */
  List<Slot> probe(FusionSpec.Probe p, List<Slot> slots) {
    JoinType type = p.type();
    boolean withBuildColumns = type != JoinType.SEMI && type != JoinType.ANTI && type != JoinType.MARK;
    boolean keepsUnmatched = !p.preservesBuild() && (type == JoinType.LEFT || type == JoinType.FULL
        || type == JoinType.SINGLE || type == JoinType.ANTI || type == JoinType.MARK);
    boolean nullRow = type == JoinType.LEFT || type == JoinType.FULL || type == JoinType.SINGLE;
    ProbeTable built = p.table().get();
    boolean unique = built != null && built.uniqueKeys();
    boolean everyMatch = withBuildColumns && !unique;
    String matches = p.preservesBuild() ? " (marks the build rows it matches)" : !withBuildColumns ? ""
        : unique ? " (build keys are unique: at most one match)" : " (every match continues)";

    Chains t = chains(p);
    boolean needsBuildRow = withBuildColumns || p.residual() != null;
    String buildRow = needsBuildRow ? cls.loopVar("int", "buildRow") : null;
    List<Slot> buildSlots = new ArrayList<>();
    if (needsBuildRow) {
      for (int b = 0; b < p.build().size(); b++) {
        buildSlots.add(row.add(Slot.build(t.table, b, p.build().get(b).type(), buildRow, nullRow)));
      }
    }
    boolean cacheResident = built != null && built.rowCount() <= oneLoopMaxRows;
    Walk w = cacheResident ? lookUp(p, slots, t, keepsUnmatched, matches) : reach(p, slots, t, keepsUnmatched, matches);
    if (needsBuildRow) {
      cls.set(loops.body, "int", buildRow, "-1");
    }
    String equal = equal(p, w.keys, t.keys, w.j, keepsUnmatched);
    if (p.preservesBuild()) {
      markBuildRows(p, slots, buildSlots, t, w, equal, buildRow);
      return null;
    }
    String matched = type == JoinType.RIGHT || type == JoinType.FULL
        ? cls.var(setup, "boolean[]", "matched", t.table + ".matched()") : null;
    Code body = loops.body;
    String j = w.j;
    if (everyMatch) {
      // Each pass of this loop finds the next match; a filter after the join continues it.
      loops.repeatsRows = true;
      String hit = nullRow ? cls.fresh("hit") : null;
      if (nullRow) {
        body.line("boolean " + hit + " = false;");
      }
      loops.open("while (true)");
      findMatch(p, slots, buildSlots, t, w, equal, buildRow);
      body.open("if (" + j + " >= 0)").line(buildRow + " = " + j + ";").line(j + " = " + t.next + "[" + j + "];");
      if (type == JoinType.SINGLE) {
        body.line("if (" + hit + ") throw io.kiln.error.KilnException.execution(\"a scalar subquery returned more than one row\");");
      }
      if (nullRow) {
        body.line(hit + " = true;");
      }
      if (matched != null) {
        body.line(matched + "[" + buildRow + "] = true;");
      }
      if (nullRow) {
        body.orElse("!" + hit).comment("no match: the row once, with NULL build columns")
            .line(buildRow + " = -1;").line(hit + " = true;");
      }
      body.orElse().line("break;").close();
    } else {
      findMatch(p, slots, buildSlots, t, w, equal, buildRow);
      switch (type) {
        case SEMI:
          body.line("if (" + j + " < 0) continue;");
          break;
        case ANTI:
          body.line("if (" + j + " >= 0) continue;");
          break;
        case MARK:
          break;
        default:
          if (!nullRow) {
            body.line("if (" + j + " < 0) continue;");
          }
          body.line(buildRow + " = " + j + ";");
          if (matched != null) {
            body.line((nullRow ? "if (" + j + " >= 0) " : "") + matched + "[" + j + "] = true;");
          }
      }
    }

    List<Slot> out = new ArrayList<>(slots);
    if (withBuildColumns) {
      out.addAll(buildSlots);
      loops.buildRows.add(buildRow);
    } else if (type == JoinType.MARK) {
      Slot mark = row.add(Slot.carried(DataType.BOOLEAN));
      mark.val = mark(p, t.table, w.keys, j);
      loops.carried.add(mark);
      out.add(mark);
    }
    return out;
  }

  /** The table's field, and its chains and key vectors' addresses read per batch. */
  private Chains chains(FusionSpec.Probe p) {
    Chains t = new Chains();
    t.table = cls.field(TABLE, "table", TABLE + ".built(" + cls.ref(p.table(), "java.util.function.Supplier") + ")");
    setup.comment(p.shown());
    t.heads = cls.var(setup, "int[]", "heads", t.table + ".heads()");
    t.next = cls.var(setup, "int[]", "next", t.table + ".next()");
    t.hashes = comparesHashes(p) ? cls.var(setup, "long[]", "hashes", t.table + ".hashes()") : null;
    t.mask = cls.var(setup, "int", "mask", t.table + ".mask()");
    for (int k = 0; k < p.keys().size(); k++) {
      String key = t.table + ".key(" + k + ")";
      boolean string = p.buildKeyTypes().get(k).kind() == io.kiln.types.PhysicalKind.STRING;
      t.keys.add(new String[] {
          cls.var(setup, "long", "keyData", key + ".getDataBuffer().memoryAddress()"),
          p.nullSafe().get(k) ? cls.var(setup, "long", "keyValid", key + ".getValidityBuffer().memoryAddress()") : null,
          string ? cls.var(setup, "long", "keyOffsets", key + ".getOffsetBuffer().memoryAddress()") : null});
    }
    return t;
  }

  /**
   * Phases 1 and 2, then the start of phase 3: the loop over the rows that reached the probe, with
   * each row's input row, earlier build rows and carried values restored, and its key values.
   */
  private Walk reach(FusionSpec.Probe p, List<Slot> slots, Chains t, boolean keepsUnmatched, String matches) {
    String what = p.shown();
    // Rows reaching the probe, what later loops restore with them, their hashes and chain heads.
    String rows = cls.mutableField("int[]", "rows", "new int[0]");
    String rowHashes = cls.mutableField("long[]", "rowHashes", "new long[0]");
    String firsts = cls.mutableField("int[]", "firsts", "new int[0]");
    List<String> buildRowArrays = new ArrayList<>();
    for (int b = 0; b < loops.buildRows.size(); b++) {
      buildRowArrays.add(cls.mutableField("int[]", "buildRows", "new int[0]"));
    }
    List<String> carriedArrays = new ArrayList<>();
    for (int c = 0; c < loops.carried.size(); c++) {
      carriedArrays.add(cls.mutableField("byte[]", "carried", "new byte[0]"));
    }
    String count = cls.var(setup, "int", "reached", "0");
    String grow = grow(what, rows, rowHashes, firsts, buildRowArrays, carriedArrays);
    // At most every input row reaches the probe, unless an earlier probe repeats rows.
    boolean bounded = !loops.repeatsRows;
    if (bounded) {
      setup.line("if (" + rows + ".length < n) " + grow + "(n);");
    }

    // Phase 1, in the loop producing the rows.
    Code hashing = cls.varsAsFields ? new Code() : loops.body;
    hashing.comment(what + ": phase 1, hash the key of each row reaching the join");
    List<Val> keys = keyValues(p, slots, hashing);
    if (!keepsUnmatched) {
      String nullKey = nullKey(p, keys);
      if (!nullKey.equals("false")) {
        hashing.line("if (" + nullKey + ") " + (cls.varsAsFields ? "return false;" : "continue;"));
      }
    }
    String h = cls.var(hashing, "long", "h", hash(p, keys, keepsUnmatched));
    if (!bounded) {
      hashing.line("if (" + count + " == " + rows + ".length) " + grow + "(" + count + " + 1);");
    }
    hashing.line(rows + "[" + count + "] = i;");
    for (int b = 0; b < buildRowArrays.size(); b++) {
      hashing.line(buildRowArrays.get(b) + "[" + count + "] = " + loops.buildRows.get(b) + ";");
    }
    for (int c = 0; c < carriedArrays.size(); c++) {
      Val v = loops.carried.get(c).val;
      hashing.line(carriedArrays.get(c) + "[" + count + "] = (byte) (" + v.isNull + " ? 2 : " + v.value + " ? 1 : 0);");
    }
    hashing.line(rowHashes + "[" + count + "] = " + h + ";");
    hashing.line(count + "++;");
    if (cls.varsAsFields) {
      loops.body.line(methods.rowMethod("hash", what + ": phase 1", hashing.toString()) + "(i);");
    }
    loops.closeAll();

    // Phase 2: only the loads of the chain heads, independent of each other. The row arrays stay
    // as they are until the batch ends: local copies of the fields for the JIT.
    Code body = loops.body;
    String c = cls.fresh("c");
    body.comment(what + ": phase 2, the chain head of each hash (independent loads, so their cache misses overlap)");
    rows = alias(body, "int[]", rows);
    rowHashes = alias(body, "long[]", rowHashes);
    firsts = alias(body, "int[]", firsts);
    for (int b = 0; b < buildRowArrays.size(); b++) {
      buildRowArrays.set(b, alias(body, "int[]", buildRowArrays.get(b)));
    }
    for (int k = 0; k < carriedArrays.size(); k++) {
      carriedArrays.set(k, alias(body, "byte[]", carriedArrays.get(k)));
    }
    body.open("for (int " + c + " = 0; " + c + " < " + count + "; " + c + "++)")
        .line(firsts + "[" + c + "] = " + t.heads + "[" + TABLE + ".bucket(" + rowHashes + "[" + c + "], " + t.mask + ")];")
        .close();

    // Phase 3: walk the chains; what follows the probe runs inside.
    body.comment(what + ": phase 3, walk the chains" + matches);
    loops.open("for (int " + c + " = 0; " + c + " < " + count + "; " + c + "++)");
    row.forgetAll();
    body.line("final int i = " + rows + "[" + c + "];");
    for (int b = 0; b < buildRowArrays.size(); b++) {
      cls.set(body, "int", loops.buildRows.get(b), buildRowArrays.get(b) + "[" + c + "]");
    }
    for (int k = 0; k < carriedArrays.size(); k++) {
      String v = cls.var(body, "byte", "carried", carriedArrays.get(k) + "[" + c + "]");
      loops.carried.get(k).val = Val.of(DataType.BOOLEAN, "(" + v + " == 1)", "(" + v + " == 2)");
    }
    Walk w = new Walk();
    w.hash = comparesHashes(p) ? cls.var(body, "long", "h", rowHashes + "[" + c + "]") : null;
    w.j = cls.fresh("j");
    body.line("int " + w.j + " = " + firsts + "[" + c + "];");
    Code keyCode = cls.varsAsFields ? new Code() : body;
    w.keys = keyValues(p, slots, keyCode);
    if (cls.varsAsFields) {
      body.line(methods.rowMethod("keys", what + ": the probe key", keyCode.toString()) + "(i);");
    }
    return w;
  }

  /**
   * A probe of a cache-resident table, in the loop producing the rows: the row's key, its hash and
   * its chain head, then the walk (in the same loop, so the slots loaded so far stay loaded).
   */
  private Walk lookUp(FusionSpec.Probe p, List<Slot> slots, Chains t, boolean keepsUnmatched, String matches) {
    String what = p.shown();
    Code body = loops.body;
    body.comment(what + ": the chain of each row (a table this small stays in cache)" + matches);
    Code keyCode = cls.varsAsFields ? new Code() : body;
    List<Val> keys = keyValues(p, slots, keyCode);
    if (cls.varsAsFields) {
      body.line(methods.rowMethod("keys", what + ": the probe key", keyCode.toString()) + "(i);");
    }
    if (!keepsUnmatched) {
      String nullKey = nullKey(p, keys);
      if (!nullKey.equals("false")) {
        body.line("if (" + nullKey + ") continue;");
      }
    }
    Walk w = new Walk();
    String h = cls.var(body, "long", "h", hash(p, keys, keepsUnmatched));
    w.hash = comparesHashes(p) ? h : null;
    w.j = cls.fresh("j");
    body.line("int " + w.j + " = " + t.heads + "[" + TABLE + ".bucket(" + h + ", " + t.mask + ")];");
    w.keys = keys;
    return w;
  }

  /**
   * A join preserving the build side: every build row a probe row matches (and passes the
   * residual with) is marked; build rows already marked need no test.
   */
  private void markBuildRows(FusionSpec.Probe p, List<Slot> slots, List<Slot> buildSlots, Chains t, Walk w,
      String equal, String buildRow) {
    String matched = cls.var(setup, "boolean[]", "matched", t.table + ".matched()");
    Code body = loops.body;
    String j = w.j;
    body.open("for (; " + j + " >= 0; " + j + " = " + t.next + "[" + j + "])");
    body.line("if (" + matched + "[" + j + "] || " + differs(p, t, w, equal) + ") continue;");
    if (p.residual() != null) {
      body.line(buildRow + " = " + j + ";");
      residual(p, slots, buildSlots);
    }
    body.line(matched + "[" + j + "] = true;").close();
  }

  /** A local copy of an array field, in the segment method (where phases 2 and 3 run in both modes). */
  private String alias(Code body, String javaType, String field) {
    String local = cls.fresh(field.replaceAll("[0-9]+$", ""));
    body.line("final " + javaType + " " + local + " = " + field + ";");
    return local;
  }

  /** The probe key values of the current row. */
  private List<Val> keyValues(FusionSpec.Probe p, List<Slot> slots, Code code) {
    List<Val> out = new ArrayList<>();
    for (Expr key : p.keys()) {
      out.add(row.value(slots, p.input(), code, key));
    }
    return out;
  }

  /** True when a key that is not null-safe is NULL: the row matches nothing. */
  private static String nullKey(FusionSpec.Probe p, List<Val> keys) {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      if (!p.nullSafe().get(k) && !keys.get(k).neverNull()) {
        parts.add(keys.get(k).isNull);
      }
    }
    return parts.isEmpty() ? "false" : String.join(" || ", parts);
  }

  /**
   * The key hash, folded over the keys exactly as the table's build folds it. Rows with a NULL in a
   * key that is not null-safe only get here in joins that keep unmatched rows.
   */
  private static String hash(FusionSpec.Probe p, List<Val> keys, boolean nullKeysReach) {
    return KeyHashCode.fold(keys, k -> nullKeysReach || p.nullSafe().get(k));
  }

  /** Whether build row {@code j}'s keys equal the probe keys (NULLs equal only for null-safe keys). */
  private String equal(FusionSpec.Probe p, List<Val> probeKeys, List<String[]> buildKeys, String j,
      boolean nullKeysReach) {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < probeKeys.size(); k++) {
      Val v = probeKeys.get(k);
      String data = buildKeys.get(k)[0];
      String at = MEMORY + ".getLong(" + data + " + ((long) " + j + " << 3))";
      String same;
      switch (v.kind()) {
        case LONG:
          same = at + " == " + v.value;
          break;
        case DOUBLE:
          same = "Double.compare(Double.longBitsToDouble(" + at + "), " + v.value + ") == 0";
          break;
        case BOOLEAN:
          same = "bit(" + data + ", " + j + ") == " + v.value;
          break;
        default:
          same = "io.kiln.codegen.runtime.Strs.equalsAt(" + (v.isSlice() ? v.addr + ", " + v.len : v.value) + ", "
              + data + ", " + buildKeys.get(k)[2] + ", " + j + ")";
      }
      if (p.nullSafe().get(k)) {
        String buildNull = "isNull(" + buildKeys.get(k)[1] + ", " + j + ")";
        same = v.neverNull() ? "!" + buildNull + " && " + same
            : "(" + buildNull + " ? " + v.isNull + " : !" + v.isNull + " && " + same + ")";
      } else if (nullKeysReach && !v.neverNull()) {
        // A row whose key is NULL matches nothing (chained build rows have no NULL in such keys).
        same = "!" + v.isNull + " && " + same;
      }
      parts.add(same);
    }
    return parts.isEmpty() ? "true" : String.join(" && ", parts);
  }

  /** Advances the chain cursor to the next row whose keys are equal (and which passes the residual), or -1. */
  private void findMatch(FusionSpec.Probe p, List<Slot> slots, List<Slot> buildSlots, Chains t, Walk w, String equal,
      String buildRow) {
    Code body = loops.body;
    String j = w.j;
    String differs = differs(p, t, w, equal);
    if (p.residual() == null) {
      body.open("while (" + j + " >= 0 && (" + differs + "))").line(j + " = " + t.next + "[" + j + "];").close();
      return;
    }
    body.open("for (; " + j + " >= 0; " + j + " = " + t.next + "[" + j + "])");
    body.line("if (" + differs + ") continue;");
    body.line(buildRow + " = " + j + ";");
    residual(p, slots, buildSlots);
    body.line("break;").close();
  }

  /**
   * Whether chain row {@code j} does not match. The stored hash is a cheap first test before
   * comparing several keys or a string; a single fixed-width key is compared right away, which
   * saves a random load per chain step.
   */
  private static String differs(FusionSpec.Probe p, Chains t, Walk w, String equal) {
    return (comparesHashes(p) ? t.hashes + "[" + w.j + "] != " + w.hash + " || " : "") + "!(" + equal + ")";
  }

  private static boolean comparesHashes(FusionSpec.Probe p) {
    return p.keys().size() != 1 || p.keys().get(0).type().kind() == io.kiln.types.PhysicalKind.STRING;
  }

  /** The residual condition of the current pair: {@code continue}s the enclosing chain loop unless TRUE. */
  private void residual(FusionSpec.Probe p, List<Slot> slots, List<Slot> buildSlots) {
    List<Slot> joined = new ArrayList<>(slots);
    joined.addAll(buildSlots);
    List<ColumnRef> layout = new ArrayList<>(p.input());
    layout.addAll(p.build());
    Set<Slot> before = row.loaded();
    Code residual = cls.varsAsFields ? new Code() : loops.body;
    residual.comment("residual " + p.residual());
    for (Expr conjunct : Exprs.conjuncts(p.residual())) {
      Val v = row.value(joined, layout, residual, conjunct);
      residual.line("if (" + (v.neverNull() ? "" : v.isNull + " || ") + "!" + v.value + ") "
          + (cls.varsAsFields ? "return false;" : "continue;"));
    }
    if (cls.varsAsFields) {
      loops.body.line("if (!" + methods.rowMethod("residual", "residual " + p.residual(), residual.toString())
          + "(i)) continue;");
    }
    // What the residual loaded is scoped to the chain loop.
    row.forgetSince(before);
  }

  /** IN's mark: TRUE on a match; else NULL if the answer is unknown by IN's rules for NULLs, else FALSE. */
  private Val mark(FusionSpec.Probe p, String table, List<Val> probeKeys, String j) {
    Code body = loops.body;
    String mark = cls.var(body, "boolean", "mark", j + " >= 0");
    if (p.nullAwareKey() < 0) {
      return Val.of(DataType.BOOLEAN, mark, "false");
    }
    // Without a match: a NULL IN value is unknown against a non-empty build side; a non-NULL one
    // is unknown if some build value is NULL.
    String nonEmpty = cls.var(setup, "boolean", "buildNonEmpty", table + ".rowCount() > 0");
    String hasNull = cls.var(setup, "boolean", "buildHasNull", table + ".buildHasNullInKey()");
    Val in = probeKeys.get(p.nullAwareKey());
    String unknown = in.neverNull() ? hasNull : "(" + in.isNull + " ? " + nonEmpty + " : " + hasNull + ")";
    return Val.of(DataType.BOOLEAN, mark, cls.var(body, "boolean", "markNull", "!" + mark + " && " + unknown));
  }

  /** A method giving the probe's row arrays room for {@code need} rows; its name. */
  private String grow(String what, String rows, String hashes, String firsts, List<String> buildRows,
      List<String> carried) {
    String name = cls.fresh("grow");
    Code code = new Code();
    code.line("int size = Math.max(need, Math.max(1024, 2 * " + rows + ".length));");
    code.line(rows + " = java.util.Arrays.copyOf(" + rows + ", size);");
    code.line(hashes + " = java.util.Arrays.copyOf(" + hashes + ", size);");
    code.line(firsts + " = new int[size];");
    for (String a : buildRows) {
      code.line(a + " = java.util.Arrays.copyOf(" + a + ", size);");
    }
    for (String a : carried) {
      code.line(a + " = java.util.Arrays.copyOf(" + a + ", size);");
    }
    methods.method("/** Room for " + Code.safe("the rows reaching " + what) + " */\nprivate void " + name
        + "(int need) {\n" + indent(code.toString()) + "\n}");
    return name;
  }

  private static String indent(String code) {
    return "  " + code.replace("\n", "\n  ");
  }
}
