package io.kiln.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The compiled-class cache's key: a generated source without its comments, and nothing else changed. */
class CacheKeyTest {
  @Test
  void dropsLineAndOneLineDocCommentsOnly() {
    assertEquals("int a = b / c; \nint d;", CompiledPipelines.shape("int a = b / c; // b is 7\nint d;"));
    assertEquals(" private void f() {}", CompiledPipelines.shape("/** Rows after x */ private void f() {}"));
    assertEquals("x\n", CompiledPipelines.shape("x\n//"));
    assertEquals("a / b /* c */ d", CompiledPipelines.shape("a / b /* c */ d"), "only doc comments are dropped");
    assertEquals("/** two\n lines */ e", CompiledPipelines.shape("/** two\n lines */ e"), "one-line doc comments only");
    assertEquals("/", CompiledPipelines.shape("/"));
    assertEquals("", CompiledPipelines.shape(""));
  }

  @Test
  void sourcesDifferingOnlyInCommentsHaveOneKey() {
    String a = "// Filter (x#1 > 5)\nif (c3 > k0) continue;\n/** Project [x#1] */\n";
    String b = "// Filter (x#7 > 9)\nif (c3 > k0) continue;\n/** Project [x#7] */\n";
    assertEquals(CompiledPipelines.shape(a), CompiledPipelines.shape(b));
  }
}
