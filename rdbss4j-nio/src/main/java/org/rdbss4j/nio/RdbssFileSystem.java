package org.rdbss4j.nio;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.FinalizeResult;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.VNetRoot;

/**
 * One share seen by one identity: a V_NET_ROOT. Made by {@link
 * java.nio.file.FileSystems#newFileSystem(URI, java.util.Map)} with an {@code rdbss} URI; every
 * file system of one server shares that server's SRV_CALL (one transport) in its {@link
 * Redirector}.
 *
 * <p>{@link #close()} deletes the connection as {@code RxFinalizeConnection} with force TRUE:
 * outstanding requests are cancelled, open handles are flushed and orphaned, and then every
 * channel, stream, directory stream and watch service of the file system is closed. {@link
 * #disconnect(ForceFilesClosed)} deletes it with any force level and returns the status: FALSE
 * fails with FILES_OPEN or CONNECTION_IN_USE while anything is in use, changing nothing; 0xFF
 * closes the file system to new work and deletes the connection when its last handle closes.
 */
public final class RdbssFileSystem extends FileSystem {
  private final RdbssFileSystemProvider provider;
  private final RdbssFileSystemProvider.Key key;
  private final String server;
  private final int port;
  private final String share;
  private final String userInfo;
  private final boolean caseInsensitive;
  private final FileSystemState state = new FileSystemState();
  private final ShareSession session;
  private final PathSyntax syntax;
  private final RdbssFileStore store;
  private final Runnable releaseRedirector;
  private final Object lifecycle = new Object();
  private boolean connectionGone;
  private boolean released;

  RdbssFileSystem(
      RdbssFileSystemProvider provider,
      RdbssFileSystemProvider.Key key,
      RdbssUri uri,
      Redirector rdr,
      VNetRoot vNetRoot,
      CallerIdentity identity,
      Runnable releaseRedirector) {
    this.provider = provider;
    this.key = key;
    this.server = uri.server();
    this.port = uri.port();
    this.share = uri.share();
    this.userInfo = uri.userInfo();
    this.caseInsensitive = vNetRoot.netRoot().fcbTable().isCaseInsensitive();
    this.session = new ShareSession(rdr, vNetRoot, identity, state);
    this.syntax = new PathSyntax(server, share);
    this.store = new RdbssFileStore(this);
    this.releaseRedirector = releaseRedirector;
  }

  @Override
  public RdbssFileSystemProvider provider() {
    return provider;
  }

  /** The redirector this file system's connection lives in. */
  public Redirector redirector() {
    return session.redirector();
  }

  /** The connection: this file system's V_NET_ROOT. */
  public VNetRoot vNetRoot() {
    return session.vNetRoot();
  }

  /** The caller identity the connection belongs to. */
  public CallerIdentity identity() {
    return session.identity();
  }

  /** The share, {@code \\server\share}. */
  public String uncShare() {
    return "\\\\" + server + "\\" + share;
  }

  /** Whether names compare ignoring case (the share's FCB table does). */
  public boolean isCaseInsensitive() {
    return caseInsensitive;
  }

  ShareSession session() {
    return session;
  }

  FileSystemState state() {
    return state;
  }

  RdbssFileSystemProvider.Key key() {
    return key;
  }

  String userInfo() {
    return userInfo;
  }

  /** Registers a resource to close with the file system. */
  <C extends Closeable> C register(C resource) {
    return state.register(resource);
  }

  /** A resource closed on its own; the last one of a lazily deleted file system releases it. */
  void unregister(Closeable resource) {
    state.unregister(resource);
    if (!state.isOpen() && !state.hasResources()) {
      releaseWhenDone();
    }
  }

  @Override
  public boolean isOpen() {
    return state.isOpen();
  }

  /** Deletes the connection with force TRUE and closes everything of this file system. */
  @Override
  public void close() throws IOException {
    disconnect(ForceFilesClosed.TRUE);
  }

