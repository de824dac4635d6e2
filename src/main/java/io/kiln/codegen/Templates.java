package io.kiln.codegen;

import java.io.Writer;
import org.stringtemplate.v4.AutoIndentWriter;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.STGroup;
import org.stringtemplate.v4.STGroupFile;

/**
 * The pipeline templates ({@code templates/pipeline.stg}), rendered into an unsynchronized buffer.
 * Every query generates its pipelines' sources again to look their classes up in the cache, so
 * rendering is on the query's path: {@link ST#render()} writes character by character into a
 * {@link java.io.StringWriter}, whose every append takes a lock, and that was most of the time.
 */
final class Templates {
  private static final STGroup GROUP = new STGroupFile(
      Templates.class.getResource("/templates/pipeline.stg"), "UTF-8", '$', '$');

  private Templates() {}

  static ST get(String name) {
    return GROUP.getInstanceOf(name);
  }

  /** The template's text, indented like {@link ST#render()} indents it. */
  static String render(ST st) {
    StringBuilderWriter out = new StringBuilderWriter();
    try {
      st.write(new AutoIndentWriter(out));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("rendering into memory", e); // the writer never throws
    }
    return out.sb.toString();
  }

  /** A {@link Writer} into a {@link StringBuilder}, without {@link java.io.StringWriter}'s locking. */
  private static final class StringBuilderWriter extends Writer {
    final StringBuilder sb = new StringBuilder(4096);

    @Override
    public void write(int c) {
      sb.append((char) c);
    }

    @Override
    public void write(char[] chars, int off, int len) {
      sb.append(chars, off, len);
    }

    @Override
    public void write(String s, int off, int len) {
      sb.append(s, off, off + len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
