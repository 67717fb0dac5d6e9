package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The states of a {@link DirectRead}: nothing is written into a slice after it was revoked. */
class DirectReadTest {
  @Test
  void aRevokedSliceIsNeverClaimed() {
    AtomicBoolean cut = new AtomicBoolean();
    DirectRead d = new DirectRead(ByteBuffer.allocate(10), () -> cut.set(true));
    d.revoke(Duration.ofSeconds(1));
    assertThat(d.claim()).isNull();
    assertThat(d.delivered()).isEqualTo(-1);
    assertThat(cut).isFalse();
  }

  @Test
  void aFilledSliceReportsWhatWasWritten() {
    ByteBuffer b = ByteBuffer.allocate(10);
    DirectRead d = new DirectRead(b, () -> {});
    assertThat(d.capacity()).isEqualTo(10);
    assertThat(d.delivered()).isEqualTo(-1);
    assertThat(d.claim()).isSameAs(b);
    assertThat(d.claim()).isNull();
    d.finish(7);
    assertThat(d.delivered()).isEqualTo(7);
  }

  @Test
  void revokeWaitsForAFillInProgress() throws Exception {
    DirectRead d = new DirectRead(ByteBuffer.allocate(10), () -> {});
    assertThat(d.claim()).isNotNull();
    CountDownLatch revoked = new CountDownLatch(1);
    Thread t = revokeInBackground(d, revoked);
    assertThat(revoked.await(200, TimeUnit.MILLISECONDS)).isFalse();
    d.finish(10);
    assertThat(revoked.await(10, TimeUnit.SECONDS)).isTrue();
    t.join();
  }

  @Test
  void aFillThatDoesNotEndInTimeIsEndedByCuttingTheConnection() throws Exception {
    DirectRead[] self = new DirectRead[1];
    // the cut closes the socket: the receive thread's read fails and it finishes with nothing
    DirectRead d =
        new DirectRead(
            ByteBuffer.allocate(10), () -> Thread.ofPlatform().start(() -> self[0].finish(-1)));
    self[0] = d;
    assertThat(d.claim()).isNotNull();
    d.revoke(Duration.ZERO);
    assertThat(d.delivered()).isEqualTo(-1);
  }

  @Test
  void aRevocationStopsAFillAtItsNextPieceWithoutCuttingTheConnection() throws Exception {
    AtomicBoolean cut = new AtomicBoolean();
    DirectRead d = new DirectRead(ByteBuffer.allocate(10), () -> cut.set(true));
    assertThat(d.claim()).isNotNull();
    assertThat(d.keepFilling()).isTrue(); // the first piece is read
    CountDownLatch revoked = new CountDownLatch(1);
    Thread t = revokeInBackground(d, revoked);
    // the revocation waits for the piece being read, then the receive thread stops
    assertThat(revoked.await(200, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(d.keepFilling()).isFalse();
    assertThat(revoked.await(10, TimeUnit.SECONDS)).isTrue();
    t.join();
    d.finish(10); // the receive thread's own finish changes nothing now
    assertThat(d.delivered()).isEqualTo(-1);
    assertThat(cut).isFalse();
  }

  /** Revokes {@code d} on a thread of its own (patience 30 s), counting {@code done} down after. */
  private static Thread revokeInBackground(DirectRead d, CountDownLatch done) {
    return Thread.ofPlatform()
        .start(
            () -> {
              d.revoke(Duration.ofSeconds(30));
              done.countDown();
            });
  }
}
