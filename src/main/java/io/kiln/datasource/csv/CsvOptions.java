package io.kiln.datasource.csv;

import io.kiln.error.KilnException;
import org.apache.commons.csv.CSVFormat;

/**
 * How a CSV file is laid out: whether its first row names the columns, and the field delimiter and
 * quote characters. The defaults are RFC 4180 with a header, which is how registered CSV tables
 * have always been read.
 */
public record CsvOptions(boolean header, char delimiter, char quote) {
  public static final CsvOptions DEFAULT = new CsvOptions(true, ',', '"');

  public CsvOptions {
    if (delimiter == quote) {
      throw KilnException.binding("a CSV delimiter and quote must differ, both are '" + delimiter + "'");
    }
    if (delimiter == '\n' || delimiter == '\r' || quote == '\n' || quote == '\r') {
      throw KilnException.binding("a CSV delimiter or quote cannot be a line break");
    }
  }

  public CsvOptions withHeader(boolean header) {
    return new CsvOptions(header, delimiter, quote);
  }

  public CsvOptions withDelimiter(char delimiter) {
    return new CsvOptions(header, delimiter, quote);
  }

  public CsvOptions withQuote(char quote) {
    return new CsvOptions(header, delimiter, quote);
  }

  /** The commons-csv format these options describe. */
  CSVFormat format() {
    return CSVFormat.RFC4180.builder().setDelimiter(delimiter).setQuote(quote).get();
  }
}
