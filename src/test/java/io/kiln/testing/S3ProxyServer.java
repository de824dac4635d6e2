package io.kiln.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy's fat jar (copied into target/s3proxy by the
 * build) run as a child process on 127.0.0.1, in-memory backend, AWS v2/v4 signatures required.
 * Started and stopped by the test class that uses it; killed on JVM exit if a test forgets.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String IDENTITY = "kiln-test";
  public static final String CREDENTIAL = "kiln-test-secret";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final Path dir;
  private final int port;
  private final Thread killOnExit;

  private S3ProxyServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.killOnExit = new Thread(process::destroyForcibly, "s3proxy-killer");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  public static S3ProxyServer start() throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("kiln.s3proxy.jar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("S3Proxy jar not found at " + jar.toAbsolutePath()
          + "; run the tests through Maven (mvn test), which copies it there");
    }
    Path dir = Files.createTempDirectory("kiln-s3proxy");
    int port = freePort();
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + IDENTITY,
        "s3proxy.credential=" + CREDENTIAL,
        "jclouds.provider=transient",
        "jclouds.identity=" + IDENTITY,
        "jclouds.credential=" + CREDENTIAL,
        ""));
    Path log = dir.resolve("s3proxy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString(),
        "--properties", properties.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    S3ProxyServer server = new S3ProxyServer(p, dir, port);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!server.accepts()) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        server.close();
        throw new IllegalStateException("S3Proxy did not start on port " + port + (p.isAlive() ? " within "
            + START_TIMEOUT.toSeconds() + " s" : " (exit code " + p.exitValue() + ")") + "; its output:\n"
            + tail(log));
      }
      Thread.sleep(100);
    }
    return server;
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  public int port() {
    return port;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** A client with the server's credentials, for creating buckets and uploading test data. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  /** Creates the bucket and uploads each file as {@code prefix + file name}. */
  public static void upload(S3Client client, String bucket, String prefix, List<Path> files) {
    if (client.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
      client.createBucket(b -> b.bucket(bucket));
    }
    for (Path f : files) {
      client.putObject(b -> b.bucket(bucket).key(prefix + f.getFileName()), RequestBody.fromFile(f));
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting; the hook will run anyway.
    }
    deleteTempDir(dir);
  }

  private static void deleteTempDir(Path dir) {
    List<Path> paths = new ArrayList<>();
    try (var s = Files.walk(dir)) {
      s.forEach(paths::add);
    } catch (IOException e) {
      System.err.println("S3ProxyServer: cannot list " + dir + " to delete it: " + e);
      return;
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(paths.get(i));
      } catch (IOException e) {
        // A temp file left behind is harmless (the server has ended), but say so.
        System.err.println("S3ProxyServer: cannot delete " + paths.get(i) + ": " + e);
      }
    }
  }
}
