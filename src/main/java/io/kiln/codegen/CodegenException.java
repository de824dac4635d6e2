package io.kiln.codegen;

/** A pipeline the generator cannot turn into code; it then runs interpreted (or fails in strict mode). */
public final class CodegenException extends RuntimeException {
  public CodegenException(String message) {
    super(message);
  }

  public CodegenException(String message, Throwable cause) {
    super(message, cause);
  }
}
