package org.rdbss4j.core;

import java.util.Objects;

/**
 * The caller a request runs for: RDBSS's logon id (LUID) and session id, plus the user name for
 * display. V_NET_ROOTs are keyed by {@link #logonId()}; one identity never uses another's.
 *
 * @param logonId the logon id; two callers are the same identity exactly when these are equal
 * @param sessionId the session id (a Unix uid, for the service's callers)
 * @param userName the user the identity stands for, for display and as the default user name
 * @param restricted a restricted token: RxCreateVNetRoot refuses it with ACCESS_DENIED
 */
public record CallerIdentity(long logonId, long sessionId, String userName, boolean restricted) {

  public CallerIdentity {
    Objects.requireNonNull(userName, "userName");
  }

  /** A plain, unrestricted identity. */
  public static CallerIdentity of(long logonId, String userName) {
    return new CallerIdentity(logonId, logonId, userName, false);
  }

  /** The identity of this JVM's user (logon id 0). */
  public static CallerIdentity processUser() {
    return of(0, System.getProperty("user.name", "user"));
  }
}
