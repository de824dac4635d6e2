package io.kiln.observe.dashboard;

import io.javalin.http.sse.SseClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open Server-Sent Event streams of a dashboard, each with what it shows: one thread sends
 * every stream a fresh event at a fixed rate, and ends a stream after its last event (a query that
 * ended), so a page watching a finished query does not hold a connection.
 */
final class LiveUpdates implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);

  /** One SSE event: its name, its JSON data, and whether nothing will change after it. */
  record Event(String name, String data, boolean last) {}

  private final Map<SseClient, Supplier<Event>> streams = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "kiln-dashboard-updates");
    t.setDaemon(true);
    return t;
  });

  LiveUpdates(long periodMillis) {
    sender.scheduleAtFixedRate(this::sendAll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /** Keeps {@code client}'s stream open and sends it {@code next} now and at every update. */
  void add(SseClient client, Supplier<Event> next) {
    client.keepAlive();
    client.onClose(() -> streams.remove(client));
    streams.put(client, next);
    send(client, next);
  }

  private void sendAll() {
    streams.forEach(this::send);
  }

  private void send(SseClient client, Supplier<Event> next) {
    try {
      if (client.terminated()) {
        streams.remove(client);
        return;
      }
      Event e = next.get();
      client.sendEvent(e.name(), e.data());
      if (e.last()) {
        streams.remove(client);
        client.close();
      }
    } catch (RuntimeException e) {
      // a failing snapshot or a broken connection ends this stream only; the page reconnects
      LOG.warn("dashboard update failed, closing its stream: {}", e.toString());
      streams.remove(client);
      client.close();
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
    streams.keySet().forEach(SseClient::close);
    streams.clear();
  }
}
