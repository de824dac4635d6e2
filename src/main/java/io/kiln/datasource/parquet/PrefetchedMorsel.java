package io.kiln.datasource.parquet;

import io.kiln.error.KilnException;
import io.kiln.util.Uninterruptibly;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.arrow.memory.AllocationReservation;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The I/O of one morsel ({@link RowGroupScanTask#open}), begun on a read-ahead thread before a
 * worker gets to the morsel. The worker {@linkplain #take takes} the result, waiting for a fetch
 * under way or fetching itself if the read-ahead thread has not begun; a morsel no worker will run
 * (LIMIT reached, query failed or cancelled) is {@linkplain #drop dropped}, which waits for a
 * fetch under way and releases what it fetched. Until then its bytes are reserved against the
 * query's memory limit, and a morsel is read ahead only while its bytes are at most half of what
 * the query may still allocate: reading ahead yields to the query's own needs, never the reverse.
 */
final class PrefetchedMorsel {
  private final RowGroupScanTask task;
  private final AllocationReservation reservation;
  /** A thread (read-ahead or worker) has begun the fetch: no other will. */
  private boolean started;
  /** The read-ahead thread's fetch is over: {@link #result} or {@link #failure} is set. */
  private boolean finished;
  private OpenMorsel result;
  /** The fetch's failure, thrown on the worker that takes the morsel. */
  private Throwable failure;

  private PrefetchedMorsel(RowGroupScanTask task, AllocationReservation reservation) {
    this.task = task;
    this.reservation = reservation;
  }

  /**
   * Begins fetching {@code task}'s morsel on {@code executor}; null (and nothing reserved) when the
   * query's memory limit leaves too little room for its estimated bytes or the executor refuses.
   */
  static PrefetchedMorsel start(RowGroupScanTask task, BufferAllocator allocator, Executor executor) {
    long bytes = task.estimatedBytes();
    if (bytes > allocator.getHeadroom() / 2) {
      return null;
    }
    AllocationReservation reservation = allocator.newReservation();
    if (!reservation.add(bytes)) {
      reservation.close();
      return null;
    }
    PrefetchedMorsel p = new PrefetchedMorsel(task, reservation);
    try {
      executor.execute(p::fetch);
    } catch (RejectedExecutionException e) {
      reservation.close(); // the store is closing: the worker will fetch for itself
      return null;
    }
    return p;
  }

  /** On the read-ahead thread. */
  private void fetch() {
    synchronized (this) {
      if (started) {
        return; // a worker took or dropped it first
      }
      started = true;
    }
    OpenMorsel opened = null;
    Throwable failed = null;
    try {
      task.countReadAhead();
      opened = task.open();
    } catch (RuntimeException | Error e) {
      failed = e; // even an Error must end the fetch, or the worker would wait for it forever
    }
    synchronized (this) {
      result = opened;
      failure = failed;
      finished = true;
      notifyAll();
    }
  }

  /**
   * The fetched morsel (null if it has nothing to read), or the fetch's failure, thrown here on the
   * worker. Fetches on the calling thread when the read-ahead thread has not begun.
   */
  OpenMorsel take() {
    boolean fetchHere;
    synchronized (this) {
      fetchHere = !started;
      started = true;
      if (!fetchHere) {
        awaitFinished();
      }
    }
    reservation.close(); // the bytes now belong to a running task, like those it fetches itself
    if (fetchHere) {
      return task.open();
    }
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    return result;
  }

  /** Releases the morsel unused: waits for a fetch under way, then closes what it fetched. */
  void drop() {
    synchronized (this) {
      if (started) {
        awaitFinished();
      }
      started = true;
    }
    try {
      if (result != null) {
        result.close();
      }
    } catch (IOException e) {
      throw KilnException.io("cannot close a morsel read ahead: " + e, e);
    } finally {
      result = null;
      reservation.close();
    }
  }

  /**
   * Waits, holding this object's lock, until the fetch is over. Not interruptible: the fetch must
   * end before its bytes can be released (its requests time out), and the interrupt is kept.
   */
  private void awaitFinished() {
    Uninterruptibly.await(this, () -> finished);
  }
}
