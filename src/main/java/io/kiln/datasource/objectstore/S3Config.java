package io.kiln.datasource.objectstore;

import java.net.URI;
import java.util.Optional;

/**
 * How Kiln reaches S3. Anything left unset comes from the usual AWS configuration chain:
 * credentials from {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, the {@code aws.*}
 * system properties or {@code ~/.aws}; the region from {@code AWS_REGION} or the profile (else
 * us-east-1); the endpoint from {@code AWS_ENDPOINT_URL(_S3)} (else AWS itself). The rest tunes
 * how column chunks are fetched and how failed requests are retried.
 */
public final class S3Config {
  private final URI endpoint;
  private final String region;
  private final boolean pathStyle;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final RetryPolicy retryPolicy;
  private final int fetchThreads;
  private final int coalesceGapBytes;
  private final int maxRequestBytes;
  private final int footerFetchBytes;
  private final int readAheadBytes;
  private final int readAheadMorsels;

  private S3Config(Builder b) {
    this.endpoint = b.endpoint;
    this.region = b.region;
    this.pathStyle = b.pathStyle;
    this.accessKeyId = b.accessKeyId;
    this.secretAccessKey = b.secretAccessKey;
    this.retryPolicy = b.retryPolicy;
    this.fetchThreads = b.fetchThreads;
    this.coalesceGapBytes = b.coalesceGapBytes;
    this.maxRequestBytes = b.maxRequestBytes;
    this.footerFetchBytes = b.footerFetchBytes;
    this.readAheadBytes = b.readAheadBytes;
    this.readAheadMorsels = b.readAheadMorsels;
  }

  public static S3Config defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.endpoint = endpoint;
    b.region = region;
    b.pathStyle = pathStyle;
    b.accessKeyId = accessKeyId;
    b.secretAccessKey = secretAccessKey;
    b.retryPolicy = retryPolicy;
    b.fetchThreads = fetchThreads;
    b.coalesceGapBytes = coalesceGapBytes;
    b.maxRequestBytes = maxRequestBytes;
    b.footerFetchBytes = footerFetchBytes;
    b.readAheadBytes = readAheadBytes;
    b.readAheadMorsels = readAheadMorsels;
    return b;
  }

  public Optional<URI> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  public Optional<String> region() {
    return Optional.ofNullable(region);
  }

  /** Bucket in the path ({@code http://host/bucket/key}) instead of the host name; most S3-compatible servers need it. */
  public boolean pathStyle() {
    return pathStyle;
  }

  public Optional<String> accessKeyId() {
    return Optional.ofNullable(accessKeyId);
  }

  public Optional<String> secretAccessKey() {
    return Optional.ofNullable(secretAccessKey);
  }

  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** Range requests in flight at once, over all queries of the session. */
  public int fetchThreads() {
    return fetchThreads;
  }

  /** Column chunks closer than this are fetched in one request, gap included (one request costs more than a few KiB). */
  public int coalesceGapBytes() {
    return coalesceGapBytes;
  }

  /** Largest single range request; larger reads are split into parts fetched in parallel. */
  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  /** Bytes fetched from the end of a file with one suffix request to read its footer. */
  public int footerFetchBytes() {
    return footerFetchBytes;
  }

  /** Small reads outside the vectored path fetch at least this much, so they do not become many tiny requests. */
  public int readAheadBytes() {
    return readAheadBytes;
  }

  /**
   * Morsels of a scan whose column chunks are fetched while workers decode earlier ones, held in
   * memory until a worker takes them; 0 fetches each morsel only when a worker starts it.
   */
  public int readAheadMorsels() {
    return readAheadMorsels;
  }

  @Override
  public String toString() {
    return "S3Config[endpoint=" + (endpoint == null ? "(AWS chain)" : endpoint) + ", region="
        + (region == null ? "(AWS chain)" : region) + ", pathStyle=" + pathStyle + ", credentials="
        + (accessKeyId == null ? "(AWS chain)" : "static") + ", " + retryPolicy + "]";
  }

  public static final class Builder {
    private URI endpoint;
    private String region;
    private boolean pathStyle;
    private String accessKeyId;
    private String secretAccessKey;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private int fetchThreads = 8;
    private int coalesceGapBytes = 128 * 1024;
    private int maxRequestBytes = 8 << 20;
    private int footerFetchBytes = 64 * 1024;
    private int readAheadBytes = 256 * 1024;
    private int readAheadMorsels = 2;

    private Builder() {}

    /** e.g. {@code http://127.0.0.1:9000} for an S3-compatible server. */
    public Builder endpoint(URI endpoint) {
      if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
        throw new IllegalArgumentException("S3 endpoint must be a URL such as http://host:port, got " + endpoint);
      }
      this.endpoint = endpoint;
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    /** Static credentials instead of the AWS chain (both or neither). */
    public Builder credentials(String accessKeyId, String secretAccessKey) {
      if ((accessKeyId == null) != (secretAccessKey == null)) {
        throw new IllegalArgumentException("S3 credentials need both an access key id and a secret key");
      }
      this.accessKeyId = accessKeyId;
      this.secretAccessKey = secretAccessKey;
      return this;
    }

    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = java.util.Objects.requireNonNull(policy);
      return this;
    }

    public Builder fetchThreads(int n) {
      this.fetchThreads = positive("fetchThreads", n);
      return this;
    }

    public Builder coalesceGapBytes(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("coalesceGapBytes must not be negative, got " + n);
      }
      this.coalesceGapBytes = n;
      return this;
    }

    public Builder maxRequestBytes(int n) {
      this.maxRequestBytes = positive("maxRequestBytes", n);
      return this;
    }

    public Builder footerFetchBytes(int n) {
      if (n < 8) {
        throw new IllegalArgumentException("footerFetchBytes must be at least 8 (the Parquet tail), got " + n);
      }
      this.footerFetchBytes = n;
      return this;
    }

    public Builder readAheadBytes(int n) {
      this.readAheadBytes = positive("readAheadBytes", n);
      return this;
    }

    public Builder readAheadMorsels(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("readAheadMorsels must not be negative, got " + n);
      }
      this.readAheadMorsels = n;
      return this;
    }

    private static int positive(String what, int n) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be positive, got " + n);
      }
      return n;
    }

    public S3Config build() {
      return new S3Config(this);
    }
  }
}
