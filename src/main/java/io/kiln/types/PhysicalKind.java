package io.kiln.types;

/**
 * How values travel inside the engine's batches: all integers, decimals (scaled), dates (epoch
 * days) and timestamps (epoch micros) as 64-bit longs in a BigIntVector; floats as doubles in a
 * Float8Vector; booleans in a BitVector; strings in a VarCharVector. One kernel per kind.
 */
public enum PhysicalKind { LONG, DOUBLE, BOOLEAN, STRING }
