package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kiln shell on a JLine terminal fed from a stream: multi-line statements, dot commands, history, completion, Ctrl-C. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ShellTest {
  @TempDir Path dir;
  private Kiln kiln;

  @BeforeEach
  void open() {
    kiln = Kiln.builder().threads(2).build();
    Schema schema = new Schema(List.of(new Field("k", FieldType.nullable(new ArrowType.Int(32, true)), null)));
    try (RootAllocator allocator = new RootAllocator(); VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      for (int i = 0; i < 200_000; i++) {
        ((IntVector) root.getVector(0)).setSafe(i, i % 4);
      }
      root.setRowCount(200_000);
      kiln.registerArrow("series", List.of(root));
    }
  }

  @AfterEach
  void close() {
    kiln.close();
  }

  private Terminal terminal(java.io.InputStream in, ByteArrayOutputStream out) throws Exception {
    // a plain stream terminal: TerminalBuilder would put a pseudo-terminal (with its own line discipline) between
    return new org.jline.terminal.impl.DumbTerminal("test", "dumb", in, out, StandardCharsets.UTF_8);
  }

  /** Types {@code input} (which ends with .quit) into a shell and returns what it printed. */
  private String session(String input, Path history) throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keys, 1 << 16);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Terminal t = terminal(in, out)) {
      // JLine's stream terminal drops input that arrives after end of stream, so the pipe stays open until .quit
      keys.write(input.getBytes(StandardCharsets.UTF_8));
      keys.flush();
      new Shell(kiln, t, history).run();
    } finally {
      keys.close();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void multiLineStatementsDotCommandsAndHistory() throws Exception {
    String input = "SELECT 1 AS a,\n  'x;y' AS b\n;\n.tables\n.schema series\n.mode csv\nSELECT count(*) AS n FROM series;\n"
        + ".timer on\nSELECT 2 AS two;\nSELEC oops;\n.nosuch\n.quit\n";
    Path history = dir.resolve("history");
    String text = session(input, history);
    assertTrue(text.contains("x;y"), text); // the ';' in a string did not end the statement
    assertTrue(text.contains("series"), text);
    assertTrue(text.contains("k INTEGER"), text);
    assertTrue(text.replace("\r", "").contains("n\n200000"), text);
    assertTrue(text.contains("Run time: "), text);
    assertTrue(text.contains("syntax error"), text);
    assertTrue(text.contains("unknown command .nosuch"), text);
    String saved = Files.readString(history);
    assertTrue(saved.contains("SELECT count(*) AS n FROM series;"), saved);
    assertTrue(saved.contains(".timer on"), saved);
  }

  @Test
  void completesKeywordsTablesAndColumns() {
    SqlCompleter completer = new SqlCompleter(kiln);
    List<Candidate> candidates = new ArrayList<>();
    completer.complete(null, new DefaultParser().parse("SELECT k FROM ser", 17), candidates);
    List<String> values = candidates.stream().map(Candidate::value).toList();
    assertTrue(values.contains("series") && values.contains("k") && values.contains("select"), values.toString());
    candidates.clear();
    completer.complete(null, new DefaultParser().parse(".ta", 3), candidates);
    assertTrue(candidates.stream().anyMatch(c -> c.value().equals(".tables")));
  }

  @Test
  void statementsEndAtASemicolonOutsideQuotesAndComments() {
    assertTrue(StatementParser.endsStatement("SELECT 1;"));
    assertTrue(StatementParser.endsStatement("SELECT 1; -- done"));
    assertFalse(StatementParser.endsStatement("SELECT ';'"));
    assertFalse(StatementParser.endsStatement("SELECT 1 -- ;"));
    assertFalse(StatementParser.endsStatement("SELECT 'open;"));
  }

  @Test
  void ctrlCCancelsTheQueryNotTheShell() throws Exception {
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keys, 1 << 16);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Terminal t = terminal(in, out)) {
      Thread shell = new Thread(() -> {
        try {
          new Shell(kiln, t, dir.resolve("history")).run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      shell.start();
      // about 10^10 pairs: far longer than the test waits
      keys.write("SELECT count(*) FROM series a JOIN series b ON a.k = b.k;\n".getBytes(StandardCharsets.UTF_8));
      keys.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!out.toString(StandardCharsets.UTF_8).contains("cancelled error")) {
        assertTrue(System.nanoTime() < deadline, "no cancel after Ctrl-C:\n" + out);
        Thread.sleep(200);
        t.raise(Terminal.Signal.INT);
      }
      Thread.sleep(500); // a Ctrl-C sent just before the cancel was printed lands on the next prompt first
      keys.write("SELECT 40 + 2 AS answer;\n.quit\n".getBytes(StandardCharsets.UTF_8));
      keys.flush();
      shell.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(shell.isAlive());
    } finally {
      keys.close();
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("42"), "the shell went on after the cancel:\n" + text);
    assertEquals(-1, text.indexOf("Exception"), text);
  }
}
