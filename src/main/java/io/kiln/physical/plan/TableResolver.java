package io.kiln.physical.plan;

import io.kiln.catalog.TableProvider;

/**
 * Finds the table a plan's scan names. Plans carry table names, not open tables: the process that
 * runs a plan resolves them against what it has registered.
 */
@FunctionalInterface
public interface TableResolver {
  TableProvider table(String name);
}
