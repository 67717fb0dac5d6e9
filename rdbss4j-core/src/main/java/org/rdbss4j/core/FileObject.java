package org.rdbss4j.core;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A caller's handle on an open file or directory: the I/O manager's FILE_OBJECT, whose FsContext2
 * is the {@link Fobx}. Each method runs one request in a fresh {@link RxContext} for the handle's
 * identity; the {@link Redirector} methods take an explicit context instead. {@link #close()} runs
 * cleanup and close and always succeeds, also on an orphaned handle.
 */
public final class FileObject implements AutoCloseable {
  private final Redirector rdr;
  private final Fobx fobx;
  private final CallerIdentity identity;
  private final CreateResult.Action createAction;

  FileObject(Redirector rdr, Fobx fobx, CallerIdentity identity, CreateResult.Action action) {
    this.rdr = rdr;
    this.fobx = fobx;
    this.identity = identity;
    this.createAction = action;
  }

  /** What the open did: opened, created, overwritten or superseded (collapsed opens: opened). */
  public CreateResult.Action createAction() {
    return createAction;
  }

  public Fobx fobx() {
    return fobx;
  }

  public Fcb fcb() {
    return fobx.srvOpen.fcb;
  }

  public SrvOpen srvOpen() {
    return fobx.srvOpen;
  }

  public VNetRoot vNetRoot() {
    return fobx.srvOpen.vNetRoot;
  }

  public CallerIdentity identity() {
    return identity;
  }

  public boolean isDirectory() {
    return fcb().isDirectory();
  }

  private RxContext ctx() {
    return RxContext.of(identity);
  }

  public int read(long offset, ByteBuffer dst) {
    return rdr.read(ctx(), this, offset, dst);
  }

  public int write(long offset, ByteBuffer src) {
    return rdr.write(ctx(), this, offset, src);
  }

  /**
   * Copies up to {@code count} bytes of the file from {@code offset} to {@code target}, as {@link
   * java.nio.channels.FileChannel#transferTo} does: the server reads the next range while the
   * target takes this one, through buffers of the transfer's own with no copy between the socket
   * and the target (see {@link Transfers}). Returns the bytes written to the target, fewer than
   * {@code count} at the end of the file or when a non-blocking target takes no more.
   *
   * @throws IOException if the target fails
   * @throws RxException if the first range cannot be read (a later failure ends the transfer with
   *     what it moved)
   */
  public long transferTo(long offset, long count, java.nio.channels.WritableByteChannel target)
      throws java.io.IOException {
    return Transfers.transferTo(rdr, this, offset, count, target);
  }

  /**
   * Writes up to {@code count} bytes read from {@code src} to the file at {@code offset}, as {@link
   * java.nio.channels.FileChannel#transferFrom} does: the source fills the next buffer while the
   * previous one is written (see {@link Transfers}). Returns the bytes written, fewer than {@code
   * count} when the source ends (or, non-blocking, has nothing now).
   *
   * @throws IOException if the source fails
   * @throws RxException if the first write fails (a later failure ends the transfer with what it
   *     wrote)
   */
  public long transferFrom(java.nio.channels.ReadableByteChannel src, long offset, long count)
      throws java.io.IOException {
    return Transfers.transferFrom(rdr, this, src, offset, count);
  }

  /** A read that starts no range read ahead in the data cache: the caller reads ahead itself. */
  int readOwnAhead(long offset, ByteBuffer dst) {
    return rdr.ioOps.read(ctx(), this, offset, dst, false);
  }

  public FileInfo queryInformation() {
    return rdr.queryInformation(ctx(), this);
  }

  public void setInformation(SetInfo info) {
    rdr.setInformation(ctx(), this, info);
  }

  public List<FileInfo> queryDirectory(String pattern) {
    return rdr.queryDirectory(ctx(), this, pattern);
  }

  public void flush() {
    rdr.flush(ctx(), this);
  }

  public void lock(long offset, long length, boolean exclusive, boolean failImmediately) {
    rdr.lock(ctx(), this, offset, length, exclusive, failImmediately);
  }

  public void unlock(long offset, long length) {
    rdr.unlock(ctx(), this, offset, length);
  }

  /** Cleanup then close. */
  @Override
  public void close() {
    RxContext c = ctx();
    rdr.cleanup(c, this);
    rdr.close(c, this);
  }

  @Override
  public String toString() {
    return "FileObject[" + fobx + "]";
  }
}