  /**
   * Deletes the connection as {@code RxFinalizeConnection(ForceFilesClosed)} and returns its
   * status: SUCCESS, or for FALSE and 0xFF the FILES_OPEN or CONNECTION_IN_USE that kept it. The
   * file system is closed after TRUE, after a FALSE that succeeded, and after any 0xFF (its open
   * channels keep working until closed; the connection goes with the last).
   *
   * @throws IOException when a forced finalization could not flush a file's data, naming each, or
   *     closing a resource failed; the connection is deleted all the same
   */
  public NtStatus disconnect(ForceFilesClosed force) throws IOException {
    synchronized (lifecycle) {
      if (connectionGone) {
        return NtStatus.SUCCESS;
      }
    }
    if (!state.isOpen() && provider.hasSuccessor(this)) {
      // a new file system of this identity and share took the lazily deleted V_NET_ROOT back
      // (RDBSS reuses it): it is no longer this file system's to delete
      synchronized (lifecycle) {
        connectionGone = true;
      }
      try {
        state.closeAll();
      } finally {
        releaseWhenDone();
      }
      return NtStatus.SUCCESS;
    }
    FinalizeResult r = session.finalizeConnection(force, state::markClosed);
    boolean gone =
        force == ForceFilesClosed.TRUE
            || (force == ForceFilesClosed.FALSE && r.status().isSuccess());
    if (!state.isOpen()) {
      provider.removeFileSystem(this);
    }
    if (!gone) {
      if (!state.isOpen() && !state.hasResources()) {
        releaseWhenDone();
      }
      return r.status();
    }
    synchronized (lifecycle) {
      connectionGone = true;
    }
    try {
      state.closeAll();
    } finally {
      releaseWhenDone();
    }
    if (!r.unflushed().isEmpty()) {
      List<String> lost = new ArrayList<>();
      for (FinalizeResult.UnflushedFile f : r.unflushed()) {
        lost.add(f.path() + " (" + f.status() + ")");
      }
      throw new IOException("data not written before the connection was deleted: " + lost);
    }
    return r.status();
  }

  private void releaseWhenDone() {
    synchronized (lifecycle) {
      if (released) {
        return;
      }
      released = true;
    }
    releaseRedirector.run();
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public String getSeparator() {
    return PathSyntax.SEPARATOR;
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    state.checkOpen();
    return List.of(RdbssPath.root(this));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    state.checkOpen();
    return List.of(store);
  }

  RdbssFileStore fileStore() {
    return store;
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return AttributeViews.SUPPORTED;
  }

  /**
   * A path of this share: {@code \dir\file}, {@code dir\file}, forward slashes accepted, or the UNC
   * form {@code \\server\share\dir\file} of this file system's own share.
   */
  @Override
  public RdbssPath getPath(String first, String... more) {
    StringBuilder b = new StringBuilder(first);
    for (String m : more) {
      if (!m.isEmpty()) {
        if (!b.isEmpty()) {
          b.append(PathSyntax.SEPARATOR);
        }
        b.append(m);
      }
    }
    if (b.isEmpty()) {
      return RdbssPath.empty(this);
    }
    PathSyntax.Parsed p = syntax.parse(b.toString());
    List<Name> names = new ArrayList<>(p.names().size());
    for (String n : p.names()) {
      names.add(Name.of(n, caseInsensitive));
    }
    return new RdbssPath(this, p.absolute(), names);
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    return Globs.matcher(syntaxAndPattern, caseInsensitive);
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("a share has no user principal lookup");
  }

  @Override
  public WatchService newWatchService() throws IOException {
    return register(new RdbssWatchService(this));
  }

  /**
   * The URI of an absolute, normalized path: {@code rdbss://[user@]server[:port]/share/dir/file}.
   */
  URI uriOf(RdbssPath p) {
    StringBuilder path = new StringBuilder("/").append(share);
    for (Name n : p.names()) {
      path.append('/').append(n.display());
    }
    String authority =
        (userInfo == null ? "" : userInfo + "@") + server + (port == 0 ? "" : ":" + port);
    try {
      return new URI(RdbssFileSystemProvider.SCHEME, authority, path.toString(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("no URI for " + p, e);
    }
  }

  @Override
  public String toString() {
    return "RdbssFileSystem[" + uncShare() + " as " + identity().userName() + "]";
  }
}
