package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutATerminalPrintsALinePerTenPercent() {
    ProgressBar bar = new ProgressBar(err, false, "gen");
    for (double f : new double[] {0, 0.05, 0.1, 0.15, 0.34, 0.34, 0.999, 1.0, 1.0}) {
      bar.accept(f);
    }
    bar.finish();
    assertEquals(
        "gen 10%\ngen 20%\ngen 30%\ngen 40%\ngen 50%\ngen 60%\ngen 70%\ngen 80%\ngen 90%\ngen 100%\n",
        text().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void onATerminalRedrawsInPlaceOnlyWhenThePercentChanges() {
    ProgressBar bar = new ProgressBar(err, true, "gen");
    bar.accept(0.5);
    bar.accept(0.501);
    bar.accept(1.0);
    bar.finish();
    String half = "#".repeat(20) + " ".repeat(20);
    assertEquals("\rgen [" + half + "] 50%\rgen [" + "#".repeat(40) + "] 100%" + System.lineSeparator(), text());
  }

  @Test
  void clampsOutOfRangeFractionsAndFinishesOnlyAnOpenLine() {
    ProgressBar bar = new ProgressBar(err, true, "g");
    bar.finish();
    assertEquals("", text());
    bar.accept(-1);
    bar.accept(Double.NaN);
    bar.accept(7);
    assertEquals("\rg [" + " ".repeat(40) + "] 0%\rg [" + "#".repeat(40) + "] 100%", text());
  }
}
