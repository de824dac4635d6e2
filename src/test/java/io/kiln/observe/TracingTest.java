package io.kiln.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

/** What tracing does with no endpoint, and the traceparent a scheduler stores for a query. */
class TracingTest {
  @Test
  void withNothingAskingForTracesItIsOffAndInstallsNothing() {
    Tracing t = Tracing.start(TracingOptions.NONE, "kiln-test");
    assertSame(Tracing.OFF, t, "OTEL_* variables are set in this environment?");
    assertFalse(t.enabled());
    assertNull(t.serverInterceptor());
    assertNull(t.clientInterceptor());
    assertFalse(t.start("x", Context.root()).getSpanContext().isValid(), "a no-op span");
  }

  @Test
  void aStoredTraceparentGivesBackTheSameTraceAndParent() {
    SpanContext span = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
        TraceFlags.getSampled(), TraceState.getDefault());
    String stored = Tracing.traceparent(Context.root().with(Span.wrap(span)));
    assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", stored);
    SpanContext back = Span.fromContext(Tracing.fromTraceparent(stored)).getSpanContext();
    assertEquals(span.getTraceId(), back.getTraceId());
    assertEquals(span.getSpanId(), back.getSpanId());
    assertEquals("", Tracing.traceparent(Context.root()));
    assertFalse(Span.fromContext(Tracing.fromTraceparent("")).getSpanContext().isValid());
  }
}
