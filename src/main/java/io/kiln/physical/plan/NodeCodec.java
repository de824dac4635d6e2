package io.kiln.physical.plan;

import io.kiln.catalog.ColumnPredicate;
import io.kiln.catalog.ScanTaskDescriptor;
import io.kiln.logical.Expr;
import io.kiln.logical.JoinType;
import io.kiln.physical.plan.PhysicalNode.ExchangeKind;
import io.kiln.physical.plan.proto.PlanProtos;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** {@link PhysicalNode}s, every field of each record, to and from the plan format. */
final class NodeCodec {
  private NodeCodec() {}

  static PlanProtos.PlanNode toProto(PhysicalNode node) {
    PlanProtos.PlanNode.Builder b = PlanProtos.PlanNode.newBuilder().setId(node.id());
    if (node instanceof PhysicalNode.Scan s) {
      PlanProtos.ScanNode.Builder scan = PlanProtos.ScanNode.newBuilder().setTable(s.table())
          .addAllOutput(ExprCodec.columns(s.output())).addAllColumnIndexes(s.columnIndexes())
          .addAllDictionaryIds(s.dictionaryIds());
      for (ColumnPredicate p : s.predicates()) {
        scan.addPredicates(predicate(p));
      }
      s.limit().ifPresent(scan::setLimit);
      for (ScanTaskDescriptor t : s.tasks()) {
        scan.addTasks(task(t));
      }
      for (RuntimeFilter f : s.runtimeFilters()) {
        scan.addRuntimeFilters(PlanProtos.RuntimeFilter.newBuilder().setJoinId(f.joinId()).setKey(f.key())
            .setColumn(f.column()));
      }
      b.setScan(scan);
    } else if (node instanceof PhysicalNode.Filter f) {
      b.setFilter(PlanProtos.FilterNode.newBuilder().setInput(toProto(f.input()))
          .setCondition(ExprCodec.toProto(f.condition())));
    } else if (node instanceof PhysicalNode.Project p) {
      b.setProject(PlanProtos.ProjectNode.newBuilder().setInput(toProto(p.input()))
          .addAllExprs(ExprCodec.toProto(p.exprs())).addAllOutput(ExprCodec.columns(p.output())));
    } else if (node instanceof PhysicalNode.HashJoin j) {
      PlanProtos.HashJoinNode.Builder join = PlanProtos.HashJoinNode.newBuilder()
          .setProbe(toProto(j.probe())).setBuild(toProto(j.build()))
          .setType(EnumNames.toProto(j.type(), PlanProtos.JoinType.class, "JOIN_TYPE_"))
          .addAllProbeKeys(ExprCodec.toProto(j.probeKeys())).addAllBuildKeys(ExprCodec.toProto(j.buildKeys()))
          .addAllNullSafe(j.nullSafe()).setEmitBuildSide(j.emitBuildSide())
          .addAllOutput(ExprCodec.columns(j.output()));
      if (j.residual() != null) {
        join.setResidual(ExprCodec.toProto(j.residual()));
      }
      if (j.nullAwareKey() >= 0) {
        join.setNullAwareKey(j.nullAwareKey());
      } else if (j.nullAwareKey() != -1) {
        throw new IllegalArgumentException("null-aware key " + j.nullAwareKey() + " (-1 means none)");
      }
      b.setHashJoin(join);
    } else if (node instanceof PhysicalNode.HashAggregate a) {
      PlanProtos.HashAggregateNode.Builder agg = PlanProtos.HashAggregateNode.newBuilder()
          .setInput(toProto(a.input()))
          .setMode(EnumNames.toProto(a.mode(), PlanProtos.AggregateMode.class, "AGGREGATE_MODE_"))
          .addAllKeys(ExprCodec.toProto(a.keys())).addAllOutput(ExprCodec.columns(a.output()));
      for (io.kiln.logical.AggregateCall c : a.calls()) {
        agg.addCalls(ExprCodec.toProto(c));
      }
      b.setHashAggregate(agg);
    } else if (node instanceof PhysicalNode.Sort s) {
      b.setSort(PlanProtos.SortNode.newBuilder().setInput(toProto(s.input())).addAllKeys(ExprCodec.sortKeys(s.keys())));
    } else if (node instanceof PhysicalNode.TopN t) {
      b.setTopN(PlanProtos.TopNNode.newBuilder().setInput(toProto(t.input())).addAllKeys(ExprCodec.sortKeys(t.keys()))
          .setLimit(t.limit()).setOffset(t.offset()));
    } else if (node instanceof PhysicalNode.Limit l) {
      b.setLimit(PlanProtos.LimitNode.newBuilder().setInput(toProto(l.input())).setLimit(l.limit())
          .setOffset(l.offset()));
    } else if (node instanceof PhysicalNode.Union u) {
      PlanProtos.UnionNode.Builder union = PlanProtos.UnionNode.newBuilder().addAllOutput(ExprCodec.columns(u.output()));
      for (PhysicalNode in : u.inputs()) {
        union.addInputs(toProto(in));
      }
      b.setUnionAll(union);
    } else if (node instanceof PhysicalNode.Values v) {
      PlanProtos.ValuesNode.Builder values = PlanProtos.ValuesNode.newBuilder()
          .addAllOutput(ExprCodec.columns(v.output()));
      for (List<Expr> row : v.rows()) {
        values.addRows(PlanProtos.ValuesRow.newBuilder().addAllValues(ExprCodec.toProto(row)));
      }
      b.setValues(values);
    } else if (node instanceof PhysicalNode.Exchange x) {
      b.setExchange(PlanProtos.ExchangeNode.newBuilder().setInput(toProto(x.input()))
          .setKind(EnumNames.toProto(x.kind(), PlanProtos.ExchangeKind.class, "EXCHANGE_KIND_"))
          .addAllKeys(ExprCodec.toProto(x.keys())).setPartitions(x.partitions()));
    } else if (node instanceof PhysicalNode.StageInput in) {
      b.setStageInput(PlanProtos.StageInputNode.newBuilder().setStage(in.stage())
          .setKind(EnumNames.toProto(in.kind(), PlanProtos.ExchangeKind.class, "EXCHANGE_KIND_"))
          .addAllOutput(ExprCodec.columns(in.output())));
    } else if (node instanceof PhysicalNode.Window w) {
      PlanProtos.WindowNode.Builder window = PlanProtos.WindowNode.newBuilder().setInput(toProto(w.input()))
          .addAllPartitionKeys(ExprCodec.toProto(w.partitionKeys())).addAllOrderKeys(ExprCodec.sortKeys(w.orderKeys()))
          .addAllOutput(ExprCodec.columns(w.output()));
      for (io.kiln.logical.WindowCall c : w.calls()) {
        window.addCalls(WindowCodec.toProto(c));
      }
      b.setWindow(window);
    } else if (node instanceof PhysicalNode.Result r) {
      b.setResult(PlanProtos.ResultNode.newBuilder().setInput(toProto(r.input())));
    } else {
      throw new IllegalStateException("no plan encoding for " + node.getClass().getSimpleName());
    }
    return b.build();
  }

