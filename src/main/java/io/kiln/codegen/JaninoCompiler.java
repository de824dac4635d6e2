package io.kiln.codegen;

import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.commons.compiler.InternalCompilerException;
import org.codehaus.commons.compiler.util.reflect.ByteArrayClassLoader;
import org.codehaus.janino.IClassLoader;
import org.codehaus.janino.Java;
import org.codehaus.janino.Parser;
import org.codehaus.janino.Scanner;
import org.codehaus.janino.UnitCompiler;
import org.codehaus.janino.util.ClassFile;

/**
 * Compiles one generated source with Janino: parse, compile, and load the class in a class loader
 * of its own whose parent is Kiln's loader, never the thread's context loader, so generated classes
 * see the engine however Kiln itself was loaded. These are the steps of Janino's {@code
 * SimpleCompiler}, except that Janino's view of the engine's classes is reused ({@link
 * EngineTypes}) instead of built again for every class.
 */
final class JaninoCompiler {
  private JaninoCompiler() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  static CompiledClass compile(GeneratedSource source) {
    long start = System.nanoTime();
    long startCpu = cpuNanos();
    try {
      Map<String, byte[]> bytecodes = bytecodes(source);
      Class<?> c = new ByteArrayClassLoader(bytecodes, JaninoCompiler.class.getClassLoader())
          .loadClass(source.className());
      Map<String, Integer> sizes = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> e : bytecodes.entrySet()) {
        for (Map.Entry<String, Integer> m : MethodSizes.of(e.getValue()).entrySet()) {
          // Janino appends '$' to private methods that it makes accessible; show the source's name.
          String method = m.getKey().endsWith("$") ? m.getKey().substring(0, m.getKey().length() - 1) : m.getKey();
          sizes.put(e.getKey().equals(source.className()) ? method : e.getKey() + "." + method, m.getValue());
        }
      }
      return new CompiledClass(c.getConstructor(Object[].class, io.kiln.physical.Operator[].class,
          java.util.concurrent.atomic.LongAdder[].class, org.apache.arrow.memory.BufferAllocator.class), sizes, System.nanoTime() - start,
          startCpu < 0 ? -1 : cpuNanos() - startCpu);
    } catch (CompileException | InternalCompilerException e) {
      throw new CodegenException("Janino cannot compile the generated pipeline: " + e.getMessage(), e);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new CodegenException("the generated pipeline class cannot be loaded: " + e, e);
    }
  }

  private static long cpuNanos() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  /** Class name to class file of each class in the source (the pipeline and any nested classes). */
  private static Map<String, byte[]> bytecodes(GeneratedSource source) throws CompileException {
    Java.AbstractCompilationUnit unit;
    try {
      unit = new Parser(new Scanner(source.className() + ".java", new StringReader(source.text())))
          .parseAbstractCompilationUnit();
    } catch (IOException e) {
      throw new IllegalStateException("reading a string cannot fail", e);
    }
    IClassLoader engine = EngineTypes.borrow();
    List<ClassFile> classFiles = new ArrayList<>();
    // Source file and line numbers, for stack traces into generated code; no local variable tables.
    new UnitCompiler(unit, engine).compileUnit(true, true, false, classFiles);
    // Only after a successful compile: a failure may leave half-loaded types behind.
    EngineTypes.giveBack(engine);
    Map<String, byte[]> bytecodes = new HashMap<>();
    for (ClassFile cf : classFiles) {
      bytecodes.put(cf.getThisClassName(), cf.toByteArray());
    }
    return bytecodes;
  }
}
