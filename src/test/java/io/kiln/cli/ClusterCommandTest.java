package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.Kiln;
import io.kiln.tpch.TpchGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kiln cluster`: a scheduler and worker JVMs on loopback that say where to connect once they can
 * take queries, run them, and on SIGTERM stop, leaving no process and no file behind.
 */
@Timeout(180)
class ClusterCommandTest {
  private static final Pattern READY = Pattern.compile("schedulers? at (\\S+)");

  @TempDir Path dir;

  @Test
  void startsTakesQueriesAndStopsCleanlyOnSigterm() throws IOException, InterruptedException {
    Ran ran = runQueryAndStop(List.of(), 2, true);
    assertEquals(1, ran.out().lines().filter(l -> l.startsWith("scheduler  pid ")).count(), ran.out());
    assertEquals(2, ran.out().lines().filter(l -> l.startsWith("worker     pid ")).count(), ran.out());
    assertEquals(0, ran.status().exit(), ran.status().toString());
    assertTrue(ran.status().out().contains("leader (epoch 0): 2 workers, 2 slots"), ran.status().out());
    assertEquals(2, ran.status().out().lines().filter(l -> l.startsWith("worker ")).count(), ran.status().out());
  }

  /**
   * Two scheduler processes elected in an embedded ZooKeeper: one leads, one stands by; all go on
   * SIGTERM. The parent runs without --add-opens on its command line, as `java -jar kiln.jar` does
   * (the jar's manifest opens java.nio for it alone): its children must still get what Arrow needs.
   */
  @Test
  void withTwoSchedulersOneLeadsAndTheOtherStandsBy() throws IOException, InterruptedException {
    Ran ran = runQueryAndStop(List.of("--schedulers", "2"), 4, false);
    String out = ran.out();
    assertTrue(ran.status().out().contains("leader (epoch 1)"), ran.status().out());
    assertEquals(1, ran.status().out().lines().filter(l -> l.endsWith(" standby")).count(), ran.status().out());
    assertTrue(out.contains("(embedded)"), out);
    assertEquals(1, out.lines().filter(l -> l.startsWith("scheduler") && l.endsWith("leader")).count(), out);
    assertEquals(1, out.lines().filter(l -> l.startsWith("scheduler") && l.endsWith("standby")).count(), out);
  }

  /** What `kiln cluster` printed, and what `kiln status` said of it while it ran. */
  private record Ran(String out, KilnCliTest.Run status) {}

  /** Starts `kiln cluster` with {@code extra} arguments, runs a query and `kiln status` on it, stops it. */
  private Ran runQueryAndStop(List<String> extra, int childProcesses, boolean opensNio)
      throws IOException, InterruptedException {
    Path data = dir.resolve("sf");
    TpchGenerator.generate(0.01, data, p -> {});
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path out = dir.resolve("out.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java));
    if (opensNio) {
      command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
    }
    command.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
        KilnCli.class.getName(), "cluster", "--workers", "2", "--port", "0", "--worker-heap", "512m"));
    command.addAll(extra);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      String address = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (address == null) {
        assertTrue(p.isAlive(), "kiln cluster exited: " + Files.readString(out));
        assertTrue(System.nanoTime() < deadline, "no address after 120 s: " + Files.readString(out));
        Matcher m = READY.matcher(Files.readString(out, StandardCharsets.UTF_8));
        address = m.find() ? m.group(1) : null;
        Thread.sleep(100);
      }
      List<ProcessHandle> children = p.toHandle().descendants().toList();
      assertEquals(childProcesses, children.size(), "child processes: " + children);
      try (Kiln kiln = Kiln.builder().cluster(address).build()) {
        kiln.registerParquet("nation", data.resolve("nation.parquet"));
        kiln.registerParquet("region", data.resolve("region.parquet"));
        assertEquals(5, kiln.execute("SELECT r_name, count(*) FROM nation, region WHERE n_regionkey = r_regionkey"
            + " GROUP BY r_name").rows().size());
      }
      KilnCliTest.Run status = KilnCliTest.kiln("status", "--cluster", address);
      Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start();
      assertEquals(0, kill.waitFor());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running 60 s after SIGTERM: " + Files.readString(out));
      for (ProcessHandle c : children) {
        assertTrue(c.onExit().toCompletableFuture().isDone() || !c.isAlive(), "a worker outlived the cluster: " + c);
      }
      try (Stream<Path> left = Files.list(tmp)) {
        assertEquals(List.of(), left.toList(), "files left behind");
      }
      return new Ran(Files.readString(out, StandardCharsets.UTF_8), status);
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
