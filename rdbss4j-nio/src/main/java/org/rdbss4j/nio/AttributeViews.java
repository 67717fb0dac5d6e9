package org.rdbss4j.nio;

import static org.rdbss4j.core.FileAccess.ATTRIBUTE_ARCHIVE;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_HIDDEN;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_NORMAL;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_READONLY;
import static org.rdbss4j.core.FileAccess.ATTRIBUTE_SYSTEM;

import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileAccess;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.SetInfo;

/**
 * The {@code basic} and {@code dos} attribute views of share files: reads are one query of the
 * file's network-open information, writes one FileBasicInformation set (times and attributes) on an
 * attributes-only open. Attribute names are those of the JDK's views ({@code dos:hidden}, {@code
 * lastModifiedTime}, ...).
 */
final class AttributeViews {
  /** The views a share supports. */
  static final Set<String> SUPPORTED = Set.of("basic", "dos");

  private static final List<String> BASIC =
      List.of(
          "lastModifiedTime",
          "lastAccessTime",
          "creationTime",
          "size",
          "isRegularFile",
          "isDirectory",
          "isSymbolicLink",
          "isOther",
          "fileKey");

  private static final Map<String, Integer> DOS_BITS =
      Map.of(
          "readonly", ATTRIBUTE_READONLY,
          "hidden", ATTRIBUTE_HIDDEN,
          "system", ATTRIBUTE_SYSTEM,
          "archive", ATTRIBUTE_ARCHIVE);

  private static final int DOS_MASK =
      ATTRIBUTE_READONLY | ATTRIBUTE_HIDDEN | ATTRIBUTE_SYSTEM | ATTRIBUTE_ARCHIVE;

  private AttributeViews() {}

  /** The attributes of a path. */
  static ShareFileAttributes read(RdbssPath p) throws IOException {
    return ShareFileAttributes.of(p.getFileSystem(), p.getFileSystem().session().stat(p));
  }

  /** {@code Files.readAttributes(path, BasicFileAttributes.class or DosFileAttributes.class)}. */
  static <A extends BasicFileAttributes> A read(RdbssPath p, Class<A> type) throws IOException {
    if (type != BasicFileAttributes.class && type != DosFileAttributes.class) {
      throw new UnsupportedOperationException("no " + type.getSimpleName() + " on a share");
    }
    return type.cast(read(p));
  }

