package io.kiln.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The queries the server is running now, by ticket, so a client's cancel (its call going away or a
 * CancelFlightInfo) stops the right one. A query runs on the thread that streams its answer; an
 * interrupt of that thread cancels a Kiln query, and the interrupt never outlives the query.
 */
final class RunningQueries {
  private final Map<String, Call> calls = new ConcurrentHashMap<>();

  /** One running query; close it when the query is over, on the thread that runs it. */
  final class Call implements AutoCloseable {
    private final String ticket;
    private final Thread runner = Thread.currentThread();
    private boolean over;
    private volatile boolean cancelled;

    private Call(String ticket) {
      this.ticket = ticket;
    }

    synchronized void cancel() {
      cancelled = true;
      if (!over) {
        runner.interrupt();
      }
    }

    boolean cancelled() {
      return cancelled;
    }

    @Override
    public void close() {
      calls.remove(ticket, this);
      synchronized (this) {
        over = true;
        Thread.interrupted(); // the runner is a pooled gRPC thread: a late cancel must not reach its next call
      }
    }
  }

  Call start(String ticket) {
    Call call = new Call(ticket);
    calls.put(ticket, call);
    return call;
  }

  /** Cancels the query of {@code ticket}; false if none is running. */
  boolean cancel(String ticket) {
    Call call = calls.get(ticket);
    if (call == null) {
      return false;
    }
    call.cancel();
    return true;
  }

  void cancelAll() {
    calls.values().forEach(Call::cancel);
  }

  int count() {
    return calls.size();
  }
}
