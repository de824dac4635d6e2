package io.kiln.distributed.rpc;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries of calls that failed for reasons that pass (the peer unreachable for a moment, a
 * deadline under load): exponential backoff with full jitter, so many callers retrying at once do
 * not retry in step. Errors that would fail again the same way are never retried.
 */
public record Backoff(int attempts, long baseMillis, long capMillis) {
  public static final Backoff DEFAULT = new Backoff(5, 100, 3_000);

  public Backoff {
    if (attempts < 1 || baseMillis < 0 || capMillis < baseMillis) {
      throw new IllegalArgumentException("bad backoff: " + attempts + " attempts, " + baseMillis + "-" + capMillis + " ms");
    }
  }

  /** The wait before retry number {@code retry} (1 for the first): uniform in [0, min(cap, base * 2^retry)). */
  public long delayMillis(int retry) {
    long ceiling = Math.min(capMillis, baseMillis << Math.min(retry, 20));
    return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling);
  }

  /**
   * Calls until it succeeds, fails with a non-transient error, or has failed {@code attempts}
   * times; the last failure becomes a CLUSTER error naming {@code what}, {@code address} and the
   * attempts made.
   */
  public <T> T call(String what, String address, Supplier<T> call) {
    return call(what, address, () -> { }, call);
  }

  /** As {@link #call(String, String, Supplier)}, running {@code beforeRetry} before each retry (to count it). */
  public <T> T call(String what, String address, Runnable beforeRetry, Supplier<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (!RemoteErrors.isTransient(e) || attempt >= attempts) {
          var error = RemoteErrors.ofCall(what, address, e);
          if (attempt > 1 && error.kind() == io.kiln.error.KilnException.Kind.CLUSTER) {
            return sneaky(io.kiln.error.KilnException.cluster(error.detail() + " (after " + attempt + " attempts)", e));
          }
          throw error;
        }
        beforeRetry.run();
        try {
          Thread.sleep(delayMillis(attempt));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw io.kiln.error.KilnException.cancelled(what + " at " + address + " interrupted while retrying");
        }
      }
    }
  }

  private static <T> T sneaky(RuntimeException e) {
    throw e;
  }
}
