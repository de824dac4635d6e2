package io.kiln.datasource.objectstore;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how patiently a failed request is tried again: at most {@code maxAttempts} tries,
 * waiting before try n+1 a random time between 0 and {@code min(maxDelay, baseDelay * 2^(n-1))}
 * ("full jitter"). The randomness spreads out clients that failed together, so they do not all
 * come back at the same instant and overload the server again.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(5));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("need 0 <= baseDelay <= maxDelay, got " + baseDelay + " and " + maxDelay);
    }
  }

  /** The longest wait after {@code failedAttempts} failures: the exponential ceiling the jitter draws under. */
  public long ceilingMillis(int failedAttempts) {
    long base = baseDelay.toMillis();
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
    long ceiling = base << doublings;
    return Math.min(maxDelay.toMillis(), ceiling < base ? Long.MAX_VALUE : ceiling);
  }

  /** The wait before the next try, after {@code failedAttempts} failures. */
  public long delayMillis(int failedAttempts, RandomGenerator random) {
    long ceiling = ceilingMillis(failedAttempts);
    return ceiling == 0 ? 0 : random.nextLong(ceiling + 1);
  }

  public boolean mayRetryAfter(int failedAttempts) {
    return failedAttempts < maxAttempts;
  }
}
