package org.rdbss4j.core;

import java.util.Arrays;

/**
 * Explicit credentials of a connection: user, domain and password. The password is held only for
 * the life of the V_NET_ROOT that owns it, is wiped by {@link #destroy()}, and never appears in
 * {@link #toString()} or a log.
 */
public final class Credentials {
  private final String userName;
  private final String domain;
  private final char[] password;
  private volatile boolean destroyed;

  public Credentials(String userName, String domain, char[] password) {
    this.userName = userName == null ? "" : userName;
    this.domain = domain == null ? "" : domain;
    this.password = password == null ? new char[0] : password.clone();
  }

  /** No explicit credentials: the mini-redirector uses the caller identity's defaults. */
  public static Credentials none() {
    return new Credentials("", "", null);
  }

  public String userName() {
    return userName;
  }

  public String domain() {
    return domain;
  }

  /** A copy of the password; the caller should wipe it after use. */
  public char[] password() {
    if (destroyed) {
      throw new IllegalStateException("credentials destroyed");
    }
    return password.clone();
  }

  public boolean isEmpty() {
    return userName.isEmpty() && password.length == 0;
  }

  /** Wipes the password; called when the V_NET_ROOT is freed. */
  public void destroy() {
    Arrays.fill(password, '\0');
    destroyed = true;
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "Credentials[user="
        + (domain.isEmpty() ? "" : domain + "\\")
        + userName
        + ", password=***]";
  }
}
