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

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description = "kiln.execution.mode: compiled (generated code per pipeline) or interpreted (default: ${DEFAULT-VALUE}).")
  private String mode = "interpreted";

  @Option(
      names = "--dump-codegen",
      paramLabel = "DIR",
      description = "Write every generated pipeline source into DIR.")
  private java.nio.file.Path dumpCodegen;

  Kiln open() {
    if (threads < 1) {
      throw new ParameterException(command.commandLine(), "--threads must be at least 1, not " + threads);
    }
    io.kiln.ExecutionMode executionMode;
    try {
      executionMode = io.kiln.ExecutionMode.parse(mode);
    } catch (io.kiln.KilnException e) {
      throw new ParameterException(command.commandLine(), "--mode must be compiled or interpreted, not " + mode);
    }
    Kiln.Builder builder = Kiln.builder().threads(threads).executionMode(executionMode).codegenDumpDir(dumpCodegen);
    if (memoryLimit != null) {
      builder.memoryLimit(memoryLimit);
    }
    return builder.build();
  }
}
