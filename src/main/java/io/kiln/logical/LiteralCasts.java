package io.kiln.logical;

import io.kiln.types.Casts;
import io.kiln.types.DataType;
import io.kiln.types.Decimals;

/** Casting and negating literals while binding, so constants reach the executor already typed. */
final class LiteralCasts {
  private LiteralCasts() {}

  static Literal cast(Literal l, DataType target) {
    if (l.isNull()) {
      return Literal.nullOf(target);
    }
    return new Literal(Casts.cast(l.value(), l.type(), target), target);
  }

  static Literal negate(Literal l) {
    if (l.isNull()) {
      return l;
    }
    Object v = l.value();
    if (v instanceof Double) {
      return new Literal(-(Double) v, l.type());
    }
    return new Literal(Decimals.subtract(0, (Long) v), l.type());
  }
}
