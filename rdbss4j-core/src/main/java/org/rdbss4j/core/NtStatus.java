package org.rdbss4j.core;

import java.util.HashMap;
import java.util.Map;

/**
 * NTSTATUS: the 32-bit status codes of the Windows I/O model, with their real values.
 *
 * <p>Expected outcomes (such as {@link #FILES_OPEN} from {@code RxFinalizeConnection}) are returned
 * as values; faults travel as {@link RxException}, which carries one of these. Codes a server sends
 * that are not listed here are kept as raw integers by {@link RxException#code()}.
 */
public enum NtStatus {
  SUCCESS(0x00000000),
  PENDING(0x00000103),
  NOTIFY_CLEANUP(0x0000010B),
  NOTIFY_ENUM_DIR(0x0000010C),
  BUFFER_OVERFLOW(0x80000005),
  NO_MORE_FILES(0x80000006),
  REDIRECTOR_HAS_OPEN_HANDLES(0x80000023),
  UNSUCCESSFUL(0xC0000001),
  NOT_IMPLEMENTED(0xC0000002),
  INVALID_HANDLE(0xC0000008),
  INVALID_PARAMETER(0xC000000D),
  NO_SUCH_FILE(0xC000000F),
  INVALID_DEVICE_REQUEST(0xC0000010),
  END_OF_FILE(0xC0000011),
  ACCESS_DENIED(0xC0000022),
  OBJECT_NAME_INVALID(0xC0000033),
  OBJECT_NAME_NOT_FOUND(0xC0000034),
  OBJECT_NAME_COLLISION(0xC0000035),
  OBJECT_PATH_NOT_FOUND(0xC000003A),
  OBJECT_PATH_SYNTAX_BAD(0xC000003B),
  SHARING_VIOLATION(0xC0000043),
  FILE_LOCK_CONFLICT(0xC0000054),
  LOCK_NOT_GRANTED(0xC0000055),
  DELETE_PENDING(0xC0000056),
  LOGON_FAILURE(0xC000006D),
  RANGE_NOT_LOCKED(0xC000007E),
  DISK_FULL(0xC000007F),
  INSUFFICIENT_RESOURCES(0xC000009A),
  FILE_IS_A_DIRECTORY(0xC00000BA),
  NOT_SUPPORTED(0xC00000BB),
  IO_TIMEOUT(0xC00000B5),
  BAD_NETWORK_PATH(0xC00000BE),
  UNEXPECTED_NETWORK_ERROR(0xC00000C4),
  NETWORK_NAME_DELETED(0xC00000C9),
  NETWORK_ACCESS_DENIED(0xC00000CA),
  BAD_NETWORK_NAME(0xC00000CC),
  NOT_SAME_DEVICE(0xC00000D4),
  INTERNAL_ERROR(0xC00000E5),
  DIRECTORY_NOT_EMPTY(0xC0000101),
  NOT_A_DIRECTORY(0xC0000103),
  NAME_TOO_LONG(0xC0000106),
  FILES_OPEN(0xC0000107),
  CONNECTION_IN_USE(0xC0000108),
  CANCELLED(0xC0000120),
  CANNOT_DELETE(0xC0000121),
  FILE_CLOSED(0xC0000128),
  CONNECTION_DISCONNECTED(0xC000020C),
  CONNECTION_REFUSED(0xC0000236),
  NOT_FOUND(0xC0000225);

  private static final Map<Integer, NtStatus> BY_CODE = new HashMap<>();

  static {
    for (NtStatus s : values()) {
      BY_CODE.put(s.code, s);
    }
  }

  private final int code;

  NtStatus(int code) {
    this.code = code;
  }

  /** The 32-bit NTSTATUS value. */
  public int code() {
    return code;
  }

  /** The 32-bit value as Windows prints it, e.g. {@code 0xC0000107}. */
  public String hex() {
    return String.format("0x%08X", code);
  }

  /** Severity "error" (the two top bits set). */
  public boolean isError() {
    return (code >>> 30) == 3;
  }

  /** NT_SUCCESS: severity success or informational. */
  public boolean isSuccess() {
    return code >= 0;
  }

  /** The constant with this code, or {@code null} when the code is not one of ours. */
  public static NtStatus fromCode(int code) {
    return BY_CODE.get(code);
  }

  @Override
  public String toString() {
    return "STATUS_" + name() + " (" + hex() + ")";
  }
}
