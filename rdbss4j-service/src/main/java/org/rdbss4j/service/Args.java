package org.rdbss4j.service;

import java.util.Map;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * Typed access to a request's fields: a missing required field or a field of the wrong JSON type is
 * STATUS_INVALID_PARAMETER, and the request changes nothing.
 */
final class Args {
  private final Map<String, Object> m;

  Args(Map<String, Object> m) {
    this.m = m;
  }

  String str(String k, String def) {
    Object v = m.get(k);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s)) {
      throw bad(k, "a string");
    }
    return s;
  }

  String req(String k) {
    String s = str(k, null);
    if (s == null || s.isEmpty()) {
      throw new RxException(NtStatus.INVALID_PARAMETER, "field '" + k + "' is required");
    }
    return s;
  }

  long num(String k, long def) {
    Object v = m.get(k);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Long l)) {
      throw bad(k, "an integer");
    }
    return l;
  }

  boolean bool(String k, boolean def) {
    Object v = m.get(k);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean b)) {
      throw bad(k, "true or false");
    }
    return b;
  }

  private static RxException bad(String k, String what) {
    return new RxException(NtStatus.INVALID_PARAMETER, "field '" + k + "' must be " + what);
  }
}
