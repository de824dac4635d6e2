package io.kiln.datasource.parquet;

import org.apache.arrow.vector.ValueVector;

/**
 * Decodes the non-null values of one data page, in one encoding, into a vector: {@code count}
 * values go densely into rows {@code at .. at+count-1}. NULLs are placed afterwards by
 * {@link NullSpreader}, so decoders never look at definition levels.
 */
interface ValuesDecoder {
  void read(ValueVector out, int at, int count);

  /** Moves past the next {@code count} values without decoding them (rows a scan does not emit). */
  void skip(int count);
}
