package io.kiln.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.Kiln;
import io.kiln.tpch.TpchDriver;
import io.kiln.tpch.TpchGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client's pytest suite (python/tests) against a kiln server on TPC-H SF 0.01: installs
 * {@code ./python[test]} into a virtual environment under target/ (from the machine's pip
 * configuration), starts the server here and runs pytest with where it listens.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class PythonClientTest {
  private static final Path VENV = Path.of("target", "pyenv");

  @TempDir Path dir;

  @Test
  void pytestSuitePasses() throws Exception {
    Path python = virtualEnvironment();
    Path data = Files.createDirectories(dir.resolve("data"));
    TpchGenerator.generate(0.01, data, progress -> {});
    Path users = dir.resolve("users.txt");
    Files.writeString(users, PasswordFile.entry("py", "py-secret".toCharArray()) + "\n");
    try (Kiln kiln = Kiln.builder().threads(2).build()) {
      TpchDriver.registerTables(kiln, data);
      try (KilnFlightSqlServer server = KilnFlightSqlServer.start(kiln,
          KilnFlightSqlServer.Options.loopback(0).withAuth(users), "test")) {
        ProcessBuilder pytest = new ProcessBuilder(python.toString(), "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "python/tests");
        pytest.environment().put("KILN_URL", server.url());
        pytest.environment().put("KILN_USER", "py");
        pytest.environment().put("KILN_PASSWORD", "py-secret");
        pytest.environment().put("KILN_TPCH_DIR", data.toAbsolutePath().toString());
        pytest.environment().put("KILN_TPCH_QUERIES", Path.of("tpch").toAbsolutePath().toString());
        pytest.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Run run = run(pytest, dir.resolve("pytest.log"), 10);
        assertEquals(0, run.exit(), "pytest failed:\n" + run.output());
      }
    }
  }

  /** target/pyenv with ./python[test] installed (pip reinstalls the client, so edits to it are tested). */
  private Path virtualEnvironment() throws Exception {
    Path python = VENV.resolve("bin").resolve("python");
    if (!Files.isExecutable(python)) {
      Run venv = run(new ProcessBuilder("python3", "-m", "venv", VENV.toString()), dir.resolve("venv.log"), 5);
      assertEquals(0, venv.exit(), "cannot make a virtual environment (python3 with venv is needed):\n"
          + venv.output());
    }
    Run install = run(new ProcessBuilder(python.toString(), "-m", "pip", "install", "--quiet", "--retries", "0",
        "--timeout", "15", "--disable-pip-version-check", "./python[test]"), dir.resolve("pip.log"), 10);
    assertEquals(0, install.exit(), "pip install ./python[test] failed:\n" + install.output());
    return python;
  }

  private record Run(int exit, String output) {}

  private static Run run(ProcessBuilder command, Path log, int minutes) throws IOException, InterruptedException {
    command.redirectErrorStream(true).redirectOutput(log.toFile());
    Process p = command.start();
    try {
      if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
        throw new AssertionError(String.join(" ", command.command()) + " still running after " + minutes
            + " minutes:\n" + tail(log));
      }
      return new Run(p.exitValue(), tail(log));
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", new ArrayList<>(lines.subList(Math.max(0, lines.size() - 80), lines.size())));
  }
}
