package org.rdbss4j.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;

class ByteRangeLockTest extends LocalTestBase {
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private FileObject a;
  private FileObject b;

  @BeforeEach
  void openTwoHandles() {
    a = open(ALICE, CreateRequest.openReadWrite("locked.bin"));
    a.write(0, ByteBuffer.allocate(100));
    b = open(BOB, CreateRequest.openReadWrite("locked.bin"));
  }

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** Runs a blocking lock request on another thread; returns once it waits. */
  private CompletableFuture<Void> waitingLock(RxContext c, FileObject fo, long off, long len)
      throws Exception {
    CompletableFuture<Void> f =
        CompletableFuture.runAsync(() -> rdr.lock(c, fo, off, len, true, false), threads);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!c.hasCancelRoutine() && !f.isDone()) {
      assertThat(System.nanoTime()).as("lock request never waited").isLessThan(deadline);
      Thread.sleep(2);
    }
    return f;
  }

  private static NtStatus failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return RxException.of(e.getCause()).status();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void conflictingLockFailsImmediately() {
    a.lock(0, 10, true, false);
    assertThat(statusOf(() -> b.lock(5, 10, true, true))).isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    assertThat(statusOf(() -> b.lock(9, 1, false, true))).isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    b.lock(10, 10, true, true);
    assertThat(statusOf(() -> a.lock(0, 1, true, true)))
        .as("an exclusive lock conflicts with its owner's exclusive requests too")
        .isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    a.lock(0, 1, false, true);
    a.unlock(0, 10);
    a.unlock(0, 1);
    b.unlock(10, 10);
  }

  @Test
  void sharedLocksCoexistAndRefuseExclusive() {
    a.lock(0, 50, false, true);
    b.lock(25, 50, false, true);
    assertThat(statusOf(() -> b.lock(0, 10, true, true))).isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    assertThat(statusOf(() -> a.lock(40, 5, true, true))).isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    a.unlock(0, 50);
    b.unlock(25, 50);
  }

  @Test
  void unlockNeedsTheExactRangeOfOwnLock() {
    a.lock(0, 10, true, true);
    assertThat(statusOf(() -> a.unlock(0, 5))).isEqualTo(NtStatus.RANGE_NOT_LOCKED);
    assertThat(statusOf(() -> b.unlock(0, 10))).isEqualTo(NtStatus.RANGE_NOT_LOCKED);
    a.unlock(0, 10);
    assertThat(statusOf(() -> a.unlock(0, 10))).isEqualTo(NtStatus.RANGE_NOT_LOCKED);
  }

  @Test
  void readsAndWritesConflictWithOtherHandlesLocks() {
    a.lock(0, 10, true, true);
    assertThat(statusOf(() -> b.read(5, ByteBuffer.allocate(10))))
        .isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
    assertThat(statusOf(() -> b.write(0, bytes("x")))).isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
    assertThat(b.read(10, ByteBuffer.allocate(10))).isEqualTo(10);
    assertThat(a.read(0, ByteBuffer.allocate(10))).isEqualTo(10);
    assertThat(a.write(0, bytes("mine"))).isEqualTo(4);
    a.unlock(0, 10);

    b.lock(20, 10, false, true);
    assertThat(a.read(20, ByteBuffer.allocate(10))).isEqualTo(10);
    assertThat(statusOf(() -> a.write(25, bytes("x")))).isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
    b.unlock(20, 10);
    assertThat(a.write(25, bytes("x"))).isEqualTo(1);
  }

  @Test
  void waitingLockIsGrantedWhenTheRangeIsUnlocked() throws Exception {
    a.lock(0, 10, true, true);
    RxContext bc = ctx(BOB);
    CompletableFuture<Void> waiting = waitingLock(bc, b, 0, 10);
    assertThat(catchThrowable(() -> waiting.get(100, TimeUnit.MILLISECONDS)))
        .isInstanceOf(TimeoutException.class);
    a.unlock(0, 10);
    waiting.get(5, TimeUnit.SECONDS);
    assertThat(statusOf(() -> a.lock(0, 1, false, true))).isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    b.unlock(0, 10);
  }

  @Test
  void waitingLockIsCancelledByItsContext() throws Exception {
    a.lock(0, 10, true, true);
    RxContext bc = ctx(BOB);
    CompletableFuture<Void> waiting = waitingLock(bc, b, 0, 10);
    bc.cancel();
    assertThat(failure(waiting)).isEqualTo(NtStatus.CANCELLED);
    a.unlock(0, 10);
    b.lock(0, 10, true, true);
    b.unlock(0, 10);
    assertThat(statusOf(() -> b.unlock(0, 10)))
        .as("the cancelled request was withdrawn, not granted later")
        .isEqualTo(NtStatus.RANGE_NOT_LOCKED);
  }

  @Test
  void locksAreReleasedWhenTheirHandleCloses() throws Exception {
    a.lock(0, 10, true, true);
    RxContext bc = ctx(BOB);
    CompletableFuture<Void> waiting = waitingLock(bc, b, 5, 10);
    a.close();
    waiting.get(5, TimeUnit.SECONDS);
    b.unlock(5, 10);
  }

  @Test
  void lockOnAContextThatMayNotWaitFailsAtOnce() {
    a.lock(0, 10, true, true);
    assertThat(statusOf(() -> rdr.lock(RxContext.noWait(BOB), b, 0, 10, true, false)))
        .isEqualTo(NtStatus.LOCK_NOT_GRANTED);
    a.unlock(0, 10);
  }

  @Test
  void zeroLengthRangesFollowWindows() {
    assertThat(ByteRangeLocks.overlaps(0, 0, 0, 100)).isFalse();
    assertThat(ByteRangeLocks.overlaps(5, 0, 0, 100)).isTrue();
    assertThat(ByteRangeLocks.overlaps(0, 0, 0, 0)).isFalse();
    assertThat(ByteRangeLocks.overlaps(10, 0, 10, 0)).isFalse();
    assertThat(ByteRangeLocks.overlaps(10, 0, 10, 5)).isFalse();
    assertThat(ByteRangeLocks.overlaps(10, 0, 5, 10)).isTrue();
    assertThat(ByteRangeLocks.overlaps(9, 2, 10, 0)).isTrue();
    assertThat(ByteRangeLocks.overlaps(0, 10, 10, 10)).isFalse();
    a.lock(10, 0, true, true);
    b.lock(10, 0, true, true);
    b.lock(10, 5, true, true);
    a.unlock(10, 0);
    b.unlock(10, 0);
    b.unlock(10, 5);
  }

  @Test
  void aServerSideCopyReadsARangeItsSourceHandleLockedButNotOneAnotherHandleLocked()
      throws Exception {
    FileObject target = open(ALICE, CreateRequest.openReadWrite("copy.bin"));
    a.lock(0, 10, true, true);
    assertThat(rdr.copyRange(ctx(ALICE), a, 0, target, 0, 10)).isEqualTo(10);
    assertThat(statusOf(() -> rdr.copyRange(ctx(BOB), b, 0, target, 0, 10)))
        .isEqualTo(NtStatus.FILE_LOCK_CONFLICT);
    a.unlock(0, 10);
  }
}
