package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.ChangeEvent;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.SambaServer;

/** SMB2 CHANGE_NOTIFY and LOCK, each cancelled with SMB2 CANCEL. */
class SmbNotifyAndLockTest extends SmbTestBase {

  @Test
  void changeNotifyReportsAFileCreatedOnTheServer() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    FileObject dir = open(x, CreateRequest.openDirectory(""));
    CompletableFuture<List<ChangeEvent>> events =
        CompletableFuture.supplyAsync(
            () -> rdr.notifyChangeDirectory(RxContext.of(ALICE), dir, false));
    assertThat(eventually(Duration.ofSeconds(5), () -> !x.outstandingRequests().isEmpty()))
        .isTrue();
    Thread.sleep(200);
    Files.writeString(samba().shareDir(SambaServer.RW).resolve("new.txt"), "x");
    assertThat(events.get(5, TimeUnit.SECONDS))
        .contains(new ChangeEvent(ChangeEvent.Action.ADDED, "new.txt"));
  }

  @Test
  void cancellingAPendingNotifyCompletesItWithCancelled() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    FileObject dir = open(x, CreateRequest.openDirectory(""));
    RxContext ctx = RxContext.of(ALICE);
    CompletableFuture<List<ChangeEvent>> events =
        CompletableFuture.supplyAsync(() -> rdr.notifyChangeDirectory(ctx, dir, true));
    assertThat(eventually(Duration.ofSeconds(5), ctx::hasCancelRoutine)).isTrue();
    ctx.cancel();
    assertThat(statusOf(() -> join(events))).isEqualTo(NtStatus.CANCELLED);
    // the handle is still good: a second notify sees a change
    CompletableFuture<List<ChangeEvent>> next =
        CompletableFuture.supplyAsync(
            () -> rdr.notifyChangeDirectory(RxContext.of(ALICE), dir, false));
    assertThat(eventually(Duration.ofSeconds(5), () -> x.outstandingRequests().size() == 1))
        .isTrue();
    Thread.sleep(200);
    Files.createDirectory(samba().shareDir(SambaServer.RW).resolve("d"));
    assertThat(next.get(5, TimeUnit.SECONDS))
        .contains(new ChangeEvent(ChangeEvent.Action.ADDED, "d"));
  }

  @Test
  void byteRangeLocksConflictBetweenHandlesAndAreReleasedAtCleanup() throws Exception {
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    VNetRoot y = use(BOB, SambaServer.RW, "Y:");
    FileObject a = open(x, CreateRequest.openReadWrite("locks.bin"));
    writeAll(a, 0, new byte[100]);
    FileObject b = open(y, CreateRequest.openReadWrite("locks.bin"));
    a.lock(0, 10, true, true);
    assertThat(statusOf(() -> b.lock(5, 10, true, true)))
        .isIn(NtStatus.LOCK_NOT_GRANTED, NtStatus.FILE_LOCK_CONFLICT);
    b.lock(10, 10, true, true);

    RxContext waiting = RxContext.of(BOB);
    CompletableFuture<Void> blocked =
        CompletableFuture.runAsync(() -> rdr.lock(waiting, b, 0, 5, true, false));
    assertThat(eventually(Duration.ofSeconds(5), waiting::hasCancelRoutine)).isTrue();
    Thread.sleep(200);
    assertThat(blocked).isNotDone();
    a.unlock(0, 10);
    blocked.get(5, TimeUnit.SECONDS);

    RxContext cancelled = RxContext.of(ALICE);
    CompletableFuture<Void> other =
        CompletableFuture.runAsync(() -> rdr.lock(cancelled, a, 0, 5, false, false));
    assertThat(eventually(Duration.ofSeconds(5), cancelled::hasCancelRoutine)).isTrue();
    cancelled.cancel();
    assertThat(statusOf(() -> join(other))).isEqualTo(NtStatus.CANCELLED);

    b.close();
    a.lock(0, 20, true, true);
  }
}
