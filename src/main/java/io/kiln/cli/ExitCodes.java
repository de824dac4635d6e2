package io.kiln.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The process exit codes, listed in every command's --help. */
final class ExitCodes {
  static final int OK = 0;
  /** A query, data or file error: the user's input, reported as one line. */
  static final int ERROR = 1;
  static final int USAGE = 2;
  /** A bug in Kiln: any exception that is not a KilnException. */
  static final int INTERNAL = 3;
  static final int CHECK_FAILED = 4;

  private ExitCodes() {}

  static Map<String, String> descriptions() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put(" " + OK, "Success.");
    codes.put(" " + ERROR, "Error in a query, a data file or a path (one line on stderr).");
    codes.put(" " + USAGE, "Bad usage: unknown option, missing or invalid argument.");
    codes.put(" " + INTERNAL, "Internal error, a bug in Kiln (rerun with --verbose for the stack trace).");
    codes.put(" " + CHECK_FAILED, "tpch run --check: some query's answer was wrong.");
    return codes;
  }
}
