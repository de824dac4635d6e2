package io.kiln.codegen;

import io.kiln.logical.Expr;
import io.kiln.physical.FusionSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The hash join build, fused into the segment that writes the build rows: each row reaching the
 * segment's end gets its join key hash in the same loop (the key columns are read while the row is
 * in variables anyway), kept in an array parallel to the selection, and the batch goes to the
 * build sink with its hashes, so the build does not read the key columns again to hash them. The
 * hash is {@code KeyHash} folded over the keys exactly as the interpreted build folds it, NULL
 * hashing as {@code KeyHash.NULL}, so generated probes find what this inserted.
 */
final class JoinBuildHashes {
  private static final String BUILD_LOCAL = "io.kiln.physical.join.JoinBuildSink.BuildLocal";

  private final ClassBuilder cls;
  private final FusionSpec.JoinBuild build;
  private String hashes;

  JoinBuildHashes(ClassBuilder cls, FusionSpec.JoinBuild build) {
    this.cls = cls;
    this.build = build;
  }

  /** The per-row hash array, sized with the selection {@code sel} in the segment's setup. */
  void setup(Code setup, String sel) {
    hashes = cls.mutableField("long[]", "keyHashes", "new long[0]");
    setup.line("if (" + hashes + ".length < " + sel + ".length) " + hashes + " = new long[" + sel + ".length];");
  }

  /** Hashes the current row's key into position {@code j} (the row's place in the selection). */
  void hashRow(Row row, List<Slot> slots, Code code, String j) {
    if (slots.size() != build.input().size()) {
      throw new CodegenException("the build rows have " + slots.size() + " columns, the join expects "
          + build.input());
    }
    code.comment("join build: the row's key hash");
    List<Val> keys = new ArrayList<>();
    for (Expr key : build.keys()) {
      keys.add(row.value(slots, build.input(), code, key));
    }
    code.line(hashes + "[" + j + "] = " + hash(keys) + ";");
  }

  /** The statement handing the batch {@code batch} of {@code selected} rows and their hashes to the build sink. */
  String push(String batch, String selected) {
    return "((" + BUILD_LOCAL + ") local).push(" + batch + ", java.util.Arrays.copyOf(" + hashes + ", " + selected
        + "));";
  }

  /**
   * {@code KeyHash} folded over the keys, as {@code KeyVectors.hash} does for the interpreted build.
   * Rows with a NULL key the join is not null-safe on are left out of the chains; their hash is never read.
   */
  private static String hash(List<Val> keys) {
    return KeyHashCode.fold(keys, k -> true);
  }
}
