package org.rdbss4j.local;

import static org.rdbss4j.core.FileAccess.ATTRIBUTE_DIRECTORY;
import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_LIST_DIRECTORY;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_ATTRIBUTES;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.SetInfo;

/**
 * Query and set information, directory listing and volume information of the local mini-redirector.
 * Renames and delete dispositions run under the namespace lock of the {@link ShareAccessTable}.
 */
final class InfoOps {
  private final ShareAccessTable table;

  InfoOps(ShareAccessTable table) {
    this.table = table;
  }

  /** FileNetworkOpenInformation of the handle's file. */
  FileInfo query(LocalHandle h) throws IOException {
    return FileAttributes.info(h.share, h.path(), h.name());
  }

  /** IRP_MJ_SET_INFORMATION. */
  void set(LocalHandle h, SetInfo info) throws IOException {
    switch (info) {
      case SetInfo.EndOfFile eof -> h.setEndOfFile(eof.size());
      case SetInfo.Rename rn -> rename(h, rn.newPath(), rn.replaceIfExists());
      case SetInfo.Disposition d -> disposition(h, d.deleteFile());
      case SetInfo.Basic b -> basic(h, b);
    }
  }

  private static void requireAccess(LocalHandle h, int right, String what) {
    if ((h.access & right) == 0) {
      throw new RxException(NtStatus.ACCESS_DENIED, "the handle was not opened for " + what);
    }
    if (h.share.readOnly()) {
      throw new RxException(NtStatus.ACCESS_DENIED, "the share is read-only");
    }
  }

  private void basic(LocalHandle h, SetInfo.Basic b) throws IOException {
    requireAccess(h, FILE_WRITE_ATTRIBUTES, "writing attributes");
    Path p = h.path();
    FileAttributes.setTimes(p, b.creationTime(), b.lastAccessTime(), b.lastWriteTime());
    int a = b.attributes();
    if (a != -1 && a != 0 && (a & ~ATTRIBUTE_DIRECTORY) != 0) {
      FileAttributes.setAttributes(h.share, p, a & ~ATTRIBUTE_DIRECTORY);
    }
  }

  private void disposition(LocalHandle h, boolean delete) throws IOException {
    requireAccess(h, DELETE, "delete");
    table.lock().lock();
    try {
      if (!delete) {
        h.node.deletePending = false;
        return;
      }
      Path p = h.path();
      if (p.equals(h.share.realRoot())) {
        throw new RxException(NtStatus.CANNOT_DELETE, "the share's root cannot be deleted");
      }
      FileAttributes.Stat st = FileAttributes.stat(p);
      if (st.directory()) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
          if (ds.iterator().hasNext()) {
            throw new RxException(NtStatus.DIRECTORY_NOT_EMPTY, "directory not empty");
          }
        }
      } else if (st.readOnly()) {
        throw new RxException(NtStatus.CANNOT_DELETE, "the file is read-only");
      }
      h.node.deletePending = true;
    } finally {
      table.lock().unlock();
    }
  }

  private void rename(LocalHandle h, String newPath, boolean replace) throws IOException {
    requireAccess(h, DELETE, "delete (rename)");
    table.lock().lock();
    try {
      Path src = h.path();
      if (src.equals(h.share.realRoot())) {
        throw new RxException(NtStatus.ACCESS_DENIED, "the share's root cannot be renamed");
      }
      if (h.node.deletePending) {
        throw new RxException(NtStatus.DELETE_PENDING, "the file is being deleted");
      }
      if (h.isDirectory() && table.anyOpenBelow(src, h.node)) {
        throw new RxException(NtStatus.ACCESS_DENIED, "files below the directory are open");
      }
      Path dst = target(h, src, newPath, replace);
      if (dst == null) {
        return;
      }
      if (h.isDirectory() && dst.startsWith(src)) {
        throw new RxException(NtStatus.INVALID_PARAMETER, "cannot move a directory into itself");
      }
      Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
      h.node.moveTo(dst);
    } finally {
      table.lock().unlock();
    }
  }

  /** Where a rename goes, or {@code null} when it names the file as it is. */
  private Path target(LocalHandle h, Path src, String newPath, boolean replace) throws IOException {
    SharePaths.Resolved t = SharePaths.resolve(h.share, newPath);
    if (t.state() == SharePaths.State.MISSING) {
      return t.entry();
    }
    String newName = newPath.substring(newPath.lastIndexOf('\\') + 1);
    if (t.entry().equals(src)) {
      Path dst = src.resolveSibling(newName);
      return dst.equals(src) ? null : dst;
    }
    if (!replace) {
      throw new RxException(NtStatus.OBJECT_NAME_COLLISION, "already exists: " + newPath);
    }
    FileAttributes.Stat ts = FileAttributes.stat(t.entry());
    if (ts.directory()) {
      throw new RxException(NtStatus.ACCESS_DENIED, "cannot replace a directory: " + newPath);
    }
    if (table.find(ts.key()) != null) {
      throw new RxException(NtStatus.ACCESS_DENIED, "the file to replace is open: " + newPath);
    }
    return t.entry();
  }

  /** The entries of the handle's directory matching the pattern, by name; no "." and "..". */
  List<FileInfo> list(LocalHandle h, String pattern) throws IOException {
    if (!h.isDirectory()) {
      throw new RxException(NtStatus.NOT_A_DIRECTORY, "not a directory");
    }
    if ((h.access & FILE_LIST_DIRECTORY) == 0) {
      throw new RxException(NtStatus.ACCESS_DENIED, "the handle was not opened for listing");
    }
    List<FileInfo> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(h.path())) {
      for (Path p : ds) {
        String name = String.valueOf(p.getFileName());
        if (Wildcards.matches(pattern, name)) {
          FileInfo fi = entryInfo(h.share, p, name);
          if (fi != null) {
            out.add(fi);
          }
        }
      }
    }
    out.sort(Comparator.comparing(FileInfo::name, String.CASE_INSENSITIVE_ORDER));
    return out;
  }

  /** An entry's information: a link inside the share as its target, any other as itself. */
  private static FileInfo entryInfo(ShareRoot share, Path p, String name) throws IOException {
    try {
      FileAttributes.Stat st = FileAttributes.stat(p);
      Path at = p;
      if (st.symbolicLink()) {
        try {
          at = SharePaths.confine(share, p);
          st = FileAttributes.stat(at);
        } catch (IOException | RxException e) {
          at = p;
        }
      }
      return FileAttributes.info(share, at, st, name);
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  /** {total, usable} bytes of the share's file store. */
  static long[] volume(ShareRoot share) throws IOException {
    FileStore store = Files.getFileStore(share.realRoot());
    return new long[] {store.getTotalSpace(), store.getUsableSpace()};
  }
}
