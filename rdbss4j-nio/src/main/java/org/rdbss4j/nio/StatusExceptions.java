package org.rdbss4j.nio;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * The one place where an NTSTATUS becomes a {@code java.nio.file} exception, as the JDK's {@code
 * UnixException.translateToIOException} does for errno. Every exception made here has the {@link
 * RxException} as its cause, so a caller can still read the exact status, and its reason starts
 * with the status name ({@code STATUS_SHARING_VIOLATION (0xC0000043): ...}).
 *
 * <table>
 *   <caption>NTSTATUS to exception</caption>
 *   <tr><th>status</th><th>exception</th></tr>
 *   <tr><td>OBJECT_NAME_NOT_FOUND, OBJECT_PATH_NOT_FOUND, NO_SUCH_FILE, NOT_FOUND,
 *       DELETE_PENDING</td><td>{@link NoSuchFileException}</td></tr>
 *   <tr><td>ACCESS_DENIED, NETWORK_ACCESS_DENIED, CANNOT_DELETE</td>
 *       <td>{@link AccessDeniedException}</td></tr>
 *   <tr><td>OBJECT_NAME_COLLISION</td><td>{@link FileAlreadyExistsException}</td></tr>
 *   <tr><td>DIRECTORY_NOT_EMPTY</td><td>{@link DirectoryNotEmptyException}</td></tr>
 *   <tr><td>NOT_A_DIRECTORY</td><td>{@link NotDirectoryException}</td></tr>
 *   <tr><td>any other</td><td>{@link FileSystemException}</td></tr>
 * </table>
 */
final class StatusExceptions {
  private StatusExceptions() {}

  /** The exception for a failed request on {@code file} (and {@code other}, for two-path calls). */
  static IOException translate(RxException e, String file, String other) {
    String reason = e.getMessage();
    FileSystemException x =
        switch (e.status()) {
          case OBJECT_NAME_NOT_FOUND,
              OBJECT_PATH_NOT_FOUND,
              NO_SUCH_FILE,
              NOT_FOUND,
              DELETE_PENDING ->
              new NoSuchFileException(file, other, reason);
          case ACCESS_DENIED, NETWORK_ACCESS_DENIED, CANNOT_DELETE ->
              new AccessDeniedException(file, other, reason);
          case OBJECT_NAME_COLLISION -> new FileAlreadyExistsException(file, other, reason);
          case DIRECTORY_NOT_EMPTY -> directoryNotEmpty(file, reason);
          case NOT_A_DIRECTORY -> notDirectory(file, reason);
          default -> new FileSystemException(file, other, reason);
        };
    x.initCause(e);
    return x;
  }

  /** The exception for a failed request on one path. */
  static IOException translate(RxException e, Object file) {
    return translate(e, file == null ? null : file.toString(), null);
  }

  /** The NTSTATUS a translated exception carries, or {@code null}. */
  static NtStatus statusOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RxException rx) {
        return rx.status();
      }
    }
    return null;
  }

  private static FileSystemException directoryNotEmpty(String file, String reason) {
    return new DirectoryNotEmptyException(file) {
      private static final long serialVersionUID = 1L;

      @Override
      public String getReason() {
        return reason;
      }
    };
  }

  private static FileSystemException notDirectory(String file, String reason) {
    return new NotDirectoryException(file) {
      private static final long serialVersionUID = 1L;

      @Override
      public String getReason() {
        return reason;
      }
    };
  }
}
