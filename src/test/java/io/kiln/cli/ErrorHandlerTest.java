package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ErrorHandlerTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void kilnExceptionIsItsMessageAndExitOne() {
    int exit = new ErrorHandler(err, () -> false).handle(
        KilnException.binding("unknown column l_shipdat (did you mean l_shipdate?) at line 1, column 8"));
    assertEquals(1, exit);
    assertEquals(
        "kiln: binding error: unknown column l_shipdat (did you mean l_shipdate?) at line 1, column 8"
            + System.lineSeparator(),
        text());
  }

  @Test
  void wrappedKilnExceptionIsFound() {
    int exit = new ErrorHandler(err, () -> false).handle(
        new RuntimeException(new ExecutionException(KilnException.execution("division by zero"))));
    assertEquals(1, exit);
    assertEquals("kiln: execution error: division by zero" + System.lineSeparator(), text());
  }

  @Test
  void anythingElseIsAnInternalErrorExitThree() {
    int exit = new ErrorHandler(err, () -> false).handle(new IllegalStateException("broken invariant"));
    assertEquals(3, exit);
    assertEquals(
        "kiln: internal error: java.lang.IllegalStateException: broken invariant (run with --verbose for details)"
            + System.lineSeparator(),
        text());
  }

  @Test
  void verboseAddsTheStackTrace() {
    int exit = new ErrorHandler(err, () -> true).handle(new StackOverflowError());
    assertEquals(3, exit);
    assertTrue(text().startsWith("kiln: internal error: java.lang.StackOverflowError: null" + System.lineSeparator()), text());
    assertTrue(text().contains("\tat io.kiln.cli.ErrorHandlerTest"), text());
  }
}
