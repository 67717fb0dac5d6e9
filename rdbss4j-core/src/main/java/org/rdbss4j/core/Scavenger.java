package org.rdbss4j.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scavenger (RDBSS.md section 9.1): a background worker on a virtual thread that finalizes
 * nodes marked by {@code RxDereference} once they have been idle for the scavenger timeout: delayed
 * closes, dormant SRV_CALLs (idle transports) and idle implicit connections. It also caps the
 * number of delayed closes (MaximumNumberOfDormantFiles), purging the oldest.
 *
 * <p>States as in RDBSS: INACTIVE (nothing marked), DORMANT (timer armed), ACTIVE (finalizing),
 * SUSPENDED (stopped).
 */
public final class Scavenger {
  private static final Logger LOG = LoggerFactory.getLogger(Scavenger.class);

  /** RDBSS_SCAVENGER_STATE. */
  public enum State {
    INACTIVE,
    DORMANT,
    ACTIVE,
    SUSPENDED
  }

  private final Redirector rdr;
  private final Map<NodeType, Set<RxNode>> marked = new EnumMap<>(NodeType.class);
  private final Deque<Fobx> delayedCloses = new ArrayDeque<>();
  private final Object wake = new Object();

  /**
   * Serializes passes: a pass finalizing a NET_ROOT dereferences its SRV_CALL only after unmarking
   * the NET_ROOT, so between the two nothing is marked although work remains; a caller draining the
   * scavenger must not observe that gap.
   */
  private final ReentrantLock pass = new ReentrantLock();

  private volatile State state = State.INACTIVE;
  private volatile boolean stopped;
  private Thread worker;
  private final List<State> transitions = new ArrayList<>();

  Scavenger(Redirector rdr) {
    this.rdr = rdr;
    for (NodeType t :
        List.of(NodeType.FOBX, NodeType.V_NET_ROOT, NodeType.NET_ROOT, NodeType.SRV_CALL)) {
      marked.put(t, new LinkedHashSet<>());
    }
  }

  void start() {
    worker = Thread.ofVirtual().name("rdbss4j-scavenger").start(this::run);
  }