  static PhysicalNode fromProto(PlanProtos.PlanNode n) {
    int id = n.getId();
    // No default: a node kind added to plan.proto does not compile until it is read here.
    return switch (n.getNodeCase()) {
      case SCAN -> scan(id, n.getScan());
      case FILTER -> new PhysicalNode.Filter(id, fromProto(n.getFilter().getInput()),
          ExprCodec.fromProto(n.getFilter().getCondition()));
      case PROJECT -> new PhysicalNode.Project(id, fromProto(n.getProject().getInput()),
          ExprCodec.fromProto(n.getProject().getExprsList()), ExprCodec.columnsFromProto(n.getProject().getOutputList()));
      case HASH_JOIN -> hashJoin(id, n.getHashJoin());
      case HASH_AGGREGATE -> hashAggregate(id, n.getHashAggregate());
      case SORT -> new PhysicalNode.Sort(id, fromProto(n.getSort().getInput()),
          ExprCodec.sortKeysFromProto(n.getSort().getKeysList()));
      case TOP_N -> new PhysicalNode.TopN(id, fromProto(n.getTopN().getInput()),
          ExprCodec.sortKeysFromProto(n.getTopN().getKeysList()), n.getTopN().getLimit(), n.getTopN().getOffset());
      case LIMIT -> new PhysicalNode.Limit(id, fromProto(n.getLimit().getInput()), n.getLimit().getLimit(),
          n.getLimit().getOffset());
      case UNION_ALL -> union(id, n.getUnionAll());
      case VALUES -> values(id, n.getValues());
      case EXCHANGE -> exchange(id, n.getExchange());
      case STAGE_INPUT -> stageInput(id, n.getStageInput());
      case RESULT -> new PhysicalNode.Result(id, fromProto(n.getResult().getInput()));
      case WINDOW -> window(id, n.getWindow());
      case NODE_NOT_SET -> throw PlanFormatErrors.unknownKind("plan node " + id, n);
    };
  }

