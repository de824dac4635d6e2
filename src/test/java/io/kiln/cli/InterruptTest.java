package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.tpch.TpchGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in the CLI: SIGINT to a `kiln tpch run` in its own JVM cancels the running query, refuses
 * the rest, and the process exits promptly (instead of finishing its runs or hanging).
 */
@Timeout(120)
class InterruptTest {
  @TempDir Path dir;

  @Test
  void sigintCancelsTheRunningQueryAndExits() throws IOException, InterruptedException {
    Path data = dir.resolve("sf");
    TpchGenerator.generate(0.01, data, p -> {});
    Path out = dir.resolve("out.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), KilnCli.class.getName(), "tpch", "run", "--data", data.toString(),
        "--runs", "100000", "--queries", "9,18")
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      Thread.sleep(5000); // the JVM starts and runs Q9 over and over
      assertTrue(p.isAlive(), "the run ended before it was interrupted: " + Files.readString(out));
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
      assertEquals(0, kill.waitFor());
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "still running 20 s after Ctrl-C");
      String text = Files.readString(out, StandardCharsets.UTF_8);
      text = text.replace("\r", "\n");
      assertEquals(130, p.exitValue(), text);
      // Q9 was running or between two runs; Q18 never starts.
      assertTrue(text.matches("(?s).*q9: cancelled error: the (query was cancelled|session is shutting down).*"), text);
      assertTrue(text.contains("q18: cancelled error: the session is shutting down"), text);
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
