package io.kiln.cli;

import io.kiln.Kiln;
import io.kiln.datasource.objectstore.S3Config;
import java.net.URI;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Options that size the engine and say how to reach S3, shared by every command that runs queries. */
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
  private String mode = "compiled";

  @Option(
      names = "--dump-codegen",
      paramLabel = "DIR",
      description = "Write every generated pipeline source into DIR.")
  private java.nio.file.Path dumpCodegen;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      description = "S3 endpoint for s3:// tables, e.g. http://127.0.0.1:9000 for an S3-compatible server"
          + " (default: AWS_ENDPOINT_URL, else AWS). Credentials come from AWS_ACCESS_KEY_ID and"
          + " AWS_SECRET_ACCESS_KEY or ~/.aws.")
  private URI s3Endpoint;

  @Option(names = "--s3-region", paramLabel = "REGION", description = "S3 region (default: AWS_REGION or the AWS profile, else us-east-1).")
  private String s3Region;

  @Option(
      names = "--s3-path-style",
      description = "Address buckets as http://host/bucket/key instead of http://bucket.host/key"
          + " (most S3-compatible servers need this).")
  private boolean s3PathStyle;

  @Option(
      names = "--cluster",
      paramLabel = "HOST:PORT|local:N",
      description = "Run on the cluster whose scheduler is at HOST:PORT, or on a throwaway local cluster of N worker"
          + " processes started for this command (default: in this process).")
  private String cluster;

  @Option(
      names = "--broadcast-max-rows",
      paramLabel = "ROWS",
      description = "On a cluster, joins whose build side is estimated at most ROWS rows broadcast it instead of"
          + " shuffling both sides (default: ${DEFAULT-VALUE}).")
  private long broadcastMaxRows = 1_000_000;

  @Option(
      names = "--no-runtime-filters",
      description = "Scans read every row instead of skipping those that the key sets of joins above them rule out"
          + " (to measure what runtime filters save).")
  private boolean noRuntimeFilters;

  @Mixin private TracingFlags tracing = new TracingFlags();

  /** With --cluster HOST:PORT: the secret or certificates the cluster requires, if any. */
  @Mixin private ClusterSecurityOptions security = new ClusterSecurityOptions();

  /** The --tls-cert/--tls-key pair (null if not given), which kiln server also serves TLS with. */
  java.nio.file.Path[] tlsCertificateAndKey() {
    return security.tlsCertificate() == null && security.tlsKey() == null ? null
        : new java.nio.file.Path[] {security.tlsCertificate(), security.tlsKey()};
  }

  /** The address {@link #open} connects to, once a local cluster has started. */
  private String clusterAddress;

  /**
   * Starts the local cluster {@code --cluster local:N} asks for (closing it stops it and deletes
   * its files); a no-op otherwise. Call it before {@link #open}.
   */
  AutoCloseable startCluster() {
    if (cluster == null || !cluster.startsWith("local:")) {
      clusterAddress = cluster;
      return () -> {};
    }
    int workers;
    try {
      workers = Integer.parseInt(cluster.substring("local:".length()));
    } catch (NumberFormatException e) {
      throw new ParameterException(command.commandLine(), "--cluster local:N needs a number of workers, not " + cluster);
    }
    if (workers < 1) {
      throw new ParameterException(command.commandLine(), "--cluster local:N needs at least 1 worker, not " + cluster);
    }
    io.kiln.distributed.LocalCluster local = io.kiln.distributed.LocalCluster.start(
        io.kiln.distributed.scheduler.SchedulerOptions.defaults().withAddress("127.0.0.1", 0)
            .withTracing(tracing.options()), workers, 1, "2g");
    clusterAddress = local.address();
    return local;
  }

  @Option(names = "--dashboard", paramLabel = "PORT",
      description = "Serve a live dashboard of the queries at http://127.0.0.1:PORT/ while they run (0: any free port).")
  private Integer dashboardPort;

  @Option(names = "--trace-url", paramLabel = "TEMPLATE",
      description = "With --dashboard: link each query to its trace, a URL with {traceId} in it.")
  private String traceUrl = "";

  Kiln open() {
    if (threads < 1) {
      throw new ParameterException(command.commandLine(), "--threads must be at least 1, not " + threads);
    }
    io.kiln.ExecutionMode executionMode;
    try {
      executionMode = io.kiln.ExecutionMode.parse(mode);
    } catch (io.kiln.error.KilnException e) {
      throw new ParameterException(command.commandLine(), "--mode must be compiled or interpreted, not " + mode);
    }
    Kiln.Builder builder = Kiln.builder().threads(threads).executionMode(executionMode).codegenDumpDir(dumpCodegen)
        .tracing(tracing.options());
    if (broadcastMaxRows < 0) {
      throw new ParameterException(command.commandLine(), "--broadcast-max-rows must be 0 or more");
    }
    builder.broadcastMaxRows(broadcastMaxRows);
    builder.runtimeFilters(!noRuntimeFilters);
    if (clusterAddress == null && cluster != null && cluster.startsWith("local:")) {
      throw new IllegalStateException("startCluster() must run before open()");
    }
    if (clusterAddress != null) {
      builder.cluster(clusterAddress);
      security.applyTo(command, builder);
    }
    if (memoryLimit != null) {
      builder.memoryLimit(memoryLimit);
    }
    S3Config.Builder s3 = S3Config.builder().region(s3Region).pathStyle(s3PathStyle);
    try {
      s3.endpoint(s3Endpoint);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), "--s3-endpoint: " + e.getMessage());
    }
    if (dashboardPort != null) {
      builder.dashboardPort(dashboardPort).traceUrl(traceUrl);
    }
    Kiln kiln = builder.s3(s3.build()).build();
    if (kiln.dashboardUrl() != null) {
      KilnCli.of(command).err().println("dashboard at " + kiln.dashboardUrl());
    }
    return kiln;
  }
}
