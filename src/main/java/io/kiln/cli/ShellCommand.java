package io.kiln.cli;

import io.kiln.Kiln;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "shell",
    mixinStandardHelpOptions = true,
    description = "An interactive SQL shell: statements end with ';' and may span lines; Tab completes keywords,"
        + " tables and columns; Ctrl-C cancels the running query; .help lists the dot commands.",
    footerHeading = "%nExamples:%n",
    footer = {"  kiln shell --parquet-dir data/sf0.1", "  kiln shell --cluster 10.0.0.5:50050 --parquet-dir /shared/sf100"})
final class ShellCommand implements Callable<Integer> {
  @Mixin private EngineOptions engine;

  @Mixin private TableOptions tables = new TableOptions();

  @Option(names = "--history", paramLabel = "FILE", description = "Where to keep the history (default: ${DEFAULT-VALUE}).")
  private Path history = Path.of(System.getProperty("user.home"), ".kiln_history");

  @Override
  public Integer call() throws Exception {
    try (AutoCloseable cluster = engine.startCluster(); Kiln kiln = engine.open();
        Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
      tables.registerAll(kiln);
      new Shell(kiln, terminal, history).run();
    }
    return ExitCodes.OK;
  }
}
