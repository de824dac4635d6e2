package io.kiln.cli.format;

import io.kiln.Result;
import java.io.IOException;
import java.io.Writer;

/** Writes a whole query result as text in one output format. */
public interface ResultFormat {
  void write(Result result, Writer out) throws IOException;
}
