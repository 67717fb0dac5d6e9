package org.rdbss4j.local;

import static org.rdbss4j.core.FileAccess.ATTRIBUTE_DIRECTORY;
import static org.rdbss4j.core.FileAccess.DELETE;
import static org.rdbss4j.core.FileAccess.FILE_APPEND_DATA;
import static org.rdbss4j.core.FileAccess.FILE_CREATE;
import static org.rdbss4j.core.FileAccess.FILE_NON_DIRECTORY_FILE;
import static org.rdbss4j.core.FileAccess.FILE_OPEN;
import static org.rdbss4j.core.FileAccess.FILE_OPEN_IF;
import static org.rdbss4j.core.FileAccess.FILE_OVERWRITE;
import static org.rdbss4j.core.FileAccess.FILE_OVERWRITE_IF;
import static org.rdbss4j.core.FileAccess.FILE_SUPERSEDE;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_ATTRIBUTES;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_DATA;
import static org.rdbss4j.core.FileAccess.FILE_WRITE_EA;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.CreateResult;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MRxCreate and MRxCloseSrvOpen of the local mini-redirector: the create dispositions and options
 * of NtCreateFile on a local directory tree, sharing modes, delete-on-close and delete-pending.
 */
final class Opener {
  private static final Logger LOG = LoggerFactory.getLogger(Opener.class);

  /** The access rights a read-only share refuses. */
  static final int MODIFYING =
      FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES | DELETE;

  /** What an open produced: the result for the core and the handle for the SRV_OPEN. */
  record Opened(CreateResult result, LocalHandle handle) {}

  private final ShareAccessTable table;

  Opener(ShareAccessTable table) {
    this.table = table;
  }

  /** Opens or creates {@code r.path()} below the share. */
  Opened open(ShareRoot share, CreateRequest r) throws IOException {
    validate(r);
    if (share.readOnly() && ((r.desiredAccess() & MODIFYING) != 0 || overwrites(r))) {
      throw new RxException(NtStatus.ACCESS_DENIED, "the share is read-only");
    }
    table.lock().lock();
    try {
      SharePaths.Resolved res = SharePaths.resolve(share, r.path());
      return switch (res.state()) {
        case EXISTS -> openExisting(share, r, res.path());
        case MISSING -> createNew(share, r, res.path());
        case DANGLING_LINK -> throw danglingLink(r);
      };
    } finally {
      table.lock().unlock();
    }
  }

