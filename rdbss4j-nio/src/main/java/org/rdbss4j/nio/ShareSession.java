package org.rdbss4j.nio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileInfo;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.FinalizeResult;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.VNetRoot;

/**
 * A file system's connection: the redirector, the V_NET_ROOT and the caller identity it belongs to,
 * and the requests every part of the provider makes through them. Each request runs in a fresh
 * {@link RxContext} for the identity, and a fault comes back translated by {@link
 * StatusExceptions}.
 *
 * <p>Opens pass a gate that a FALSE or 0xFF disconnect closes while it finalizes the connection, so
 * that the file system closes in the same step as the connection goes, with no open between.
 */
final class ShareSession {
  /** An action on an open handle. */
  @FunctionalInterface
  interface HandleAction<T> {
    T apply(FileObject fo) throws IOException;
  }

  private final Redirector rdr;
  private final VNetRoot vNetRoot;
  private final CallerIdentity identity;
  private final FileSystemState state;
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();

  ShareSession(Redirector rdr, VNetRoot vNetRoot, CallerIdentity identity, FileSystemState state) {
    this.rdr = rdr;
    this.vNetRoot = vNetRoot;
    this.identity = identity;
    this.state = state;
  }

  Redirector redirector() {
    return rdr;
  }

  VNetRoot vNetRoot() {
    return vNetRoot;
  }

  CallerIdentity identity() {
    return identity;
  }

  /** A context for one request of this identity. */
  RxContext context() {
    return RxContext.of(identity);
  }

  /** Opens a path on the share. */
  FileObject open(RdbssPath p, CreateRequest r) throws IOException {
    gate.readLock().lock();
    try {
      state.checkOpen();
      return rdr.create(context(), vNetRoot, r.withPath(p.sharePath()));
    } catch (RxException e) {
      throw StatusExceptions.translate(e, p);
    } finally {
      gate.readLock().unlock();
    }
  }

  /** Opens a path, runs {@code action} on the handle and closes it. */
  <T> T withOpen(RdbssPath p, CreateRequest r, HandleAction<T> action) throws IOException {
    FileObject fo = open(p, r);
    try {
      return action.apply(fo);
    } catch (RxException e) {
      throw StatusExceptions.translate(e, p);
    } finally {
      fo.close();
    }
  }

  /** The attributes of a path (an attributes-only open, query and close). */
  FileInfo stat(RdbssPath p) throws IOException {
    gate.readLock().lock();
    try {
      state.checkOpen();
      return rdr.queryPathInformation(context(), vNetRoot, p.sharePath());
    } catch (RxException e) {
      throw StatusExceptions.translate(e, p);
    } finally {
      gate.readLock().unlock();
    }
  }

  /** The attributes of a path, or {@code null} when it does not exist. */
  FileInfo statIfExists(RdbssPath p) throws IOException {
    try {
      return stat(p);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  /** The share's {total, free} bytes. */
  long[] volume() throws IOException {
    state.checkOpen();
    try {
      return rdr.queryVolume(context(), vNetRoot);
    } catch (RxException e) {
      throw StatusExceptions.translate(e, uncShare());
    }
  }

  /** The share's FileSystemAttributes flags ({@link org.rdbss4j.core.VolumeAttributes}). */
  int volumeAttributes() throws IOException {
    state.checkOpen();
    try {
      return rdr.queryVolumeAttributes(context(), vNetRoot);
    } catch (RxException e) {
      throw StatusExceptions.translate(e, uncShare());
    }
  }

  /** Each name of an absolute, normalized path in the case the server stores it. */
  RdbssPath realPath(RdbssPath p) throws IOException {
    List<Name> real = new ArrayList<>();
    RdbssPath at = RdbssPath.root(p.getFileSystem());
    stat(at);
    boolean ci = p.getFileSystem().isCaseInsensitive();
    for (Name n : p.names()) {
      at = at.resolve(new RdbssPath(p.getFileSystem(), false, List.of(n)));
      FileInfo info = stat(at);
      String name = info.name() == null || info.name().isEmpty() ? n.display() : info.name();
      real.add(Name.of(name, ci));
    }
    return new RdbssPath(p.getFileSystem(), true, real);
  }

  /** The entries of a directory (the whole listing in one request). */
  List<FileInfo> list(RdbssPath dir) throws IOException {
    return withOpen(
        dir, CreateRequest.openDirectory(""), fo -> rdr.queryDirectory(context(), fo, "*"));
  }

  /**
   * RxFinalizeConnection of this file system's V_NET_ROOT. {@code closeFileSystem} runs when the
   * connection is gone or going: before a TRUE finalization (which then needs no gate: it cancels
   * whatever is in flight, opens included), and, with the gate closed to new opens, after a FALSE
   * one that succeeded and after any 0xFF one (a lazy delete).
   */
  FinalizeResult finalizeConnection(ForceFilesClosed force, Runnable closeFileSystem) {
    if (force == ForceFilesClosed.TRUE) {
      closeFileSystem.run();
      return rdr.finalizeConnection(context(), vNetRoot.netRoot(), vNetRoot, force, Set.of());
    }
    gate.writeLock().lock();
    try {
      FinalizeResult r =
          rdr.finalizeConnection(context(), vNetRoot.netRoot(), vNetRoot, force, Set.of());
      if (force == ForceFilesClosed.LAZY || r.status().isSuccess()) {
        closeFileSystem.run();
      }
      return r;
    } finally {
      gate.writeLock().unlock();
    }
  }

  String uncShare() {
    return vNetRoot.uncName();
  }
}
