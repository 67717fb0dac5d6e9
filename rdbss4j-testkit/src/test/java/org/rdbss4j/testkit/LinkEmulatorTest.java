package org.rdbss4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The relay carries both directions byte for byte, ends a direction when its sender does, and holds
 * bytes back by at least its delay and its rate (lower bounds: what the link promises, not a speed
 * of this project's code).
 */
class LinkEmulatorTest {
  @Test
  void echoesThroughTheLinkIntactNoSoonerThanDelayAndRateAllow() throws Exception {
    byte[] data = new byte[2 * 1024 * 1024];
    new Random(5).nextBytes(data);
    try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> server =
          CompletableFuture.runAsync(
              () -> {
                try (Socket s = echo.accept()) {
                  s.getInputStream().transferTo(s.getOutputStream());
                  s.shutdownOutput();
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      long rate = 20_000_000; // 20 MB/s each way
      Duration delay = Duration.ofMillis(20);
      try (LinkEmulator link = LinkEmulator.start(echo.getLocalPort(), rate, delay);
          Socket c = new Socket(InetAddress.getLoopbackAddress(), link.port())) {
        long t0 = System.nanoTime();
        CompletableFuture<byte[]> back =
            CompletableFuture.supplyAsync(
                () -> {
                  try (InputStream in = c.getInputStream()) {
                    return in.readAllBytes();
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                });
        OutputStream out = c.getOutputStream();
        out.write(data);
        c.shutdownOutput();
        byte[] got = back.get();
        long took = System.nanoTime() - t0;
        assertThat(got).isEqualTo(data);
        // two trips of the delay, and the bytes through one direction at the rate
        long floor = 2 * delay.toNanos() + (long) (data.length * 1e9 / rate);
        assertThat(took).isGreaterThanOrEqualTo(floor);
        server.get();
      }
    }
  }
}
