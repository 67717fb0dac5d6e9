package org.rdbss4j.core;

/**
 * A tree-connect handle ({@code FILE_CREATE_TREE_CONNECTION}): holds a reference on its V_NET_ROOT
 * while open (RDBSS.md section 5.5). Opening the first one takes the add-connection reference.
 */
public final class TreeConnection implements AutoCloseable {
  private final Redirector rdr;
  private final VNetRoot vNetRoot;
  private boolean closed;

  TreeConnection(Redirector rdr, VNetRoot vNetRoot) {
    this.rdr = rdr;
    this.vNetRoot = vNetRoot;
  }

  /** The V_NET_ROOT (the handle's FsContext2). */
  public VNetRoot vNetRoot() {
    return vNetRoot;
  }

  /** RxCommonDevFCBClose: drops the handle's reference under the prefix table. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    rdr.closeTreeConnect(vNetRoot);
  }
}
