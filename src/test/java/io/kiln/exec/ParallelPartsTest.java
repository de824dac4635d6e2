package io.kiln.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ParallelPartsTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void everyPartRunsOnceAndHelpersTakeSome() {
    AtomicIntegerArray runs = new AtomicIntegerArray(64);
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    ParallelParts.run(pool, 2, 64, p -> {
      runs.incrementAndGet(p);
      threads.add(Thread.currentThread());
      sleep(5); // long enough that the helpers get parts before the caller has taken them all
    });
    for (int p = 0; p < 64; p++) {
      assertEquals(1, runs.get(p), "part " + p);
    }
    assertTrue(threads.size() > 1, "only " + threads + " ran parts");
  }

  @Test
  void aBusyPoolLeavesEveryPartToTheCaller() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      pool.execute(() -> {
        busy.countDown();
        await(release);
      });
    }
    busy.await();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    AtomicIntegerArray runs = new AtomicIntegerArray(8);
    ParallelParts.run(pool, 2, 8, p -> {
      runs.incrementAndGet(p);
      threads.add(Thread.currentThread());
    });
    assertEquals(Set.of(Thread.currentThread()), threads);
    for (int p = 0; p < 8; p++) {
      assertEquals(1, runs.get(p), "part " + p);
    }
    release.countDown();
  }

  @Test
  void aFailingPartIsThrownOnceNoPartRuns() {
    IllegalArgumentException boom = new IllegalArgumentException("part 3 failed");
    AtomicIntegerArray running = new AtomicIntegerArray(1);
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () ->
        ParallelParts.run(pool, 2, 16, p -> {
          running.incrementAndGet(0);
          try {
            sleep(2);
            if (p == 3) {
              throw boom;
            }
          } finally {
            running.decrementAndGet(0);
          }
        }));
    assertSame(boom, thrown);
    assertEquals(0, running.get(0), "a part still ran after the failure was thrown");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
