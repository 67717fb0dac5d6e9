package org.rdbss4j.core;

/**
 * The one exception type of rdbss4j: a fault that carries an NTSTATUS.
 *
 * <p>Like the JDK's {@code UnixException}, it is cheap (no stack trace unless asked for) and is
 * turned into the ecosystem's own types at each edge: {@code java.nio.file} exceptions, CLI
 * messages and exit codes, FUSE errno. A status a server sent that has no {@link NtStatus} constant
 * is kept in {@link #code()} unchanged.
 */
public final class RxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  public RxException(NtStatus status, String message) {
    this(status.code(), message, null);
  }

  public RxException(NtStatus status, String message, Throwable cause) {
    this(status.code(), message, cause);
  }

  /** A status given by its raw 32-bit code, as a server sent it. */
  public RxException(int code, String message, Throwable cause) {
    super(message, cause, true, cause != null);
    this.code = code;
  }

  /** The status; {@link NtStatus#UNSUCCESSFUL} when the raw code has no constant here. */
  public NtStatus status() {
    NtStatus s = NtStatus.fromCode(code);
    return s == null ? NtStatus.UNSUCCESSFUL : s;
  }

  /** The raw 32-bit NTSTATUS, exactly as produced. */
  public int code() {
    return code;
  }

  @Override
  public String getMessage() {
    NtStatus s = NtStatus.fromCode(code);
    String name = s == null ? String.format("NTSTATUS 0x%08X", code) : s.toString();
    String m = super.getMessage();
    return m == null || m.isEmpty() ? name : name + ": " + m;
  }

  /** Unwraps completion wrappers to the RxException inside, or wraps any other cause. */
  public static RxException of(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof RxException rx) {
      return rx;
    }
    if (c instanceof java.util.concurrent.CancellationException) {
      return new RxException(NtStatus.CANCELLED, "request cancelled");
    }
    return new RxException(NtStatus.UNSUCCESSFUL, String.valueOf(c), c);
  }
}
