package org.rdbss4j.core.provider;

/**
 * A network provider (the NP* entry points of a provider DLL) as the multiple provider router sees
 * it: it answers with WN_* codes, which are Win32 error codes.
 */
public interface NetworkProvider {
  /** WN_SUCCESS. */
  int WN_SUCCESS = 0;

  /** WN_NOT_CONNECTED (ERROR_NOT_CONNECTED). */
  int WN_NOT_CONNECTED = 2250;

  /** WN_OPEN_FILES (ERROR_OPEN_FILES). */
  int WN_OPEN_FILES = 2401;

  /** WN_DEVICE_IN_USE (ERROR_DEVICE_IN_USE). */
  int WN_DEVICE_IN_USE = 2404;

  String name();

  /** NPCancelConnection(name, fForce). */
  int cancelConnection(String name, boolean force);
}
