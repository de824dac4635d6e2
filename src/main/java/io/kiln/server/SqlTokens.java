package io.kiln.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A light lexer for what the server needs to know of SQL text before Kiln parses it: the words,
 * symbols and {@code ?} placeholders outside string literals, quoted names and comments, with
 * their offsets (so placeholders can be replaced in place).
 */
final class SqlTokens {
  /** One token: its text and where it starts and ends in the statement. */
  record Token(String text, int start, int end) {
    boolean is(String word) {
      return text.equalsIgnoreCase(word);
    }

    boolean isWord() {
      char c = text.charAt(0);
      return Character.isLetter(c) || c == '_' || c == '"';
    }

    /** The name a word or quoted name stands for (unquoted, lower case if it was not quoted). */
    String name() {
      return text.startsWith("\"") ? text.substring(1, text.length() - 1).replace("\"\"", "\"")
          : text.toLowerCase(Locale.ROOT);
    }
  }

  private SqlTokens() {}

  static List<Token> of(String sql) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int eol = sql.indexOf('\n', i);
        i = eol < 0 ? n : eol + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '\'' || c == '"') {
        int end = closingQuote(sql, i, c);
        tokens.add(new Token(sql.substring(i, end), i, end));
        i = end;
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        int end = i;
        while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
            || (sql.charAt(end) == '.' && Character.isDigit(c)))) {
          end++;
        }
        tokens.add(new Token(sql.substring(i, end), i, end));
        i = end;
      } else {
        int end = i + 1;
        if (end < n && isTwoCharOperator(c, sql.charAt(end))) {
          end++;
        }
        tokens.add(new Token(sql.substring(i, end), i, end));
        i = end;
      }
    }
    return tokens;
  }

  /** The first word of the statement, upper case ("" if there is none). */
  static String firstWord(List<Token> tokens) {
    for (Token t : tokens) {
      if (t.isWord()) {
        return t.text().toUpperCase(Locale.ROOT);
      }
      if (!t.is("(")) {
        return "";
      }
    }
    return "";
  }

  private static int closingQuote(String sql, int open, char quote) {
    int i = open + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2; // a doubled quote stands for itself
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length(); // unterminated: Kiln's parser reports it with its position
  }

  private static boolean isTwoCharOperator(char a, char b) {
    return (a == '<' && (b == '=' || b == '>')) || (a == '>' && b == '=') || (a == '!' && b == '=')
        || (a == '|' && b == '|');
  }
}
