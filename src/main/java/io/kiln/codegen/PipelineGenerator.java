package io.kiln.codegen;

import io.kiln.logical.AggregateCall;
import io.kiln.logical.ColumnRef;
import io.kiln.logical.Expr;
import io.kiln.logical.Exprs;
import io.kiln.physical.FusionSpec;
import io.kiln.physical.OperatorFactory;
import io.kiln.physical.Pipeline;
import io.kiln.types.DataType;
import io.kiln.types.PhysicalKind;
import java.util.ArrayList;
import java.util.List;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.STGroup;
import org.stringtemplate.v4.STGroupFile;

/**
 * Produce/consume code generation for one pipeline. The source's batches feed a loop over rows in
 * which each fused step (filter, project, the hash aggregation's update) consumes the row held in
 * variables and produces for the next; a column is read from its Arrow buffer only when a step
 * first needs it. Steps that are not fused (join probes) split the pipeline into segments: the
 * rows reaching a segment's end are gathered into a batch for the interpreted operator, whose
 * output feeds the next segment's loop.
 */
public final class PipelineGenerator {
  static final String CLASS_NAME = "KilnPipeline";
  private static final String MEMORY = "org.apache.arrow.memory.util.MemoryUtil";
  private static final String AGG = "io.kiln.physical.agg";
  private static final STGroup TEMPLATES = new STGroupFile(
      PipelineGenerator.class.getResource("/templates/pipeline.stg"), "UTF-8", '$', '$');

  private final Pipeline pipeline;
  private final ClassBuilder cls;
  private final List<String> segmentMethods = new ArrayList<>();

  private PipelineGenerator(Pipeline pipeline, boolean split) {
    this.pipeline = pipeline;
    this.cls = new ClassBuilder(split);
  }

  /** True if compiling the pipeline fuses anything (else it simply runs interpreted). */
  public static boolean worthCompiling(Pipeline p) {
    if (p.aggregate() != null) {
      return true;
    }
    for (OperatorFactory f : p.operators()) {
      if (f.fusion() != null) {
        return true;
      }
    }
    return false;
  }

  /** The generated class; {@code split} puts each step in its own method (for very large pipelines). */
  public static GeneratedSource generate(Pipeline p, boolean split) {
    return new PipelineGenerator(p, split).generate();
  }

  /** A run of fused steps, then the operators run interpreted before the next run. */
  private static final class Segment {
    final List<FusionSpec> steps = new ArrayList<>();
    /** Each step's position among the pipeline's operators. */
    final List<Integer> positions = new ArrayList<>();
    final List<Integer> operatorsAfter = new ArrayList<>();
    String name;
  }

