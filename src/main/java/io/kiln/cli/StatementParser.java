package io.kiln.cli;

import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.DefaultParser;

/**
 * Where a statement in kiln shell ends: at a ';' outside quotes and comments, so a statement may
 * span lines (Enter before the ';' asks for more). A line starting with '.' is a shell command.
 */
final class StatementParser extends DefaultParser {
  StatementParser() {
    setEscapeChars(new char[0]); // backslashes are SQL text, not escapes
  }

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && !line.strip().isEmpty() && !line.strip().startsWith(".")
        && !endsStatement(line)) {
      throw new EOFError(-1, cursor, "the statement goes on until ';'");
    }
    return super.parse(line, cursor, context);
  }

  /** Whether the text's last character outside strings, quoted names and comments is ';'. */
  static boolean endsStatement(String text) {
    char last = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        int close = text.indexOf(c, i + 1);
        while (close >= 0 && close + 1 < n && text.charAt(close + 1) == c) {
          close = text.indexOf(c, close + 2);
        }
        if (close < 0) {
          return false; // an open quote: the statement goes on
        }
        last = c;
        i = close + 1;
      } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
        int eol = text.indexOf('\n', i);
        i = eol < 0 ? n : eol;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int close = text.indexOf("*/", i + 2);
        if (close < 0) {
          return false;
        }
        i = close + 2;
      } else {
        if (!Character.isWhitespace(c)) {
          last = c;
        }
        i++;
      }
    }
    return last == ';';
  }
}
