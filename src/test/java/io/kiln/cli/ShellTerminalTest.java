package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kiln shell in a real pseudo-terminal (a private tmux server): typing a multi-line query,
 * Tab completion, history recall with the Up key, and Ctrl-C during a long query.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ShellTerminalTest {
  private static final String SESSION = "shell";

  @TempDir Path dir;

  @AfterEach
  void stopTmux() throws Exception {
    tmux("kill-server"); // ends the shell's JVM with its terminal
  }

  @Test
  void typingCompletionHistoryAndCtrlC() throws Exception {
    Path csv = dir.resolve("series.csv");
    StringBuilder rows = new StringBuilder("k\n");
    for (int i = 0; i < 200_000; i++) {
      rows.append(i % 4).append('\n');
    }
    Files.writeString(csv, rows);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = String.join(" ", java, "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "-Darrow.allocation.manager.type=Unsafe", "-cp", System.getProperty("java.class.path"),
        KilnCli.class.getName(), "shell", "--threads", "2", "--table", "series=" + csv, "--history",
        dir.resolve("history").toString());
    // tmux caps a command's length, and the test classpath is longer: the command goes in a script
    Path script = Files.writeString(dir.resolve("shell.sh"), "exec " + command + "\n");
    assertEquals(0, tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "50", "sh " + script),
        () -> "tmux could not start the shell: " + log());
    await("Kiln shell:");

    keys("SELECT 40 + 2 AS answer,", "Enter", "'x' AS b;", "Enter");
    await("(1 row)");
    assertTrue(screen().contains("42"), screen());
    keys("C-l");

    keys("SELECT count(*) AS n FROM seri", "Tab");
    await("FROM series");
    keys(";", "Enter");
    await("200000");

    keys("C-l"); // clear, so the recalled line is the only one on screen
    keys("Up");
    await("AS n FROM series"); // the completed name ends with a space
    keys("C-u"); // drop the recalled line

    keys("SELECT count(*) FROM series a JOIN series b ON a.k = b.k;", "Enter");
    Thread.sleep(1500);
    keys("C-c");
    await("cancelled error");
    keys("C-l");
    keys("SELECT 7 * 6 AS again;", "Enter");
    await("(1 row)");
    assertTrue(screen().contains("42"), screen());
    keys("C-d");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (tmux("has-session", "-t", SESSION) == 0) {
      assertTrue(System.nanoTime() < deadline, "the shell did not leave on Ctrl-D:\n" + screen());
      Thread.sleep(100);
    }
    assertTrue(Files.readString(dir.resolve("history")).contains("SELECT 7 * 6 AS again;"));
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("tmux.log"));
    } catch (IOException e) {
      return "(no tmux log: " + e + ")";
    }
  }

  private void keys(String... keys) throws Exception {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
    for (String k : keys) {
      // tmux reads an argument ending in ';' as the end of its command; "\;" is a literal ';'
      args.add(k.endsWith(";") ? k.substring(0, k.length() - 1) + "\\;" : k);
    }
    assertEquals(0, tmux(args.toArray(new String[0])));
  }

  private void await(String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!screen().contains(text)) {
      assertTrue(System.nanoTime() < deadline, "'" + text + "' never appeared:\n" + screen());
      Thread.sleep(100);
    }
  }

  private String screen() throws Exception {
    Path out = dir.resolve("screen.txt");
    tmux(out, "capture-pane", "-p", "-t", SESSION);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private int tmux(String... args) throws IOException, InterruptedException {
    return tmux(dir.resolve("tmux.log"), args);
  }

  private int tmux(Path output, String... args) throws IOException, InterruptedException {
    // the server's socket in the test's folder, so nothing of it outlives the test
    List<String> command = new ArrayList<>(List.of("tmux", "-S", dir.resolve("tmux.sock").toString(), "-f",
        "/dev/null"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tmux " + args[0] + " hung");
    }
    return p.exitValue();
  }
}