  private static PhysicalNode scan(int id, PlanProtos.ScanNode s) {
    List<ColumnPredicate> predicates = new ArrayList<>();
    for (PlanProtos.ColumnPredicate p : s.getPredicatesList()) {
      predicates.add(predicate(p));
    }
    List<ScanTaskDescriptor> tasks = new ArrayList<>();
    for (PlanProtos.ScanTaskDescriptor t : s.getTasksList()) {
      tasks.add(task(t));
    }
    List<RuntimeFilter> filters = new ArrayList<>();
    for (PlanProtos.RuntimeFilter f : s.getRuntimeFiltersList()) {
      filters.add(new RuntimeFilter(f.getJoinId(), f.getKey(), f.getColumn()));
    }
    return new PhysicalNode.Scan(id, s.getTable(), ExprCodec.columnsFromProto(s.getOutputList()),
        s.getColumnIndexesList(), predicates, s.hasLimit() ? OptionalLong.of(s.getLimit()) : OptionalLong.empty(),
        s.getDictionaryIdsList(), tasks, filters);
  }

  private static PlanProtos.ScanTaskDescriptor task(ScanTaskDescriptor t) {
    return PlanProtos.ScanTaskDescriptor.newBuilder().setLocation(t.location()).setRowGroup(t.rowGroup())
        .setFirstRow(t.firstRow()).setRowCount(t.rowCount()).setEstimatedRows(t.estimatedRows()).build();
  }

  /** A descriptor read back; its record's checks (no negative row group...) fail as an invalid plan. */
  private static ScanTaskDescriptor task(PlanProtos.ScanTaskDescriptor t) {
    return new ScanTaskDescriptor(t.getLocation(), t.getRowGroup(), t.getFirstRow(), t.getRowCount(),
        t.getEstimatedRows());
  }

  private static PhysicalNode hashJoin(int id, PlanProtos.HashJoinNode j) {
    JoinType type = EnumNames.fromProto(j.getType(), j.getTypeValue(), JoinType.class, "JOIN_TYPE_", "join type");
    return new PhysicalNode.HashJoin(id, fromProto(j.getProbe()), fromProto(j.getBuild()), type,
        ExprCodec.fromProto(j.getProbeKeysList()), ExprCodec.fromProto(j.getBuildKeysList()), j.getNullSafeList(),
        j.hasResidual() ? ExprCodec.fromProto(j.getResidual()) : null, j.hasNullAwareKey() ? j.getNullAwareKey() : -1,
        j.getEmitBuildSide(), ExprCodec.columnsFromProto(j.getOutputList()));
  }

