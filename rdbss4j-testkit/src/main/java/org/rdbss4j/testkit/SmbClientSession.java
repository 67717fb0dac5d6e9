package org.rdbss4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An interactive {@code smbclient} that stays connected to a share until closed: it holds an SMB
 * session, a tree connect and a TCP connection open, so tests can observe them with {@link
 * SambaServer#smbstatus()} or break them with the fault-injection methods.
 *
 * <p>Obtain one with {@link SambaServer#openSmbclient(String, String)}.
 */
public final class SmbClientSession implements AutoCloseable {
  private static final String MARKER = "Current directory is";

  private final Process process;
  private final OutputStream stdin;
  private final StringBuffer output = new StringBuffer();

  private SmbClientSession(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread.ofVirtual().start(this::pump);
  }

  /** Starts smbclient and waits until it has a tree connect, i.e. answers a {@code pwd}. */
  static SmbClientSession start(List<String> command, Duration timeout) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    SmbClientSession session = new SmbClientSession(process);
    try {
      session.send("pwd");
      session.awaitOutput(MARKER, timeout);
    } catch (IllegalStateException | IOException e) {
      session.close();
      throw e;
    }
    return session;
  }

  /** Sends one smbclient command line (e.g. {@code "ls"}). */
  public void send(String commandLine) throws IOException {
    stdin.write((commandLine + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /**
   * Waits until smbclient's output so far contains {@code text}.
   *
   * @throws IllegalStateException if smbclient exits or the timeout passes first
   */
  public void awaitOutput(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output.toString().contains(text)) {
      if (!process.isAlive() && !output.toString().contains(text)) {
        throw new IllegalStateException("smbclient exited: " + output);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("smbclient did not print '" + text + "': " + output);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** Everything smbclient printed so far. */
  public String output() {
    return output.toString();
  }

  /** Whether the smbclient process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The smbclient process's pid. */
  public long pid() {
    return process.pid();
  }

  /** Ends the session with {@code exit}, and kills smbclient if it does not leave in 5 s. */
  @Override
  public void close() {
    try {
      send("exit");
      stdin.close();
    } catch (IOException e) {
      // smbclient has gone already.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void pump() {
    byte[] buffer = new byte[4096];
    try (InputStream in = process.getInputStream()) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // The process ended.
    }
  }
}
