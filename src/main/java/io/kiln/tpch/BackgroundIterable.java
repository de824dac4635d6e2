package io.kiln.tpch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs a source iterable on its own thread and hands its elements over in chunks, so generating
 * rows and encoding them to Parquet overlap (lineitem alone would otherwise bound the run time).
 * Close it to stop the producer early.
 */
public final class BackgroundIterable<E> implements Iterable<E>, AutoCloseable {
  private static final int CHUNK = 4096;

  /** A chunk, the end marker (empty, no error), or the producer's failure. */
  private static final class Chunk<E> {
    final List<E> items;
    final Throwable error;

    Chunk(List<E> items, Throwable error) {
      this.items = items;
      this.error = error;
    }
  }

  private final BlockingQueue<Chunk<E>> queue = new ArrayBlockingQueue<>(8);
  private final Thread producer;

  public BackgroundIterable(Iterable<E> source, String name) {
    producer = new Thread(() -> {
      Chunk<E> last;
      try {
        List<E> chunk = new ArrayList<>(CHUNK);
        for (E e : source) {
          chunk.add(e);
          if (chunk.size() == CHUNK) {
            queue.put(new Chunk<>(chunk, null));
            chunk = new ArrayList<>(CHUNK);
          }
        }
        if (!chunk.isEmpty()) {
          queue.put(new Chunk<>(chunk, null));
        }
        last = new Chunk<>(List.of(), null);
      } catch (InterruptedException e) {
        return; // the consumer closed us; nobody is waiting for more
      } catch (RuntimeException | Error e) {
        last = new Chunk<>(List.of(), e);
      }
      try {
        queue.put(last);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    producer.setDaemon(true);
    producer.start();
  }

  @Override
  public Iterator<E> iterator() {
    return new Iterator<>() {
      private Iterator<E> current = List.<E>of().iterator();
      private boolean done;

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && !done) {
          Chunk<E> c;
          try {
            c = queue.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for generated rows", e);
          }
          if (c.error != null) {
            throw new IllegalStateException("row generation failed: " + c.error, c.error);
          }
          if (c.items.isEmpty()) {
            done = true;
          }
          current = c.items.iterator();
        }
        return current.hasNext();
      }

      @Override
      public E next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  @Override
  public void close() {
    producer.interrupt();
  }
}