  /** {@code Files.readAttributes(path, "view:name,name")}, view {@code basic} or {@code dos}. */
  static Map<String, Object> read(RdbssPath p, String attributes) throws IOException {
    int colon = attributes.indexOf(':');
    String view = colon < 0 ? "basic" : attributes.substring(0, colon);
    if (!SUPPORTED.contains(view)) {
      throw new UnsupportedOperationException("no attribute view '" + view + "' on a share");
    }
    boolean dos = view.equals("dos");
    ShareFileAttributes a = read(p);
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : attributes.substring(colon + 1).split(",")) {
      if (name.equals("*")) {
        BASIC.forEach(n -> out.put(n, value(a, n)));
        if (dos) {
          DOS_BITS.keySet().stream().sorted().forEach(n -> out.put(n, value(a, n)));
          out.put("attributes", a.info().attributes());
        }
      } else if (BASIC.contains(name)
          || (dos && (DOS_BITS.containsKey(name) || name.equals("attributes")))) {
        out.put(name, value(a, name));
      } else {
        throw new IllegalArgumentException("no attribute '" + name + "' in view " + view);
      }
    }
    return out;
  }

  private static Object value(ShareFileAttributes a, String name) {
    return switch (name) {
      case "lastModifiedTime" -> a.lastModifiedTime();
      case "lastAccessTime" -> a.lastAccessTime();
      case "creationTime" -> a.creationTime();
      case "size" -> a.size();
      case "isRegularFile" -> a.isRegularFile();
      case "isDirectory" -> a.isDirectory();
      case "isSymbolicLink" -> a.isSymbolicLink();
      case "isOther" -> a.isOther();
      case "fileKey" -> a.fileKey();
      case "attributes" -> a.info().attributes();
      default -> (a.info().attributes() & DOS_BITS.get(name)) != 0;
    };
  }

  /** {@code Files.setAttribute(path, "view:name", value)}. */
  static void set(RdbssPath p, String attribute, Object value) throws IOException {
    int colon = attribute.indexOf(':');
    String view = colon < 0 ? "basic" : attribute.substring(0, colon);
    String name = attribute.substring(colon + 1);
    if (!SUPPORTED.contains(view)) {
      throw new UnsupportedOperationException("no attribute view '" + view + "' on a share");
    }
    switch (name) {
      case "lastModifiedTime" -> setTimes(p, null, null, (FileTime) value);
      case "lastAccessTime" -> setTimes(p, null, (FileTime) value, null);
      case "creationTime" -> setTimes(p, (FileTime) value, null, null);
      default -> {
        Integer bit = view.equals("dos") ? DOS_BITS.get(name) : null;
        if (bit == null) {
          throw new IllegalArgumentException("cannot set '" + attribute + "'");
        }
        setDosBit(p, bit, (Boolean) value);
      }
    }
  }

  private static CreateRequest attributesOnly() {
    return new CreateRequest(
        "",
        FileAccess.FILE_READ_ATTRIBUTES | FileAccess.FILE_WRITE_ATTRIBUTES | FileAccess.SYNCHRONIZE,
        FileAccess.FILE_SHARE_ALL,
        FileAccess.FILE_OPEN,
        0,
        0);
  }

  /** Sets times; {@code null} leaves one alone. */
  static void setTimes(RdbssPath p, FileTime creation, FileTime access, FileTime write)
      throws IOException {
    if (creation == null && access == null && write == null) {
      return;
    }
    p.getFileSystem()
        .session()
        .withOpen(
            p,
            attributesOnly(),
            fo -> {
              fo.setInformation(
                  new SetInfo.Basic(instant(creation), instant(access), instant(write), 0));
              return null;
            });
  }

  /** Sets times and DOS attributes in one request (for a copy's COPY_ATTRIBUTES). */
  static void setAll(RdbssPath p, FileInfo from) throws IOException {
    int attrs = from.attributes() & DOS_MASK;
    p.getFileSystem()
        .session()
        .withOpen(
            p,
            attributesOnly(),
            fo -> {
              fo.setInformation(
                  new SetInfo.Basic(
                      from.creationTime(),
                      from.lastAccessTime(),
                      from.lastWriteTime(),
                      attrs == 0 ? ATTRIBUTE_NORMAL : attrs));
              return null;
            });
  }

  private static void setDosBit(RdbssPath p, int bit, boolean on) throws IOException {
    p.getFileSystem()
        .session()
        .withOpen(
            p,
            attributesOnly(),
            fo -> {
              int cur = fo.queryInformation().attributes() & DOS_MASK;
              int next = on ? cur | bit : cur & ~bit;
              if (next != cur) {
                fo.setInformation(
                    new SetInfo.Basic(null, null, null, next == 0 ? ATTRIBUTE_NORMAL : next));
              }
              return null;
            });
  }

  private static Instant instant(FileTime t) {
    return t == null ? null : t.toInstant();
  }

  /** The DOS attributes of a new file given as {@code dos:xxx} file attributes. */
  static int dosAttributesOf(FileAttribute<?>... attrs) {
    int a = 0;
    for (FileAttribute<?> fa : attrs) {
      String n = fa.name().toLowerCase(Locale.ROOT);
      Integer bit = n.startsWith("dos:") ? DOS_BITS.get(n.substring(4)) : null;
      if (bit == null || !(fa.value() instanceof Boolean on)) {
        throw new UnsupportedOperationException("cannot set '" + fa.name() + "' at creation");
      }
      a = on ? a | bit : a & ~bit;
    }
    return a;
  }

  /** The view of a path, or {@code null} for an unsupported view type. */
  static <V extends FileAttributeView> V view(RdbssPath p, Class<V> type) {
    if (type == BasicFileAttributeView.class) {
      return type.cast(new DosView(p, "basic"));
    }
    if (type == DosFileAttributeView.class) {
      return type.cast(new DosView(p, "dos"));
    }
    return null;
  }

  /** The {@code dos} view (and, as its supertype, the {@code basic} one) of one path. */
  private record DosView(RdbssPath path, String name) implements DosFileAttributeView {
    @Override
    public DosFileAttributes readAttributes() throws IOException {
      return read(path);
    }

    @Override
    public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
        throws IOException {
      AttributeViews.setTimes(path, createTime, lastAccessTime, lastModifiedTime);
    }

    @Override
    public void setReadOnly(boolean value) throws IOException {
      setDosBit(path, ATTRIBUTE_READONLY, value);
    }

    @Override
    public void setHidden(boolean value) throws IOException {
      setDosBit(path, ATTRIBUTE_HIDDEN, value);
    }

    @Override
    public void setSystem(boolean value) throws IOException {
      setDosBit(path, ATTRIBUTE_SYSTEM, value);
    }

    @Override
    public void setArchive(boolean value) throws IOException {
      setDosBit(path, ATTRIBUTE_ARCHIVE, value);
    }
  }
}
