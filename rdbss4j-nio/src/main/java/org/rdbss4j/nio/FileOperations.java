package org.rdbss4j.nio;

import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_EXECUTE;
import static org.rdbss4j.core.FileAccess.FILE_OPEN;
import static org.rdbss4j.core.FileAccess.FILE_READ_ATTRIBUTES;
import static org.rdbss4j.core.FileAccess.FILE_READ_DATA;
import static org.rdbss4j.core.FileAccess.FILE_SHARE_ALL;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_DATA;
import static org.rdbss4j.core.FileAccess.SYNCHRONIZE;

import java.io.IOException;
import java.nio.file.AccessMode;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.SetInfo;

/**
 * Directory creation, deletion, access checks and file identity, each as the open, set and close
 * requests Windows makes for them: a delete is an open for DELETE and a delete disposition (so a
 * non-empty directory fails with DIRECTORY_NOT_EMPTY before anything changes), an access check is
 * an open with the access asked for.
 */
final class FileOperations {
  private FileOperations() {}

  /** Creates a directory (FILE_CREATE of a directory); {@code dos:} attributes are allowed. */
  static void createDirectory(RdbssPath dir, FileAttribute<?>... attrs) throws IOException {
    int a = AttributeViews.dosAttributesOf(attrs) | FileAccess.ATTRIBUTE_DIRECTORY;
    CreateRequest r =
        new CreateRequest(
            "",
            FileAccess.GENERIC_READ,
            FILE_SHARE_ALL,
            FileAccess.FILE_CREATE,
            FileAccess.FILE_DIRECTORY_FILE,
            a);
    dir.getFileSystem().session().withOpen(dir, r, fo -> null);
  }

  /**
   * Deletes a file or an empty directory. The share deletes it when its last handle closes: a file
   * another handle still has open stays visible until then (as on Windows, unlike on Unix).
   */
  static void delete(RdbssPath p) throws IOException {
    CreateRequest r =
        new CreateRequest(
            "", DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE, FILE_SHARE_ALL, FILE_OPEN, 0, 0);
    p.getFileSystem()
        .session()
        .withOpen(
            p,
            r,
            fo -> {
              fo.setInformation(new SetInfo.Disposition(true));
              return null;
            });
  }

  /**
   * Checks that the file exists and that an open with the access asked for succeeds: READ opens for
   * reading data, WRITE for writing it (refused on a read-only file or share), EXECUTE for
   * executing.
   */
  static void checkAccess(RdbssPath p, AccessMode... modes) throws IOException {
    int access = 0;
    for (AccessMode m : modes) {
      access |=
          switch (m) {
            case READ -> FILE_READ_DATA;
            case WRITE -> FILE_WRITE_DATA;
            case EXECUTE -> FILE_EXECUTE;
          };
    }
    ShareSession s = p.getFileSystem().session();
    if (access == 0) {
      s.stat(p);
      return;
    }
    CreateRequest r =
        new CreateRequest(
            "", access | FILE_READ_ATTRIBUTES | SYNCHRONIZE, FILE_SHARE_ALL, FILE_OPEN, 0, 0);
    s.withOpen(p, r, fo -> null);
  }

  /** Equal paths, or two existing paths with one file key (same share and file id). */
  static boolean isSameFile(RdbssPath p, Path other) throws IOException {
    if (p.equals(other)) {
      return true;
    }
    if (!(other instanceof RdbssPath o)) {
      return false;
    }
    return AttributeViews.read(p).fileKey().equals(AttributeViews.read(o).fileKey());
  }

  /** The DOS hidden attribute. */
  static boolean isHidden(RdbssPath p) throws IOException {
    return AttributeViews.read(p).isHidden();
  }
}
