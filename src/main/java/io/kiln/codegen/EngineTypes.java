package io.kiln.codegen;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.codehaus.janino.ClassLoaderIClassLoader;
import org.codehaus.janino.IClassLoader;

/**
 * Janino's views of the engine's classes ({@link IClassLoader}s over Kiln's class loader), kept from
 * one compile to the next. A fresh view per compile, as {@code SimpleCompiler} makes, reflects
 * again over every class the source names, and settles each qualified name such as {@code
 * io.kiln.data.Batch} by asking the class loader for {@code io}, {@code io.kiln}, ... as classes:
 * misses that search the class path and throw. That was about a third of a warm compile. A view
 * remembers both hits and misses, so only the first compiles pay for them.
 *
 * <p>A view is not thread-safe (Janino: "not thread safe"), so each compile borrows one for itself
 * and returns it afterwards; a compile that failed drops its view rather than trust its state.
 * Generated classes never enter a view: Janino finds them in the compilation unit, and they load in
 * a class loader of their own.
 */
final class EngineTypes {
  /** Idle views kept; more than one per core only wait for a compile that cannot run anyway. */
  private static final int MAX_IDLE = Math.max(2, Runtime.getRuntime().availableProcessors());
  private static final ConcurrentLinkedDeque<IClassLoader> IDLE = new ConcurrentLinkedDeque<>();
  private static final AtomicInteger IDLE_COUNT = new AtomicInteger();

  private EngineTypes() {}

  /** A view only the caller uses until it {@link #giveBack}s it. */
  static IClassLoader borrow() {
    IClassLoader view = IDLE.pollFirst();
    if (view != null) {
      IDLE_COUNT.decrementAndGet();
      return view;
    }
    return new ClassLoaderIClassLoader(EngineTypes.class.getClassLoader());
  }

  /** Returns a view after a successful compile. */
  static void giveBack(IClassLoader view) {
    if (IDLE_COUNT.incrementAndGet() <= MAX_IDLE) {
      IDLE.addFirst(view);
    } else {
      IDLE_COUNT.decrementAndGet();
    }
  }
}
