package org.rdbss4j.nio;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.ConnectOptions;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.VNetRoot;

/**
 * The {@code rdbss} file system provider: shares through a {@link Redirector}, one {@link
 * RdbssFileSystem} per share and identity. Registered through {@code META-INF/services}; see {@code
 * docs/nio.md} for the URI form and the {@code env} keys ({@link RdbssEnv}).
 *
 * <pre>{@code
 * try (FileSystem fs = FileSystems.newFileSystem(
 *     URI.create("rdbss://server/share"), Map.of("user", "alice", "password", pw))) {
 *   Files.readString(fs.getPath("\\docs\\readme.txt"));
 * }
 * }</pre>
 */
public final class RdbssFileSystemProvider extends FileSystemProvider {
  /** The URI scheme. */
  public static final String SCHEME = "rdbss";

  /** What one file system is: a share of a server seen by one logon id (a V_NET_ROOT). */
  record Key(String server, int port, String share, long logonId) {}

  private final Map<Key, RdbssFileSystem> fileSystems = new HashMap<>();
  private final Set<Key> connecting = new HashSet<>();

  @Override
  public String getScheme() {
    return SCHEME;
  }

  /**
   * Connects to the share of {@code rdbss://[user@]server[:port]/share} for the identity {@code
   * env} names (see {@link RdbssEnv}): adds a connection (a V_NET_ROOT) through the redirector.
   *
   * @throws FileSystemAlreadyExistsException when this identity already has the share open
   * @throws java.nio.file.AccessDeniedException when the server refuses the user
   */
  @Override
  public RdbssFileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
    RdbssUri u = RdbssUri.parse(uri);
    Connect c = Connect.of(u, env);
    Key key = new Key(u.serverKey(), c.port(), u.shareKey(), c.identity().logonId());
    synchronized (this) {
      if (fileSystems.containsKey(key) || !connecting.add(key)) {
        throw new FileSystemAlreadyExistsException(u.uncShare() + " for logon " + key.logonId());
      }
    }
    try {
      return connect(u, c, key);
    } finally {
      synchronized (this) {
        connecting.remove(key);
      }
    }
  }

  private RdbssFileSystem connect(RdbssUri u, Connect c, Key key) throws IOException {
    Redirector rdr = c.redirector() != null ? c.redirector() : MiniRedirectorRegistry.acquire();
    Runnable release =
        c.redirector() != null ? () -> {} : () -> MiniRedirectorRegistry.release(rdr);
    RdbssFileSystem fs;
    try {
      VNetRoot v =
          rdr.addConnection(
              RxContext.of(c.identity()),
              u.uncShare(),
              null,
              c.credentials(),
              ConnectOptions.port(c.port()));
      RdbssUri named = new RdbssUri(c.userInfo(), u.server(), c.port(), u.share(), "");
      fs = new RdbssFileSystem(this, key, named, rdr, v, c.identity(), release);
    } catch (RxException e) {
      release.run();
      throw StatusExceptions.translate(e, u.uncShare());
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    synchronized (this) {
      fileSystems.put(key, fs);
    }
    return fs;
  }

  /** The settings of one connection, taken from the URI and the env map. */
  private record Connect(
      CallerIdentity identity,
      Credentials credentials,
      int port,
      String userInfo,
      Redirector redirector) {

    static Connect of(RdbssUri u, Map<String, ?> env) {
      String user = RdbssEnv.USER.get(env);
      String domain = RdbssEnv.DOMAIN.get(env);
      if (u.user() != null) {
        if (user != null && !user.equalsIgnoreCase(u.user())) {
          throw new IllegalArgumentException("the URI names user " + u.user() + ", env " + user);
        }
        user = u.user();
        domain = domain == null ? u.domain() : domain;
      }
      Integer port = RdbssEnv.PORT.get(env);
      if (port != null && u.port() != 0 && port != u.port()) {
        throw new IllegalArgumentException("the URI names port " + u.port() + ", env " + port);
      }
      int p = port != null ? port : u.port();
      CallerIdentity id = RdbssEnv.IDENTITY.get(env);
      Long logonId = RdbssEnv.LOGON_ID.get(env);
      if (id == null && logonId != null) {
        id =
            CallerIdentity.of(
                logonId, user != null ? user : CallerIdentity.processUser().userName());
      } else if (id == null) {
        id = user != null ? LogonSessions.of(domain, user) : CallerIdentity.processUser();
      }
      char[] pw = RdbssEnv.PASSWORD.get(env);
      Credentials cred =
          user == null && pw == null ? Credentials.none() : new Credentials(user, domain, pw);
      String info =
          user == null ? null : (domain == null || domain.isEmpty() ? "" : domain + ";") + user;
      return new Connect(id, cred, p, info, RdbssEnv.REDIRECTOR.get(env));
    }
  }

  /**
   * The open file system a URI names: its server, port and share, and its user info when given;
   * without user info, the file system opened without a user name.
   */
  @Override
  public RdbssFileSystem getFileSystem(URI uri) {
    RdbssUri u = RdbssUri.parse(uri);
    List<RdbssFileSystem> found = new ArrayList<>();
    synchronized (this) {
      for (RdbssFileSystem fs : fileSystems.values()) {
        Key k = fs.key();
        if (k.server().equals(u.serverKey())
            && k.port() == u.port()
            && k.share().equals(u.shareKey())
            && sameUser(fs.userInfo(), u)) {
          found.add(fs);
        }
      }
    }
    if (found.size() != 1) {
      throw new FileSystemNotFoundException(
          (found.isEmpty() ? "no open file system for " : "more than one file system for ") + uri);
    }
    return found.getFirst();
  }

  private static boolean sameUser(String fsUserInfo, RdbssUri u) {
    if (u.userInfo() == null) {
      return fsUserInfo == null;
    }
    if (fsUserInfo == null) {
      return false;
    }
    RdbssUri mine = new RdbssUri(fsUserInfo, "", 0, "", "");
    return mine.user().equalsIgnoreCase(u.user())
        && (u.domain() == null || u.domain().equalsIgnoreCase(mine.domain()));
  }

  /** The absolute path a URI names in its open file system. */
  @Override
  public RdbssPath getPath(URI uri) {
    RdbssFileSystem fs = getFileSystem(uri);
    RdbssUri u = RdbssUri.parse(uri);
    return fs.getPath(PathSyntax.SEPARATOR + u.path());
  }

  /** Whether a newer file system holds the V_NET_ROOT of {@code fs} (after a lazy delete). */
  synchronized boolean hasSuccessor(RdbssFileSystem fs) {
    RdbssFileSystem other = fileSystems.get(fs.key());
    return other != null && other != fs && other.vNetRoot() == fs.vNetRoot();
  }

  void removeFileSystem(RdbssFileSystem fs) {
    synchronized (this) {
      fileSystems.remove(fs.key(), fs);
    }
  }

  static RdbssPath toRdbssPath(Path p) {
    Objects.requireNonNull(p, "path");
    if (!(p instanceof RdbssPath r)) {
      throw new ProviderMismatchException("not an rdbss path: " + p);
    }
    return r;
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return newFileChannel(path, options, attrs);
  }

  /** The buffer of the streams: each fill or flush is one request, split on the wire. */
  static final int STREAM_BUFFER = 1 << 20;

  /**
   * A channel's input stream, buffered ({@value #STREAM_BUFFER} bytes), so that small reads do not
   * each make a request; {@code transferTo} still goes through the channel's.
   */
  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    return new BufferedInputStream(super.newInputStream(path, options), STREAM_BUFFER);
  }

  /**
   * A channel's output stream, buffered ({@value #STREAM_BUFFER} bytes), as smbj's is: small writes
   * (such as the 8 KiB pieces of {@code Files.copy} from another file system) are sent in requests
   * of the buffer's size, at {@code flush} and at {@code close}.
   */
  @Override
  public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
    return new BufferedOutputStream(super.newOutputStream(path, options), STREAM_BUFFER);
  }

  @Override
  public FileChannel newFileChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return RdbssFileChannel.open(toRdbssPath(path), options, attrs);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    return RdbssDirectoryStream.open(toRdbssPath(dir), filter);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    FileOperations.createDirectory(toRdbssPath(dir), attrs);
  }

  @Override
  public void delete(Path path) throws IOException {
    FileOperations.delete(toRdbssPath(path));
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    FileTransfers.copy(toRdbssPath(source), toRdbssPath(target), options);
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    FileTransfers.move(toRdbssPath(source), toRdbssPath(target), options);
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    return FileOperations.isSameFile(toRdbssPath(path), path2);
  }

  /**
   * Whether the file has the DOS hidden attribute (not, as on Unix, whether its name has a dot).
   */
  @Override
  public boolean isHidden(Path path) throws IOException {
    return FileOperations.isHidden(toRdbssPath(path));
  }

  @Override
  public FileStore getFileStore(Path path) throws IOException {
    RdbssPath p = toRdbssPath(path);
    p.getFileSystem().session().stat(p);
    return p.getFileSystem().fileStore();
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    FileOperations.checkAccess(toRdbssPath(path), modes);
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    return AttributeViews.view(toRdbssPath(path), type);
  }

  @Override
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    return AttributeViews.read(toRdbssPath(path), type);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    return AttributeViews.read(toRdbssPath(path), attributes);
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
      throws IOException {
    AttributeViews.set(toRdbssPath(path), attribute, value);
  }
}
