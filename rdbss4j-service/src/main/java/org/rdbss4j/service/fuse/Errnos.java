package org.rdbss4j.service.fuse;

import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * NTSTATUS to Linux errno for FUSE replies (the FUSE edge of "errors become the ecosystem's own
 * types"). The orphaned-handle status, STATUS_UNEXPECTED_NETWORK_ERROR, is EIO.
 */
final class Errnos {
  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EIO = 5;
  static final int EBADF = 9;
  static final int EAGAIN = 11;
  static final int EACCES = 13;
  static final int EBUSY = 16;
  static final int EEXIST = 17;
  static final int ENOTDIR = 20;
  static final int EISDIR = 21;
  static final int EINVAL = 22;
  static final int ENOSPC = 28;
  static final int ENAMETOOLONG = 36;
  static final int ENOLCK = 37;
  static final int ENOTEMPTY = 39;
  static final int ENOTSUP = 95;
  static final int ETIMEDOUT = 110;

  private Errnos() {}

  /** The negated errno FUSE expects for a failed request. */
  static int of(RuntimeException e) {
    NtStatus s = e instanceof RxException rx ? rx.status() : NtStatus.UNSUCCESSFUL;
    return -of(s);
  }

  /** The errno for a status. */
  static int of(NtStatus s) {
    return switch (s) {
      case OBJECT_NAME_NOT_FOUND, NO_SUCH_FILE, OBJECT_PATH_NOT_FOUND, NOT_FOUND -> ENOENT;
      case OBJECT_NAME_COLLISION -> EEXIST;
      case ACCESS_DENIED, NETWORK_ACCESS_DENIED, SHARING_VIOLATION, LOGON_FAILURE -> EACCES;
      case CANNOT_DELETE -> EPERM;
      case DELETE_PENDING -> EBUSY;
      case FILE_IS_A_DIRECTORY -> EISDIR;
      case NOT_A_DIRECTORY -> ENOTDIR;
      case DIRECTORY_NOT_EMPTY -> ENOTEMPTY;
      case NAME_TOO_LONG -> ENAMETOOLONG;
      case OBJECT_NAME_INVALID, OBJECT_PATH_SYNTAX_BAD, INVALID_PARAMETER -> EINVAL;
      case LOCK_NOT_GRANTED, FILE_LOCK_CONFLICT -> EAGAIN;
      case RANGE_NOT_LOCKED -> ENOLCK;
      case DISK_FULL -> ENOSPC;
      case NOT_SUPPORTED, NOT_IMPLEMENTED, INVALID_DEVICE_REQUEST -> ENOTSUP;
      case CANCELLED -> EINTR;
      case IO_TIMEOUT -> ETIMEDOUT;
      case INVALID_HANDLE, FILE_CLOSED -> EBADF;
      default -> EIO;
    };
  }
}
