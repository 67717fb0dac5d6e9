package org.rdbss4j.core;

import java.util.concurrent.atomic.AtomicReference;

/**
 * RX_CONTEXT: one per request. Carries the caller's identity, whether it may wait for locks and
 * stable conditions, its cancellation state and the mini-redirector's cancel routine, and, while it
 * is in flight, its membership in its V_NET_ROOT's list of outstanding requests.
 *
 * <p>A context is used for one request; {@link #cancel()} may be called from any thread.
 */
public final class RxContext {
  /** The major function of the request (IRP_MJ_xxx), for status displays. */
  public enum MajorFunction {
    CREATE,
    CLOSE,
    CLEANUP,
    READ,
    WRITE,
    QUERY_INFORMATION,
    SET_INFORMATION,
    DIRECTORY_CONTROL,
    NOTIFY_CHANGE_DIRECTORY,
    LOCK_CONTROL,
    FLUSH_BUFFERS,
    QUERY_VOLUME_INFORMATION,
    DEVICE_CONTROL
  }

  private final CallerIdentity identity;
  private final boolean mayWait;
  private volatile MajorFunction majorFunction = MajorFunction.DEVICE_CONTROL;
  private volatile boolean cancelled;
  private final AtomicReference<Runnable> cancelRoutine = new AtomicReference<>();
  private volatile VNetRoot registeredOn;
  private volatile Fobx fobx;
  private volatile String path;
  private volatile java.util.concurrent.CompletableFuture<?> pending;

  private RxContext(CallerIdentity identity, boolean mayWait) {
    this.identity = identity;
    this.mayWait = mayWait;
  }

  /** A context for a caller that may wait (a synchronous request). */
  public static RxContext of(CallerIdentity identity) {
    return new RxContext(identity, true);
  }

  /** A context that may not wait: lock contention fails with LOCK_NOT_GRANTED. */
  public static RxContext noWait(CallerIdentity identity) {
    return new RxContext(identity, false);
  }

  public CallerIdentity identity() {
    return identity;
  }

  /** The "wait" flag: whether the request may block for locks and stable conditions. */
  public boolean mayWait() {
    return mayWait;
  }

  public MajorFunction majorFunction() {
    return majorFunction;
  }

  public boolean isCancelled() {
    return cancelled;
  }

  /** The V_NET_ROOT whose outstanding-request list holds this context, or {@code null}. */
  public VNetRoot registeredOn() {
    return registeredOn;
  }

  /** The FOBX the request is on, if any. */
  public Fobx fobx() {
    return fobx;
  }

  /** The path the request names, for status displays. */
  public String path() {
    return path;
  }

  /**
   * Installs the mini-redirector's cancel routine (MRxCancelRoutine). If the context is already
   * cancelled the routine runs at once. The routine runs at most once and with no RDBSS lock held.
   * A mini-redirector installs it once the request is outstanding at the server (for SMB: on the
   * wire), so that {@link #hasCancelRoutine()} tells a caller its change notification is armed (the
   * SMB mini-redirector's reads install it before their first request: their responses go into the
   * caller's buffer, and the routine takes them back before the caller's wait ends).
   */
  public void setCancelRoutine(Runnable routine) {
    cancelRoutine.set(routine);
    if (cancelled) {
      runCancelRoutine();
    }
  }

  /** Removes the cancel routine (the operation completed). */
  public void clearCancelRoutine() {
    cancelRoutine.set(null);
  }

  /**
   * Removes the cancel routine only if it is still {@code routine}: a late completion never removes
   * the routine of a newer operation on the same context.
   */
  public void clearCancelRoutine(Runnable routine) {
    cancelRoutine.compareAndSet(routine, null);
  }

  /** Whether a cancel routine is installed. */
  public boolean hasCancelRoutine() {
    return cancelRoutine.get() != null;
  }

  /**
   * Cancels the request: flags it cancelled and runs the mini-redirector's cancel routine, if any.
   * A request that is done ignores this.
   */
  public void cancel() {
    cancelled = true;
    runCancelRoutine();
    java.util.concurrent.CompletableFuture<?> p = pending;
    if (p != null) {
      p.completeExceptionally(new RxException(NtStatus.CANCELLED, "request cancelled"));
    }
  }

  /** The asynchronous call the request is waiting for; cancelling fails it with CANCELLED. */
  void attach(java.util.concurrent.CompletableFuture<?> f) {
    pending = f;
    if (cancelled && f != null) {
      f.completeExceptionally(new RxException(NtStatus.CANCELLED, "request cancelled"));
    }
  }

  private void runCancelRoutine() {
    Runnable r = cancelRoutine.getAndSet(null);
    if (r != null) {
      r.run();
    }
  }

  void begin(MajorFunction function, VNetRoot vNetRoot, Fobx fobx, String path) {
    this.majorFunction = function;
    this.fobx = fobx;
    this.path = path;
    if (vNetRoot != null) {
      this.registeredOn = vNetRoot;
      vNetRoot.outstanding.add(this);
    }
  }

  void end() {
    VNetRoot v = registeredOn;
    if (v != null) {
      v.outstanding.remove(this);
      registeredOn = null;
    }
    cancelRoutine.set(null);
  }

  @Override
  public String toString() {
    return "RX_CONTEXT["
        + majorFunction
        + " "
        + (path == null ? "" : path)
        + " for "
        + identity.userName()
        + (cancelled ? ", cancelled" : "")
        + "]";
  }
}
