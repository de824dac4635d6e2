package io.kiln.codegen;

import io.kiln.data.Bytes;
import io.kiln.data.KeyHash;
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
import java.util.Set;
import org.stringtemplate.v4.ST;

/**
 * Produce/consume code generation for one pipeline. The source's batches feed a loop over rows in
 * which each fused step (filter, project, hash join probe, the hash aggregation's update) consumes
 * the row held in variables and produces for the next; a column is read from its Arrow buffer only
 * when a step first needs it. A probe continues the row in loops of its own ({@link
 * ProbeGenerator}). Steps that are not fused split the pipeline into segments: the rows reaching a
 * segment's end are gathered into a batch for the interpreted operator, whose output feeds the
 * next segment's loop.
 */
public final class PipelineGenerator {
  static final String CLASS_NAME = "KilnPipeline";
  private static final String AGG = "io.kiln.physical.agg";
  static final String KEY_HASH = KeyHash.class.getName();

  private final Pipeline pipeline;
  private final ClassBuilder cls;
  private final int oneLoopProbeMaxRows;
  private final List<String> segmentMethods = new ArrayList<>();
  /** The methods interpreted operators' output batches go on in, by resume point. */
  private final List<String> resumePoints = new ArrayList<>();
  /** While generating a segment whose rows go to a hash join build: hashes their keys on the way. */
  private JoinBuildHashes buildHashes;
  /** While generating a segment whose rows go to a top-N: drops rows behind its cut-off on the way. */
  private TopNCutoffs topNCutoffs;

  private PipelineGenerator(Pipeline pipeline, boolean split, int oneLoopProbeMaxRows) {
    this.pipeline = pipeline;
    this.cls = new ClassBuilder(split);
    this.oneLoopProbeMaxRows = oneLoopProbeMaxRows;
  }

