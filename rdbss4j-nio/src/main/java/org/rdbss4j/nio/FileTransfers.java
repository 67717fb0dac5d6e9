package org.rdbss4j.nio;

import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_CREATE;
import static org.rdbss4j.core.FileAccess.FILE_NON_DIRECTORY_FILE;
import static org.rdbss4j.core.FileAccess.FILE_OPEN;
import static org.rdbss4j.core.FileAccess.FILE_READ_ATTRIBUTES;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_ALL;
import static org.rdbss4j.core.FileAccess.GENERIC_READ;
import static org.rdbss4j.core.FileAccess.GENERIC_WRITE;
import static org.rdbss4j.core.FileAccess.SYNCHRONIZE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SetInfo;

/**
 * {@code Files.copy} and {@code Files.move} between share paths. A move within one file system is a
 * rename on the server (FileRenameInformation), atomic there; across file systems (another share,
 * or another identity's view) it is a copy and a delete. A copy within one file system is a
 * server-side copy ({@link org.rdbss4j.core.Redirector#copyRange}: FSCTL_SRV_COPYCHUNK_WRITE over
 * SMB); a copy between file systems, or through a mini-redirector without server-side copy, streams
 * the data through the client.
 */
final class FileTransfers {
  private static final int BUFFER = 1 << 20;

  private record Options(boolean replace, boolean copyAttributes, boolean atomic) {
    static Options of(boolean move, CopyOption... options) {
      boolean replace = false;
      boolean attrs = false;
      boolean atomic = false;
      for (CopyOption o : options) {
        if (o == StandardCopyOption.REPLACE_EXISTING) {
          replace = true;
        } else if (o == StandardCopyOption.COPY_ATTRIBUTES) {
          attrs = true;
        } else if (o == StandardCopyOption.ATOMIC_MOVE && move) {
          atomic = true;
        } else if (o != LinkOption.NOFOLLOW_LINKS) {
          throw new UnsupportedOperationException("unsupported copy option: " + o);
        }
      }
      return new Options(replace, attrs, atomic);
    }
  }

  private FileTransfers() {}

  /** Copies a file (its data) or a directory (an empty one) to another share path. */
  static void copy(RdbssPath source, RdbssPath target, CopyOption... options) throws IOException {
    Options o = Options.of(false, options);
    FileInfo src = source.getFileSystem().session().stat(source);
    FileInfo existing = target.getFileSystem().session().statIfExists(target);
    if (existing != null) {
      if (ShareFileAttributes.of(source.getFileSystem(), src)
          .fileKey()
          .equals(ShareFileAttributes.of(target.getFileSystem(), existing).fileKey())) {
        return;
      }
      if (!o.replace()) {
        throw new FileAlreadyExistsException(target.toString());
      }
      FileOperations.delete(target);
    }
    if (src.directory()) {
      FileOperations.createDirectory(target);
    } else {
      copyData(source, target);
    }
    if (o.copyAttributes()) {
      AttributeViews.setAll(target, src);
    }
  }

  private static void copyData(RdbssPath source, RdbssPath target) throws IOException {
    CreateRequest in =
        new CreateRequest("", GENERIC_READ, FILE_SHARE_ALL, FILE_OPEN, FILE_NON_DIRECTORY_FILE, 0);
    CreateRequest out =
        new CreateRequest(
            "",
            GENERIC_WRITE | FILE_READ_ATTRIBUTES,
            FILE_SHARE_ALL,
            FILE_CREATE,
            FILE_NON_DIRECTORY_FILE,
            FileAccess.ATTRIBUTE_NORMAL);
    ShareSession s = source.getFileSystem().session();
    ShareSession t = target.getFileSystem().session();
    s.withOpen(
        source,
        in,
        from ->
            t.withOpen(
                target,
                out,
                to -> {
                  if (s != t || !copyOnServer(s, from, to)) {
                    pump(s, from, t, to);
                  }
                  return null;
                }));
  }

  /**
   * Copies the whole file on the server; false when the mini-redirector cannot and nothing was
   * copied, so the caller streams it ({@link org.rdbss4j.core.Redirector#copyOnServer}).
   */
  private static boolean copyOnServer(ShareSession s, FileObject from, FileObject to) {
    return s.redirector().copyOnServer(s.context(), from, to, Long.MAX_VALUE, n -> {}) >= 0;
  }

  private static void pump(ShareSession s, FileObject from, ShareSession t, FileObject to) {
    ByteBuffer buf = ByteBuffer.allocate(BUFFER);
    long off = 0;
    while (true) {
      buf.clear();
      int n = s.redirector().read(s.context(), from, off, buf);
      if (n <= 0) {
        return;
      }
      buf.flip();
      t.redirector().write(t.context(), to, off, buf);
      off += n;
    }
  }

  /** Moves a file or directory: a rename on the server, or a copy and a delete across shares. */
  static void move(RdbssPath source, RdbssPath target, CopyOption... options) throws IOException {
    Options o = Options.of(true, options);
    if (source.getFileSystem() != target.getFileSystem()) {
      moveAcross(source, target, o);
      return;
    }
    if (source.sharePath().equals(target.sharePath())) {
      source.getFileSystem().session().stat(source);
      return;
    }
    ShareSession s = source.getFileSystem().session();
    FileInfo src = s.stat(source);
    FileInfo existing = s.statIfExists(target);
    boolean replace = false;
    if (existing != null && existing.fileId() != src.fileId()) {
      if (!o.replace()) {
        throw new FileAlreadyExistsException(target.toString());
      }
      if (existing.directory()) {
        FileOperations.delete(target);
      } else {
        replace = true;
      }
    }
    rename(source, target, replace);
  }

  private static void rename(RdbssPath source, RdbssPath target, boolean replace)
      throws IOException {
    try {
      renameOnce(source, target, replace);
    } catch (AccessDeniedException e) {
      if (!DelayedCloses.anyBelow(source)) {
        throw e;
      }
      DelayedCloses.scavenge(source);
      renameOnce(source, target, replace);
    }
  }

  private static void renameOnce(RdbssPath source, RdbssPath target, boolean replace)
      throws IOException {
    CreateRequest r =
        new CreateRequest(
            "", DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE, FILE_SHARE_ALL, FILE_OPEN, 0, 0);
    source
        .getFileSystem()
        .session()
        .withOpen(
            source,
            r,
            fo -> {
              try {
                fo.setInformation(new SetInfo.Rename(target.sharePath(), replace));
              } catch (RxException e) {
                throw e.status() == NtStatus.OBJECT_NAME_COLLISION
                    ? StatusExceptions.translate(e, target.toString(), null)
                    : StatusExceptions.translate(e, source.toString(), target.toString());
              }
              return null;
            });
  }

  private static void moveAcross(RdbssPath source, RdbssPath target, Options o) throws IOException {
    if (o.atomic()) {
      throw new AtomicMoveNotSupportedException(
          source.toString(), target.toString(), "a move between shares is a copy");
    }
    FileInfo src = source.getFileSystem().session().stat(source);
    if (src.directory() && !source.getFileSystem().session().list(source).isEmpty()) {
      throw new DirectoryNotEmptyException(source.toString());
    }
    copy(
        source,
        target,
        o.replace()
            ? new CopyOption[] {
              StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING
            }
            : new CopyOption[] {StandardCopyOption.COPY_ATTRIBUTES});
    FileOperations.delete(source);
  }
}
