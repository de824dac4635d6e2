package io.kiln.datasource.objectstore;

import io.kiln.error.KilnException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.apache.parquet.io.InputFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Parquet files in S3 (or an S3-compatible server), read with ranged GETs through the AWS SDK's
 * synchronous client. Requests are retried by Kiln's {@link RetryPolicy}, not the SDK's, so the
 * policy is explicit and every retry is counted; a bounded pool fetches column chunks in parallel.
 */
public final class S3Store implements ObjectStore, AutoCloseable {
  private static final String PARQUET_SUFFIX = ".parquet";

  private final S3Config config;
  private final S3Client client;
  private final ExecutorService fetchPool;
  /** Runs the I/O of morsels ahead of the workers; it mostly waits on {@link #fetchPool}. */
  private final ThreadPoolExecutor readAheadPool;
  private final FetchStats stats = new FetchStats();
  private final String endpointName;

  /** Builds the client; credentials and region are resolved lazily, at the first request. */
  public S3Store(S3Config config) {
    this.config = config;
    this.client = buildClient(config);
    this.endpointName = config.endpoint().map(Object::toString).orElseGet(S3Store::endpointFromEnvironment);
    AtomicInteger n = new AtomicInteger();
    this.fetchPool = Executors.newFixedThreadPool(config.fetchThreads(), r -> {
      Thread t = new Thread(r, "kiln-s3-fetch-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    AtomicInteger m = new AtomicInteger();
    // A read-ahead thread mostly waits for its morsel's requests on the fetch pool; with half as many,
    // reading ahead leaves fetch threads for the workers' own requests.
    int readAheadThreads = Math.max(1, config.fetchThreads() / 2);
    this.readAheadPool = new ThreadPoolExecutor(readAheadThreads, readAheadThreads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "kiln-s3-read-ahead-" + m.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    readAheadPool.allowCoreThreadTimeOut(true);
  }

  private static S3Client buildClient(S3Config config) {
    AwsCredentialsProvider credentials = config.accessKeyId().isPresent()
        ? StaticCredentialsProvider.create(
            AwsBasicCredentials.create(config.accessKeyId().get(), config.secretAccessKey().get()))
        : DefaultCredentialsProvider.builder().build();
    S3ClientBuilder b = S3Client.builder()
        .credentialsProvider(credentials)
        .region(Region.of(config.region().orElseGet(S3Store::regionFromChain)))
        .forcePathStyle(config.pathStyle())
        // Checksums only where S3 requires them: S3-compatible servers may not support the newer ones.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        // Kiln retries itself (see RetryPolicy), so failures are counted and the policy is one place.
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClientBuilder(ApacheHttpClient.builder()
            .maxConnections(Math.max(2 * config.fetchThreads(), 8))
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)));
    config.endpoint().ifPresent(b::endpointOverride);
    return b.build();
  }

  /** For messages only: the SDK itself reads these variables when no endpoint is configured. */
  private static String endpointFromEnvironment() {
    for (String name : new String[] {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
      String value = System.getenv(name);
      if (value != null && !value.isBlank()) {
        return value + " (" + name + ")";
      }
    }
    return "AWS's S3 endpoint for the region";
  }

  /**
   * AWS_REGION, the aws.region property or the profile; else us-east-1. The EC2 metadata service is
   * not asked: off EC2 that lookup only times out.
   */
  private static String regionFromChain() {
    try {
      return new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider())
          .getRegion().id();
    } catch (SdkException e) {
      return "us-east-1";
    }
  }

  public S3Config config() {
    return config;
  }

  public FetchStats stats() {
    return stats;
  }

  ExecutorService fetchPool() {
    return fetchPool;
  }

  @Override
  public List<StoredFile> listParquetFiles(String location) {
    S3Location loc = S3Location.parse(location);
    if (!loc.isPrefix()) {
      Optional<StoredFile> object = head(loc);
      if (object.isPresent()) {
        return List.of(object.get());
      }
      // Not an object: perhaps a "folder" named without its trailing slash.
      List<StoredFile> under = listPrefix(loc.child(loc.key() + "/"), loc);
      if (under.isEmpty()) {
        throw KilnException.io("S3 object " + loc + " does not exist, and there are no *.parquet objects under "
            + loc + "/; check the URI", new NoSuchFileException(loc.toString()));
      }
      return under;
    }
    List<StoredFile> under = listPrefix(loc, loc);
    if (under.isEmpty()) {
      throw KilnException.io("no *.parquet objects under " + loc + "; check the URI",
          new NoSuchFileException(loc.toString()));
    }
    return under;
  }

  @Override
  public InputFile open(StoredFile file) {
    return new S3InputFile(this, S3Location.parse(file.location()), file.length(), file.version());
  }

  /**
   * A request's worth ({@link S3Config#maxRequestBytes}): a column chunk that large is fetched in
   * parallel parts, while a morsel fetching less waits for few requests, each paying the latency.
   */
  @Override
  public long minMorselBytes() {
    return config.maxRequestBytes();
  }

  /**
   * Reads {@link S3Config#readAheadMorsels} ahead: a request takes milliseconds, long enough that a
   * worker waiting for its next morsel's bytes would idle. A worker that reaches a morsel whose
   * read-ahead is still queued fetches it itself, so a busy pool never delays a scan.
   */
  @Override
  public Optional<ReadAhead> readAhead() {
    return config.readAheadMorsels() == 0 ? Optional.empty()
        : Optional.of(new ReadAhead(readAheadPool, config.readAheadMorsels()));
  }

  /** The object's length and ETag, or empty if there is no such object (HEAD answers 404). */
  private Optional<StoredFile> head(S3Location loc) {
    return withRetries("read", loc, () -> {
      stats.recordMetadataRequest();
      try {
        HeadObjectResponse r = client.headObject(HeadObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).build());
        return Optional.of(new StoredFile(loc.toString(), r.contentLength(), r.eTag()));
      } catch (S3Exception e) {
        if (e.statusCode() == 404) {
          return Optional.<StoredFile>empty();
        }
        throw e;
      }
    });
  }

  /**
   * The {@code *.parquet} objects directly under a prefix (not in deeper "folders"), sorted by key.
   * Errors name {@code asked}, the location the user gave.
   */
  private List<StoredFile> listPrefix(S3Location prefix, S3Location asked) {
    List<StoredFile> found = new ArrayList<>();
    String token = null;
    do {
      ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
          .bucket(prefix.bucket()).prefix(prefix.key()).delimiter("/");
      if (token != null) {
        request.continuationToken(token);
      }
      ListObjectsV2Request r = request.build();
      ListObjectsV2Response page = withRetries("list", asked, () -> {
        stats.recordMetadataRequest();
        return client.listObjectsV2(r);
      });
      for (S3Object o : page.contents()) {
        String name = o.key().substring(prefix.key().length());
        if (name.endsWith(PARQUET_SUFFIX) && name.length() > PARQUET_SUFFIX.length()) {
          found.add(new StoredFile(prefix.child(o.key()).toString(), o.size(), o.eTag()));
        }
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    found.sort(Comparator.comparing(StoredFile::location));
    return List.copyOf(found);
  }

  /**
   * Reads bytes {@code [start, start + length)} of an object into {@code dst[offset..]}. With an
   * ETag, only from that version of the object (a replaced object fails: HTTP 412).
   */
  void readRange(S3Location loc, String etag, long start, byte[] dst, int offset, int length) {
    if (length == 0) {
      return;
    }
    get(loc, etag, "bytes=" + start + "-" + (start + length - 1), dst, offset, length);
  }

  /** Reads the last {@code length} bytes of an object (one suffix request: no HEAD needed). */
  void readSuffix(S3Location loc, String etag, byte[] dst, int length) {
    get(loc, etag, "bytes=-" + length, dst, 0, length);
  }

  CompletableFuture<Void> readRangeAsync(S3Location loc, String etag, long start, byte[] dst, int offset, int length) {
    return CompletableFuture.runAsync(() -> readRange(loc, etag, start, dst, offset, length), fetchPool);
  }

  private void get(S3Location loc, String etag, String range, byte[] dst, int offset, int length) {
    GetObjectRequest request = GetObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).range(range)
        .ifMatch(etag).build();
    withRetries("read", loc, () -> {
      try (ResponseInputStream<GetObjectResponse> in = client.getObject(request)) {
        Long announced = in.response().contentLength();
        if (announced != null && announced != length) {
          in.abort();
          // The server ignored the range or the object changed since it was listed: retrying won't help.
          throw KilnException.io("cannot read " + loc + ": asked for " + range + " (" + length + " bytes) but S3 sent "
              + announced + " bytes (content range " + in.response().contentRange()
              + "); was the object replaced while the table was registered? Register it again", null);
        }
        int read = in.readNBytes(dst, offset, length);
        if (read != length) {
          in.abort();
          throw new IOException("the response for " + range + " ended after " + read + " of " + length + " bytes");
        }
        stats.recordGet(length);
        return null;
      }
    });
  }

  private interface Call<T> {
    T run() throws IOException;
  }

  private <T> T withRetries(String action, S3Location loc, Call<T> call) {
    RandomGenerator random = RandomGenerator.getDefault();
    RetryPolicy policy = config.retryPolicy();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (KilnException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        // An interrupted thread (a cancelled query) stops at once; a socket timeout, also an
        // InterruptedIOException, is network trouble like any other and is retried.
        boolean cancelled = Thread.currentThread().isInterrupted()
            || (e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException));
        if (cancelled || !S3Failures.isRetryable(e) || !policy.mayRetryAfter(attempt)) {
          throw S3Failures.describe(e, action, loc, attempt, endpointName);
        }
        stats.recordRetry();
        try {
          Thread.sleep(policy.delayMillis(attempt, random));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          KilnException k = KilnException.io("interrupted while waiting to retry a request for " + loc, interrupted);
          k.addSuppressed(e);
          throw k;
        }
      }
    }
  }

  @Override
  public void close() {
    readAheadPool.shutdownNow();
    fetchPool.shutdownNow();
    client.close();
  }

  @Override
  public String toString() {
    return "S3Store[" + config + "]";
  }
}
