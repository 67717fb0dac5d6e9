package org.rdbss4j.service;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RedirectorConfig;
import org.rdbss4j.service.fuse.FuseMounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rdrd, the redirector service: one {@link Redirector} with the configured mini-redirectors, the
 * control socket, the persistent connections (restored at start) and the FUSE mounts of mapped
 * devices. Runs until a {@code stop} request or SIGTERM, then finalizes every connection, unmounts
 * and exits. One rdrd per {@code RDR_HOME}, guarded by a lock file.
 */
public final class Rdrd {
  private final RdrHome home;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Logger log;
  private FileChannel lockChannel;
  private FileLock lock;
  private ControlServer server;
  private RdrService service;
  private boolean stopping;

  private Rdrd(RdrHome home) {
    this.home = home;
  }

  public static void main(String[] args) throws Exception {
    RdrHome home = RdrHome.fromEnvironment();
    home.create();
    configureLogging(home);
    Rdrd d = new Rdrd(home);
    if (!d.start()) {
      System.err.println("rdrd is already running for " + home.dir());
      System.exit(1);
    }
    d.stopped.await();
    System.exit(0);
  }

  private static void configureLogging(RdrHome home) {
    System.setProperty("org.slf4j.simpleLogger.logFile", home.log().toString());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getenv().getOrDefault("RDR_LOG_LEVEL", "info"));
  }

  private boolean start() throws IOException {
    log = LoggerFactory.getLogger(Rdrd.class);
    lockChannel =
        FileChannel.open(home.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      return false;
    }
    ServiceConfig config = ServiceConfig.load(home);
    CallerIdentity owner = ownIdentity();
    clearStaleMounts();
    RedirectorConfig.Builder rc =
        RedirectorConfig.builder()
            .scavengerTimeout(config.scavengerTimeout())
            .dataCacheBudget(config.dataCacheBudget());
    MiniRedirectors.create(config).forEach(rc::miniRedirector);
    Redirector rdr = Redirector.start(rc.build());
    FuseMounter mounter = FuseMounter.probe();
    if (!mounter.available()) {
      log.warn("devices will not be mounted: {}", mounter.reason());
    }
    service = new RdrService(home, rdr, mounter, PersistentConnections.load(home.connections()));
    service.restore(owner);
    server = new ControlServer(home.socket(), new Requests(service, owner, this::stop));
    server.start();
    Files.writeString(home.pidFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "rdrd-shutdown"));
    log.info(
        "rdrd {} started for {} (uid {}) in {}",
        ProcessHandle.current().pid(),
        owner.userName(),
        owner.logonId(),
        home.dir());
    return true;
  }

  /** The identity of this process's user: uid as logon id, user name for display. */
  static CallerIdentity ownIdentity() throws IOException {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    return CallerIdentity.of(uid, System.getProperty("user.name", "uid" + uid));
  }

  private void clearStaleMounts() {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(home.mountRoot())) {
      for (Path p : ds) {
        FuseMounter.unmountStale(p);
      }
    } catch (IOException e) {
      log.debug("no mount root to clear: {}", e.toString());
    }
  }

  /** Stops the service: no new requests, connections finalized, devices unmounted. Idempotent. */
  private void stop() {
    synchronized (this) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    try {
      log.info("rdrd stopping");
      if (server != null) {
        server.close();
      }
      if (service != null) {
        service.close();
      }
      Files.deleteIfExists(home.pidFile());
      lock.release();
      lockChannel.close();
      log.info("rdrd stopped");
    } catch (IOException | RuntimeException e) {
      log.warn("while stopping: {}", e.toString());
    } finally {
      stopped.countDown();
    }
  }
}
