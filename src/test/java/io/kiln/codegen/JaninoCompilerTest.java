package io.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The compiler reuses Janino's views of the engine's classes between compiles ({@link EngineTypes}):
 * classes of one name but different code must still each get their own code, a failed compile must
 * not spoil later ones, and compiles on several threads at once must each work.
 */
class JaninoCompilerTest {
  /** A minimal pipeline class named like every generated one, whose method {@code m} has the given body. */
  private static GeneratedSource source(String member) {
    String text = "public final class KilnPipeline extends io.kiln.codegen.runtime.GeneratedPipeline {\n"
        + "  public KilnPipeline(Object[] refs, io.kiln.physical.Operator[] ops,"
        + " java.util.concurrent.atomic.LongAdder[] stepRows, org.apache.arrow.memory.BufferAllocator allocator) {\n"
        + "    super(refs, ops, stepRows, allocator);\n"
        + "  }\n"
        + "  public void push(io.kiln.data.Batch in, io.kiln.physical.Sink.Local local) {}\n"
        + "  " + member + "\n"
        + "}\n";
    return new GeneratedSource("KilnPipeline", text, new Object[0], List.of(), false);
  }

  private static Object call(CompiledClass c, String method) throws Exception {
    Object instance = c.constructor().newInstance(new Object[0], new io.kiln.physical.Operator[0],
        new java.util.concurrent.atomic.LongAdder[0], null);
    java.lang.reflect.Method m = instance.getClass().getMethod(method);
    return m.invoke(instance);
  }

  @Test
  void classesOfOneNameCompiledInTurnEachKeepTheirOwnCode() throws Exception {
    CompiledClass a = JaninoCompiler.compile(
        source("public long m() { return io.kiln.types.Decimals.multiply(6L, 7L); }"));
    CompiledClass b = JaninoCompiler.compile(
        source("public String m() { return org.apache.arrow.memory.util.MemoryUtil.class.getSimpleName(); }"));
    CompiledClass c = JaninoCompiler.compile(source("public int n() { return 3; }"));
    assertEquals(io.kiln.types.Decimals.multiply(6L, 7L), call(a, "m"));
    assertEquals("MemoryUtil", call(b, "m"));
    assertEquals(3, call(c, "n"));
    assertTrue(c.methodSizes().containsKey("n") && !c.methodSizes().containsKey("m"), c.methodSizes().toString());
    assertTrue(c.compileCpuNanos() >= 0 && c.compileCpuNanos() <= c.compileNanos() + 1_000_000,
        "the compiling thread's CPU time is measured, and no more than the elapsed time (clock granularity aside)");
  }

  @Test
  void aFailedCompileDoesNotSpoilTheNextOnes() throws Exception {
    CodegenException e = assertThrows(CodegenException.class,
        () -> JaninoCompiler.compile(source("public long m() { return io.kiln.NoSuchClass.value(); }")));
    assertTrue(e.getMessage().contains("Janino cannot compile"), e.getMessage());
    assertThrows(CodegenException.class, () -> JaninoCompiler.compile(source("public long m() { return x; }")));
    CompiledClass ok = JaninoCompiler.compile(
        source("public long m() { return io.kiln.types.Decimals.multiply(1L, 1L); }"));
    assertEquals(1L, call(ok, "m"));
  }

  /** Only Janino's refusals for the JVM's size limits make a pipeline retry split into methods. */
  @Test
  void methodsOverTheJvmLimitAreToldApartFromOtherErrors() {
    StringBuilder body = new StringBuilder("public long m(long x) {\n");
    for (int i = 0; i < 9000; i++) {
      body.append("    x = x * 31 + ").append(i).append("L;\n");
    }
    body.append("    return x;\n  }");
    CodegenException tooBig = assertThrows(CodegenException.class, () -> JaninoCompiler.compile(source(body.toString())));
    assertTrue(CompiledPipelines.overJvmLimits(tooBig), tooBig.toString());
    CodegenException wrong = assertThrows(CodegenException.class,
        () -> JaninoCompiler.compile(source("public long m() { return x; }")));
    assertFalse(CompiledPipelines.overJvmLimits(wrong), wrong.toString());
  }

  @Test
  void compilesOnSeveralThreadsAtOnceEachWork() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        long k = t;
        String body = "return io.kiln.types.Decimals.multiply(" + k + "L, 2L) + java.util.Arrays.asList(\"a\").size();";
        results.add(pool.submit(() -> call(JaninoCompiler.compile(source("public long m() { " + body + " }")), "m")));
      }
      for (int t = 0; t < 16; t++) {
        assertEquals(io.kiln.types.Decimals.multiply(t, 2L) + 1, results.get(t).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
