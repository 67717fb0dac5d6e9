package org.rdbss4j.nio;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.rdbss4j.core.CallerIdentity;

/**
 * The logon sessions of this JVM's file systems: a caller identity per user named in an {@code env}
 * map without an explicit {@link RdbssEnv#IDENTITY} or {@link RdbssEnv#LOGON_ID}, as if each user
 * had logged on once (a LUID per {@code DOMAIN\USER}, compared ignoring case). RDBSS keys a
 * V_NET_ROOT by logon id, so two users need two logon ids to hold two views of one share.
 */
final class LogonSessions {
  /** The first logon id handed out; below it are the ids callers choose themselves. */
  static final long FIRST_LOGON_ID = 0x10000;

  private static final AtomicLong NEXT = new AtomicLong(FIRST_LOGON_ID);
  private static final Map<String, CallerIdentity> BY_USER = new ConcurrentHashMap<>();

  private LogonSessions() {}

  /** The identity of {@code DOMAIN\USER}, made on first use. */
  static CallerIdentity of(String domain, String user) {
    String key = (domain == null ? "" : domain) + "\\" + user;
    return BY_USER.computeIfAbsent(
        key.toUpperCase(Locale.ROOT),
        k -> {
          long id = NEXT.getAndIncrement();
          return new CallerIdentity(id, id, user, false);
        });
  }
}
