package io.kiln.codegen;

import java.util.LinkedHashMap;
import java.util.Map;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.commons.compiler.InternalCompilerException;
import org.codehaus.janino.SimpleCompiler;

/**
 * Compiles one generated source with a fresh Janino {@link SimpleCompiler} (they are single-use
 * and not thread-safe). The parent class loader is Kiln's own, never the thread's context loader,
 * so generated classes see the engine however Kiln itself was loaded.
 */
final class JaninoCompiler {
  private JaninoCompiler() {}

  static CompiledClass compile(GeneratedSource source) {
    long start = System.nanoTime();
    SimpleCompiler compiler = new SimpleCompiler();
    compiler.setParentClassLoader(JaninoCompiler.class.getClassLoader());
    compiler.setDebuggingInformation(true, true, false);
    try {
      compiler.cook(source.className() + ".java", source.text());
      Class<?> c = compiler.getClassLoader().loadClass(source.className());
      Map<String, Integer> sizes = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> e : compiler.getBytecodes().entrySet()) {
        for (Map.Entry<String, Integer> m : MethodSizes.of(e.getValue()).entrySet()) {
          // Janino appends '$' to private methods that it makes accessible; show the source's name.
          String method = m.getKey().endsWith("$") ? m.getKey().substring(0, m.getKey().length() - 1) : m.getKey();
          sizes.put(e.getKey().equals(source.className()) ? method : e.getKey() + "." + method, m.getValue());
        }
      }
      return new CompiledClass(c.getConstructor(Object[].class, io.kiln.physical.Operator[].class,
          java.util.concurrent.atomic.LongAdder[].class, org.apache.arrow.memory.BufferAllocator.class), sizes, System.nanoTime() - start);
    } catch (CompileException | InternalCompilerException e) {
      throw new CodegenException("Janino cannot compile the generated pipeline: " + e.getMessage(), e);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new CodegenException("the generated pipeline class cannot be loaded: " + e, e);
    }
  }
}
