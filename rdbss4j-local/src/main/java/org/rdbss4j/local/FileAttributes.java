package org.rdbss4j.local;

import static org.rdbss4j.core.FileAccess.ATTRIBUTE_ARCHIVE;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_DIRECTORY;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_HIDDEN;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_NORMAL;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_READONLY;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_SYSTEM;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.rdbss4j.core.FileInfo;

/**
 * Reads and writes what Windows calls a file's basic information on a local file: times, sizes, the
 * file id and the attributes.
 *
 * <p>READONLY is the absence of the owner's write permission on POSIX file systems (the DOS
 * attribute elsewhere). HIDDEN, SYSTEM and ARCHIVE are kept in the user extended attribute {@value
 * #XATTR} where the file system supports it and are otherwise ignored.
 */
final class FileAttributes {
  /** The user extended attribute holding HIDDEN, SYSTEM and ARCHIVE, as a decimal number. */
  static final String XATTR = "rdbss4j.dosattrib";

  /** The attributes kept in {@link #XATTR}. */
  static final int XATTR_BITS = ATTRIBUTE_HIDDEN | ATTRIBUTE_SYSTEM | ATTRIBUTE_ARCHIVE;

  private static final long CLUSTER = 4096;
  private static final boolean UNIX =
      Path.of("").getFileSystem().supportedFileAttributeViews().contains("unix");
  private static final boolean POSIX =
      Path.of("").getFileSystem().supportedFileAttributeViews().contains("posix");
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private FileAttributes() {}

  /**
   * One stat of a file, not following a final symbolic link.
   *
   * @param key the file's identity (device and inode where available) for the tables of open files
   */
  record Stat(
      boolean directory,
      boolean symbolicLink,
      long size,
      Instant creationTime,
      Instant lastAccessTime,
      Instant lastWriteTime,
      Instant changeTime,
      long fileId,
      boolean readOnly,
      Object key) {}

  /** Stats a path without following a final symbolic link. */
  static Stat stat(Path p) throws IOException {
    if (UNIX) {
      Map<String, Object> m = Files.readAttributes(p, "unix:*", NOFOLLOW);
      int mode = (Integer) m.get("mode");
      Object key = m.get("fileKey");
      return new Stat(
          (Boolean) m.get("isDirectory"),
          (Boolean) m.get("isSymbolicLink"),
          (Long) m.get("size"),
          ((FileTime) m.get("creationTime")).toInstant(),
          ((FileTime) m.get("lastAccessTime")).toInstant(),
          ((FileTime) m.get("lastModifiedTime")).toInstant(),
          ((FileTime) m.get("ctime")).toInstant(),
          (Long) m.get("ino"),
          (mode & 0200) == 0,
          key == null ? p.toString() : key);
    }
    BasicFileAttributes a;
    boolean ro = false;
    if (Files.getFileAttributeView(p, DosFileAttributeView.class, NOFOLLOW) != null) {
      DosFileAttributes d = Files.readAttributes(p, DosFileAttributes.class, NOFOLLOW);
      ro = d.isReadOnly();
      a = d;
    } else {
      a = Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
    }
    Object key = a.fileKey() == null ? p.toString() : a.fileKey();
    return new Stat(
        a.isDirectory(),
        a.isSymbolicLink(),
        a.size(),
        a.creationTime().toInstant(),
        a.lastAccessTime().toInstant(),
        a.lastModifiedTime().toInstant(),
        a.lastModifiedTime().toInstant(),
        key.hashCode() & 0x7fffffffL,
        ro,
        key);
  }

  /** The FileInfo of an existing path (a real path, or a link when {@code st} is the link's). */
  static FileInfo info(ShareRoot share, Path p, Stat st, String name) {
    int attrs = st.directory() ? ATTRIBUTE_DIRECTORY : 0;
    if (st.readOnly() && !st.directory()) {
      attrs |= ATTRIBUTE_READONLY;
    }
    attrs |= storedBits(share, p);
    if (attrs == 0) {
      attrs = ATTRIBUTE_NORMAL;
    }
    long size = st.directory() ? 0 : st.size();
    long alloc = (size + CLUSTER - 1) / CLUSTER * CLUSTER;
    return new FileInfo(
        name,
        st.directory(),
        size,
        alloc,
        st.creationTime(),
        st.lastAccessTime(),
        st.lastWriteTime(),
        st.changeTime(),
        attrs,
        st.fileId());
  }

