package io.kiln.cli;

import io.kiln.Kiln;
import io.kiln.Result;
import io.kiln.error.KilnException;
import io.kiln.types.DataType;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.types.pojo.Field;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The read-eval-print loop of kiln shell: statements end with ';' and may span lines, history is
 * kept in a file, Tab completes, Ctrl-C cancels the running query (not the shell), dot commands
 * (.tables, .schema, .timer, .mode, .read, .help) change what it shows.
 */
final class Shell {
  static final List<String> DOT_COMMANDS = List.of(".tables", ".schema", ".timer", ".mode", ".read", ".help",
      ".quit", ".exit");

  private final Kiln kiln;
  private final Terminal terminal;
  private final LineReader reader;
  private final PrintWriter out;
  private OutputFormat mode = OutputFormat.table;
  private boolean timer;

  Shell(Kiln kiln, Terminal terminal, Path historyFile) {
    this.kiln = kiln;
    this.terminal = terminal;
    this.out = terminal.writer();
    this.reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("kiln")
        .parser(new StatementParser())
        .completer(new SqlCompleter(kiln))
        .variable(LineReader.HISTORY_FILE, historyFile)
        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "   ...> ")
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is SQL, not history expansion
        .build();
  }

  /** Reads and runs statements until Ctrl-D or .quit; saves the history. */
  void run() throws IOException {
    out.println("Kiln shell: statements end with ';'. .help lists the commands; Ctrl-C cancels a query, Ctrl-D leaves.");
    out.flush();
    try {
      while (true) {
        String line;
        try {
          line = reader.readLine("kiln> ");
        } catch (UserInterruptException e) {
          continue; // Ctrl-C while typing drops the line
        } catch (EndOfFileException e) {
          return;
        }
        String text = line.strip();
        if (text.isEmpty()) {
          continue;
        }
        if (text.startsWith(".")) {
          if (!command(text)) {
            return;
          }
        } else {
          execute(text);
        }
      }
    } finally {
      reader.getHistory().save();
    }
  }

  /** A real terminal, not a pipe or a file (JLine's dumb terminal): progress and fitting to its width apply. */
  private boolean isTerminal() {
    return !terminal.getType().startsWith(Terminal.TYPE_DUMB);
  }

  private void execute(String sql) {
    long start = System.nanoTime();
    // Ctrl-C during a query cancels it; the shell goes on with the next statement.
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> kiln.cancelAll());
    try {
      Result result;
      try (QueryProgress progress = QueryProgress.show(out, isTerminal(), kiln::progress, 1_000)) {
        result = kiln.execute(sql);
      }
      int width = terminal.getWidth();
      (mode == OutputFormat.table && isTerminal() && width > 20 ? new io.kiln.cli.format.TableFormat(width)
          : mode.formatter()).write(result, out);
    } catch (KilnException e) {
      out.println(e.getMessage());
    } catch (IOException e) {
      out.println("cannot print the result: " + e.getMessage());

    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
    }
    if (timer) {
      out.printf(Locale.ROOT, "Run time: %.3f s%n", (System.nanoTime() - start) / 1e9);
    }
    out.flush();
  }

  /** A dot command; false to leave the shell. */
  private boolean command(String text) {
    String[] words = text.split("\\s+", 2);
    String argument = words.length > 1 ? words[1].trim() : "";
    switch (words[0]) {
      case ".quit":
      case ".exit":
        return false;
      case ".tables":
        kiln.catalog().names().forEach(out::println);
        break;
      case ".schema":
        schema(argument);
        break;
      case ".timer":
        if (!argument.equals("on") && !argument.equals("off")) {
          out.println(".timer on|off");
        } else {
          timer = argument.equals("on");
        }
        break;
      case ".mode":
        try {
          mode = OutputFormat.valueOf(argument);
        } catch (IllegalArgumentException e) {
          out.println(".mode table|csv|tsv|json");
        }
        break;
      case ".read":
        read(argument);
        break;
      case ".help":
        out.println(".tables          list the tables");
        out.println(".schema NAME     a table's columns and types");
        out.println(".timer on|off    print each statement's run time");
        out.println(".mode MODE       print results as table, csv, tsv or json");
        out.println(".read FILE       run the statements in FILE");
        out.println(".quit            leave (or Ctrl-D)");
        break;
      default:
        out.println("unknown command " + words[0] + "; .help lists the commands");
    }
    out.flush();
    return true;
  }

  private void schema(String table) {
    if (table.isEmpty() || kiln.catalog().find(table) == null) {
      out.println(table.isEmpty() ? ".schema NAME" : "no table " + table);
      return;
    }
    for (Field f : kiln.catalog().get(table).schema().getFields()) {
      String type;
      try {
        type = DataType.fromArrow(f.getType(), f.getName()).toString();
      } catch (KilnException e) {
        type = f.getType().toString() + " (unsupported)";
      }
      out.println(f.getName() + " " + type);
    }
  }

  private void read(String file) {
    if (file.isEmpty()) {
      out.println(".read FILE");
      return;
    }
    try {
      execute(Files.readString(Path.of(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      out.println("cannot read " + file + ": " + e.getMessage());
    }
  }
}
