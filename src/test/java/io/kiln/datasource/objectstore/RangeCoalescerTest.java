package io.kiln.datasource.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kiln.datasource.objectstore.RangeCoalescer.Range;
import io.kiln.datasource.objectstore.RangeCoalescer.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeCoalescerTest {
  @Test
  void nearbyRangesShareARequestAndFarOnesDoNot() {
    Range a = new Range(1000, 100);
    Range b = new Range(1150, 50); // 50 bytes after a
    Range c = new Range(5000, 10); // far away
    List<Request> plan = RangeCoalescer.plan(List.of(c, b, a), 64, 1 << 20);
    assertEquals(2, plan.size());
    assertEquals(new Request(1000, 1200, List.of(a, b)), plan.get(0));
    assertEquals(new Request(5000, 5010, List.of(c)), plan.get(1));
  }

  @Test
  void requestsStopGrowingAtTheLimitButOneLargeRangeStaysWhole() {
    Range a = new Range(0, 600);
    Range b = new Range(600, 600);
    Range big = new Range(2000, 5000);
    List<Request> plan = RangeCoalescer.plan(List.of(a, b, big), 1000, 1000);
    assertEquals(List.of(new Request(0, 600, List.of(a)), new Request(600, 1200, List.of(b)),
        new Request(2000, 7000, List.of(big))), plan);
    List<long[]> parts = plan.get(2).parts(1000);
    assertEquals(5, parts.size());
    assertEquals(2000, parts.get(0)[0]);
    assertEquals(7000, parts.get(4)[1]);
  }

  @Test
  void overlappingRangesAreMergedEvenWithoutGap() {
    Range a = new Range(0, 100);
    Range b = new Range(50, 100);
    assertEquals(List.of(new Request(0, 150, List.of(a, b))), RangeCoalescer.plan(List.of(b, a), 0, 1 << 20));
  }
}
