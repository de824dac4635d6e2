package io.kiln.cli.format;

import java.io.IOException;
import java.io.Writer;

/**
 * Tab-separated values with a header line. NULL is an empty field. Tabs, newlines, carriage
 * returns and backslashes inside values are escaped as \t \n \r \\ so every row stays one line
 * and the text can be decoded back unambiguously.
 */
public final class TsvFormat extends DelimitedFormat {
  public TsvFormat() {
    super('\t', "\n");
  }

  @Override
  void writeField(String text, Writer out) throws IOException {
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '\t':
          out.write("\\t");
          break;
        case '\n':
          out.write("\\n");
          break;
        case '\r':
          out.write("\\r");
          break;
        case '\\':
          out.write("\\\\");
          break;
        default:
          out.write(ch);
      }
    }
  }
}