  private static PhysicalNode hashAggregate(int id, PlanProtos.HashAggregateNode a) {
    AggregateMode mode = EnumNames.fromProto(a.getMode(), a.getModeValue(), AggregateMode.class, "AGGREGATE_MODE_",
        "aggregate mode");
    List<io.kiln.logical.AggregateCall> calls = new ArrayList<>();
    for (PlanProtos.AggregateCall c : a.getCallsList()) {
      calls.add(ExprCodec.fromProto(c));
    }
    return new PhysicalNode.HashAggregate(id, fromProto(a.getInput()), mode, ExprCodec.fromProto(a.getKeysList()),
        calls, ExprCodec.columnsFromProto(a.getOutputList()));
  }

  private static PhysicalNode window(int id, PlanProtos.WindowNode w) {
    List<io.kiln.logical.WindowCall> calls = new ArrayList<>();
    for (PlanProtos.WindowCall c : w.getCallsList()) {
      calls.add(WindowCodec.fromProto(c));
    }
    return new PhysicalNode.Window(id, fromProto(w.getInput()), ExprCodec.fromProto(w.getPartitionKeysList()),
        ExprCodec.sortKeysFromProto(w.getOrderKeysList()), calls, ExprCodec.columnsFromProto(w.getOutputList()));
  }

  private static PhysicalNode union(int id, PlanProtos.UnionNode u) {
    List<PhysicalNode> inputs = new ArrayList<>();
    for (PlanProtos.PlanNode in : u.getInputsList()) {
      inputs.add(fromProto(in));
    }
    return new PhysicalNode.Union(id, inputs, ExprCodec.columnsFromProto(u.getOutputList()));
  }

  private static PhysicalNode values(int id, PlanProtos.ValuesNode v) {
    List<List<Expr>> rows = new ArrayList<>();
    for (PlanProtos.ValuesRow row : v.getRowsList()) {
      rows.add(ExprCodec.fromProto(row.getValuesList()));
    }
    return new PhysicalNode.Values(id, rows, ExprCodec.columnsFromProto(v.getOutputList()));
  }

  private static PhysicalNode exchange(int id, PlanProtos.ExchangeNode x) {
    ExchangeKind kind = EnumNames.fromProto(x.getKind(), x.getKindValue(), ExchangeKind.class, "EXCHANGE_KIND_",
        "exchange kind");
    return new PhysicalNode.Exchange(id, fromProto(x.getInput()), kind, ExprCodec.fromProto(x.getKeysList()),
        x.getPartitions());
  }

  private static PhysicalNode stageInput(int id, PlanProtos.StageInputNode in) {
    ExchangeKind kind = EnumNames.fromProto(in.getKind(), in.getKindValue(), ExchangeKind.class, "EXCHANGE_KIND_",
        "exchange kind");
    return new PhysicalNode.StageInput(id, in.getStage(), kind, ExprCodec.columnsFromProto(in.getOutputList()));
  }

  // ---------------------------------------------------------------- scan predicates

  private static PlanProtos.ColumnPredicate predicate(ColumnPredicate p) {
    PlanProtos.ColumnPredicate.Builder b = PlanProtos.ColumnPredicate.newBuilder().setColumn(p.column())
        .setOp(EnumNames.toProto(p.op(), PlanProtos.PredicateOp.class, "PREDICATE_OP_"));
    for (Object v : p.values()) {
      b.addValues(ValueCodec.javaValue(v));
    }
    return b.build();
  }

  private static ColumnPredicate predicate(PlanProtos.ColumnPredicate p) {
    ColumnPredicate.Op op = EnumNames.fromProto(p.getOp(), p.getOpValue(), ColumnPredicate.Op.class, "PREDICATE_OP_",
        "column predicate operator");
    List<Object> values = new ArrayList<>();
    for (PlanProtos.ScalarValue v : p.getValuesList()) {
      values.add(ValueCodec.javaValue(v));
    }
    // ScanPredicates makes unmodifiable lists (List.of); equal either way.
    return new ColumnPredicate(p.getColumn(), op, java.util.Collections.unmodifiableList(values));
  }
}
