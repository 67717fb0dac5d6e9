package org.rdbss4j.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Unix accounts and Samba passwords for the test users. Passwords reach Samba tools only through
 * standard input or a mode 0600 file, never through process arguments or the environment.
 */
final class SambaAccounts {
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private SambaAccounts() {}

  /** A random password of 24 letters and digits. */
  static char[] randomPassword() {
    char[] password = new char[24];
    for (int i = 0; i < password.length; i++) {
      password[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return password;
  }

  /** Creates a system user without home or login shell unless it already exists. */
  static void ensureUnixUser(String user) {
    if (unixUserExists(user)) {
      return;
    }
    CommandResult created =
        Commands.run(
            List.of(
                Commands.which("useradd"),
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                user),
            null,
            null,
            TIMEOUT);
    // Another JVM may have created the user at the same time: only a still-missing user is fatal.
    if (!created.succeeded() && !unixUserExists(user)) {
      throw new IllegalStateException("useradd " + user + " failed: " + created);
    }
  }

  private static boolean unixUserExists(String user) {
    return Commands.run(List.of(Commands.which("id"), "-u", user), null, null, TIMEOUT).succeeded();
  }

  /** Adds {@code user} to the instance's passdb with {@code password}, fed to smbpasswd's stdin. */
  static void setSambaPassword(Path configFile, String user, char[] password) {
    char[] twice = new char[password.length * 2 + 2];
    System.arraycopy(password, 0, twice, 0, password.length);
    twice[password.length] = '\n';
    System.arraycopy(password, 0, twice, password.length + 1, password.length);
    twice[twice.length - 1] = '\n';
    byte[] stdin = utf8(twice);
    try {
      Commands.check(
          List.of(Commands.which("smbpasswd"), "-c", configFile.toString(), "-a", "-s", user),
          stdin,
          TIMEOUT);
    } finally {
      Arrays.fill(twice, '\0');
      Arrays.fill(stdin, (byte) 0);
    }
  }

  /**
   * Writes an smbclient authentication file ({@code username}, {@code password}, {@code domain}
   * lines) that only its owner can read.
   */
  static void writeAuthFile(Path file, String user, char[] password) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    String head = "username = " + user + "\ndomain = WORKGROUP\npassword = ";
    char[] text = new char[head.length() + password.length + 1];
    head.getChars(0, head.length(), text, 0);
    System.arraycopy(password, 0, text, head.length(), password.length);
    text[text.length - 1] = '\n';
    byte[] bytes = utf8(text);
    try {
      Files.write(file, bytes);
    } finally {
      Arrays.fill(text, '\0');
      Arrays.fill(bytes, (byte) 0);
    }
  }

  private static byte[] utf8(char[] chars) {
    ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
