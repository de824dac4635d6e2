package io.kiln.cli;

import io.kiln.Kiln;
import io.kiln.error.KilnException;
import io.kiln.server.KilnFlightSqlServer;
import io.kiln.server.PasswordFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Serves SQL over Arrow Flight SQL (the Arrow Flight SQL JDBC driver, Python's kiln and pyarrow"
        + " clients) until stopped, running queries in this process or on a cluster (--cluster).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  kiln server --parquet-dir data/sf1",
      "      then jdbc:arrow-flight-sql://127.0.0.1:31337/?useEncryption=false",
      "  kiln server --hash-password alice >> users.txt          (reads the password from standard input)",
      "  (--tls-cert and --tls-key make it serve TLS; with --cluster, add --tls-ca for the cluster's mutual TLS)",
      "  kiln server --host 0.0.0.0 --auth users.txt --tls-cert server.pem --tls-key server.key --parquet-dir data/sf1",
      "  kiln server --cluster 10.0.0.5:50050 --auth users.txt --parquet-dir /shared/sf100"
    })
final class ServerCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private EngineOptions engine;

  @Option(names = "--host", paramLabel = "HOST",
      description = "Address to listen on (default: ${DEFAULT-VALUE}); any other than loopback needs --auth.")
  private String host = "127.0.0.1";

  @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0: any free port).")
  private int port = 31337;

  @Mixin private TableOptions tables = new TableOptions();

  @Option(names = "--auth", paramLabel = "FILE",
      description = "Users and password hashes, one user:pbkdf2-sha256:... line each (make them with --hash-password)."
          + " Clients then log in with user and password and get a bearer token.")
  private Path auth;

  @Option(names = "--token-lifetime", paramLabel = "MINUTES",
      description = "How long a login's bearer token lasts (default: ${DEFAULT-VALUE} minutes).")
  private long tokenMinutes = 60;

  @Option(names = "--hash-password", paramLabel = "USER",
      description = "Reads a password from standard input, prints USER's line for the --auth file and exits.")
  private String hashPasswordFor;

  @Override
  public Integer call() throws Exception {
    KilnCli cli = KilnCli.of(spec);
    if (hashPasswordFor != null) {
      String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (password == null || password.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--hash-password: no password on standard input");
      }
      cli.out().println(PasswordFile.entry(hashPasswordFor, password.toCharArray()));
      return ExitCodes.OK;
    }
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0 to 65535, not " + port);
    }
    // --tls-cert and --tls-key (shared with the cluster options: one identity per process) make it serve TLS.
    Path[] tls = engine.tlsCertificateAndKey();
    Path tlsCert = tls == null ? null : tls[0];
    Path tlsKey = tls == null ? null : tls[1];
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
    }
    for (Path file : new Path[] {auth, tlsCert, tlsKey}) {
      if (file != null && !Files.isRegularFile(file)) {
        throw KilnException.io(file + ": no such file", null);
      }
    }
    KilnFlightSqlServer.Options options = KilnFlightSqlServer.Options.loopback(port).withHost(host)
        .withTokenLifetime(Duration.ofMinutes(tokenMinutes));
    if (auth != null) {
      options = options.withAuth(auth);
    }
    if (tlsCert != null) {
      options = options.withTls(tlsCert, tlsKey);
    }
    try (AutoCloseable cluster = engine.startCluster(); Kiln kiln = engine.open()) {
      tables.registerAll(kiln);
      KilnFlightSqlServer server;
      try {
        server = KilnFlightSqlServer.start(kiln, options, new VersionProvider().getVersion()[0]);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      Thread stop = new Thread(() -> {
        kiln.shutdown(); // cancels running queries so the server's calls end
        try {
          server.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "kiln-server-stop");
      Runtime.getRuntime().addShutdownHook(stop);
      cli.out().println("Flight SQL server listening on " + server.url() + (auth == null ? " (no authentication)" : ""));
      server.awaitTermination();
    }
    return ExitCodes.OK;
  }
}
