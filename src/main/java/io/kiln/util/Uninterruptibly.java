package io.kiln.util;

import java.util.function.BooleanSupplier;

/**
 * Waiting that an interrupt does not cut short, for work that must end before its memory can be
 * released (other threads still write into it); the interrupt is kept for the caller to see.
 */
public final class Uninterruptibly {
  private Uninterruptibly() {}

  /** Waits on {@code monitor}, whose lock the caller holds, until {@code done} is true. */
  public static void await(Object monitor, BooleanSupplier done) {
    boolean interrupted = false;
    while (!done.getAsBoolean()) {
      try {
        monitor.wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