  /** Stops the worker (SUSPENDED); marked nodes stay marked. */
  void stop() {
    stopped = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    if (worker != null) {
      try {
        worker.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    setState(State.SUSPENDED);
  }

  public State state() {
    return state;
  }

  /** The states the worker has passed through, oldest first (bounded), for tests. */
  public List<State> transitions() {
    synchronized (transitions) {
      return List.copyOf(transitions);
    }
  }

  /** The number of marked nodes of a type (the per-type pending counter). */
  public int pending(NodeType type) {
    rdr.refs.mutex.lockExclusive();
    try {
      Set<RxNode> s = marked.get(type);
      return s == null ? 0 : s.size();
    } finally {
      rdr.refs.mutex.unlockExclusive();
    }
  }

  /** All marked nodes, for status displays and leak checks. */
  public List<RxNode> markedNodes() {
    rdr.refs.mutex.lockExclusive();
    try {
      List<RxNode> l = new ArrayList<>();
      marked.values().forEach(l::addAll);
      return l;
    } finally {
      rdr.refs.mutex.unlockExclusive();
    }
  }

  /** The number of delayed closes held. */
  public int delayedCloseCount() {
    rdr.refs.mutex.lockExclusive();
    try {
      return delayedCloses.size();
    } finally {
      rdr.refs.mutex.unlockExclusive();
    }
  }

  /** Marks a node (RxpMarkInstanceForScavengedFinalization); scavenger mutex held. */
  void markLocked(RxNode node) {
    node.nodeTypeCode |= NodeType.SCAVENGER_MASK;
    node.markedAt = System.nanoTime();
    marked.get(kind(node)).add(node);
    if (state == State.INACTIVE) {
      setState(State.DORMANT);
    }
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** RxpUndoScavengerFinalizationMarking; scavenger mutex held. */
  void unmarkLocked(RxNode node) {
    node.nodeTypeCode &= ~NodeType.SCAVENGER_MASK;
    marked.get(kind(node)).remove(node);
    if (node instanceof Fobx f) {
      delayedCloses.remove(f);
    }
  }

  /** Records a FOBX entering delayed close; scavenger mutex held. */
  void addDelayedCloseLocked(Fobx fobx) {
    delayedCloses.addLast(fobx);
  }

  private static NodeType kind(RxNode n) {
    return switch (n) {
      case Fobx f -> NodeType.FOBX;
      case VNetRoot v -> NodeType.V_NET_ROOT;
      case NetRoot r -> NodeType.NET_ROOT;
      case SrvCall s -> NodeType.SRV_CALL;
      default -> throw new AssertionError("not scavenged: " + n);
    };
  }

  private void setState(State s) {
    state = s;
    synchronized (transitions) {
      transitions.add(s);
      if (transitions.size() > 64) {
        transitions.remove(0);
      }
    }
  }

  private void run() {
    long timeout = rdr.config().scavengerTimeout().toNanos();
    while (!stopped) {
      long waitNanos;
      rdr.refs.mutex.lockExclusive();
      try {
        long oldest = Long.MAX_VALUE;
        for (Set<RxNode> s : marked.values()) {
          for (RxNode n : s) {
            oldest = Math.min(oldest, n.markedAt);
          }
        }
        waitNanos =
            oldest == Long.MAX_VALUE ? Long.MAX_VALUE : oldest + timeout - System.nanoTime();
        if (oldest == Long.MAX_VALUE && state != State.INACTIVE) {
          setState(State.INACTIVE);
        }
      } finally {
        rdr.refs.mutex.unlockExclusive();
      }
      if (waitNanos > 0) {
        synchronized (wake) {
          try {
            long ms = waitNanos == Long.MAX_VALUE ? 0 : Math.max(1, waitNanos / 1_000_000);
            wake.wait(ms);
          } catch (InterruptedException e) {
            return;
          }
        }
        continue;
      }
      try {
        runOnce(false);
      } catch (RuntimeException e) {
        LOG.warn("scavenger pass failed", e);
      }
    }
  }

  /**
   * One timer expiry: DORMANT to ACTIVE, finalize every node idle for the timeout (or every marked
   * node when {@code all}), then DORMANT if anything is still marked, else INACTIVE.
   */
  public void runOnce(boolean all) {
    pass.lock();
    try {
      runPass(all);
    } finally {
      pass.unlock();
    }
  }

  private void runPass(boolean all) {
    setState(State.ACTIVE);
    long cutoff = System.nanoTime() - rdr.config().scavengerTimeout().toNanos();
    for (NodeType t :
        List.of(NodeType.FOBX, NodeType.V_NET_ROOT, NodeType.NET_ROOT, NodeType.SRV_CALL)) {
      List<RxNode> due = new ArrayList<>();
      rdr.refs.mutex.lockExclusive();
      try {
        for (RxNode n : marked.get(t)) {
          if (all || n.markedAt - cutoff <= 0) {
            due.add(n);
          }
        }
      } finally {
        rdr.refs.mutex.unlockExclusive();
      }
      for (RxNode n : due) {
        finalizeMarked(n);
      }
    }
    boolean anyLeft = !markedNodes().isEmpty();
    setState(anyLeft ? State.DORMANT : State.INACTIVE);
  }

  /** Finalizes one marked node under the locks its finalization needs. */
  void finalizeMarked(RxNode n) {
    if (n instanceof Fobx f) {
      rdr.finalization.purgeDelayedFobx(f);
    } else {
      PrefixTable pt = rdr.prefixTable;
      pt.lock().lockExclusive();
      try {
        rdr.refs.dereferenceFromScavenger(n);
      } finally {
        pt.lock().unlockExclusive();
      }
    }
  }

  /**
   * Enforces MaximumNumberOfDormantFiles: while more delayed closes are held than allowed, the
   * oldest is purged (really closed). Called with no lock held.
   */
  void enforceDormantCap() {
    int max = rdr.config().maxDormantFiles();
    while (true) {
      Fobx oldest;
      rdr.refs.mutex.lockExclusive();
      try {
        if (delayedCloses.size() <= max) {
          return;
        }
        oldest = delayedCloses.peekFirst();
      } finally {
        rdr.refs.mutex.unlockExclusive();
      }
      rdr.finalization.purgeDelayedFobx(oldest);
      rdr.refs.mutex.lockExclusive();
      try {
        delayedCloses.remove(oldest);
      } finally {
        rdr.refs.mutex.unlockExclusive();
      }
    }
  }
}