  private GeneratedSource generate() {
    List<Segment> segments = new ArrayList<>();
    Segment current = new Segment();
    segments.add(current);
    List<Integer> embedded = new ArrayList<>();
    for (int k = 0; k < pipeline.operators().size(); k++) {
      FusionSpec spec = pipeline.operators().get(k).fusion();
      if (spec == null) {
        current.operatorsAfter.add(k);
        embedded.add(k);
      } else {
        if (!current.operatorsAfter.isEmpty()) {
          current = new Segment();
          segments.add(current);
        }
        current.steps.add(spec);
        current.positions.add(k);
      }
    }
    if (pipeline.aggregate() != null && !current.operatorsAfter.isEmpty()) {
      current = new Segment();
      segments.add(current);
    }
    for (int s = 0; s < segments.size(); s++) {
      segments.get(s).name = "segment" + s;
    }
    List<String> methods = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      boolean last = s == segments.size() - 1;
      methods.add(segment(segments.get(s), last ? null : segments.get(s + 1), last && pipeline.aggregate() != null,
          embedded));
    }
    List<String> finishSteps = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      for (int m = 0; m < segments.get(s).operatorsAfter.size(); m++) {
        // Rows an operator owes at the end continue through the operators and segments after it.
        String next = continuation(segments, s, m + 1, embedded);
        int op = segments.get(s).operatorsAfter.get(m);
        finishSteps.add(TEMPLATES.getInstanceOf("finishStep")
            .add("op", embedded.indexOf(op)).add("step", op).add("next", next).render());
      }
    }
    methods.addAll(segmentMethods);
    ST entry = TEMPLATES.getInstanceOf("entryPoints").add("first", segments.get(0).name).add("finishSteps", finishSteps);
    methods.add(0, entry.render());
    List<String> description = new ArrayList<>();
    description.add("source: " + pipeline.source().describe());
    for (OperatorFactory f : pipeline.operators()) {
      description.add((f.fusion() == null ? "interpreted: " : "fused: ") + f.describe());
    }
    if (pipeline.aggregate() != null) {
      description.add("fused: hash aggregation update " + pipeline.aggregate().keys() + " " + pipeline.aggregate().calls());
    }
    ST c = TEMPLATES.getInstanceOf("pipelineClass")
        .add("className", CLASS_NAME)
        .add("description", sanitize(description))
        .add("fields", cls.fields)
        .add("constructor", cls.constructor)
        .add("methods", methods);
    return new GeneratedSource(CLASS_NAME, c.render(), cls.refs.toArray(), List.copyOf(embedded), cls.varsAsFields);
  }

  /** Comments must not end early or carry line breaks. */
  private static List<String> sanitize(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      out.add(Code.safe(l));
    }
    return out;
  }

  /**
   * The method that takes a batch coming out of operator {@code from} of segment {@code s}'s
   * interpreted operators onwards: a small method running the remaining ones, then the next segment.
   */
  private String continuation(List<Segment> segments, int s, int from, List<Integer> embedded) {
    Segment seg = segments.get(s);
    String next = s + 1 < segments.size() ? segments.get(s + 1).name : null;
    String name = cls.fresh("after" + s + "_");
    Code body = new Code();
    handOff(body, "in", seg.operatorsAfter.subList(from, seg.operatorsAfter.size()), next, embedded);
    segmentMethods.add(TEMPLATES.getInstanceOf("handoff").add("name", name)
        .add("comment", "Rows after interpreted operator " + from + " of segment " + s).add("body", body.toString())
        .render());
    return name;
  }

  /** Runs the batch through interpreted operators, then into the next segment or the sink. */
  private static void handOff(Code code, String batch, List<Integer> operators, String next, List<Integer> embedded) {
    code.line("io.kiln.data.Batch b = " + batch + ";");
    for (int op : operators) {
      code.comment("interpreted operator " + op + " (a join probe)");
      code.line("b = ops[" + embedded.indexOf(op) + "].process(b);");
      code.line("if (b == null) return;");
      code.line("stepRows[" + op + "].add(b.rowCount());");
    }
    code.line(next == null ? "local.push(b);" : next + "(b, local);");
  }

  // ------------------------------------------------------------------ one segment

  /** A column of the current row: an input column (read when first needed) or a computed value. */
  private static final class Slot {
    final int input;
    final DataType type;
    Val val;

    Slot(int input, DataType type, Val val) {
      this.input = input;
      this.type = type;
      this.val = val;
    }
  }

  private String segment(Segment seg, Segment next, boolean aggregate, List<Integer> embedded) {
    String nextName = next == null ? null : next.name;
    List<ColumnRef> layout = !seg.steps.isEmpty() ? seg.steps.get(0).input()
        : aggregate ? pipeline.aggregate().input() : null;
    if (layout == null) {
      // Nothing fused here: the batch goes straight to the interpreted operators.
      Code body = new Code();
      handOff(body, "in", seg.operatorsAfter, nextName, embedded);
      return TEMPLATES.getInstanceOf("handoff").add("name", seg.name).add("comment", "Interpreted operators only")
          .add("body", body.toString()).render();
    }
    Code setup = new Code();
    Code loop = new Code();
    Code after = new Code();
    Code cleanup = new Code();
    List<Slot> slots = new ArrayList<>();
    for (int k = 0; k < layout.size(); k++) {
      slots.add(new Slot(k, layout.get(k).type(), null));
    }
    List<String> comments = new ArrayList<>();
    Code counted = new Code();
    for (int st = 0; st < seg.steps.size(); st++) {
      FusionSpec step = seg.steps.get(st);
      Code target = cls.varsAsFields ? new Code() : loop;
      String reject = cls.varsAsFields ? "return false;" : "continue;";
      if (step instanceof FusionSpec.Filter) {
        FusionSpec.Filter f = (FusionSpec.Filter) step;
        target.comment("Filter " + f.condition());
        comments.add("Filter " + f.condition());
        for (Expr conjunct : Exprs.conjuncts(f.condition())) {
          ExprGenerator gen = generator(slots, f.input(), setup, target, conjunct);
          Val v = gen.gen(conjunct, target);
          target.line("if (" + (v.neverNull() ? "" : v.isNull + " || ") + "!" + v.value + ") " + reject);
        }
      } else {
        FusionSpec.Project p = (FusionSpec.Project) step;
        target.comment("Project " + p.exprs());
        comments.add("Project");
        List<Slot> out = new ArrayList<>();
        for (Expr e : p.exprs()) {
          if (e instanceof ColumnRef) {
            out.add(slots.get(p.input().indexOf(e)));
          } else if (cls.varsAsFields) {
            // Split mode: one method per computed column, so wide projections stay small methods.
            Code one = new Code();
            ExprGenerator gen = generator(slots, p.input(), setup, one, e);
            out.add(new Slot(-1, e.type(), gen.gen(e, one)));
            String name = rowMethod("column", e.toString(), one.toString());
            target.line(name + "(i);");
          } else {
            ExprGenerator gen = generator(slots, p.input(), setup, target, e);
            out.add(new Slot(-1, e.type(), gen.gen(e, target)));
          }
        }
        slots = out;
      }
      if (cls.varsAsFields) {
        String name = rowMethod("step", comments.get(comments.size() - 1), target.toString());
        loop.line("if (!" + name + "(i)) continue;");
      }
      // Rows out of the step, counted in a variable and added to the operator's counter per batch.
      String rows = cls.var(setup, "long", "rowsOut", "0L");
      loop.line(rows + "++;");
      counted.line("stepRows[" + seg.positions.get(st) + "].add(" + rows + ");");
    }
    if (aggregate) {
      aggregate(slots, setup, loop, after);
      comments.add("hash aggregation update");
    } else {
      emit(slots, setup, loop, after, cleanup, seg.operatorsAfter, nextName, embedded);
      comments.add(seg.operatorsAfter.isEmpty() && nextName == null ? "result batch" : "batch for the next operator");
    }
    return TEMPLATES.getInstanceOf("segment").add("name", seg.name)
        .add("comment", Code.safe(String.join(", then ", comments))).add("setup", setup.toString())
        .add("loop", loop.toString()).add("counted", counted.toString()).add("after", after.toString())
        .add("cleanup", cleanup.isEmpty() ? "// nothing to release" : cleanup.toString()).render();
  }

  /** An expression generator whose columns come from the slots, loading those the expression reads first. */
  private ExprGenerator generator(List<Slot> slots, List<ColumnRef> layout, Code setup, Code code, Expr e) {
    for (ColumnRef ref : Exprs.columns(e)) {
      load(slot(slots, layout, ref), setup, code);
    }
    return new ExprGenerator(cls, ref -> slot(slots, layout, ref).val);
  }

  private static Slot slot(List<Slot> slots, List<ColumnRef> layout, ColumnRef ref) {
    int pos = layout.indexOf(ref);
    if (pos < 0) {
      throw new CodegenException("column " + ref + " is not among the inputs " + layout);
    }
    return slots.get(pos);
  }

  /** Reads an input column's value for row {@code i} (once; later steps reuse the variables). */
  private void load(Slot s, Code setup, Code code) {
    if (s.val != null) {
      return;
    }
    int k = s.input;
    String col = "in.column(" + k + ")";
    String data = cls.var(setup, "long", "data", col + ".getDataBuffer().memoryAddress()");
    String valid = cls.var(setup, "long", "valid", col + ".getValidityBuffer().memoryAddress()");
    String noNulls = cls.var(setup, "boolean", "noNulls", "noNulls(" + col + ")");
    String isNull = cls.var(code, "boolean", "cn", "!" + noNulls + " && isNull(" + valid + ", i)");
    switch (s.type.kind()) {
      case LONG:
        s.val = Val.of(s.type, cls.var(code, "long", "c", MEMORY + ".getLong(" + data + " + ((long) i << 3))"), isNull);
        break;
      case DOUBLE:
        s.val = Val.of(s.type, cls.var(code, "double", "c",
            "Double.longBitsToDouble(" + MEMORY + ".getLong(" + data + " + ((long) i << 3)))"), isNull);
        break;
      case BOOLEAN:
        s.val = Val.of(s.type, cls.var(code, "boolean", "c", "bit(" + data + ", i)"), isNull);
        break;
      default: {
        String offsets = cls.var(setup, "long", "offsets", col + ".getOffsetBuffer().memoryAddress()");
        String start = cls.var(code, "int", "start", MEMORY + ".getInt(" + offsets + " + ((long) i << 2))");
        String len = cls.var(code, "int", "len", MEMORY + ".getInt(" + offsets + " + ((long) i << 2) + 4) - " + start);
        String addr = cls.var(code, "long", "addr", data + " + " + start);
        s.val = Val.slice(s.type, addr, len, isNull);
      }
    }
  }

  // ------------------------------------------------------------------ segment ends

  /**
   * Rows reaching the end of the segment: their input columns are gathered by a selection vector
   * (or shared whole when every row passed), computed columns are written as they are produced.
   */
  private void emit(List<Slot> slots, Code setup, Code loop, Code after, Code cleanup, List<Integer> operatorsAfter,
      String next, List<Integer> embedded) {
    List<DataType> computedTypes = new ArrayList<>();
    for (Slot s : slots) {
      if (s.input < 0) {
        computedTypes.add(s.type);
      }
    }
    String writer = null;
    if (!computedTypes.isEmpty()) {
      StringBuilder types = new StringBuilder();
      for (DataType t : computedTypes) {
        types.append(types.length() == 0 ? "" : ", ");
        types.append(cls.ref(t, "io.kiln.types.DataType"));
      }
      writer = cls.field("io.kiln.codegen.runtime.BatchWriter", "writer",
          "new io.kiln.codegen.runtime.BatchWriter(new io.kiln.types.DataType[] {" + types + "})");
      setup.line(writer + ".begin(n, allocator);");
      cleanup.line(writer + ".release();");
    }
    setup.line("final int[] rows = selection(n);");
    String j = cls.varsAsFields ? cls.field("int[]", "count", "new int[1]") + "[0]" : "j";
    setup.line(cls.varsAsFields ? j + " = 0;" : "int j = 0;");
    Code target = cls.varsAsFields ? new Code() : loop;
    target.comment("the row reaches the end of the segment");
    if (cls.varsAsFields) {
      target.line("final int[] rows = sel;");
    }
    target.line("rows[" + j + "] = i;");
    int c = 0;
    Code puts = cls.varsAsFields ? new Code() : target;
    for (Slot s : slots) {
      if (s.input >= 0) {
        continue;
      }
      put(puts, writer, c++, j, s.val);
      if (cls.varsAsFields && c % 32 == 0) {
        target.line(putsMethod(puts) + "(i);");
        puts = new Code();
      }
    }
    if (cls.varsAsFields && !puts.isEmpty()) {
      target.line(putsMethod(puts) + "(i);");
    }
    target.line(j + "++;");
    if (cls.varsAsFields) {
      String name = rowMethod("emit", "Appends the row to the output", target.toString());
      loop.line(name + "(i);");
    }
    after.line("final int selected = " + j + ";");
    after.open("if (selected == 0)");
    if (writer != null) {
      after.line(writer + ".release();");
    }
    after.line("return;").close();
    after.line("io.kiln.data.Batch out;");
    after.line("org.apache.arrow.vector.ValueVector[] cols = new org.apache.arrow.vector.ValueVector[" + slots.size() + "];");
    after.open("try");
    c = 0;
    for (int k = 0; k < slots.size(); k++) {
      Slot s = slots.get(k);
      after.line("cols[" + k + "] = " + (s.input >= 0 ? "pick(in, " + s.input + ", selected)"
          : writer + ".take(" + (c++) + ", selected)") + ";");
    }
    after.line("out = new io.kiln.data.Batch(cols, selected);");
    after.close().open("catch (RuntimeException e)");
    after.line("io.kiln.physical.Batches.closeAll(cols);");
    if (writer != null) {
      after.line(writer + ".release();");
    }
    after.line("throw e;").close();
    handOff(after, "out", operatorsAfter, next, embedded);
  }

  /** Split mode: output columns are written by methods of at most 32 columns each. */
  private String putsMethod(Code puts) {
    return rowMethod("write", "Writes computed output columns", puts.toString());
  }

  /** A {@code boolean name(int i)} method holding one step's per-row code (split mode); its name. */
  private String rowMethod(String prefix, String comment, String body) {
    String name = cls.fresh(prefix);
    segmentMethods.add(TEMPLATES.getInstanceOf("rowMethod").add("name", name).add("comment", Code.safe(comment))
        .add("body", body).render());
    return name;
  }

  private static void put(Code code, String writer, int c, String row, Val v) {
    String value;
    String call;
    switch (v.kind()) {
      case LONG:
        call = "putLong";
        value = v.value;
        break;
      case DOUBLE:
        call = "putDouble";
        value = v.value;
        break;
      case BOOLEAN:
        call = "putBoolean";
        value = v.value;
        break;
      default:
        call = v.isSlice() ? "putString" : "putBytes";
        value = v.isSlice() ? v.addr + ", " + v.len : v.value;
    }
    String stmt = writer + "." + call + "(" + c + ", " + row + ", " + value + ");";
    if (v.neverNull()) {
      code.line(stmt);
    } else {
      code.open("if (" + v.isNull + ")").line(writer + ".putNull(" + c + ", " + row + ");").orElse().line(stmt).close();
    }
  }

  /** The hash aggregation's update, fused: group lookup by the key row, then each aggregate's state. */
  private void aggregate(List<Slot> slots, Code setup, Code loop, Code after) {
    FusionSpec.Aggregate a = pipeline.aggregate();
    setup.line("final " + AGG + ".HashAggregateSink.Partial partial = (" + AGG + ".HashAggregateSink.Partial) local;");
    String[] states = new String[a.calls().size()];
    for (int k = 0; k < states.length; k++) {
      String type = AGG + ".AggStates." + stateClass(a.calls().get(k));
      states[k] = cls.var(setup, type, "state", "(" + type + ") partial.state(" + k + ")");
    }
    if (cls.varsAsFields) {
      setup.line("this.partial = partial;");
      cls.fields.add("private " + AGG + ".HashAggregateSink.Partial partial;");
    }
    Code target = cls.varsAsFields ? new Code() : loop;
    // Every column the aggregation reads is loaded up front, outside the conditional blocks below.
    for (Expr e : aggregateExprs(a)) {
      for (ColumnRef ref : Exprs.columns(e)) {
        load(slot(slots, a.input(), ref), setup, target);
      }
    }
    if (!a.keys().isEmpty() && a.calls().stream().allMatch(PipelineGenerator::batchable)) {
      batchedAggregate(a, states, slots, setup, loop, after, target);
      return;
    }
    target.comment("hash aggregation: the row's group");
    String g;
    if (a.keys().isEmpty()) {
      g = "0";
    } else if (a.keys().size() == 1 && isLongKind(a.keys().get(0))) {
      Expr key = a.keys().get(0);
      Val v = generator(slots, a.input(), setup, target, key).gen(key, target);
      String value = v.kind() == PhysicalKind.BOOLEAN ? "(" + v.value + " ? 1L : 0L)" : v.value;
      g = cls.var(target, "int", "g", "partial.groupOfLong(" + v.isNull + ", " + value + ")");
    } else {
      g = cls.var(target, "int", "g", lookupKeyRow(a, slots, setup, target));
    }
    if (cls.varsAsFields) {
      String name = rowMethod("group", "The row's group", target.toString());
      loop.line(name + "(i);");
    }
    for (int k = 0; k < a.calls().size(); k++) {
      AggregateCall call = a.calls().get(k);
      Code c = cls.varsAsFields ? new Code() : loop;
      c.comment(call.toString());
      update(call, states[k], g, slots, a.input(), setup, c);
      if (cls.varsAsFields) {
        String name = rowMethod("aggregate", call.toString(), c.toString());
        loop.line(name + "(i);");
      }
    }
  }

  /**
   * Grouped aggregation in two phases per batch. The row loop only evaluates keys and arguments into
   * arrays; after it, the batch's groups are looked up and each aggregate adds its column in one
   * tight loop of its own. Separate short loops let the CPU overlap the random accesses to group
   * state that one long per-row body serializes (3x faster with many groups).
   */
  private void batchedAggregate(FusionSpec.Aggregate a, String[] states, List<Slot> slots, Code setup, Code loop,
      Code after, Code target) {
    String count = cls.var(setup, "int", "count", "0");
    String groups = cls.buffer(setup, "int", "groups");
    target.comment("hash aggregation: the row's keys");
    if (a.keys().size() == 1 && isLongKind(a.keys().get(0))) {
      Expr key = a.keys().get(0);
      Val v = generator(slots, a.input(), setup, target, key).gen(key, target);
      String keys = cls.buffer(setup, "long", "keys");
      target.line(keys + "[" + count + "] = " + (v.kind() == PhysicalKind.BOOLEAN ? "(" + v.value + " ? 1L : 0L)"
          : v.value) + ";");
      String nulls = "null";
      if (!v.neverNull()) {
        nulls = cls.buffer(setup, "boolean", "keyNulls");
        target.line(nulls + "[" + count + "] = " + v.isNull + ";");
      }
      after.comment("hash aggregation: the groups of the batch's rows");
      after.line("partial.groupsOfLongs(" + keys + ", " + nulls + ", " + count + ", " + groups + ");");
    } else {
      target.line(groups + "[" + count + "] = " + lookupKeyRow(a, slots, setup, target) + ";");
    }
    if (cls.varsAsFields) {
      loop.line(rowMethod("group", "The row's keys", target.toString()) + "(i);");
    }
    for (int k = 0; k < a.calls().size(); k++) {
      AggregateCall call = a.calls().get(k);
      Code c = cls.varsAsFields ? new Code() : loop;
      c.comment(call.toString());
      // Rows a FILTER rejects or whose argument is NULL are marked skipped, not left out.
      String skip = "null";
      if (call.filter() != null) {
        skip = cls.buffer(setup, "boolean", "skip");
        c.line(skip + "[" + count + "] = true;");
        Val f = generator(slots, a.input(), setup, c, call.filter()).gen(call.filter(), c);
        c.open("if (" + (f.neverNull() ? "" : "!(" + f.isNull + ") && ") + f.value + ")");
      }
      String values = null;
      String skipped = "false";
      if (call.arg() != null) {
        Val v = generator(slots, a.input(), setup, c, call.arg()).gen(call.arg(), c);
        if (!stateClass(call).equals("Count")) {
          values = cls.buffer(setup, v.kind() == PhysicalKind.DOUBLE ? "double" : "long", "values");
          c.line(values + "[" + count + "] = " + v.value + ";");
        }
        skipped = v.neverNull() ? "false" : v.isNull;
      }
      if (call.filter() != null) {
        c.line(skip + "[" + count + "] = " + skipped + ";");
        c.close();
      } else if (!skipped.equals("false")) {
        skip = cls.buffer(setup, "boolean", "skip");
        c.line(skip + "[" + count + "] = " + skipped + ";");
      }
      if (cls.varsAsFields) {
        loop.line(rowMethod("aggregate", call.toString(), c.toString()) + "(i);");
      }
      after.comment(call.toString());
      after.line(states[k] + ".addAll(" + groups + (values == null ? "" : ", " + values) + ", " + skip + ", " + count
          + ");");
    }
    loop.line(count + "++;");
  }

  /** Fills the key row with the row's keys and hashes them; returns the expression looking up its group. */
  private String lookupKeyRow(FusionSpec.Aggregate a, List<Slot> slots, Code setup, Code target) {
    String row = cls.field(AGG + ".KeyRow", "keyRow", "new " + AGG + ".KeyRow(" + a.keys().size() + ")");
    String h = cls.var(target, "long", "h", "0L");
    for (int k = 0; k < a.keys().size(); k++) {
      Expr key = a.keys().get(k);
      Val v = generator(slots, a.input(), setup, target, key).gen(key, target);
      target.line(row + ".nulls[" + k + "] = " + v.isNull + ";");
      String hash;
      switch (v.kind()) {
        case LONG:
          target.line(row + ".longs[" + k + "] = " + v.value + ";");
          hash = AGG + ".KeyColumn.mix(" + v.value + ")";
          break;
        case DOUBLE:
          target.line(row + ".doubles[" + k + "] = " + v.value + ";");
          hash = AGG + ".KeyColumn.mix(Double.doubleToLongBits(" + v.value + " == 0.0 ? 0.0 : " + v.value + "))";
          break;
        case BOOLEAN:
          target.line(row + ".longs[" + k + "] = " + v.value + " ? 1L : 0L;");
          hash = AGG + ".KeyColumn.mix(" + v.value + " ? 1L : 0L)";
          break;
        default:
          if (v.isSlice()) {
            target.line(row + ".bytes[" + k + "] = null;");
            target.line(row + ".addresses[" + k + "] = " + v.addr + ";");
            target.line(row + ".lengths[" + k + "] = " + v.len + ";");
            hash = "io.kiln.physical.expr.Bytes.hash(" + v.addr + ", " + v.len + ")";
          } else {
            target.line(row + ".bytes[" + k + "] = " + v.value + ";");
            hash = AGG + ".KeyColumn.hashBytes(" + v.value + ")";
          }
      }
      target.line(h + " = " + h + " * 31 + (" + (v.neverNull() ? hash : v.isNull + " ? " + AGG + ".KeyColumn.NULL_HASH : " + hash) + ");");
    }
    return "partial.group(" + h + ", " + row + ")";
  }

  /** Aggregates whose state takes a whole batch of (group, value) pairs. */
  private static boolean batchable(AggregateCall call) {
    if (call.distinct()) {
      return false;
    }
    switch (stateClass(call)) {
      case "Count":
      case "SumLong":
      case "SumDouble":
        return true;
      case "MinMax":
        return call.arg().type().kind() == PhysicalKind.LONG || call.arg().type().kind() == PhysicalKind.DOUBLE;
      default:
        return false;
    }
  }

  /** Keys the group table compares as one long, so a single one needs no {@code KeyRow}. */
  private static boolean isLongKind(Expr key) {
    PhysicalKind kind = key.type().kind();
    return kind == PhysicalKind.LONG || kind == PhysicalKind.BOOLEAN;
  }

  private static List<Expr> aggregateExprs(FusionSpec.Aggregate a) {
    List<Expr> all = new ArrayList<>(a.keys());
    for (AggregateCall c : a.calls()) {
      if (c.arg() != null) {
        all.add(c.arg());
      }
      if (c.filter() != null) {
        all.add(c.filter());
      }
    }
    return all;
  }

  private static String stateClass(AggregateCall call) {
    if (call.distinct()) {
      return "Distinct";
    }
    switch (call.fn()) {
      case COUNT_STAR:
      case COUNT:
        return "Count";
      case SUM:
      case AVG:
        return call.arg().type().kind() == PhysicalKind.DOUBLE ? "SumDouble" : "SumLong";
      case MIN:
      case MAX:
        return "MinMax";
      default:
        return "Moments";
    }
  }

  private void update(AggregateCall call, String state, String g, List<Slot> slots, List<ColumnRef> layout,
      Code setup, Code code) {
    if (call.filter() != null) {
      Val f = generator(slots, layout, setup, code, call.filter()).gen(call.filter(), code);
      code.open("if (" + (f.neverNull() ? "" : "!(" + f.isNull + ") && ") + f.value + ")");
    }
    if (call.arg() == null) {
      code.line(state + ".add(" + g + ");");
    } else {
      Val v = generator(slots, layout, setup, code, call.arg()).gen(call.arg(), code);
      if (!v.neverNull()) {
        code.open("if (!(" + v.isNull + "))");
      }
      String cls = stateClass(call);
      String value;
      if (cls.equals("Count")) {
        value = null;
      } else if (cls.equals("Distinct") || (cls.equals("MinMax") && (v.kind() == PhysicalKind.STRING
          || v.kind() == PhysicalKind.BOOLEAN))) {
        value = v.boxed();
      } else {
        value = v.value;
      }
      code.line(state + ".add(" + g + (value == null ? "" : ", " + value) + ");");
      if (!v.neverNull()) {
        code.close();
      }
    }
    if (call.filter() != null) {
      code.close();
    }
  }
}
