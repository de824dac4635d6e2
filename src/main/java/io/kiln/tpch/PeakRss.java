package io.kiln.tpch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's peak resident memory since the last {@link #reset}, from Linux's /proc: writing 5
 * to clear_refs resets VmHWM to the current resident set. Elsewhere (or where /proc refuses) it
 * knows nothing. For a JVM the figure includes its heap as grown so far, so it is the process's
 * peak while a query ran, not the query's own memory.
 */
public final class PeakRss {
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
  private static final Path STATUS = Path.of("/proc/self/status");

  private PeakRss() {}

  /** Starts a new peak; false where the peak cannot be reset (it then runs from the process's start). */
  public static boolean reset() {
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /** The peak resident bytes since {@link #reset}, or -1 where /proc does not say. */
  public static long bytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // in kB
        }
      }
      return -1;
    } catch (IOException | NumberFormatException | SecurityException e) {
      return -1;
    }
  }
}
