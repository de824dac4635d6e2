package io.kiln.codegen;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * The generated expression for a row's join key hash: {@code KeyHash} folded over the keys. The
 * fused build and the fused probe both use it, so what one inserts the other finds, and both agree
 * with the interpreted build ({@code KeyVectors.hash}).
 */
final class KeyHashCode {
  private static final String KEY_HASH = PipelineGenerator.KEY_HASH;

  private KeyHashCode() {}

  /** The folded hash; a key k that may be NULL hashes as {@code KeyHash.NULL} when {@code nullHashed} says so. */
  static String fold(List<Val> keys, IntPredicate nullHashed) {
    String h = "0L";
    for (int k = 0; k < keys.size(); k++) {
      Val v = keys.get(k);
      String one = of(v);
      if (!v.neverNull() && nullHashed.test(k)) {
        one = "(" + v.isNull + " ? " + KEY_HASH + ".NULL : " + one + ")";
      }
      h = KEY_HASH + ".combine(" + h + ", " + one + ")";
    }
    return h;
  }

  /** The hash of one non-null key value. */
  private static String of(Val v) {
    switch (v.kind()) {
      case LONG:
        return KEY_HASH + ".ofLong(" + v.value + ")";
      case DOUBLE:
        return KEY_HASH + ".ofDouble(" + v.value + ")";
      case BOOLEAN:
        return KEY_HASH + ".ofBoolean(" + v.value + ")";
      default:
        return KEY_HASH + ".ofBytes(" + (v.isSlice() ? v.addr + ", " + v.len : v.value) + ")";
    }
  }
}
