package io.kiln.cli;

import io.kiln.Kiln;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options that size the engine, shared by every command that runs queries. */
final class EngineOptions {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Worker threads (default: the number of CPUs, ${DEFAULT-VALUE} here).")
  private int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--memory-limit",
      paramLabel = "SIZE",
      converter = ByteSize.class,
      description = "Memory the engine may use, e.g. 512m or 4g (default: no limit).")
  private Long memoryLimit;

  Kiln open() {
    if (threads < 1) {
      throw new ParameterException(command.commandLine(), "--threads must be at least 1, not " + threads);
    }
    Kiln.Builder builder = Kiln.builder().threads(threads);
    if (memoryLimit != null) {
      builder.memoryLimit(memoryLimit);
    }
    return builder.build();
  }
}
