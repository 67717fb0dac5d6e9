package org.rdbss4j.local;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.ChangeEvent;
import org.rdbss4j.core.ConnectOptions;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.Credentials;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.FinalizeResult;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.core.provider.Win32Error;

/**
 * The main job on the embedded default: a scripted RDBSS scenario on the local mini-redirector,
 * with no server. It maps a device to a share that is a local directory, opens files, and deletes
 * the connection at each force level, printing every status as {@code net use} would.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    Path root = Files.createTempDirectory("rdbss4j-demo");
    Path shareDir = Files.createDirectories(root.resolve("share"));
    Files.writeString(shareDir.resolve("README.txt"), "a file that was on the share already\n");
    LocalMiniRedirector local =
        new LocalMiniRedirector(LocalConfig.builder().share("share", shareDir).build());
    CallerIdentity me = CallerIdentity.of(1000, System.getProperty("user.name", "user"));
    RedirectorConfig config =
        RedirectorConfig.builder()
            .miniRedirector(local)
            .scavengerTimeout(Duration.ofSeconds(2))
            .build();
    try (Redirector rdr = Redirector.start(config)) {
      say("share \\\\local\\share is the directory " + shareDir);
      VNetRoot x =
          rdr.addConnection(
              RxContext.of(me),
              "\\\\local\\share",
              "X:",
              Credentials.none(),
              ConnectOptions.defaults());
      say("rdr use X: \\\\local\\share            -> " + x.name() + " for " + me.userName());

      FileObject report =
          rdr.create(RxContext.of(me), x, CreateRequest.openReadWrite("report.txt"));
      report.write(0, ByteBuffer.wrap("written through X:\n".getBytes(StandardCharsets.UTF_8)));
      say("open X:\\report.txt and write 19 bytes   (handle held open)");

      status("rdr use X: /delete           (FALSE)", rdr, me, ForceFilesClosed.FALSE);
      status("rdr use X: /delete /lazy     (0xFF) ", rdr, me, ForceFilesClosed.LAZY);
      report.write(
          19, ByteBuffer.wrap("still usable after 0xFF\n".getBytes(StandardCharsets.UTF_8)));
      say(
          "write through the held handle after 0xFF -> OK (lazy delete: gone when the last handle closes)");

      FileObject dir = rdr.create(RxContext.of(me), x, CreateRequest.openDirectory(""));
      RxContext watch = RxContext.of(me);
      AtomicReference<String> watchOutcome = new AtomicReference<>("pending");
      Thread watcher =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      List<ChangeEvent> ev = rdr.notifyChangeDirectory(watch, dir, true);
                      watchOutcome.set("events " + ev);
                    } catch (RxException e) {
                      watchOutcome.set(e.status().toString());
                    }
                  });
      while (x.outstandingRequests().isEmpty() && watcher.isAlive()) {
        Thread.sleep(5);
      }
      say("rdr watch X:\\ /subtree                  (change notification outstanding)");

      status("rdr use X: /delete /y        (TRUE) ", rdr, me, ForceFilesClosed.TRUE);
      watcher.join(5000);
      say("the outstanding watch completed with     " + watchOutcome.get());
      try {
        report.write(0, ByteBuffer.wrap("lost?".getBytes(StandardCharsets.UTF_8)));
        say("write through the orphaned handle -> unexpectedly succeeded");
      } catch (RxException e) {
        say("write through the orphaned handle       -> " + e.status());
      }
      report.close();
      dir.close();
      say("close of the orphaned handles           -> OK");
      say(
          "X:\\report.txt on disk: "
              + Files.readString(shareDir.resolve("report.txt")).replace("\n", "\\n"));
      say(
          "transport to \\\\local kept dormant for reuse: "
              + rdr.liveNodes().stream().anyMatch(n -> n.describe().startsWith("SRV_CALL")));
      rdr.drain();
      say(
          "after the scavenger: live objects = "
              + rdr.liveNodes().size()
              + ", prefix table entries = "
              + rdr.prefixTable().size());
    } finally {
      try (Stream<Path> s = Files.walk(root)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void status(String what, Redirector rdr, CallerIdentity me, ForceFilesClosed f) {
    FinalizeResult r = rdr.deleteConnection(RxContext.of(me), "X:", f, Set.of());
    NtStatus s = r.status();
    Win32Error w = Win32Error.fromNtStatus(s);
    String text =
        s == NtStatus.SUCCESS
            ? w.message()
            : "System error " + w.code() + " has occurred. " + w.message();
    say(what + " -> " + s + ": " + text);
  }

  private static void say(String line) {
    System.out.println(line);
  }
}
