package io.kiln.cli;

import java.io.PrintStream;
import java.util.function.DoubleConsumer;

/**
 * Shows a task's progress (a fraction from 0 to 1) on stderr. On a terminal it redraws one bar in
 * place with '\r'; elsewhere (logs, CI) such redraws would be noise, so it prints a line per 10%.
 * Safe to call from several threads, as generators may report from their workers.
 */
final class ProgressBar implements DoubleConsumer {
  private static final int WIDTH = 40;

  private final PrintStream err;
  private final boolean terminal;
  private final String label;
  private int shown = -1; // percent drawn on a terminal, else tens of percent printed
  private boolean open; // a bar is drawn and its line not yet ended

  ProgressBar(PrintStream err, boolean terminal, String label) {
    this.err = err;
    this.terminal = terminal;
    this.label = label;
  }

  @Override
  public synchronized void accept(double fraction) {
    double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
    if (terminal) {
      int percent = (int) (f * 100);
      if (percent != shown) {
        shown = percent;
        int filled = (int) (f * WIDTH);
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%");
        err.flush();
        open = true;
      }
    } else {
      int tens = (int) (f * 10);
      while (shown < tens) {
        shown++;
        if (shown > 0) {
          err.println(label + " " + shown * 10 + "%");
        }
      }
    }
  }

  /** Ends the bar's line so that whatever is printed next starts on a fresh one. */
  synchronized void finish() {
    if (open) {
      err.println();
      open = false;
    }
  }
}
