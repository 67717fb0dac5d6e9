package org.rdbss4j.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * Turns the JDK's file exceptions into {@link RxException}s carrying the NTSTATUS a Windows server
 * would return, and runs synchronous operations into completed futures so that no raw {@link
 * IOException} ever leaks out of a future.
 */
final class ErrorMapping {
  private ErrorMapping() {}

  /** An operation on the local file system. */
  @FunctionalInterface
  interface IoCall<T> {
    T call() throws IOException;
  }

  /** Runs {@code call} now and returns its result, or its fault mapped, as a completed future. */
  static <T> CompletableFuture<T> complete(IoCall<T> call) {
    try {
      return CompletableFuture.completedFuture(call.call());
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(toRx(e));
    }
  }

  /** Runs {@code call}, rethrowing its fault as an RxException. */
  static <T> T run(IoCall<T> call) {
    try {
      return call.call();
    } catch (IOException | RuntimeException e) {
      throw toRx(e);
    }
  }

  /** Any throwable as the RxException a mini-redirector reports. */
  static RxException toRx(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException
            || c instanceof UncheckedIOException
            || c instanceof DirectoryIteratorException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return switch (c) {
      case RxException rx -> rx;
      case IOException io -> map(io);
      case InvalidPathException ip ->
          new RxException(NtStatus.OBJECT_NAME_INVALID, ip.getMessage(), ip);
      case NonReadableChannelException nr ->
          new RxException(NtStatus.ACCESS_DENIED, "handle not opened for reading", nr);
      case NonWritableChannelException nw ->
          new RxException(NtStatus.ACCESS_DENIED, "handle not opened for writing", nw);
      case SecurityException se -> new RxException(NtStatus.ACCESS_DENIED, se.getMessage(), se);
      default -> new RxException(NtStatus.UNSUCCESSFUL, String.valueOf(c), c);
    };
  }

  /** The NTSTATUS of an I/O fault. */
  static RxException map(IOException e) {
    String msg = e.getMessage();
    return switch (e) {
      case NoSuchFileException n -> new RxException(notFoundStatus(n.getFile()), msg, e);
      case FileAlreadyExistsException f -> new RxException(NtStatus.OBJECT_NAME_COLLISION, msg, e);
      case AccessDeniedException a -> new RxException(NtStatus.ACCESS_DENIED, msg, e);
      case DirectoryNotEmptyException d -> new RxException(NtStatus.DIRECTORY_NOT_EMPTY, msg, e);
      case NotDirectoryException d -> new RxException(NtStatus.NOT_A_DIRECTORY, msg, e);
      case ClosedChannelException c -> new RxException(NtStatus.FILE_CLOSED, "handle closed", e);
      case FileSystemException fs -> new RxException(byReason(fs.getReason()), msg, e);
      default -> new RxException(NtStatus.UNSUCCESSFUL, msg, e);
    };
  }

  /** OBJECT_PATH_NOT_FOUND when the parent is missing too, else OBJECT_NAME_NOT_FOUND. */
  private static NtStatus notFoundStatus(String file) {
    if (file != null) {
      try {
        Path parent = Path.of(file).getParent();
        if (parent != null && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
          return NtStatus.OBJECT_PATH_NOT_FOUND;
        }
      } catch (InvalidPathException ignored) {
        return NtStatus.OBJECT_NAME_NOT_FOUND;
      }
    }
    return NtStatus.OBJECT_NAME_NOT_FOUND;
  }

  /** The errno text of a FileSystemException (strerror) as an NTSTATUS. */
  private static NtStatus byReason(String reason) {
    if (reason == null) {
      return NtStatus.UNSUCCESSFUL;
    }
    if (reason.contains("No space left")) {
      return NtStatus.DISK_FULL;
    }
    if (reason.contains("Directory not empty")) {
      return NtStatus.DIRECTORY_NOT_EMPTY;
    }
    if (reason.contains("Is a directory")) {
      return NtStatus.FILE_IS_A_DIRECTORY;
    }
    if (reason.contains("Not a directory")) {
      return NtStatus.NOT_A_DIRECTORY;
    }
    if (reason.contains("File name too long")) {
      return NtStatus.NAME_TOO_LONG;
    }
    if (reason.contains("Permission denied")
        || reason.contains("Operation not permitted")
        || reason.contains("Read-only file system")
        || reason.contains("symbolic link")) {
      return NtStatus.ACCESS_DENIED;
    }
    return NtStatus.UNSUCCESSFUL;
  }
}