  /** The FileInfo of an existing path, read now. */
  static FileInfo info(ShareRoot share, Path p, String name) throws IOException {
    return info(share, p, stat(p), name);
  }

  /** HIDDEN, SYSTEM and ARCHIVE as stored; 0 where they cannot be stored. */
  private static int storedBits(ShareRoot share, Path p) {
    if (!share.userXattrs()) {
      return 0;
    }
    try {
      UserDefinedFileAttributeView v =
          Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW);
      if (v == null || !v.list().contains(XATTR)) {
        return 0;
      }
      ByteBuffer b = ByteBuffer.allocate(v.size(XATTR));
      v.read(XATTR, b);
      b.flip();
      return Integer.parseInt(StandardCharsets.US_ASCII.decode(b).toString().trim()) & XATTR_BITS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Sets the attributes (FileBasicInformation semantics): 0 or -1 changes nothing; NORMAL alone
   * clears them all; otherwise READONLY is set or cleared (on files; a directory's is ignored, as
   * Windows does) and HIDDEN, SYSTEM and ARCHIVE are stored where the file system can.
   */
  static void setAttributes(ShareRoot share, Path p, int attributes) throws IOException {
    if (attributes == 0 || attributes == -1) {
      return;
    }
    int a = attributes == ATTRIBUTE_NORMAL ? 0 : attributes;
    if (!Files.isDirectory(p, NOFOLLOW)) {
      setReadOnly(p, (a & ATTRIBUTE_READONLY) != 0);
    }
    int bits = a & XATTR_BITS;
    DosFileAttributeView dos = Files.getFileAttributeView(p, DosFileAttributeView.class, NOFOLLOW);
    if (!POSIX && dos != null) {
      dos.setHidden((bits & ATTRIBUTE_HIDDEN) != 0);
      dos.setSystem((bits & ATTRIBUTE_SYSTEM) != 0);
      dos.setArchive((bits & ATTRIBUTE_ARCHIVE) != 0);
      return;
    }
    if (!share.userXattrs()) {
      return;
    }
    try {
      UserDefinedFileAttributeView v =
          Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW);
      if (v == null) {
        return;
      }
      if (bits == 0) {
        if (v.list().contains(XATTR)) {
          v.delete(XATTR);
        }
      } else {
        v.write(XATTR, StandardCharsets.US_ASCII.encode(Integer.toString(bits)));
      }
    } catch (IOException e) {
      // the file system refused user attributes after all: these bits are not kept
    }
  }

  private static void setReadOnly(Path p, boolean readOnly) throws IOException {
    if (POSIX) {
      PosixFileAttributeView v =
          Files.getFileAttributeView(p, PosixFileAttributeView.class, NOFOLLOW);
      Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
      perms.addAll(v.readAttributes().permissions());
      boolean changed;
      if (readOnly) {
        changed =
            perms.removeAll(
                Set.of(
                    PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_WRITE));
      } else {
        changed = perms.add(PosixFilePermission.OWNER_WRITE);
      }
      if (changed) {
        v.setPermissions(perms);
      }
      return;
    }
    DosFileAttributeView dos = Files.getFileAttributeView(p, DosFileAttributeView.class, NOFOLLOW);
    if (dos != null) {
      dos.setReadOnly(readOnly);
    }
  }

  /** Sets the times; {@code null} leaves one alone. */
  static void setTimes(Path p, Instant creation, Instant access, Instant write) throws IOException {
    if (creation == null && access == null && write == null) {
      return;
    }
    Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
        .setTimes(time(write), time(access), time(creation));
  }

  private static FileTime time(Instant i) {
    return i == null ? null : FileTime.from(i);
  }
}
