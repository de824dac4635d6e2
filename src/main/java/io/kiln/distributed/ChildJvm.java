package io.kiln.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kiln command ({@code kiln worker ...}, {@code kiln scheduler ...}) as a child JVM of this
 * process, for local clusters: this process's class path and the JVM settings Arrow and the
 * engine rely on, its output in a log file. {@code --exit-with-parent} makes it end with us.
 */
final class ChildJvm {
  private static final String MAIN = "io.kiln.cli.KilnCli";

  private ChildJvm() {}

  static Process start(String heap, Path log, List<String> kilnArgs) {
    return start(List.of(), heap, log, kilnArgs);
  }

  /** As {@link #start(String, Path, List)}, the JVM run by {@code wrapper} (a command that ends by running its arguments). */
  static Process start(List<String> wrapper, String heap, Path log, List<String> kilnArgs) {
    List<String> command = new ArrayList<>(wrapper);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // The JVM settings Arrow and the engine rely on, as this process has them.
      if (arg.startsWith("--add-opens") || arg.startsWith("-Darrow.") || arg.startsWith("-Dio.netty.")) {
        command.add(arg);
      }
    }
    // Arrow needs java.nio opened; a parent started with `java -jar` has it from the jar's manifest
    // (Add-Opens), which a child started with -cp does not read
    if (command.stream().noneMatch(a -> a.startsWith("--add-opens=java.base/java.nio="))) {
      command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    }
    for (String property : List.of("arrow.allocation.manager.type", "arrow.enable_unsafe_memory_access",
        "arrow.enable_null_check_for_get")) {
      String value = System.getProperty(property);
      if (value != null && command.stream().noneMatch(a -> a.startsWith("-D" + property + "="))) {
        command.add("-D" + property + "=" + value);
      }
    }
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    command.add("-cp");
    command.add(classPath());
    command.add(MAIN);
    command.addAll(kilnArgs);
    command.add("--exit-with-parent");
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /**
   * The class path the children need: this process's, plus what a class loader of the caller's
   * added (Maven's exec:java runs the engine from such a loader, and its java.class.path is Maven's).
   */
  private static String classPath() {
    java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
    for (ClassLoader l = ChildJvm.class.getClassLoader(); l != null; l = l.getParent()) {
      if (l instanceof java.net.URLClassLoader u) {
        for (java.net.URL url : u.getURLs()) {
          if ("file".equals(url.getProtocol())) {
            try {
              entries.add(Path.of(url.toURI()).toString());
            } catch (java.net.URISyntaxException e) {
              throw new IllegalStateException("a class path entry that is not a path: " + url, e);
            }
          }
        }
      }
    }
    entries.addAll(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** The last 30 lines of a child's log. */
  static String logTail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A child's whole log so far ("" if it has none yet). */
  static String log(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether a child's log has a line containing {@code text}. */
  static boolean logContains(Path log, String text) {
    try (java.util.stream.Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.anyMatch(l -> l.contains(text));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Ends a child cleanly: the end of its standard input stops it (exit code 0, or non-zero if it
   * leaked memory or could not delete its files); SIGTERM, then SIGKILL, if it does not.
   */
  static void stop(List<Process> children) {
    for (Process p : children) {
      try {
        p.getOutputStream().close();
      } catch (IOException e) {
        p.destroy();
      }
    }
    for (Process p : children) {
      try {
        if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroy();
          if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
