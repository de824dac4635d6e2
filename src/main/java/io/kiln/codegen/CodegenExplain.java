package io.kiln.codegen;

import io.kiln.physical.BoundPipeline;
import io.kiln.physical.OperatorFactory;
import io.kiln.physical.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** EXPLAIN CODEGEN: every pipeline of a plan with its generated source, numbered, and its method sizes. */
public final class CodegenExplain {
  private CodegenExplain() {}

  /** The pipelines in the order they run (a DAG's id order). */
  public static String explain(List<BoundPipeline> pipelines, CompiledPipelines compiler) {
    List<Pipeline> all = new ArrayList<>();
    for (BoundPipeline p : pipelines) {
      all.add(compiler.asRun(p.pipeline(), p.sink()));
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < all.size(); i++) {
      Pipeline p = all.get(i);
      sb.append("Pipeline ").append(i + 1).append(" of ").append(all.size()).append(": ")
          .append(p.source().describe()).append('\n');
      if (!PipelineGenerator.worthCompiling(p)) {
        sb.append("  interpreted: nothing to fuse (the source's batches go straight to the sink)\n\n");
        continue;
      }
      CompiledPipelines.Compiled c;
      try {
        c = compiler.compile(p);
      } catch (CodegenException e) {
        sb.append("  runs interpreted: ").append(e.getMessage()).append("\n\n");
        continue;
      }
      numbered(c.source().text(), sb);
      sb.append("  bytecode per method (HotSpot JIT-compiles methods up to ").append(MethodSizes.JIT_LIMIT)
          .append(" bytes)").append(c.source().split() ? ", split into one method per step" : "").append(":\n");
      for (Map.Entry<String, Integer> m : c.compiled().methodSizes().entrySet()) {
        sb.append("    ").append(m.getKey()).append(": ").append(m.getValue()).append(" bytes\n");
      }
      sb.append('\n');
    }
    if (compiler.minRows() > 0) {
      sb.append("A pipeline whose source has fewer than ").append(compiler.minRows())
          .append(" rows when the query runs is run interpreted instead (Kiln.Builder.compileMinRows).\n");
    }
    if (hasFusedProbe(all)) {
      sb.append("Join probes are shown as generated before their build sides exist (in phases, every match going on).\n")
          .append("When the query runs, a build side of at most ").append(ProbeGenerator.CACHE_RESIDENT_ROWS)
          .append(" rows is probed in one loop, and unique build keys stop at their first match.\n");
    }
    return sb.toString();
  }

  /**
   * What a DAG's pipelines ran after it ran: each pipeline's mode, and the source of those that ran
   * compiled. Compiles nothing, unlike {@link #explain}: it shows only what ran.
   */
  public static String asRan(List<BoundPipeline> pipelines) {
    StringBuilder sb = new StringBuilder();
    for (BoundPipeline p : pipelines) {
      String mode = p.mode();
      sb.append("Pipeline ").append(p.id()).append(": ").append(p.pipeline().source().describe()).append(" into ")
          .append(p.sink().describe()).append(": ").append(mode == null ? "did not start" : mode).append('\n');
      String source = p.generatedSource();
      if (source != null) {
        numbered(source, sb);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static void numbered(String text, StringBuilder sb) {
    String[] lines = text.split("\n", -1);
    int width = String.valueOf(lines.length).length();
    for (int l = 0; l < lines.length; l++) {
      sb.append(String.format("%" + width + "d  ", l + 1)).append(lines[l]).append('\n');
    }
  }

  private static boolean hasFusedProbe(List<Pipeline> pipelines) {
    for (Pipeline p : pipelines) {
      for (OperatorFactory f : p.operators()) {
        if (f.fusion() instanceof io.kiln.physical.FusionSpec.Probe) {
          return true;
        }
      }
    }
    return false;
  }
}
