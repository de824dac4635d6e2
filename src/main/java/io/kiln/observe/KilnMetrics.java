package io.kiln.observe;

import io.kiln.catalog.ReadTotals;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The metrics of one Kiln process (a scheduler, a worker) or session, in a Prometheus registry of
 * its own, with the JVM's. Names follow Prometheus conventions: a {@code kiln_} prefix, base units,
 * {@code _total} for counters. Components keep plain counters where they count (a LongAdder in the
 * data path) and register a callback here, so that metrics cost nothing until scraped.
 */
public final class KilnMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  /** Whether the JVM's metrics are still to be added (when the registry is first handed out). */
  private boolean jvmPending;

  private KilnMetrics() {}

  /**
   * A registry with the JVM's own metrics (memory, GC, threads, classes) in it, added when the
   * registry is first asked for: they load a few hundred classes and read JMX beans, a third of a
   * one-shot {@code kiln sql}'s start-up, and only a scrape reads them.
   */
  public static KilnMetrics withJvm() {
    KilnMetrics m = new KilnMetrics();
    m.jvmPending = true;
    return m;
  }

  /** The registry to scrape. */
  public synchronized PrometheusRegistry registry() {
    if (jvmPending) {
      jvmPending = false;
      JvmMetrics.builder().register(registry);
    }
    return registry;
  }

  /** A counter incremented where things happen, by label values if {@code labels} are given. */
  public Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  /** A histogram of durations in seconds. */
  public Histogram seconds(String name, String help) {
    return Histogram.builder().name(name).help(help).register(registry);
  }

  /** A counter read from {@code value} at each scrape. */
  public void counter(String name, String help, LongSupplier value) {
    CounterWithCallback.builder().name(name).help(help).callback(c -> c.call(value.getAsLong())).register(registry);
  }

  /** A counter with one label, its values read from {@code values} (label value to count) at each scrape. */
  public void counter(String name, String help, String label, Supplier<Map<String, ? extends Number>> values) {
    CounterWithCallback.builder().name(name).help(help).labelNames(label)
        .callback(c -> values.get().forEach((k, v) -> c.call(v.doubleValue(), k))).register(registry);
  }

  /** What scans read, from {@code reads}: {@code kiln_rows_read_total} and {@code kiln_bytes_read_total}. */
  public void exportReads(ReadTotals reads) {
    counter("kiln_rows_read_total", "Rows the scans produced.", reads::rows);
    counter("kiln_bytes_read_total", "Bytes the scans read from files and object stores, as stored.", reads::bytes);
  }

  /** A gauge read from {@code value} at each scrape. */
  public void gauge(String name, String help, DoubleSupplier value) {
    GaugeWithCallback.builder().name(name).help(help).callback(c -> c.call(value.getAsDouble())).register(registry);
  }

  /** A gauge with one label, its values read from {@code values} (label value to value) at each scrape. */
  public void gauge(String name, String help, String label, Supplier<Map<String, ? extends Number>> values) {
    GaugeWithCallback.builder().name(name).help(help).labelNames(label)
        .callback(c -> values.get().forEach((k, v) -> c.call(v.doubleValue(), k))).register(registry);
  }
}
