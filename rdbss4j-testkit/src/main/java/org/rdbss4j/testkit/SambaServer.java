package org.rdbss4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A private Samba {@code smbd} on 127.0.0.1 for integration tests, usable with or without JUnit
 * (see {@link SambaExtension}).
 *
 * <p>{@link #start()} creates a temporary directory with its own {@code smb.conf}, passdb, lock,
 * state, cache, pid and log directories and one directory per share, adds the test users with
 * random passwords, starts {@code smbd --foreground} on a free port and returns once smbclient can
 * list share {@value #RW}. {@link #close()} stops smbd and everything it started and deletes the
 * directory.
 *
 * <table>
 *   <caption>Shares and rights</caption>
 *   <tr><th>share</th><th>{@value #ALICE}</th><th>{@value #BOB}</th></tr>
 *   <tr><td>{@value #RW}</td><td>read-write</td><td>read-write</td></tr>
 *   <tr><td>{@value #RO}</td><td>read-only</td><td>read-only</td></tr>
 *   <tr><td>{@value #ALICE_SHARE}</td><td>read-write</td><td>denied</td></tr>
 * </table>
 *
 * <p>Requires root (it creates the Unix users and smbd switches to them) and the Samba packages;
 * {@code scripts/install-deps.sh} installs them.
 */
public final class SambaServer implements AutoCloseable {
  /** The address smbd listens on, and the only one. */
  public static final String HOST = SambaConfig.HOST;

  /** A user with read-write access to every writable share. */
  public static final String ALICE = "alice";

  /** A user with access to {@value #RW} and {@value #RO} but not to {@value #ALICE_SHARE}. */
  public static final String BOB = "bob";

  /** A share every user may read and write. */
  public static final String RW = "rw";

  /** A share every user may read but nobody may write. */
  public static final String RO = "ro";

  /** A read-write share only {@value #ALICE} may open ({@code valid users = alice}). */
  public static final String ALICE_SHARE = "alice";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
  private static final List<SambaConfig.Share> SHARES =
      List.of(
          new SambaConfig.Share(RW, false, List.of()),
          new SambaConfig.Share(RO, true, List.of()),
          new SambaConfig.Share(ALICE_SHARE, false, List.of(ALICE)));

  private final SambaConfig config;
  private final int port;
  private final SmbdProcess smbd;
  private final Map<String, char[]> passwords = new LinkedHashMap<>();
  private final Thread shutdownHook;
  private volatile boolean closed;

  private SambaServer(SambaConfig config, int port) {
    this.config = config;
    this.port = port;
    this.smbd = new SmbdProcess(config, port);
    this.shutdownHook = new Thread(this::onJvmExit, "samba-testkit-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Provisions and starts a new server and waits until it serves.
   *
   * @throws IllegalStateException if not root, if Samba is missing, or if smbd does not answer
   *     within 20 seconds; the message then includes the tail of smbd's log
   */
  public static SambaServer start() throws IOException {
    requireRoot();
    Commands.which("smbd");
    Commands.which("smbclient");
    SambaServer server = new SambaServer(SambaConfig.create(tempParent(), SHARES), freePort());
    try {
      server.provision();
      server.launch();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void provision() throws IOException {
    config.write(port);
    Commands.check(
        List.of(Commands.which("testparm"), "-s", config.configFile.toString()),
        null,
        CLIENT_TIMEOUT);
    for (String user : List.of(ALICE, BOB)) {
      char[] password = SambaAccounts.randomPassword();
      passwords.put(user, password);
      SambaAccounts.ensureUnixUser(user);
      SambaAccounts.setSambaPassword(config.configFile, user, password);
      SambaAccounts.writeAuthFile(authFile(user), user, password);
    }
  }

  private void launch() throws IOException {
    smbd.launch();
    smbd.awaitReady(READY_TIMEOUT, () -> smbclient(RW, ALICE, "ls", Duration.ofSeconds(5)));
  }

  /** The TCP port smbd listens on at {@value #HOST}; it stays the same across restarts. */
  public int port() {
    return port;
  }

  /** The private {@code smb.conf}; pass it as {@code -s} to Samba tools. */
  public Path configFile() {
    return config.configFile;
  }

  /** The temporary directory that holds everything of this server. */
  public Path rootDir() {
    return config.root;
  }

  /** The directory on disk that backs {@code share}. */
  public Path shareDir(String share) {
    if (SHARES.stream().noneMatch(s -> s.name().equals(share))) {
      throw new IllegalArgumentException("no share " + share + "; shares are " + shares());
    }
    return config.shareDir(share);
  }

  /** The share names. */
  public List<String> shares() {
    return SHARES.stream().map(SambaConfig.Share::name).toList();
  }

  /** The user names. */
  public List<String> users() {
    return List.copyOf(passwords.keySet());
  }

  /** A copy of {@code user}'s password for this run; wipe it after use. */
  public char[] password(String user) {
    return requireUser(user).clone();
  }

  /** An smbclient authentication file (mode 0600) with {@code user}'s credentials. */
  public Path authFile(String user) {
    requireUser(user);
    return config.authDir.resolve(user + ".auth");
  }

  private char[] requireUser(String user) {
    char[] password = passwords.get(user);
    if (password == null) {
      throw new IllegalArgumentException("no user " + user + "; users are " + users());
    }
    return password;
  }

  /** The pid of the main smbd process. */
  public long pid() {
    return smbd.pid();
  }

  /** Whether smbd is running (possibly frozen by {@link #stop()}). */
  public boolean isRunning() {
    return smbd.isRunning();
  }

  /** Whether smbd is frozen by {@link #stop()}. */
  public boolean isStopped() {
    return smbd.isStopped();
  }

  /** The last {@code lines} lines of smbd's log. */
  public String logTail(int lines) {
    return smbd.logTail(lines);
  }

  /**
   * Runs {@code smbclient //127.0.0.1/share -c commands} as {@code user}, e.g. {@code "put
   * /tmp/a.txt a.txt; get a.txt /tmp/b.txt"}. Credentials come from {@link #authFile(String)}.
   */
  public CommandResult smbclient(String share, String user, String commands) {
    return smbclient(share, user, commands, CLIENT_TIMEOUT);
  }

  /**
   * Like {@link #smbclient(String, String, String)}, but smbclient is killed after {@code timeout}
   * (exit code -1). smbclient's own {@code --timeout} is set too, but it does not cover protocol
   * negotiation, which waits 20 s on a server frozen by {@link #stop()}.
   */
  public CommandResult smbclient(String share, String user, String commands, Duration timeout) {
    return Commands.run(
        smbclientCommand(share, authFile(user), timeout, commands), null, null, timeout);
  }

  /** Like {@link #smbclient(String, String, String)}, with any password, e.g. a wrong one. */
  public CommandResult smbclient(String share, String user, char[] password, String commands) {
    Path file = config.authDir.resolve("once-" + UUID.randomUUID() + ".auth");
    try {
      SambaAccounts.writeAuthFile(file, user, password);
      return Commands.run(
          smbclientCommand(share, file, CLIENT_TIMEOUT, commands),
          null,
          null,
          CLIENT_TIMEOUT.plusSeconds(5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(file);
    }
  }

  /**
   * Starts an interactive smbclient connected to {@code share} as {@code user} and returns once it
   * has a session and tree connect; it holds them until closed. smbclient runs under {@code stdbuf
   * --output=0} because it block-buffers its output into a pipe. {@code options} are further
   * smbclient options (e.g. {@code --client-protection=sign}).
   */
  public SmbClientSession openSmbclient(String share, String user, String... options)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(Commands.which("stdbuf"), "--output=0"));
    command.addAll(smbclientCommand(share, authFile(user), CLIENT_TIMEOUT, null));
    command.addAll(List.of(options));
    return SmbClientSession.start(command, Duration.ofSeconds(15));
  }

  private List<String> smbclientCommand(
      String share, Path auth, Duration timeout, String commands) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Commands.which("smbclient"),
                "//" + HOST + "/" + share,
                "--port=" + port,
                "--configfile=" + config.configFile,
                "--authentication-file=" + auth,
                "--timeout=" + Math.max(1, timeout.toSeconds())));
    if (commands != null) {
      command.add("--command=" + commands);
    }
    return command;
  }

  /**
   * Runs {@code smbstatus} against this server and parses its report: JSON when the installed Samba
   * supports {@code --json} (as its {@code --help} tells; 4.17 does), the plain tables otherwise.
   */
  public SmbStatus smbstatus() {
    return SmbStatusReader.read(config.configFile);
  }

  /**
   * The raw output of {@code smbstatus} with options the parsed report leaves out ({@code
   * --notify}).
   */
  public String smbstatusReport(String... options) {
    return SmbStatusReader.report(config.configFile, options);
  }

  /**
   * smbd's request counters since it started ({@code smbstatus --profile}), such as {@code
   * smb2_create_count}, {@code smb2_getinfo_count} (QUERY_INFO), {@code smb2_find_count}
   * (QUERY_DIRECTORY) and {@code smb2_close_count}: what every client sent, so a test takes the
   * difference over what it did.
   */
  public java.util.Map<String, Long> requestCounts() {
    return SmbStatusReader.profile(config.configFile);
  }

  /**
   * The number of TCP connections to smbd's port in state ESTABLISHED, from {@code /proc/net/tcp}
   * and {@code /proc/net/tcp6}: every client socket, whether or not it has a session yet.
   */
  public int establishedConnectionCount() {
    return SmbStatusReader.establishedConnections(port);
  }

  /** SIGKILLs smbd, its children and its RPC helpers, as a crash would. */
  public void kill() {
    smbd.kill();
  }

  /** SIGSTOPs smbd and its processes: TCP connects still succeed but nothing answers. */
  public void stop() {
    smbd.stop();
  }

  /** SIGCONTs the processes {@link #stop()} froze. */
  public void resume() {
    smbd.resume();
  }

  /**
   * Starts smbd again on the same port with the same config, users, passwords and share contents,
   * after shutting down the running one if any, and waits until it serves.
   */
  public void restart() throws IOException {
    if (closed) {
      throw new IllegalStateException("server is closed");
    }
    smbd.terminate();
    launch();
  }

  /** Stops smbd and everything it started, and deletes the temporary directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      smbd.terminate();
    } finally {
      deleteTree(config.root);
      passwords.values().forEach(p -> Arrays.fill(p, '\0'));
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down; the hook is running or ran.
      }
    }
  }

  private void onJvmExit() {
    if (!closed) {
      smbd.killNow();
      deleteTree(config.root);
    }
  }

  @Override
  public String toString() {
    return "SambaServer[" + HOST + ":" + port + ", " + config.root + "]";
  }

  private static void requireRoot() throws IOException {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!Integer.valueOf(0).equals(uid)) {
      throw new IllegalStateException(
          "SambaServer must run as root (uid "
              + uid
              + "): it creates Unix users for the test"
              + " accounts and smbd switches to them");
    }
  }

  /**
   * The parent of the temporary directory: {@code rdbss4j.testkit.tmpdir} or {@code
   * java.io.tmpdir}. Every ancestor must be searchable by others, since smbd serves the shares as
   * the test users.
   */
  private static Path tempParent() throws IOException {
    String dir = System.getProperty("rdbss4j.testkit.tmpdir", System.getProperty("java.io.tmpdir"));
    Path parent = Path.of(dir).toAbsolutePath();
    for (Path p = parent; p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IllegalStateException(
            p
                + " is not searchable by other users, so smbd cannot reach the shares as the test"
                + " users; set -Drdbss4j.testkit.tmpdir=/tmp");
      }
    }
    return parent;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(SambaServer::deleteQuietly);
    } catch (IOException e) {
      System.getLogger(SambaServer.class.getName())
          .log(System.Logger.Level.WARNING, "cannot delete " + root, e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // Left for the OS to clean up with the temporary directory.
    }
  }
}
