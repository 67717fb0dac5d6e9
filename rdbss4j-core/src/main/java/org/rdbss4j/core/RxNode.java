package org.rdbss4j.core;

/**
 * The common header of the six RDBSS node types: node type code, reference count, condition and the
 * two-phase finalization flags.
 *
 * <p>The reference count and the scavenger mark are only changed under the redirector's scavenger
 * mutex ({@link RefCounts}); the condition under this node's monitor. Subclasses are the RDBSS
 * structures: {@link SrvCall}, {@link NetRoot}, {@link VNetRoot}, {@link Fcb}, {@link SrvOpen} and
 * {@link Fobx}.
 */
public abstract sealed class RxNode permits SrvCall, NetRoot, VNetRoot, Fcb, SrvOpen, Fobx {
  private static final java.util.concurrent.atomic.AtomicLong SERIALS =
      new java.util.concurrent.atomic.AtomicLong();

  final Redirector redirector;
  final long serial = SERIALS.incrementAndGet();

  /** NodeTypeCode, with {@link NodeType#SCAVENGER_MASK} while queued on the scavenger. */
  volatile int nodeTypeCode;

  /** NodeReferenceCount; written under the scavenger mutex. */
  volatile int refCount;

  /** Nanotime at which the scavenger mark was set; guarded by the scavenger mutex. */
  long markedAt;

  /** UpperFinalizationDone: phase 1 of finalization has run. */
  volatile boolean upperFinalizationDone;

  /** Phase 2 has run: the node is freed and must not be used. */
  volatile boolean freed;

  private Condition condition = Condition.UNINITIALIZED;
  private NtStatus constructionStatus = NtStatus.SUCCESS;

  /** The mini-redirector's context slot (Context in the MRX_ structures). */
  private volatile Object context;

  RxNode(Redirector redirector, NodeType type, int initialRefCount) {
    this.redirector = redirector;
    this.nodeTypeCode = type.code();
    this.refCount = initialRefCount;
  }

  /** The node type, scavenger mark masked off. */
  public NodeType nodeType() {
    return NodeType.of(nodeTypeCode);
  }

  /** The raw node type code, including {@link NodeType#SCAVENGER_MASK} when marked. */
  public int nodeTypeCode() {
    return nodeTypeCode;
  }

  /** The current reference count. */
  public int referenceCount() {
    return refCount;
  }

  /** Whether the scavenger holds this node (marked for scavenged finalization). */
  public boolean isScavengerMarked() {
    return (nodeTypeCode & NodeType.SCAVENGER_MASK) != 0;
  }

  public boolean isUpperFinalizationDone() {
    return upperFinalizationDone;
  }

  /** Whether phase 2 of finalization has freed this node. */
  public boolean isFreed() {
    return freed;
  }

  /** A number unique within this JVM, for display. */
  public long serial() {
    return serial;
  }

  public synchronized Condition condition() {
    return condition;
  }

  /** The status the last construction step reported. */
  public synchronized NtStatus constructionStatus() {
    return constructionStatus;
  }

  /** Marks the node InTransition: a construction step has started (RxTransitionXxx). */
  synchronized void transition() {
    condition = Condition.IN_TRANSITION;
  }

  /**
   * RxUpdateCondition: sets a stable condition and releases every waiter. Setting InTransition
   * through this routine is a contract violation.
   */
  synchronized void updateCondition(Condition newCondition, NtStatus status) {
    if (newCondition == Condition.IN_TRANSITION) {
      throw new AssertionError("RxUpdateCondition may not set InTransition");
    }
    condition = newCondition;
    constructionStatus = status;
    notifyAll();
  }

  /**
   * RxWaitForStableCondition: waits while the node is Uninitialized or InTransition. A context that
   * may not wait gets {@link NtStatus#PENDING} back instead of blocking; a cancelled one {@link
   * NtStatus#CANCELLED}.
   */
  synchronized NtStatus waitForStableCondition(RxContext ctx) {
    while (!condition.isStable()) {
      if (ctx != null && ctx.isCancelled()) {
        return NtStatus.CANCELLED;
      }
      if (ctx != null && !ctx.mayWait()) {
        return NtStatus.PENDING;
      }
      try {
        wait(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return NtStatus.CANCELLED;
      }
    }
    return NtStatus.SUCCESS;
  }

  /** Wakes waiters so they re-check cancellation. */
  synchronized void wakeWaiters() {
    notifyAll();
  }

  /** The mini-redirector's context (MRX_xxx.Context). */
  public Object context() {
    return context;
  }

  /** Sets the mini-redirector's context (MRX_xxx.Context). */
  public void setContext(Object context) {
    this.context = context;
  }

  /** The redirector (device) this node belongs to. */
  public Redirector redirector() {
    return redirector;
  }

  /** A short description for status displays and errors. */
  public abstract String describe();

  @Override
  public String toString() {
    return describe();
  }
}
