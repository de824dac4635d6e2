package io.kiln.exec;

import io.kiln.error.KilnException;
import org.apache.arrow.memory.AllocationReservation;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Counts Java-heap structures (hash tables, aggregate states) against a query's Arrow memory limit,
 * so the limit bounds all of a query's large state, not only its Arrow buffers.
 */
public final class HeapReservation implements AutoCloseable {
  private final AllocationReservation reservation;
  private final String owner;
  private long reserved;

  public HeapReservation(BufferAllocator allocator, String owner) {
    this.reservation = allocator.newReservation();
    this.owner = owner;
  }

  /** Raises the reservation to {@code bytes}; a RESOURCE error if the limit does not allow it. */
  public void growTo(long bytes) {
    if (bytes <= reserved) {
      return;
    }
    if (!reservation.add(bytes - reserved)) {
      throw new KilnException(KilnException.Kind.RESOURCE, "query memory limit exceeded in " + owner + ": it needs "
          + bytes + " bytes of hash table and aggregate state (raise it with memoryLimit / --memory-limit)");
    }
    reserved = bytes;
  }

  /** Bytes reserved so far: the largest the structures grew to. */
  public long reserved() {
    return reserved;
  }

  @Override
  public void close() {
    reservation.close();
  }
}
