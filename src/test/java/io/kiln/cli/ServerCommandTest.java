package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln server}'s checks before it serves: help, and no unauthenticated server beyond loopback. */
class ServerCommandTest {
  @TempDir Path dir;

  @Test
  void helpNamesTheOptions() {
    KilnCliTest.Run run = KilnCliTest.kiln("server", "--help");
    assertEquals(ExitCodes.OK, run.exit(), run.err());
    for (String option : new String[] {"--port", "--host", "--auth", "--tls-cert", "--tls-key", "--cluster",
        "--parquet-dir", "--table", "--hash-password"}) {
      assertTrue(run.out().contains(option), option + " in\n" + run.out());
    }
  }

  @Test
  void refusesAnotherAddressWithoutAuth() {
    KilnCliTest.kiln("server", "--host", "0.0.0.0", "--port", "0")
        .assertOneErrorLine(ExitCodes.USAGE, "kiln: refusing to serve 0.0.0.0 without authentication");
  }

  @Test
  void aMissingPasswordFileIsNamed() {
    Path missing = dir.resolve("users.txt");
    KilnCliTest.Run run = KilnCliTest.kiln("server", "--port", "0", "--auth", missing.toString());
    assertEquals(ExitCodes.ERROR, run.exit(), run.err());
    assertTrue(run.err().contains(missing + ": no such file"), run.err());
    assertTrue(!Files.exists(missing));
  }
}
