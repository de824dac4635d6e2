package io.kiln.physical.agg;

import io.kiln.physical.plan.AggregateMode;
import io.kiln.data.Batch;
import io.kiln.error.KilnException;
import io.kiln.exec.ExecContext;
import io.kiln.logical.AggregateCall;
import io.kiln.physical.Batches;
import io.kiln.physical.Sink;
import io.kiln.physical.expr.Evaluator;
import io.kiln.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.types.Types;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Hash aggregation: each worker aggregates its morsels into its own group table, and the tables are
 * merged group by group at the end. Without grouping keys there is always exactly one group, so an
 * empty input still yields one row (count 0, other aggregates NULL). When every key is an input
 * column and a batch carries their dictionary ids, rows find their groups through the ids
 * ({@link DictionaryGroups}).
 *
 * <p>The constructors make a {@link AggregateMode#SINGLE} aggregation; {@link #partial} and
 * {@link #finalMerge} make the two phases of a partitioned one. A PARTIAL one folds rows in as SINGLE
 * does (so generated code drives it the same way) but outputs its groups' states; a FINAL one takes
 * batches of such outputs and merges the states of equal keys.
 */
public final class HashAggregateSink implements Sink {
  private final AggregateMode mode;
  /** The key expressions; empty for FINAL, whose keys are its input's first columns. */
  private final List<Evaluator> keys;
  private final List<DataType> keyTypes;
  private final List<AggregateCall> calls;
  private final List<Evaluator> args;
  private final List<Evaluator> filters;
  private final String shown;
  /** The input column of each key, or null when some key is computed (then rows never group by dictionary ids). */
  private final int[] keyColumns;
  /** Rows whose groups were found through their keys' dictionary ids. */
  private final LongAdder rowsGroupedByIds;
  /** FINAL: how many state columns each aggregate reads from an input batch. */
  private final int[] stateWidths;
  /** FINAL: the columns an input batch must have (PARTIAL's output). */
  private final List<Field> stateBatchFields;
  private Partial global;
  /** Where EXPLAIN ANALYZE counts the bytes spilled, asked for on the first spill (so it shows only then). */
  private java.util.function.Supplier<LongAdder> spillCounter = LongAdder::new;
  /** Locals that spilled, their groups all on disk, merged at {@link #takeAll}. */
  private final List<SpilledGroups> spilledLocals = new ArrayList<>();
  /** Set by {@link #keepingLocalsApart}: each merged local's output, in place of one merged table. */
  private List<Batch> outputs;

  public HashAggregateSink(List<Evaluator> keys, List<AggregateCall> calls, List<Evaluator> args,
      List<Evaluator> filters, String shown) {
    this(keys, calls, args, filters, shown, new LongAdder());
  }

  /** The same, counting in {@code rowsGroupedByIds} the rows whose groups it finds by dictionary ids. */
  public HashAggregateSink(List<Evaluator> keys, List<AggregateCall> calls, List<Evaluator> args,
      List<Evaluator> filters, String shown, LongAdder rowsGroupedByIds) {
    this(AggregateMode.SINGLE, keys, calls, args, filters, shown, rowsGroupedByIds);
  }

  /**
   * The PARTIAL phase: rows fold in as in SINGLE (FILTERs included), and {@link #take} gives key
   * columns then state columns, as {@link AggregateLayout#partialFields} lists them.
   */
  public static HashAggregateSink partial(List<Evaluator> keys, List<AggregateCall> calls, List<Evaluator> args,
      List<Evaluator> filters, String shown, LongAdder rowsGroupedByIds) {
    return new HashAggregateSink(AggregateMode.PARTIAL, keys, calls, args, filters, shown, rowsGroupedByIds);
  }

  public static HashAggregateSink partial(List<Evaluator> keys, List<AggregateCall> calls, List<Evaluator> args,
      List<Evaluator> filters, String shown) {
    return partial(keys, calls, args, filters, shown, new LongAdder());
  }

  /**
   * The FINAL phase: input batches are PARTIAL outputs of the same keys and calls (key columns of
   * {@code keyTypes}' kinds, then state columns); {@link #take} gives what SINGLE would. The calls'
   * arguments and FILTERs are not evaluated again: PARTIAL applied them.
   */
  public static HashAggregateSink finalMerge(List<DataType> keyTypes, List<AggregateCall> calls, String shown) {
    return new HashAggregateSink(keyTypes, calls, shown);
  }

  private HashAggregateSink(List<DataType> keyTypes, List<AggregateCall> calls, String shown) {
    this.mode = AggregateMode.FINAL;
    this.rowsGroupedByIds = new LongAdder();
    this.keyColumns = null;
    this.keys = List.of();
    this.keyTypes = List.copyOf(keyTypes);
    this.calls = calls;
    this.args = null;
    this.filters = null;
    this.shown = shown;
    this.stateWidths = AggregateLayout.stateWidths(calls);
    this.stateBatchFields = AggregateLayout.partialFields(keyTypes, calls);
  }

  private HashAggregateSink(AggregateMode mode, List<Evaluator> keys, List<AggregateCall> calls,
      List<Evaluator> args, List<Evaluator> filters, String shown, LongAdder rowsGroupedByIds) {
    this.mode = mode;
    this.stateWidths = null;
    this.stateBatchFields = null;
    this.rowsGroupedByIds = rowsGroupedByIds;
    int[] columns = keys.isEmpty() ? null : new int[keys.size()];
    for (int k = 0; columns != null && k < columns.length; k++) {
      columns[k] = keys.get(k).inputColumn();
      if (columns[k] < 0) {
        columns = null;
      }
    }
    this.keyColumns = columns;
    this.keys = keys;
    this.keyTypes = new ArrayList<>();
    for (Evaluator k : keys) {
      keyTypes.add(k.type());
    }
    this.calls = calls;
    this.args = args;
    this.filters = filters;
    this.shown = shown;
  }

  /** Counts the bytes this aggregation spills in the counter {@code counter} gives on its first spill. */
  public HashAggregateSink countingSpillsIn(java.util.function.Supplier<LongAdder> counter) {
    this.spillCounter = counter;
    return this;
  }

  public AggregateMode mode() {
    return mode;
  }

  /** A group table with one state per aggregate. */
  public final class Partial implements Local {
    GroupTable table;
    DictionaryGroups dictionaryGroups;
    final AggState[] states = new AggState[calls.size()];
    final ExecContext ctx;
    final BufferAllocator allocator;
    io.kiln.exec.HeapReservation memory;
    /** The groups this local spilled to make room, by partition of their keys; null while it has not spilled. */
    SpilledGroups spilled;
    /** 0, or for a local merging spilled groups, how deep: its own spills split on other hash bits. */
    int spillLevel;
    boolean merged;
    int[] groupIds = new int[0];
    /** Groups the states have room for; they grow with the table's capacity, so rarely. */
    private int ensured;
    /** Past this many bytes of states' own heap ({@link AggState#heapBytes}: DISTINCT sets), the limit is checked again. */
    private long stateBytesChecked;

    Partial(ExecContext ctx) {
      this.ctx = ctx;
      this.allocator = ctx.allocator();
      empty();
    }

    /** Starts with no groups (and no memory reserved for them). */
    private void empty() {
      table = new GroupTable(keyTypes);
      dictionaryGroups = new DictionaryGroups(keyTypes.size());
      memory = new io.kiln.exec.HeapReservation(allocator, describe());
      ensured = -1;
      stateBytesChecked = 0;
      for (int i = 0; i < states.length; i++) {
        states[i] = AggStates.create(calls.get(i));
      }
      if (keyTypes.isEmpty()) {
        table.insertEmptyKey();
        ensure();
      }
    }

    void ensure() {
      if (table.size() <= ensured) {
        return;
      }
      ensured = table.capacity();
      for (AggState s : states) {
        s.ensure(ensured);
      }
      memory.growTo(table.estimatedBytes() + 16L * states.length * ensured);
    }

    /** Keys and hash slots at a capacity of {@code groups}, plus about 16 bytes per group for each aggregate's state. */
    private long bytesFor(int groups) {
      return table.estimatedBytes(groups) + 16L * states.length * groups;
    }

    /**
     * Called before each batch of {@code rows} rows: if they might make the table grow past what
     * the memory limit leaves (with room for the query's other work), the groups so far are
     * spilled to disk first. Between batches is the one safe moment: generated code holds state
     * objects and group ids only within a batch.
     */
    public void beginBatch(int rows) {
      long needed = (long) table.size() + rows;
      long stateBytes = 0;
      for (AggState s : states) {
        stateBytes += s.heapBytes();
      }
      if (keyTypes.isEmpty() || needed <= table.capacity() && stateBytes <= stateBytesChecked) {
        return;
      }
      int capacity = table.capacity();
      while (capacity < needed && capacity < (1 << 30)) {
        capacity *= 2;
      }
      long limit = allocator.getLimit();
      if (limit == Long.MAX_VALUE) {
        return;
      }
      // Each thread's table may take its share of three quarters of the limit, and only while an
      // eighth of it stays free for the batches in flight.
      // States that grow with their values (DISTINCT sets) are checked again after each 64th of the limit.
      stateBytesChecked = stateBytes + limit / 64;
      long bytes = bytesFor(capacity) + stateBytes;
      boolean fits = bytes <= limit / 4 * 3 / ctx.threads() && memory.tryGrowTo(bytes, limit / 8);
      if (!fits && table.size() > 0) {
        spill();
      }
    }

    /** Writes the groups out as states, partitioned by key, and starts again with none. */
    private void spill() {
      spillFiles();
      // The heap tables' reservation makes way for the Arrow columns they are written out as.
      memory.close();
      try (Batch out = stateOutput(this, allocator)) {
        spillCounter.get().add(spilled.write(out, keyTypes.size()));
      }
      empty();
    }

    /** This local's spill files, made on first use. */
    private SpilledGroups spillFiles() {
      if (spilled == null) {
        spilled = ctx.register(new SpilledGroups(ctx.spill(), describe(), spillLevel));
      }
      return spilled;
    }

    /** Spills what is left and closes the files to writing: all of this local's groups are on disk. */
    SpilledGroups spillRest() {
      spillFiles();
      if (table.size() > 0) {
        spill();
      }
      spilled.finishWriting();
      return spilled;
    }

    @Override
    public void push(Batch batch) {
      if (mode == AggregateMode.FINAL) {
        try (Batch in = batch) {
          beginBatch(in.rowCount());
          mergeStates(in);
        }
        return;
      }
      try (Batch in = batch) {
        beginBatch(in.rowCount());
        int n = in.rowCount();
        if (groupIds.length < n) {
          groupIds = new int[n];
        }
        if (keys.isEmpty()) {
          java.util.Arrays.fill(groupIds, 0, n, 0);
        } else if (keyColumns != null && dictionaryGroups.prepare(in, keyColumns)) {
          groupsByIds(in, keyColumns, null, n, groupIds);
        } else {
          ValueVector[] kv = new ValueVector[keys.size()];
          try {
            for (int k = 0; k < kv.length; k++) {
              kv[k] = keys.get(k).evaluate(in, allocator);
            }
            table.findOrInsert(kv, n, groupIds);
          } finally {
            Batches.closeAll(kv);
          }
          ensure();
        }
        for (int a = 0; a < states.length; a++) {
          try (ValueVector arg = args.get(a) == null ? null : args.get(a).evaluate(in, allocator);
              BitVector filter = filters.get(a) == null ? null : (BitVector) filters.get(a).evaluate(in, allocator)) {
            states[a].update(groupIds, n, arg, filter);
          }
        }
      }
    }

    /** The group of one key row (generated code's lookup); new groups get room in every state. */
    public int group(long hash, KeyRow row) {
      int g = table.findOrInsert(hash, row);
      ensure();
      return g;
    }

    /** The group of a row whose only key is of a LONG kind (integers, dates, decimals, booleans as 0/1). */
    public int groupOfLong(boolean isNull, long key) {
      int g = isNull ? table.findOrInsertNull() : table.findOrInsertLong(key);
      ensure();
      return g;
    }

    /** Groups of a batch of rows whose only key is of a LONG kind ({@code nulls} may be null: no NULL keys). */
    public void groupsOfLongs(long[] keys, boolean[] nulls, int n, int[] out) {
      table.findOrInsertLongs(keys, nulls, n, out);
      ensure();
    }

    /** Groups of a batch of rows whose only key, of a LONG kind, is read from an Arrow buffer (see AggStates). */
    public void groupsOfLongsAt(long data, long validity, int[] sel, int n, int[] out) {
      table.findOrInsertLongsAt(data, validity, sel, n, out);
      ensure();
    }

    /**
     * Whether the rows of {@code in} can find their groups by {@link #groupsByIds}: every key is
     * read as it is from the batch's columns {@code keyColumns}, which carry dictionary ids.
     * Generated code asks once per batch, before its row loop.
     */
    public boolean canGroupByIds(Batch in, int[] keyColumns) {
      return dictionaryGroups.prepare(in, keyColumns);
    }

    /**
     * Groups of {@code n} rows of a batch {@link #canGroupByIds} accepted, found through their
     * keys' dictionary ids: row r is the batch's row {@code sel == null ? r : sel[r]}.
     */
    public void groupsByIds(Batch in, int[] keyColumns, int[] sel, int n, int[] out) {
      dictionaryGroups.groups(in, keyColumns, sel, n, out, table);
      rowsGroupedByIds.add(n);
      ensure();
    }

    public AggState state(int aggregate) {
      return states[aggregate];
    }

    /** FINAL: folds a batch of PARTIAL output into the groups of its keys. */
    private void mergeStates(Batch in) {
      checkStateBatch(in);
      int n = in.rowCount();
      if (groupIds.length < n) {
        groupIds = new int[n];
      }
      int k = keyTypes.size();
      if (k == 0) {
        java.util.Arrays.fill(groupIds, 0, n, 0);
      } else {
        table.findOrInsert(java.util.Arrays.copyOf(in.columns(), k), n, groupIds);
        ensure();
      }
      int c = k;
      for (int a = 0; a < states.length; a++) {
        states[a].mergeState(groupIds, n, java.util.Arrays.copyOfRange(in.columns(), c, c + stateWidths[a]));
        c += stateWidths[a];
      }
    }

    void absorb(Partial other) {
      beginBatch(other.table.size());
      int n = other.table.size();
      int[] map = new int[n];
      for (int g = 0; g < n; g++) {
        map[g] = keyTypes.isEmpty() ? table.insertEmptyKey() : table.findOrInsert(other.table, g);
      }
      ensure();
      for (int a = 0; a < states.length; a++) {
        states[a].merge(other.states[a], map, n);
      }
    }

    /** Locals merged into another are released; the one that became the result lives until take(). */
    @Override
    public void close() {
      if (!merged) {
        memory.close();
      }
    }
  }

  @Override
  public Local newLocal(ExecContext ctx) {
    return new Partial(ctx);
  }

  /**
   * Makes each worker's (or, FINAL, each morsel's) local state an output of its own instead of
   * merging it into one table: a PARTIAL before an exchange, whose FINAL merges equal keys anyway,
   * and a FINAL over an exchange's partitions, whose groups do not overlap. Call before any input.
   */
  public HashAggregateSink keepingLocalsApart() {
    if (keys.isEmpty() && keyTypes.isEmpty()) {
      throw new IllegalStateException("a global aggregation makes one row, from one merged table");
    }
    outputs = new ArrayList<>();
    return this;
  }

  /** FINAL over an exchange's partitions, one per morsel: each morsel's groups are complete. */
  @Override
  public boolean localPerMorsel() {
    return outputs != null && mode == AggregateMode.FINAL;
  }

  @Override
  public void merge(Local local) {
    Partial p = (Partial) local;
    if (outputs != null) {
      try {
        if (p.spilled != null) {
          outputs.addAll(mergeSpilled(List.of(p.spillRest()), p.ctx, 0));
        } else if (p.table.size() > 0) {
          outputs.add(output(p, p.allocator));
        }
      } finally {
        p.memory.close();
        p.merged = true;
      }
      return;
    }
    if (p.spilled != null) {
      try {
        spilledLocals.add(p.spillRest());
      } finally {
        p.memory.close();
        p.merged = true;
      }
      return;
    }
    if (global == null) {
      global = p;
      p.merged = true;
    } else {
      global.absorb(p);
    }
  }

  /** The merged groups' table and states (their heap estimate), or the outputs of locals kept apart. */
  @Override
  public long heldBytes() {
    return (outputs == null ? 0 : Batches.bytes(outputs)) + (global == null ? 0 : global.memory.reserved());
  }

  /** The output: {@link #take}'s one batch, or with {@link #keepingLocalsApart} one batch per local. */
  public List<Batch> takeAll(ExecContext ctx) {
    if (outputs == null) {
      return spilledLocals.isEmpty() && (global == null || global.spilled == null)
          ? List.of(take(ctx)) : takeSpilled(ctx);
    }
    List<Batch> out = outputs;
    outputs = new ArrayList<>();
    return out;
  }

  /**
   * The groups as one batch: key columns, then one column per aggregate (SINGLE, FINAL) or its
   * state columns (PARTIAL, as {@link AggregateLayout#partialFields} names and types them).
   */
  public Batch take(ExecContext ctx) {
    Partial p = global != null ? global : new Partial(ctx);
    try {
      if (p.spilled != null || !spilledLocals.isEmpty()) {
        throw new IllegalStateException(describe() + " spilled: its groups come in several batches, from takeAll");
      }
      return output(p, ctx.allocator());
    } finally {
      p.memory.close();
      global = null;
    }
  }

  /** With spilled locals: every local's groups, merged partition by partition from their files. */
  private List<Batch> takeSpilled(ExecContext ctx) {
    List<SpilledGroups> all = new ArrayList<>(spilledLocals);
    spilledLocals.clear();
    if (global != null) {
      try {
        all.add(global.spillRest());
      } finally {
        global.memory.close();
        global = null;
      }
    }
    return mergeSpilled(all, ctx, 0);
  }

  /**
   * Merges the groups spilled by several locals, one key partition at a time (so one partition's
   * groups are in memory at once), into output batches as {@link #output} makes them. A partition
   * too large to merge in memory spills in turn, split on other bits of its keys' hashes.
   */
  private List<Batch> mergeSpilled(List<SpilledGroups> runs, ExecContext ctx, int level) {
    List<Batch> out = new ArrayList<>();
    try {
      for (int part = 0; part < SpilledGroups.PARTITIONS; part++) {
        HashAggregateSink merger = new HashAggregateSink(keyTypes, calls, shown);
        merger.spillCounter = spillCounter;
        Partial m = merger.new Partial(ctx);
        m.spillLevel = level + 1;
        try {
          for (SpilledGroups run : runs) {
            run.read(part, ctx.allocator(), m::push);
          }
          if (m.spilled != null) {
            out.addAll(mergeSpilled(List.of(m.spillRest()), ctx, level + 1));
          } else if (m.table.size() > 0) {
            out.add(mode == AggregateMode.PARTIAL ? merger.stateOutput(m, ctx.allocator())
                : merger.output(m, ctx.allocator()));
          }
        } finally {
          m.memory.close();
        }
        for (SpilledGroups run : runs) {
          run.delete(part);
        }
      }
    } catch (RuntimeException e) {
      Batches.closeAll(out);
      throw e;
    }
    return out;
  }

  private Batch output(Partial p, BufferAllocator allocator) {
    if (mode == AggregateMode.PARTIAL) {
      return stateOutput(p, allocator);
    }
    int groups = p.table.size();
    int k = keyTypes.size();
    ValueVector[] cols = new ValueVector[k + calls.size()];
    try {
      for (int i = 0; i < k; i++) {
        cols[i] = p.table.keyVector(i, allocator);
      }
      for (int a = 0; a < calls.size(); a++) {
        cols[k + a] = p.states[a].result(groups, allocator);
      }
    } catch (RuntimeException e) {
      Batches.closeAll(cols);
      throw e;
    }
    return new Batch(cols, groups);
  }

  /**
   * Rejects a FINAL input batch that is not PARTIAL output of the same keys and calls (a planning
   * error), naming the column, rather than failing on a cast deep in a state.
   */
  private void checkStateBatch(Batch in) {
    if (in.columnCount() != stateBatchFields.size()) {
      throw KilnException.execution(describe() + " got a batch of " + in.columnCount() + " columns; the PARTIAL"
          + " aggregation's output has " + stateBatchFields.size() + ": " + stateBatchFields);
    }
    for (int c = 0; c < in.columnCount(); c++) {
      Field f = stateBatchFields.get(c);
      if (in.column(c).getMinorType() != Types.getMinorTypeForArrowType(f.getType())) {
        throw KilnException.execution(describe() + " got column " + c + " of type " + in.column(c).getMinorType()
            + " where the PARTIAL aggregation's output has " + f);
      }
    }
  }

  private Batch stateOutput(Partial p, BufferAllocator allocator) {
    int groups = p.table.size();
    List<Field> fields = AggregateLayout.partialFields(keyTypes, calls);
    List<ValueVector> cols = new ArrayList<>(fields.size());
    try {
      for (int k = 0; k < keyTypes.size(); k++) {
        cols.add(named(p.table.keyVector(k, allocator), fields.get(k), allocator));
      }
      for (AggState state : p.states) {
        for (ValueVector v : state.writeState(groups, allocator)) {
          cols.add(named(v, fields.get(cols.size()), allocator));
        }
      }
    } catch (RuntimeException e) {
      cols.forEach(ValueVector::close);
      throw e;
    }
    return new Batch(cols.toArray(new ValueVector[0]), groups);
  }

  /** {@code v}'s buffers in a vector of {@code field}, so the batch's vectors carry the layout's names. */
  private static ValueVector named(ValueVector v, Field field, BufferAllocator allocator) {
    try (v) {
      TransferPair t = v.getTransferPair(field, allocator);
      t.transfer();
      return t.getTo();
    }
  }

  @Override
  public String describe() {
    return "HashAggregate " + (mode == AggregateMode.SINGLE ? "" : mode + " ") + shown;
  }

  @Override
  public void close() {
    if (global != null) {
      global.memory.close();
      global = null;
    }
    if (outputs != null) {
      Batches.closeAll(outputs);
      outputs.clear();
    }
  }
}
