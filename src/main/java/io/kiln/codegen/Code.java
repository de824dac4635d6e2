package io.kiln.codegen;

/** Java statements being generated, indented as they are nested. */
final class Code {
  private final StringBuilder sb = new StringBuilder();
  private int depth;

  Code line(String statement) {
    sb.append("  ".repeat(depth)).append(statement).append('\n');
    return this;
  }

  /** {@code header {} and one level deeper. */
  Code open(String header) {
    line(header + " {");
    depth++;
    return this;
  }

  /** {@code } else {} at the same depth. */
  Code orElse() {
    depth--;
    line("} else {");
    depth++;
    return this;
  }

  /** {@code } else if (condition) {} at the same depth. */
  Code orElse(String condition) {
    depth--;
    line("} else if (" + condition + ") {");
    depth++;
    return this;
  }

  Code close() {
    depth--;
    line("}");
    return this;
  }

  Code comment(String text) {
    return line("// " + safe(text));
  }

  /** Text that cannot end or break a comment: no line breaks, no end marker, no unicode escapes. */
  static String safe(String text) {
    return text.replace('\n', ' ').replace('\r', ' ').replace("*/", "* /").replace("\\u", "\\ u");
  }

  boolean isEmpty() {
    return sb.length() == 0;
  }

  @Override
  public String toString() {
    String s = sb.toString();
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
