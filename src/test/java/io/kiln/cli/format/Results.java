package io.kiln.cli.format;

import io.kiln.Result;
import io.kiln.types.DataType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds small results by hand so the formatters are tested without the engine. */
final class Results {
  private final List<String> names = new ArrayList<>();
  private final List<DataType> types = new ArrayList<>();
  private final List<Object[]> rows = new ArrayList<>();

  static Results columns() {
    return new Results();
  }

  Results col(String name, DataType type) {
    names.add(name);
    types.add(type);
    return this;
  }

  Results row(Object... values) {
    rows.add(Arrays.copyOf(values, values.length));
    return this;
  }

  Result build() {
    return new Result(names, types, rows);
  }

  static String render(ResultFormat format, Result result) {
    StringWriter out = new StringWriter();
    try {
      format.write(result, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
