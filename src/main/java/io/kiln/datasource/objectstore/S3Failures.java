package io.kiln.datasource.objectstore;

import io.kiln.error.KilnException;
import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Which S3 failures are worth another try, and what to tell the user about the others. */
final class S3Failures {
  private S3Failures() {}

  /**
   * Network trouble (the cause chain holds an IOException: refused or dropped connections,
   * timeouts, a body cut short), throttling and server errors may pass; a missing object, denied
   * access or missing credentials will not.
   */
  static boolean isRetryable(Throwable e) {
    if (e instanceof SdkServiceException s) {
      return s.statusCode() >= 500 || s.statusCode() == 429 || s.isThrottlingException();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  /** A KilnException (kind IO) naming the object, what went wrong and what to do. */
  static KilnException describe(Throwable e, String action, S3Location where, int attempts, String endpoint) {
    if (e instanceof KilnException k) {
      return k;
    }
    String tries = attempts > 1 ? " (after " + attempts + " attempts)" : "";
    if (e instanceof S3Exception s) {
      String code = s.awsErrorDetails() != null && s.awsErrorDetails().errorCode() != null
          ? s.awsErrorDetails().errorCode() : "HTTP " + s.statusCode();
      switch (s.statusCode()) {
        case 404:
          if ("NoSuchBucket".equals(code)) {
            return KilnException.io("cannot " + action + " " + where + ": bucket " + where.bucket()
                + " does not exist at " + endpoint + " (NoSuchBucket); check the URI and the S3 endpoint", e);
          }
          return KilnException.io("cannot " + action + " " + where + ": no such object or bucket (" + code
              + "); check the URI", e);
        case 412:
          return KilnException.io("cannot " + action + " " + where + ": the object was replaced after the table was"
              + " registered (its ETag changed); register the table again", e);
        case 403:
          return KilnException.io("cannot " + action + " " + where + ": access denied (" + code + ": "
              + s.awsErrorDetails().errorMessage() + "); check the credentials (AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, or the session's S3Config) and the bucket's permissions", e);
        case 301:
        case 400:
          if ("PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)
              || "IllegalLocationConstraintException".equals(code) || s.statusCode() == 301) {
            return KilnException.io("cannot " + action + " " + where + ": the bucket is in another region (" + code
                + "); set the region (--s3-region, AWS_REGION or S3Config.region)", e);
          }
          break;
        default:
          break;
      }
      return KilnException.io("cannot " + action + " " + where + tries + ": S3 answered " + code + " (HTTP "
          + s.statusCode() + "): " + messageOf(s), e);
    }
    if (e instanceof SdkClientException && !isRetryable(e)) {
      // Typically "Unable to load credentials from any of the providers in the chain".
      return KilnException.io("cannot " + action + " " + where + ": " + firstSentence(e.getMessage())
          + " (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure ~/.aws, or pass credentials in S3Config)", e);
    }
    if (isRetryable(e)) {
      return KilnException.io("cannot " + action + " " + where + tries + ": cannot reach S3 at " + endpoint + ": "
          + e.getMessage() + "; check the endpoint (--s3-endpoint, AWS_ENDPOINT_URL) and the network", e);
    }
    return KilnException.io("cannot " + action + " " + where + tries + ": " + e, e);
  }

  /** The SDK's credential errors list every provider it tried; the first clause is what the user needs. */
  private static String firstSentence(String message) {
    if (message == null) {
      return "";
    }
    int chain = message.indexOf(" AwsCredentialsProviderChain(");
    return chain > 0 ? message.substring(0, chain) : message;
  }

  private static String messageOf(S3Exception s) {
    return s.awsErrorDetails() != null && s.awsErrorDetails().errorMessage() != null
        ? s.awsErrorDetails().errorMessage() : s.getMessage();
  }
}
