package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2Packet;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.rdbss4j.core.Fcb;
import org.rdbss4j.core.SrvOpen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases of one connection: a lease key per FCB, so that every open of a file by this client
 * (any identity, any access) shares one lease and never breaks its own, and the handling of the
 * server's lease breaks.
 *
 * <p>A break (from smbj's receive thread, through {@link BreakInterceptor}) records the new state
 * and hands the work to a virtual thread: every SRV_OPEN of the lease is told its new buffering
 * state ({@link SrvOpen#indicateChangeOfBufferingState}), the core writes dirty pages, purges the
 * cache or ends a deferred close, and once all of them completed the acknowledgement goes to the
 * server if it asked for one. Breaks of one lease are handled in the order they arrived. The
 * receive thread never waits: the core's write-back goes through this very connection.
 */
final class Leases {
  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Executor VIRTUAL =
      r -> Thread.ofVirtual().name("rdbss4j-smb lease break").start(r);

  /** One lease: its key, its state and the handles opened with it. */
  static final class Lease {
    final byte[] key;
    final Fcb fcb;
    final Set<SmbHandle> handles = new LinkedHashSet<>();
    volatile int state;
    long breaks;

    /** An oplock (SMB 2.0.2) of one handle: {@code key} holds its file id. */
    boolean oplock;

    int oplockLevel;
    int creates;
    SmbView.Binding binding;
    CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    Lease(byte[] key, Fcb fcb) {
      this.key = key;
      this.fcb = fcb;
    }

    @Override
    public String toString() {
      return "Lease[" + HexFormat.of().formatHex(key, 0, 4) + " " + fcb.path() + "]";
    }
  }

  private final SmbTransport transport;
  private final SmbStats stats;
  private final Map<Fcb, Lease> byFcb = new IdentityHashMap<>();
  private final Map<String, Lease> byKey = new HashMap<>();

  /**
   * Oplock breaks for a file id not (yet) known: the CREATE's response that granted the oplock is
   * still being processed (the break was sent right after it). A few are kept; the oldest go.
   */
  private final Map<String, LeaseWire.LeaseBreak> earlyOplockBreaks =
      new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LeaseWire.LeaseBreak> e) {
          return size() > 64;
        }
      };

  Leases(SmbTransport transport, SmbStats stats) {
    this.transport = transport;
    this.stats = stats;
  }

  /**
   * The lease of an FCB for a CREATE about to be sent on {@code binding}; {@link #register} or
   * {@link #abandon}. A break that arrives before the CREATE's response is processed is
   * acknowledged on that binding.
   */
  synchronized Lease acquire(Fcb fcb, SmbView.Binding binding) {
    Lease l = byFcb.get(fcb);
    if (l == null) {
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      l = new Lease(key, fcb);
      byFcb.put(fcb, l);
      byKey.put(keyOf(false, key), l);
    }
    l.creates++;
    if (l.binding == null) {
      l.binding = binding;
    }
    return l;
  }

  /** How many breaks the lease has seen; taken before a CREATE is sent. */
  synchronized long breaks(Lease l) {
    return l.breaks;
  }

  /**
   * A CREATE with the lease succeeded: the handle joins the lease. Returns the lease state this
   * open may rely on: the granted state (-1 for none), lowered to the lease's current state when a
   * break arrived while the CREATE was on the wire.
   */
  synchronized int register(Lease l, SmbHandle h, int granted, long breaksBefore) {
    l.creates--;
    if (granted < 0) {
      dropIfUnused(l);
      return -1;
    }
    if (l.breaks != breaksBefore) {
      granted &= l.state;
    } else {
      l.state = granted;
    }
    l.handles.add(h);
    l.binding = h.binding;
    h.lease = l;
    if ((granted & LeaseWire.READ) != 0) {
      stats.leasesGranted.increment();
    }
    return granted;
  }

  /**
   * A CREATE on SMB 2.0.2 was granted an oplock (level II, exclusive or batch): kept as a lease of
   * this one handle, keyed by its file id. Returns its lease-style state.
   */
  synchronized int registerOplock(SmbHandle h, Fcb fcb, byte[] fileId, int level) {
    Lease l = new Lease(fileId, fcb);
    l.oplock = true;
    l.oplockLevel = level;
    l.state = LeaseWire.oplockState(level);
    l.handles.add(h);
    l.binding = h.binding;
    h.lease = l;
    String k = keyOf(true, fileId);
    byKey.put(k, l);
    if ((l.state & LeaseWire.READ) != 0) {
      stats.leasesGranted.increment();
    }
    LeaseWire.LeaseBreak early = earlyOplockBreaks.remove(k);
    if (early != null) {
      // broken before this response was processed: the open starts with the broken state
      enqueue(l, early);
    }
    return l.state;
  }

  private static String keyOf(boolean oplock, byte[] key) {
    return (oplock ? "o:" : "") + HexFormat.of().formatHex(key);
  }

  /** A CREATE with the lease failed. */
  synchronized void abandon(Lease l) {
    l.creates--;
    dropIfUnused(l);
  }

  /** The handle was closed on the server: it leaves its lease. */
  synchronized void closed(SmbHandle h) {
    Lease l = h.lease;
    if (l != null) {
      l.handles.remove(h);
      dropIfUnused(l);
    }
  }

  private void dropIfUnused(Lease l) {
    if (l.oplock) {
      if (l.handles.isEmpty()) {
        byKey.remove(keyOf(true, l.key));
      }
      return;
    }
    if (l.handles.isEmpty() && l.creates == 0 && byFcb.get(l.fcb) == l) {
      byFcb.remove(l.fcb);
      byKey.remove(keyOf(false, l.key));
    }
  }

  /**
   * A lease break notification, on smbj's receive thread: records the new state and queues the work
   * behind earlier breaks of the same lease. Never blocks.
   */
  void onBreak(LeaseWire.LeaseBreak b) {
    stats.leaseBreaks.increment();
    synchronized (this) {
      String k = keyOf(b.oplock(), b.leaseKey());
      Lease l = byKey.get(k);
      if (l == null) {
        if (b.oplock()) {
          earlyOplockBreaks.put(k, b);
        }
        // otherwise every handle of the lease is closed: the server needs no acknowledgement
        LOG.debug("break of an unknown lease to {}", LeaseWire.text(b.newState()));
        return;
      }
      enqueue(l, b);
    }
  }

  /** Records the break's new state and queues its work behind earlier breaks of the lease. */
  private void enqueue(Lease l, LeaseWire.LeaseBreak b) {
    // an oplock break from level II (to none) is not acknowledged, every other one is
    boolean ack = b.oplock() ? l.oplockLevel != LeaseWire.OPLOCK_LEVEL_II : b.ackRequired();
    l.state = b.newState();
    l.oplockLevel = b.oplockLevel();
    l.breaks++;
    List<SmbHandle> handles = new ArrayList<>(l.handles);
    SmbView.Binding binding = l.binding;
    l.tail =
        l.tail
            .handle((v, e) -> null)
            .thenComposeAsync(v -> process(l, handles, binding, b, ack), VIRTUAL);
    LOG.debug(
        "{} broken to {}{}",
        l,
        LeaseWire.text(b.newState()),
        ack ? ", acknowledgement required" : "");
  }

  private CompletableFuture<Void> process(
      Lease l,
      List<SmbHandle> handles,
      SmbView.Binding binding,
      LeaseWire.LeaseBreak b,
      boolean ack) {
    List<CompletableFuture<Void>> changes = new ArrayList<>();
    for (SmbHandle h : handles) {
      SrvOpen s = h.srvOpen;
      if (s != null && !h.isClosed()) {
        try {
          changes.add(s.indicateChangeOfBufferingState(LeaseWire.buffering(b.newState())));
        } catch (RuntimeException e) {
          LOG.debug("buffering change of {} failed: {}", s, e.toString());
        }
      }
    }
    return CompletableFuture.allOf(changes.toArray(CompletableFuture[]::new))
        .handle(
            (v, e) -> {
              if (e != null) {
                // remembered by the core for the file's next flush or close; the break goes on
                LOG.debug("{}: write-back before the acknowledgement failed: {}", l, e.toString());
              }
              return null;
            })
        .thenCompose(v -> ack ? acknowledge(l, handles, binding, b) : done());
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  /** SMB2 lease break acknowledgement with the new state, on a session and tree of the lease. */
  private CompletableFuture<Void> acknowledge(
      Lease l, List<SmbHandle> handles, SmbView.Binding binding, LeaseWire.LeaseBreak b) {
    SmbView.Binding bd = binding;
    for (SmbHandle h : handles) {
      if (!h.isClosed()) {
        bd = h.binding;
        break;
      }
    }
    if (bd == null || !bd.isAlive() || bd.transport() != transport) {
      return done();
    }
    SmbView.Binding use = bd;
    String what = (l.oplock ? "oplock" : "lease") + " break acknowledgement for " + l.fcb.path();
    SmbHandle first = handles.isEmpty() ? null : handles.get(0);
    if (l.oplock && first == null) {
      return done();
    }
    SMB2Packet ackPacket =
        l.oplock
            ? new LeaseWire.OplockBreakAck(
                transport.dialect(), use.sessionId(), use.treeId(), first.fileId, b.oplockLevel())
            : new LeaseWire.LeaseBreakAck(
                transport.dialect(), use.sessionId(), use.treeId(), l.key, b.newState());
    return Exchange.run(
            null,
            what,
            ex -> {
              SMB2Packet resp =
                  HandleOps.call(ex, use, ackPacket, transport.options().transactTimeout());
              long st = resp.getHeader().getStatusCode();
              if (SmbStatuses.failed(st)) {
                // the handles were closed meanwhile: the server dropped the lease already
                LOG.debug("{}: status 0x{}", what, Long.toHexString(st));
              } else {
                stats.breakAcks.increment();
              }
              return null;
            })
        .handle(
            (v, e) -> {
              if (e != null) {
                LOG.debug("{} failed: {}", what, e.toString());
              }
              return null;
            });
  }
}
