package io.kiln.cli;

import io.kiln.cli.format.CsvFormat;
import io.kiln.cli.format.JsonFormat;
import io.kiln.cli.format.ResultFormat;
import io.kiln.cli.format.TableFormat;
import io.kiln.cli.format.TsvFormat;
import java.util.function.Supplier;

/** The values of {@code --format}; constants are lower case because picocli shows them as typed. */
enum OutputFormat {
  table(TableFormat::new),
  csv(CsvFormat::new),
  tsv(TsvFormat::new),
  json(JsonFormat::new);

  private final Supplier<ResultFormat> factory;

  OutputFormat(Supplier<ResultFormat> factory) {
    this.factory = factory;
  }

  ResultFormat formatter() {
    return factory.get();
  }
}
