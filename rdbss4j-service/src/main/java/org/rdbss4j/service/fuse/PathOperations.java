package org.rdbss4j.service.fuse;

import static org.rdbss4j.core.FileAccess.*;

import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SetInfo;

/**
 * The FUSE calls that name a path rather than an open file: each opens the path, acts through the
 * FILE_OBJECT (FileDispositionInformation, FileRenameInformation, FileEndOfFileInformation,
 * FileBasicInformation) and closes it. Every method returns 0 or throws {@link RxException}.
 */
final class PathOperations {
  /**
   * The create option of these opens: backup intent, whose close RDBSS never delays, so that they
   * leave no cached server handle behind.
   */
  static final int TRANSIENT = FILE_OPEN_FOR_BACKUP_INTENT;

  private static final int RENAME_NOREPLACE = 1;

  private final BiFunction<String, CreateRequest, FileObject> opener;

  PathOperations(BiFunction<String, CreateRequest, FileObject> opener) {
    this.opener = opener;
  }

  int mkdir(String path) {
    opener.apply(path, CreateRequest.createDirectory("")).close();
    return 0;
  }

  /**
   * Opens a path to delete or rename it: first without sharing, so that the core purges delayed
   * closes of the file (RDBSS.md part A, decision 12) which would otherwise keep it from going
   * away; then, when a real handle is open (POSIX lets open files go), sharing everything.
   */
  private FileObject openForDelete(String path, int options) {
    CreateRequest r =
        new CreateRequest("", DELETE | SYNCHRONIZE, 0, FILE_OPEN, options | TRANSIENT, 0);
    try {
      return opener.apply(path, r);
    } catch (RxException e) {
      if (e.status() != NtStatus.SHARING_VIOLATION) {
        throw e;
      }
      return opener.apply(path, r.withShareAccess(FILE_SHARE_ALL));
    }
  }

  /** unlink and rmdir: delete on the last close (FileDispositionInformation). */
  int delete(String path, int options) {
    try (FileObject f = openForDelete(path, options)) {
      f.setInformation(new SetInfo.Disposition(true));
    }
    return 0;
  }

  int rename(String oldpath, String newpath, int flags) {
    if ((flags & ~RENAME_NOREPLACE) != 0) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "RENAME_EXCHANGE is not supported");
    }
    try (FileObject f = openForDelete(oldpath, 0)) {
      f.setInformation(
          new SetInfo.Rename(RedirectedFileSystem.rel(newpath), (flags & RENAME_NOREPLACE) == 0));
    }
    return 0;
  }

  /** truncate, utimens and chmod: through the open handle when there is one, else by path. */
  int withWritable(String path, FileObject open, Consumer<FileObject> op) {
    if (open != null) {
      op.accept(open);
      return 0;
    }
    CreateRequest r =
        new CreateRequest(
            "",
            FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | SYNCHRONIZE,
            FILE_SHARE_ALL,
            FILE_OPEN,
            TRANSIENT,
            0);
    try (FileObject f = opener.apply(path, r)) {
      op.accept(f);
    }
    return 0;
  }
}