  private static void validate(CreateRequest r) {
    int d = r.disposition();
    if (d < FILE_SUPERSEDE || d > FILE_OVERWRITE_IF) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "invalid create disposition " + d);
    }
    if (r.wantsDirectory() && (r.createOptions() & FILE_NON_DIRECTORY_FILE) != 0) {
      throw new RxException(
          NtStatus.INVALID_PARAMETER, "FILE_DIRECTORY_FILE with FILE_NON_DIRECTORY_FILE");
    }
    if (r.wantsDirectory() && d != FILE_CREATE && d != FILE_OPEN && d != FILE_OPEN_IF) {
      throw new RxException(
          NtStatus.INVALID_PARAMETER, "a directory is only opened or created, not overwritten");
    }
    if (r.isDeleteOnClose() && (r.desiredAccess() & DELETE) == 0) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "FILE_DELETE_ON_CLOSE needs DELETE access");
    }
  }

  private static boolean overwrites(CreateRequest r) {
    int d = r.disposition();
    return d == FILE_SUPERSEDE || d == FILE_OVERWRITE || d == FILE_OVERWRITE_IF;
  }

  private Opened openExisting(ShareRoot share, CreateRequest r, Path path) throws IOException {
    FileAttributes.Stat st = FileAttributes.stat(path);
    if (r.disposition() == FILE_CREATE) {
      throw new RxException(NtStatus.OBJECT_NAME_COLLISION, "already exists: " + r.path());
    }
    boolean overwrite = overwrites(r);
    if (st.directory()) {
      if ((r.createOptions() & FILE_NON_DIRECTORY_FILE) != 0 || overwrite) {
        throw new RxException(NtStatus.FILE_IS_A_DIRECTORY, "a directory: " + r.path());
      }
      if (r.isDeleteOnClose() && path.equals(share.realRoot())) {
        throw new RxException(NtStatus.CANNOT_DELETE, "the share's root cannot be deleted");
      }
    } else {
      if (r.wantsDirectory()) {
        throw new RxException(NtStatus.NOT_A_DIRECTORY, "not a directory: " + r.path());
      }
      if (st.readOnly() && (FileAccess.writes(r.desiredAccess()) || overwrite)) {
        throw new RxException(NtStatus.ACCESS_DENIED, "the file is read-only: " + r.path());
      }
      if (st.readOnly() && r.isDeleteOnClose()) {
        throw new RxException(NtStatus.CANNOT_DELETE, "the file is read-only: " + r.path());
      }
    }
    LocalHandle h = newHandle(share, r, st, path);
    try {
      h.openChannel(overwrite);
      if (overwrite) {
        FileAttributes.setAttributes(share, path, r.fileAttributes() & ~ATTRIBUTE_DIRECTORY);
      }
      FileInfo info = FileAttributes.info(share, path, h.name());
      CreateResult.Action action =
          r.disposition() == FILE_SUPERSEDE
              ? CreateResult.Action.SUPERSEDED
              : overwrite ? CreateResult.Action.OVERWRITTEN : CreateResult.Action.OPENED;
      return new Opened(new CreateResult(action, info), h);
    } catch (IOException | RuntimeException e) {
      abandon(h);
      throw e;
    }
  }

  private Opened createNew(ShareRoot share, CreateRequest r, Path path) throws IOException {
    int d = r.disposition();
    if (d == FILE_OPEN || d == FILE_OVERWRITE) {
      throw new RxException(NtStatus.OBJECT_NAME_NOT_FOUND, "no such file: " + r.path());
    }
    if (share.readOnly()) {
      throw new RxException(NtStatus.ACCESS_DENIED, "the share is read-only");
    }
    if (r.wantsDirectory()) {
      Files.createDirectory(path);
    } else {
      Files.createFile(path);
    }
    LocalHandle h = null;
    try {
      h = newHandle(share, r, FileAttributes.stat(path), path);
      h.openChannel(false);
      FileAttributes.setAttributes(share, path, r.fileAttributes() & ~ATTRIBUTE_DIRECTORY);
      FileInfo info = FileAttributes.info(share, path, h.name());
      return new Opened(new CreateResult(CreateResult.Action.CREATED, info), h);
    } catch (IOException | RuntimeException e) {
      if (h != null) {
        abandon(h);
      }
      deleteQuietly(path);
      throw e;
    }
  }

  private static RxException danglingLink(CreateRequest r) {
    return switch (r.disposition()) {
      case FILE_CREATE -> new RxException(NtStatus.OBJECT_NAME_COLLISION, "exists: " + r.path());
      case FILE_OPEN, FILE_OVERWRITE ->
          new RxException(NtStatus.OBJECT_NAME_NOT_FOUND, "dangling link: " + r.path());
      default ->
          new RxException(
              NtStatus.ACCESS_DENIED, "refusing to create through a symbolic link: " + r.path());
    };
  }

  /** A handle registered with its file's node: sharing and delete-pending checked. */
  private LocalHandle newHandle(
      ShareRoot share, CreateRequest r, FileAttributes.Stat st, Path path) {
    FileNode node = table.node(st.key(), path, st.directory());
    LocalHandle h =
        new LocalHandle(share, node, r.desiredAccess(), r.shareAccess(), r.isDeleteOnClose());
    table.add(h);
    return h;
  }

  private void abandon(LocalHandle h) {
    h.closeResources();
    table.remove(h);
  }

  /**
   * Closes a handle: its channel and watcher, its locks, its share-access entry; deletes the file
   * if it is delete-pending (or this handle was delete-on-close) and this was its last handle.
   */
  void close(LocalHandle h) {
    if (!h.closeResources()) {
      return;
    }
    h.node.locks.releaseHandle(h);
    table.lock().lock();
    try {
      if (h.deleteOnClose) {
        h.node.deletePending = true;
      }
      if (table.remove(h) && h.node.deletePending) {
        deleteIfSameFile(h.node);
      }
    } finally {
      table.lock().unlock();
    }
  }

  /** Deletes a node's file, unless its path now names another file (replaced on disk). */
  private static void deleteIfSameFile(FileNode node) {
    Path p = node.path();
    try {
      if (!FileAttributes.stat(p).key().equals(node.key)) {
        LOG.warn("not deleting {}: replaced on disk while delete-pending", p);
        return;
      }
    } catch (IOException e) {
      return;
    }
    deleteQuietly(p);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", p, ErrorMapping.map(e).getMessage());
    }
  }
}