  /** True if compiling the pipeline fuses anything (else it simply runs interpreted). */
  public static boolean worthCompiling(Pipeline p) {
    if (p.aggregate() != null || p.joinBuild() != null || p.topN() != null) {
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
    return generate(p, split, ProbeGenerator.CACHE_RESIDENT_ROWS);
  }

  /** The same, probing build sides of up to {@code oneLoopProbeMaxRows} rows in one loop (see {@link ProbeGenerator}). */
  static GeneratedSource generate(Pipeline p, boolean split, int oneLoopProbeMaxRows) {
    return new PipelineGenerator(p, split, oneLoopProbeMaxRows).generate();
  }

  /** A run of fused steps, then the operators run interpreted before the next run. */
  private static final class Segment {
    final List<FusionSpec> steps = new ArrayList<>();
    /** The pipeline's operator index of each step. */
    final List<Integer> stepOps = new ArrayList<>();
    final List<Integer> operatorsAfter = new ArrayList<>();
    boolean aggregate;
    String name;
  }

  /**
   * A fused probe whose interpreted operator emits build rows at the end: those no probe row
   * matched (RIGHT, FULL), or the matched or unmatched ones of a join preserving the build side.
   */
  private static boolean emitsBuildRows(FusionSpec spec) {
    if (!(spec instanceof FusionSpec.Probe)) {
      return false;
    }
    FusionSpec.Probe p = (FusionSpec.Probe) spec;
    return p.preservesBuild() || p.type() == io.kiln.logical.JoinType.RIGHT || p.type() == io.kiln.logical.JoinType.FULL;
  }

  private GeneratedSource generate() {
    List<Segment> segments = new ArrayList<>();
    Segment current = new Segment();
    segments.add(current);
    // Operators with an instance in ops[]: those run interpreted, and fused probes for their rows owed at the end.
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
        current.stepOps.add(k);
        if (emitsBuildRows(spec)) {
          embedded.add(k);
        }
      }
    }
    if (pipeline.aggregate() != null && !current.operatorsAfter.isEmpty()) {
      current = new Segment();
      segments.add(current);
    }
    current.aggregate = pipeline.aggregate() != null;
    for (int s = 0; s < segments.size(); s++) {
      segments.get(s).name = "segment" + s;
    }
    List<String> methods = new ArrayList<>();
    for (int s = 0; s < segments.size(); s++) {
      methods.add(segment(segments.get(s), s + 1 < segments.size() ? segments.get(s + 1).name : null, embedded));
    }
    // Rows operators owe after their last input batch, in pipeline order: each continues through
    // what follows the operator.
    java.util.TreeMap<Integer, String> finishSteps = new java.util.TreeMap<>();
    for (int s = 0; s < segments.size(); s++) {
      Segment seg = segments.get(s);
      String next = s + 1 < segments.size() ? segments.get(s + 1).name : null;
      for (int m = 0; m < seg.operatorsAfter.size(); m++) {
        int op = seg.operatorsAfter.get(m);
        finishSteps.put(op, finishStep(embedded.indexOf(op), op, continuation(segments, s, m + 1, embedded)));
      }
      for (int k = 0; k < seg.steps.size(); k++) {
        if (emitsBuildRows(seg.steps.get(k))) {
          Segment rest = new Segment();
          rest.steps.addAll(seg.steps.subList(k + 1, seg.steps.size()));
          rest.stepOps.addAll(seg.stepOps.subList(k + 1, seg.stepOps.size()));
          rest.operatorsAfter.addAll(seg.operatorsAfter);
          rest.aggregate = seg.aggregate;
          rest.name = cls.fresh("buildRowsOf" + s + "_");
          segmentMethods.add(segment(rest, next, embedded));
          int op = seg.stepOps.get(k);
          finishSteps.put(op, finishStep(embedded.indexOf(op), op, rest.name));
        }
      }
    }
    methods.addAll(segmentMethods);
    if (!resumePoints.isEmpty()) {
      methods.add(Templates.render(Templates.get("resume").add("points", resumePoints)));
    }
    ST entry = Templates.get("entryPoints").add("first", segments.get(0).name)
        .add("finishSteps", new ArrayList<>(finishSteps.values()));
    methods.add(0, Templates.render(entry));
    List<String> description = new ArrayList<>();
    description.add("source: " + pipeline.source().describe());
    for (OperatorFactory f : pipeline.operators()) {
      description.add((f.fusion() == null ? "interpreted: " : "fused: ") + f.describe());
    }
    if (pipeline.aggregate() != null) {
      description.add("fused: hash aggregation update " + pipeline.aggregate().keys() + " " + pipeline.aggregate().calls());
    }
    if (pipeline.topN() != null) {
      description.add("fused: top-N cut-off of " + pipeline.topN().shown());
    }
    if (pipeline.joinBuild() != null) {
      description.add("fused: hash join build key hash " + pipeline.joinBuild().keys() + " for "
          + pipeline.joinBuild().shown());
    }
    ST c = Templates.get("pipelineClass")
        .add("className", CLASS_NAME)
        .add("description", sanitize(description))
        .add("fields", cls.fields)
        .add("constructor", cls.constructor)
        .add("methods", methods);
    return new GeneratedSource(CLASS_NAME, Templates.render(c), cls.refs.toArray(), List.copyOf(embedded), cls.varsAsFields);
  }

  private static String finishStep(int op, int step, String next) {
    return Templates.render(Templates.get("finishStep").add("op", op).add("step", step).add("next", next));
  }

  /** Rows out of a fused step: counted in a variable where they go on, added to the operator's counter per batch. */
  private void countRowsOut(int step, Code setup, Code body, Code counted) {
    String rows = cls.var(setup, "long", "rowsOut", "0L");
    body.line(rows + "++;");
    counted.line("stepRows[" + step + "].add(" + rows + ");");
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
    segmentMethods.add(Templates.render(Templates.get("handoff").add("name", name)
        .add("comment", "Rows after interpreted operator " + from + " of segment " + s).add("body", body.toString())));
    return name;
  }

  /**
   * Runs the batch through interpreted operators, then into the next segment or the sink. An
   * operator (a join probe) may make many batches of one; each goes on through a method of its own,
   * which the operator reaches through a resume point ({@link io.kiln.codegen.runtime.GeneratedPipeline#resumeAt}).
   */
  private void handOff(Code code, String batch, List<Integer> operators, String next, List<Integer> embedded) {
    if (operators.isEmpty()) {
      code.line(next == null ? "local.push(" + batch + ");" : next + "(" + batch + ", local);");
      return;
    }
    int op = operators.get(0);
    String name = cls.fresh("afterOperator" + op + "_");
    Code body = new Code();
    body.line("stepRows[" + op + "].add(in.rowCount());");
    handOff(body, "in", operators.subList(1, operators.size()), next, embedded);
    segmentMethods.add(Templates.render(Templates.get("handoff").add("name", name)
        .add("comment", "Each batch out of interpreted operator " + op + " (a join probe)").add("body", body.toString())));
    code.comment("interpreted operator " + op + " (a join probe): its batches go on in " + name);
    code.line("ops[" + embedded.indexOf(op) + "].process(" + batch + ", resumeAt(" + resumePoints.size() + ", local));");
    resumePoints.add(name);
  }

  // ------------------------------------------------------------------ one segment

  private String segment(Segment seg, String nextName, List<Integer> embedded) {
    boolean endsAtSink = !seg.aggregate && seg.operatorsAfter.isEmpty() && nextName == null;
    boolean endsAtBuild = endsAtSink && pipeline.joinBuild() != null;
    boolean endsAtTopN = endsAtSink && pipeline.topN() != null;
    List<ColumnRef> layout = !seg.steps.isEmpty() ? seg.steps.get(0).input()
        : seg.aggregate ? pipeline.aggregate().input() : endsAtBuild ? pipeline.joinBuild().input()
        : endsAtTopN ? pipeline.topN().input() : null;
    if (layout == null) {
      // Nothing fused here: the batch goes straight to the interpreted operators.
      Code body = new Code();
      handOff(body, "in", seg.operatorsAfter, nextName, embedded);
      return Templates.render(Templates.get("handoff").add("name", seg.name)
          .add("comment", "Interpreted operators only").add("body", body.toString()));
    }
    Code setup = new Code();
    Code after = new Code();
    Code cleanup = new Code();
    Row row = new Row(cls, setup);
    SegmentLoops loops = new SegmentLoops();
    List<Slot> slots = new ArrayList<>();
    for (int k = 0; k < layout.size(); k++) {
      slots.add(row.add(Slot.input(k, layout.get(k).type())));
    }
    loops.open("for (int i = 0; i < n; i++)");
    List<String> comments = new ArrayList<>();
    Code counted = new Code();
    for (int st = 0; st < seg.steps.size(); st++) {
      FusionSpec step = seg.steps.get(st);
      if (step instanceof FusionSpec.Probe) {
        comments.add(((FusionSpec.Probe) step).shown());
        slots = new ProbeGenerator(this, cls, row, setup, loops, oneLoopProbeMaxRows).probe((FusionSpec.Probe) step,
            slots);
        if (slots == null) {
          break; // no row goes on: the rest runs on the rows the join emits at the end
        }
        countRowsOut(seg.stepOps.get(st), setup, loops.body, counted);
        continue;
      }
      Code target = cls.varsAsFields ? new Code() : loops.body;
      String reject = cls.varsAsFields ? "return false;" : "continue;";
      if (step instanceof FusionSpec.Filter) {
        FusionSpec.Filter f = (FusionSpec.Filter) step;
        target.comment("Filter " + f.condition());
        comments.add("Filter " + f.condition());
        for (Expr conjunct : Exprs.conjuncts(f.condition())) {
          Val v = row.value(slots, f.input(), target, conjunct);
          target.line("if (" + (v.neverNull() ? "" : v.isNull + " || ") + "!" + v.value + ") " + reject);
        }
      } else {
        FusionSpec.Project p = (FusionSpec.Project) step;
        target.comment("Project " + p.exprs());
        comments.add("Project");
        List<Slot> out = new ArrayList<>();
        for (Expr e : p.exprs()) {
          if (e instanceof ColumnRef) {
            out.add(Row.slot(slots, p.input(), (ColumnRef) e));
            continue;
          }
          Slot computed = row.add(Slot.computed(e, slots, p.input()));
          if (cls.varsAsFields) {
            // Split mode: one method per computed column, so wide projections stay small methods.
            Code one = new Code();
            row.load(computed, one);
            target.line(rowMethod("column", e.toString(), one.toString()) + "(i);");
          } else {
            row.load(computed, target);
          }
          out.add(computed);
        }
        slots = out;
      }
      if (cls.varsAsFields) {
        String name = rowMethod("step", comments.get(comments.size() - 1), target.toString());
        loops.body.line("if (!" + name + "(i)) continue;");
      }
      countRowsOut(seg.stepOps.get(st), setup, loops.body, counted);
    }
    if (slots == null) {
      comments.add("nothing passed on");
    } else if (seg.aggregate) {
      // Only projections before it: row i of the batch is the aggregation's row i.
      boolean everyRowReaches = seg.steps.stream().allMatch(step -> step instanceof FusionSpec.Project);
      aggregate(row, slots, setup, loops.body, after, loops.repeatsRows, everyRowReaches);
      comments.add("hash aggregation update");
    } else {
      buildHashes = endsAtBuild ? new JoinBuildHashes(cls, pipeline.joinBuild()) : null;
      // A selection handed on mid-loop may move the cut-off under the loop: compare only whole batches.
      topNCutoffs = endsAtTopN && !loops.repeatsRows ? new TopNCutoffs(cls, pipeline.topN()) : null;
      emit(row, slots, setup, loops, after, cleanup, seg.operatorsAfter, nextName, embedded);
      comments.add(buildHashes != null ? "hash join build rows with their key hashes"
          : topNCutoffs != null ? "rows sorting before the top-N cut-off"
          : seg.operatorsAfter.isEmpty() && nextName == null ? "result batch" : "batch for the next operator");
      buildHashes = null;
      topNCutoffs = null;
    }
    loops.closeAll();
    return Templates.render(Templates.get("segment").add("name", seg.name)
        .add("comment", Code.safe(String.join(", then ", comments))).add("setup", setup.toString())
        .add("body", loops.body.toString()).add("counted", counted.toString()).add("after", after.toString())
        .add("cleanup", cleanup.isEmpty() ? "// nothing to release" : cleanup.toString()));
  }

  // ------------------------------------------------------------------ segment ends

  /**
   * Rows reaching the end of the segment: their input columns are gathered by a selection vector
   * (or shared whole when every row passed), other columns are written as they are produced. When
   * a join may repeat rows, a full selection is handed on mid-loop, so batches stay bounded.
   */
  private void emit(Row row, List<Slot> slots, Code setup, SegmentLoops loops, Code after, Code cleanup,
      List<Integer> operatorsAfter, String next, List<Integer> embedded) {
    List<DataType> writtenTypes = new ArrayList<>();
    for (Slot s : slots) {
      if (s.inputColumn() < 0) {
        writtenTypes.add(s.type);
      }
    }
    boolean repeats = loops.repeatsRows;
    String writer = null;
    String sel = cls.mutableField("int[]", "sel", "new int[0]");
    setup.line(sel + " = room(" + sel + ", n);");
    if (buildHashes != null) {
      buildHashes.setup(setup, sel);
    }
    if (!writtenTypes.isEmpty()) {
      StringBuilder types = new StringBuilder();
      for (DataType t : writtenTypes) {
        types.append(types.length() == 0 ? "" : ", ");
        types.append(cls.ref(t, "io.kiln.types.DataType"));
      }
      writer = cls.field("io.kiln.codegen.runtime.BatchWriter", "writer",
          "new io.kiln.codegen.runtime.BatchWriter(new io.kiln.types.DataType[] {" + types + "})");
      setup.line(writer + ".begin(" + (repeats ? sel + ".length" : "n") + ", allocator);");
      cleanup.line(writer + ".release();");
    }
    String j = cls.varsAsFields ? cls.field("int[]", "count", "new int[1]") + "[0]" : "j";
    setup.line(cls.varsAsFields ? j + " = 0;" : "int j = 0;");
    if (topNCutoffs != null) {
      topNCutoffs.setup(setup);
      if (cls.varsAsFields) {
        Code compare = new Code();
        topNCutoffs.compare(row, slots, compare, "return false;");
        loops.body.line("if (!" + rowMethod("cutoff", "Whether the row sorts before the top-N cut-off", compare.toString())
            + "(i)) continue;");
      } else {
        topNCutoffs.compare(row, slots, loops.body, "continue;");
      }
    }
    Code target = cls.varsAsFields ? new Code() : loops.body;
    target.comment("the row reaches the end of the segment");
    target.line(sel + "[" + j + "] = i;");
    int c = 0;
    Code puts = cls.varsAsFields ? new Code() : target;
    for (Slot s : slots) {
      if (s.inputColumn() >= 0) {
        continue;
      }
      row.load(s, puts);
      put(puts, writer, c++, j, s.val);
      if (cls.varsAsFields && c % 32 == 0) {
        target.line(putsMethod(puts) + "(i);");
        puts = new Code();
      }
    }
    if (cls.varsAsFields && !puts.isEmpty()) {
      target.line(putsMethod(puts) + "(i);");
    }
    if (buildHashes != null) {
      buildHashes.hashRow(row, slots, target, j);
    }
    target.line(j + "++;");
    if (cls.varsAsFields) {
      loops.body.line(rowMethod("emit", "Appends the row to the output", target.toString()) + "(i);");
    }
    String output = output(slots, sel, writer, repeats, operatorsAfter, next, embedded);
    if (repeats) {
      loops.body.open("if (" + j + " == " + sel + ".length)").comment("the selection is full: hand it on");
      loops.body.line(output + "(in, local, " + j + ");").line(j + " = 0;");
      if (writer != null) {
        loops.body.line(writer + ".begin(" + sel + ".length, allocator);");
      }
      loops.body.close();
    }
    after.open("if (" + j + " == 0)");
    if (writer != null) {
      after.line(writer + ".release();");
    }
    after.line("return;").close();
    after.line(output + "(in, local, " + j + ");");
  }

  /** The method making a batch of the selected rows and handing it on; its name. */
  private String output(List<Slot> slots, String sel, String writer, boolean repeats, List<Integer> operatorsAfter,
      String next, List<Integer> embedded) {
    Code body = new Code();
    body.line("io.kiln.data.Batch out;");
    body.line("org.apache.arrow.vector.ValueVector[] cols = new org.apache.arrow.vector.ValueVector[" + slots.size() + "];");
    body.open("try");
    int c = 0;
    for (int k = 0; k < slots.size(); k++) {
      Slot s = slots.get(k);
      body.line("cols[" + k + "] = " + (s.inputColumn() >= 0
          ? (repeats ? "gather" : "pick") + "(in, " + s.inputColumn() + ", " + sel + ", selected)"
          : writer + ".take(" + (c++) + ", selected)") + ";");
    }
    body.line("out = new io.kiln.data.Batch(cols, selected);");
    body.close().open("catch (RuntimeException e)");
    body.line("io.kiln.physical.Batches.closeAll(cols);");
    if (writer != null) {
      body.line(writer + ".release();");
    }
    body.line("throw e;").close();
    if (buildHashes != null) {
      body.line(buildHashes.push("out", "selected"));
    } else if (topNCutoffs != null) {
      body.line(topNCutoffs.push("out"));
    } else {
      handOff(body, "out", operatorsAfter, next, embedded);
    }
    String name = cls.fresh("output");
    segmentMethods.add(Templates.render(Templates.get("output").add("name", name).add("body", body.toString())));
    return name;
  }

  /** Split mode: output columns are written by methods of at most 32 columns each. */
  private String putsMethod(Code puts) {
    return rowMethod("write", "Writes computed output columns", puts.toString());
  }

  /** A {@code boolean name(int i)} method holding one step's per-row code (split mode); its name. */
  String rowMethod(String prefix, String comment, String body) {
    String name = cls.fresh(prefix);
    segmentMethods.add(Templates.render(Templates.get("rowMethod").add("name", name)
        .add("comment", Code.safe(comment)).add("body", body)));
    return name;
  }

  /** Adds a method to the class. */
  void method(String text) {
    segmentMethods.add(text);
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
  private void aggregate(Row row, List<Slot> slots, Code setup, Code loop, Code after, boolean repeatsRows,
      boolean everyRowReaches) {
    FusionSpec.Aggregate a = pipeline.aggregate();
    setup.line("final " + AGG + ".HashAggregateSink.Partial partial = (" + AGG + ".HashAggregateSink.Partial) local;");
    // Before the states are fetched: a spill between batches gives the local new ones.
    setup.line("partial.beginBatch(n);");
    String[] states = new String[a.calls().size()];
    for (int k = 0; k < states.length; k++) {
      String type = stateType(a.calls().get(k));
      states[k] = cls.var(setup, type, "state", "(" + type + ") partial.state(" + k + ")");
    }
    if (cls.varsAsFields) {
      setup.line("this.partial = partial;");
      cls.fields.add("private " + AGG + ".HashAggregateSink.Partial partial;");
    }
    Code target = cls.varsAsFields ? new Code() : loop;
    boolean batched = !a.keys().isEmpty() && a.calls().stream().allMatch(call -> batchable(call, slots, a.input()));
    int[] idKeys = batched ? inputKeyColumns(a, slots) : null;
    // Every column the aggregation reads as a row value is loaded up front, outside the conditional
    // blocks below (a column first loaded inside one block would be out of scope, or in split mode
    // stale, in the next). Columns only a batched state or key lookup reads from their buffers are not,
    // nor keys that may find their groups by dictionary ids (loaded where they are looked up by value).
    for (Expr e : rowValueExprs(a, batched, idKeys != null, slots)) {
      for (ColumnRef ref : Exprs.columns(e)) {
        row.load(Row.slot(slots, a.input(), ref), target);
      }
    }
    if (batched) {
      batchedAggregate(a, row, states, slots, setup, loop, after, target, repeatsRows, everyRowReaches, idKeys);
      return;
    }
    target.comment("hash aggregation: the row's group");
    String g;
    if (a.keys().isEmpty()) {
      g = "0";
    } else if (a.keys().size() == 1 && isLongKind(a.keys().get(0))) {
      Expr key = a.keys().get(0);
      Val v = row.value(slots, a.input(), target, key);
      String value = v.kind() == PhysicalKind.BOOLEAN ? "(" + v.value + " ? 1L : 0L)" : v.value;
      g = cls.var(target, "int", "g", "partial.groupOfLong(" + v.isNull + ", " + value + ")");
    } else {
      g = cls.var(target, "int", "g", lookupKeyRow(a, row, slots, target));
    }
    if (cls.varsAsFields) {
      String name = rowMethod("group", "The row's group", target.toString());
      loop.line(name + "(i);");
    }
    for (int k = 0; k < a.calls().size(); k++) {
      AggregateCall call = a.calls().get(k);
      Code c = cls.varsAsFields ? new Code() : loop;
      c.comment(call.toString());
      update(row, call, states[k], g, slots, a.input(), c);
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
   * state that one long per-row body serializes (3x faster with many groups). A key or argument that
   * is an input column as it is, is not copied: the loop notes which input rows reach the
   * aggregation (nothing at all when every row does) and the state reads those rows from the
   * column's buffer. When every key is an input column ({@code idKeys}: their columns, else null)
   * and a batch carries their dictionary ids, the loop leaves the keys alone and the groups are
   * found through the ids after it.
   */
  private void batchedAggregate(FusionSpec.Aggregate a, Row row, String[] states, List<Slot> slots, Code setup, Code loop,
      Code after, Code target, boolean repeatsRows, boolean everyRowReaches, int[] idKeys) {
    String count = cls.var(setup, "int", "count", "0");
    List<String> buffers = new ArrayList<>();
    String groups = buffer(buffers, setup, "int", "groups");
    // Rows reach the aggregation in order and all of them unless a filter or join probe comes first.
    String sel = everyRowReaches ? "null" : null;
    String byIds = null;
    String byIdsCall = null;
    if (idKeys != null) {
      StringBuilder columns = new StringBuilder();
      for (int c : idKeys) {
        columns.append(columns.length() == 0 ? "" : ", ").append(c);
      }
      String keyColumns = cls.field("int[]", "keyColumns", "new int[] {" + columns + "}");
      setup.comment("hash aggregation: whether this batch's rows find their groups by their keys' dictionary ids");
      byIds = cls.var(setup, "boolean", "byIds", "partial.canGroupByIds(in, " + keyColumns + ")");
      sel = sel != null ? sel : selectedRows(buffers, setup, loop, count);
      byIdsCall = "partial.groupsByIds(in, " + keyColumns + ", " + sel + ", " + count + ", " + groups + ");";
    }
    target.comment("hash aggregation: the row's keys");
    Set<Slot> loadedBefore = row.loaded();
    if (byIds != null) {
      target.open("if (!" + byIds + ")");
    }
    if (a.keys().size() == 1 && isLongKind(a.keys().get(0))) {
      Expr key = a.keys().get(0);
      Slot direct = directColumn(key, slots, a.input());
      after.comment("hash aggregation: the groups of the batch's rows");
      if (byIds != null) {
        after.open("if (" + byIds + ")").line(byIdsCall).orElse();
      }
      if (direct != null) {
        sel = sel != null ? sel : selectedRows(buffers, setup, loop, count);
        row.addresses(direct);
        after.line("partial.groupsOfLongsAt(" + direct.data + ", " + validityOrZero(direct) + ", " + sel + ", "
            + count + ", " + groups + ");");
      } else {
        Val v = row.value(slots, a.input(), target, key);
        String keys = buffer(buffers, setup, "long", "keys");
        target.line(keys + "[" + count + "] = " + (v.kind() == PhysicalKind.BOOLEAN ? "(" + v.value + " ? 1L : 0L)"
            : v.value) + ";");
        String nulls = "null";
        if (!v.neverNull()) {
          nulls = buffer(buffers, setup, "boolean", "keyNulls");
          target.line(nulls + "[" + count + "] = " + v.isNull + ";");
        }
        after.line("partial.groupsOfLongs(" + keys + ", " + nulls + ", " + count + ", " + groups + ");");
      }
      if (byIds != null) {
        after.close();
      }
    } else {
      target.line(groups + "[" + count + "] = " + lookupKeyRow(a, row, slots, target) + ";");
      if (byIds != null) {
        after.comment("hash aggregation: the groups of the batch's rows, by their keys' dictionary ids");
        after.line("if (" + byIds + ") " + byIdsCall);
      }
    }
    if (byIds != null) {
      target.close();
      row.forgetSince(loadedBefore); // keys read in the block are not loaded after it
    }
    if (cls.varsAsFields) {
      loop.line(rowMethod("group", "The row's keys", target.toString()) + "(i);");
    }
    for (int k = 0; k < a.calls().size(); k++) {
      AggregateCall call = a.calls().get(k);
      Slot direct = call.filter() == null && call.arg() != null ? directColumn(call.arg(), slots, a.input()) : null;
      if (direct != null) {
        sel = sel != null ? sel : selectedRows(buffers, setup, loop, count);
        row.addresses(direct);
        after.comment(call.toString());
        String values = stateClass(call).equals("Count") ? ""
            : direct.type.kind() == PhysicalKind.STRING ? ", " + direct.data + ", " + direct.offsets : ", " + direct.data;
        after.line(states[k] + ".addAllAt(" + groups + values + ", " + validityOrZero(direct) + ", " + sel + ", "
            + count + ");");
        continue;
      }
      Code c = cls.varsAsFields ? new Code() : loop;
      c.comment(call.toString());
      // Rows a FILTER rejects or whose argument is NULL are marked skipped, not left out.
      String skip = "null";
      if (call.filter() != null) {
        skip = buffer(buffers, setup, "boolean", "skip");
        c.line(skip + "[" + count + "] = true;");
        Val f = row.value(slots, a.input(), c, call.filter());
        c.open("if (" + (f.neverNull() ? "" : "!(" + f.isNull + ") && ") + f.value + ")");
      }
      String values = null;
      String skipped = "false";
      if (call.arg() != null) {
        Val v = row.value(slots, a.input(), c, call.arg());
        if (!stateClass(call).equals("Count")) {
          values = buffer(buffers, setup, v.kind() == PhysicalKind.DOUBLE ? "double" : "long", "values");
          c.line(values + "[" + count + "] = " + v.value + ";");
        }
        skipped = v.neverNull() ? "false" : v.isNull;
      }
      if (call.filter() != null) {
        c.line(skip + "[" + count + "] = " + skipped + ";");
        c.close();
      } else if (!skipped.equals("false")) {
        skip = buffer(buffers, setup, "boolean", "skip");
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
    if (!repeatsRows) {
      return; // at most the batch's n rows, and the buffers hold n
    }
    // A multi-match join probe before the aggregation can pass on more rows than the batch has. The
    // grown arrays are kept, so a pipeline grows them a few times, not on every batch.
    StringBuilder grow = new StringBuilder();
    for (String b : buffers) {
      grow.append(' ').append(b).append(" = java.util.Arrays.copyOf(").append(b).append(", ").append(count)
          .append(" * 2); ").append(cls.bufferField(b)).append(" = ").append(b).append(';');
    }
    loop.line("if (" + count + " == " + groups + ".length) {" + grow + " }");
  }

  /** The array of input rows reaching the aggregation, filled in the loop; its name. */
  private String selectedRows(List<String> buffers, Code setup, Code loop, String count) {
    String rows = buffer(buffers, setup, "int", "rows");
    loop.line(rows + "[" + count + "] = i;");
    return rows;
  }

  /**
   * The input columns of the aggregation's keys when each key is an input column as it is, not a
   * boolean (a batch may carry their dictionary ids, see {@code HashAggregateSink.Partial#groupsByIds}); else null.
   */
  private static int[] inputKeyColumns(FusionSpec.Aggregate a, List<Slot> slots) {
    int[] columns = new int[a.keys().size()];
    for (int k = 0; k < columns.length; k++) {
      Slot s = directColumn(a.keys().get(k), slots, a.input());
      if (s == null) {
        return null;
      }
      columns[k] = s.inputColumn();
    }
    return columns;
  }

  /**
   * An input column of 8-byte values or strings an aggregation reads as it is, which the state can
   * read from its buffers; or null.
   */
  private static Slot directColumn(Expr e, List<Slot> slots, List<ColumnRef> layout) {
    if (!(e instanceof ColumnRef)) {
      return null;
    }
    Slot s = Row.slot(slots, layout, (ColumnRef) e);
    PhysicalKind kind = s.type.kind();
    return s.inputColumn() >= 0 && kind != PhysicalKind.BOOLEAN ? s : null;
  }

  private static String validityOrZero(Slot s) {
    return "(" + s.noNulls + " ? 0L : " + s.validity + ")";
  }

  private String buffer(List<String> buffers, Code setup, String elementType, String prefix) {
    String name = cls.buffer(setup, elementType, prefix);
    buffers.add(name);
    return name;
  }

  private static final String BYTES = Bytes.class.getName();

  /** Fills the key row with the row's keys and hashes them; returns the expression looking up its group. */
  private String lookupKeyRow(FusionSpec.Aggregate a, Row row, List<Slot> slots, Code target) {
    String keyRow = cls.field(AGG + ".KeyRow", "keyRow", "new " + AGG + ".KeyRow(" + a.keys().size() + ")");
    String h = cls.var(target, "long", "h", "0L");
    for (int k = 0; k < a.keys().size(); k++) {
      Expr key = a.keys().get(k);
      Val v = row.value(slots, a.input(), target, key);
      target.line(keyRow + ".nulls[" + k + "] = " + v.isNull + ";");
      String hash;
      switch (v.kind()) {
        case LONG:
          target.line(keyRow + ".longs[" + k + "] = " + v.value + ";");
          hash = KEY_HASH + ".ofLong(" + v.value + ")";
          break;
        case DOUBLE:
          target.line(keyRow + ".doubles[" + k + "] = " + v.value + ";");
          hash = KEY_HASH + ".ofDouble(" + v.value + ")";
          break;
        case BOOLEAN:
          target.line(keyRow + ".longs[" + k + "] = " + v.value + " ? 1L : 0L;");
          hash = KEY_HASH + ".ofBoolean(" + v.value + ")";
          break;
        default:
          if (v.isSlice()) {
            target.line(keyRow + ".bytes[" + k + "] = null;");
            target.line(keyRow + ".addresses[" + k + "] = " + v.addr + ";");
            target.line(keyRow + ".lengths[" + k + "] = " + v.len + ";");
            // Packed once here: a short string is then hashed and matched as this one long.
            String packed = keyRow + ".packed[" + k + "]";
            target.line(packed + " = " + (v.neverNull() ? "" : v.isNull + " ? " + BYTES + ".NULL_PACKED : ") + BYTES
                + ".pack(" + v.addr + ", " + v.len + ");");
            hash = KEY_HASH + ".ofBytes(" + packed + ", " + v.addr + ", " + v.len + ")";
          } else {
            target.line(keyRow + ".bytes[" + k + "] = " + v.value + ";");
            target.line(keyRow + ".packed[" + k + "] = " + (v.neverNull() ? "" : v.isNull + " ? " + BYTES
                + ".NULL_PACKED : ") + BYTES + ".pack(" + v.value + ");");
            hash = KEY_HASH + ".ofBytes(" + v.value + ")";
          }
      }
      target.line(h + " = " + KEY_HASH + ".combine(" + h + ", " + (v.neverNull() ? hash
          : v.isNull + " ? " + KEY_HASH + ".NULL : " + hash) + ");");
    }
    return "partial.group(" + h + ", " + keyRow + ")";
  }

  /**
   * Aggregates whose state takes a whole batch of (group, value) pairs: strings only as an input
   * column read from its buffers (there are no arrays of string values to fill in the row loop).
   */
  private static boolean batchable(AggregateCall call, List<Slot> slots, List<ColumnRef> layout) {
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
      case "MinMaxString":
        return call.filter() == null && directColumn(call.arg(), slots, layout) != null;
      default:
        return false;
    }
  }

  /** Keys the group table compares as one long, so a single one needs no {@code KeyRow}. */
  private static boolean isLongKind(Expr key) {
    PhysicalKind kind = key.type().kind();
    return kind == PhysicalKind.LONG || kind == PhysicalKind.BOOLEAN;
  }

  /**
   * The keys, arguments and filters the aggregation evaluates per row, leaving out (when {@code
   * batched}) the ones read from their buffers after the loop: a single LONG-kind key or a call's
   * argument without FILTER that is an input column as it is. The same column may be read both ways.
   * With {@code keysByIds} the keys are left out too: they are loaded only in the block that looks
   * their group up by value, for batches without dictionary ids.
   */
  private static List<Expr> rowValueExprs(FusionSpec.Aggregate a, boolean batched, boolean keysByIds,
      List<Slot> slots) {
    List<Expr> all = new ArrayList<>();
    boolean singleLongKey = a.keys().size() == 1 && isLongKind(a.keys().get(0));
    for (Expr key : a.keys()) {
      if (!keysByIds && !(batched && singleLongKey && directColumn(key, slots, a.input()) != null)) {
        all.add(key);
      }
    }
    for (AggregateCall c : a.calls()) {
      if (c.arg() != null && !(batched && c.filter() == null && directColumn(c.arg(), slots, a.input()) != null)) {
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
      return call.arg().type().kind() == PhysicalKind.STRING ? "Distinct" : DISTINCT_VALUES;
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
        return call.arg().type().kind() == PhysicalKind.STRING ? "MinMaxString" : "MinMax";
      case BOOL_AND:
      case BOOL_OR:
        return BOOL_AND_OR;
      case QUANTILE_CONT:
      case QUANTILE_DISC:
      case STRING_AGG:
        return COLLECT;
      case APPROX_COUNT_DISTINCT:
        return APPROX_DISTINCT;
      case UDF:
        return UDF_STATE;
      default:
        return "Moments";
    }
  }

  /** The state classes of their own files; the others are nested in AggStates. */
  private static final String BOOL_AND_OR = io.kiln.physical.agg.BoolAndOrState.class.getSimpleName();
  private static final String COLLECT = io.kiln.physical.agg.CollectState.class.getSimpleName();
  private static final String APPROX_DISTINCT = io.kiln.physical.agg.ApproxDistinctState.class.getSimpleName();
  /** A user's aggregate: generated code calls the state's add, which calls the user's update directly. */
  private static final String UDF_STATE = io.kiln.physical.agg.UdfAggState.class.getSimpleName();
  private static final String DISTINCT_VALUES = io.kiln.physical.agg.DistinctValuesState.class.getSimpleName();
  private static final java.util.Set<String> OWN_FILE_STATES = java.util.Set.of(BOOL_AND_OR, COLLECT, APPROX_DISTINCT,
      UDF_STATE, DISTINCT_VALUES);

  /** The Java type of a call's state, as generated code names it. */
  private static String stateType(AggregateCall call) {
    String c = stateClass(call);
    return OWN_FILE_STATES.contains(c) ? AGG + "." + c : AGG + ".AggStates." + c;
  }

  /** States that take each row's value boxed, as {@code add(group, Object)}. */
  private static boolean takesBoxed(String stateClass) {
    return stateClass.equals("Distinct") || OWN_FILE_STATES.contains(stateClass);
  }

  private void update(Row row, AggregateCall call, String state, String g, List<Slot> slots, List<ColumnRef> layout,
      Code code) {
    if (call.filter() != null) {
      Val f = row.value(slots, layout, code, call.filter());
      code.open("if (" + (f.neverNull() ? "" : "!(" + f.isNull + ") && ") + f.value + ")");
    }
    if (call.arg() == null) {
      code.line(state + ".add(" + g + ");");
    } else {
      Val v = row.value(slots, layout, code, call.arg());
      if (!v.neverNull()) {
        code.open("if (!(" + v.isNull + "))");
      }
      String cls = stateClass(call);
      String value;
      if (cls.equals("Count")) {
        value = null;
      } else if (cls.equals("MinMaxString")) {
        value = v.isSlice() ? v.addr + ", " + v.len : v.value;
      } else if (cls.equals("MinMax") && v.kind() == PhysicalKind.BOOLEAN) {
        value = "(" + v.value + " ? 1L : 0L)";
      } else if (cls.equals(DISTINCT_VALUES)) {
        value = v.value; // add(int, long / double / boolean)
      } else if (takesBoxed(cls)) {
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
