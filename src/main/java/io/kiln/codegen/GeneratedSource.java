package io.kiln.codegen;

import java.util.List;

/**
 * A pipeline's generated class: its source text (the cache key: it depends only on the plan's
 * shape), the constants it reads from {@code refs}, and the operators it needs instances of, by
 * their index in the pipeline: those it runs interpreted inside (join probes it does not fuse),
 * and fused probes whose operator emits build rows at the end.
 */
public record GeneratedSource(String className, String text, Object[] refs, List<Integer> embeddedOperators,
    boolean split) {}
