package io.kiln.exec;

import io.kiln.error.KilnException;
import org.apache.arrow.memory.AllocationReservation;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Counts Java-heap structures (hash tables, aggregate states) against a query's Arrow memory limit,
 * so the limit bounds all of a query's large state, not only its Arrow buffers.
 */
public final class HeapReservation implements AutoCloseable {
  private final BufferAllocator allocator;
  private final AllocationReservation reservation;
  private final String owner;
  private long reserved;

  public HeapReservation(BufferAllocator allocator, String owner) {
    this.allocator = allocator;
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

  /**
   * Raises the reservation to {@code bytes} if that leaves at least {@code keepFree} bytes of the
   * limit for the query's other work; false (and nothing reserved) if not, so the caller can make
   * room instead (by spilling).
   */
  public boolean tryGrowTo(long bytes, long keepFree) {
    if (bytes <= reserved) {
      return true;
    }
    long more = bytes - reserved;
    if (allocator.getHeadroom() < more + keepFree || !reservation.add(more)) {
      return false;
    }
    reserved = bytes;
    return true;
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
