package org.rdbss4j.core;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Changes of buffering state (RxIndicateChangeOfBufferingState, RxChangeBufferingState): what the
 * core gives up when the server breaks a caching grant, before the mini-redirector acknowledges.
 */
final class BufferingOps {
  private final Redirector rdr;

  BufferingOps(Redirector rdr) {
    this.rdr = rdr;
  }

  /**
   * Applies a new buffering state to a SRV_OPEN on a worker thread (RxChangeBufferingState): losing
   * WRITE writes the FCB's dirty pages to the server (RxFlushFcbInSystemCache), losing READ drops
   * its cached pages (RxPurgeFcbInSystemCache), losing HANDLE ends a deferred close of the handle
   * (it is really closed). Completes when the work is done, exceptionally if the dirty pages could
   * not be written (the failure is also remembered for the file's next flush or close).
   */
  CompletableFuture<Void> changeBufferingState(SrvOpen srvOpen, Set<Buffering> newState) {
    return CompletableFuture.runAsync(
        () -> {
          Set<Buffering> old;
          synchronized (srvOpen) {
            old = srvOpen.buffering;
            srvOpen.buffering = newState;
            srvOpen.bufferingChanged = true;
          }
          RxException failure = null;
          if (old.contains(Buffering.WRITE) && !newState.contains(Buffering.WRITE)) {
            failure = rdr.dataCache.writeBackAndRemember(srvOpen.fcb);
            // writes the mini-redirector completed ahead of the server are confirmed before the
            // break completes, with or without a data cache (the cache's write-back confirmed its
            // own unless it failed first; asking again costs nothing), and a failure kept for the
            // next flush or close
            RxException unconfirmed = confirmWrites(srvOpen);
            if (unconfirmed != null) {
              rdr.dataCache.remember(srvOpen.fcb, unconfirmed);
              if (failure == null) {
                failure = unconfirmed;
              }
            }
          }
          if (old.contains(Buffering.READ) && !newState.contains(Buffering.READ)) {
            rdr.dataCache.purge(srvOpen.fcb);
          }
          if (old.contains(Buffering.HANDLE) && !newState.contains(Buffering.HANDLE)) {
            for (Fobx f : srvOpen.fobxs()) {
              if (f.delayedClose && !rdr.finalization.tryPurgeDelayedFobx(f)) {
                // An open of ours holds the FCB while it waits for the server, which may be
                // waiting for this break: acknowledge now and close the kept handle as soon as
                // the FCB is free (an open refused meanwhile purges and retries).
                rdr.workers.execute(
                    () -> {
                      if (f.delayedClose) {
                        rdr.finalization.purgeDelayedFobx(f);
                      }
                    });
              }
            }
          }
          if (failure != null) {
            throw failure;
          }
        },
        rdr.workers);
  }

  /** MRxCompleteWrites for the open a break of WRITE caching reached; the failure, or null. */
  private RxException confirmWrites(SrvOpen srvOpen) {
    try {
      rdr.dataCache.confirmWrites(null, srvOpen);
      return null;
    } catch (RuntimeException e) {
      return RxException.of(e);
    }
  }
}
