package io.kiln.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Signals to a child process, as an operator or supervisor sends them. Not Process.destroy(): it
 * also closes the pipes to the child, which a worker started with --exit-with-parent takes for its
 * parent's end.
 */
public final class Signals {
  private Signals() {}

  /** Sends {@code name} (TERM, STOP, CONT, ...) to {@code pid}; fails if kill does. */
  public static void send(String name, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      kill.destroyForcibly();
      throw new IOException("kill -" + name + " " + pid + " failed: "
          + new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
