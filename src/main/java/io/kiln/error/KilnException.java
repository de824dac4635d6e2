package io.kiln.error;

/**
 * The one exception type Kiln throws for anything a user can cause or fix. The kind says which
 * phase failed; the message says what, where, and what to do.
 */
public class KilnException extends RuntimeException {
  public enum Kind { SYNTAX, BINDING, UNSUPPORTED, EXECUTION, RESOURCE, IO, CANCELLED,
    /** A cluster's processes could not do their part: unreachable, refused, lost, of another version. */
    CLUSTER }

  private final Kind kind;

  public KilnException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public KilnException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  public static KilnException syntax(String message) {
    return new KilnException(Kind.SYNTAX, message);
  }

  public static KilnException binding(String message) {
    return new KilnException(Kind.BINDING, message);
  }

  public static KilnException unsupported(String message) {
    return new KilnException(Kind.UNSUPPORTED, message);
  }

  public static KilnException execution(String message) {
    return new KilnException(Kind.EXECUTION, message);
  }

  public static KilnException cancelled(String message) {
    return new KilnException(Kind.CANCELLED, message);
  }

  public static KilnException io(String message, Throwable cause) {
    return new KilnException(Kind.IO, message, cause);
  }

  public static KilnException cluster(String message) {
    return new KilnException(Kind.CLUSTER, message);
  }

  public static KilnException cluster(String message, Throwable cause) {
    return new KilnException(Kind.CLUSTER, message, cause);
  }

  @Override
  public String getMessage() {
    return kind.name().toLowerCase() + " error: " + super.getMessage();
  }

  /** The message without the kind prefix. */
  public String detail() {
    return super.getMessage();
  }
}
