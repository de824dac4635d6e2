package io.kiln.datasource.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(1000));

  @Test
  void ceilingDoublesUpToTheMaximum() {
    assertEquals(100, policy.ceilingMillis(1));
    assertEquals(200, policy.ceilingMillis(2));
    assertEquals(400, policy.ceilingMillis(3));
    assertEquals(800, policy.ceilingMillis(4));
    assertEquals(1000, policy.ceilingMillis(5));
    assertEquals(1000, policy.ceilingMillis(100), "no overflow for many failures");
  }

  @Test
  void delaysAreFullJitterUnderTheCeiling() {
    Random random = new Random(42);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      long d = policy.delayMillis(3, random);
      assertTrue(d >= 0 && d <= 400, "delay " + d);
      seen.add(d / 100);
    }
    assertEquals(Set.of(0L, 1L, 2L, 3L, 4L), seen, "spread over the whole [0, ceiling] range");
  }

  @Test
  void attemptsAreBounded() {
    assertTrue(policy.mayRetryAfter(3));
    assertFalse(policy.mayRetryAfter(4));
    assertEquals(0, new RetryPolicy(1, Duration.ZERO, Duration.ZERO).delayMillis(1, new Random()));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
