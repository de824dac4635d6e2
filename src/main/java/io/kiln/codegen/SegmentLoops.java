package io.kiln.codegen;

import java.util.ArrayList;
import java.util.List;

/**
 * The loops of one segment's body, in order: the loop over the input batch's rows, then, for each
 * fused join probe, its loops over the rows that reached it. Steps add their code to the innermost
 * open block; a probe closes the blocks of the loop before it and opens its own.
 */
final class SegmentLoops {
  final Code body = new Code();
  private int open;
  /** Variables holding the build row of each probe so far with build columns, which later loops restore. */
  final List<String> buildRows = new ArrayList<>();
  /** Values of earlier probes (marks) that later loops restore: they cannot be read or computed again. */
  final List<Slot> carried = new ArrayList<>();
  /** Some probe may pass one input row on more than once (several matches). */
  boolean repeatsRows;

  void open(String header) {
    body.open(header);
    open++;
  }

  void closeAll() {
    for (; open > 0; open--) {
      body.close();
    }
  }
}
