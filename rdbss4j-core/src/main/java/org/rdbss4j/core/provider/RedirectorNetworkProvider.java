package org.rdbss4j.core.provider;

import java.util.Set;
import org.rdbss4j.core.CallerIdentity;
import org.rdbss4j.core.ForceFilesClosed;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.Redirector;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;

/**
 * rdbss4j's network provider: NPCancelConnection over a {@link Redirector}'s delete handler. A name
 * that is not one of the caller's connections is WN_NOT_CONNECTED and no delete is sent.
 */
public final class RedirectorNetworkProvider implements NetworkProvider {
  private final Redirector rdr;
  private final CallerIdentity identity;

  public RedirectorNetworkProvider(Redirector rdr, CallerIdentity identity) {
    this.rdr = rdr;
    this.identity = identity;
  }

  @Override
  public String name() {
    return "rdbss4j";
  }

  @Override
  public int cancelConnection(String name, boolean force) {
    try {
      NtStatus s =
          rdr.deleteConnection(
                  RxContext.of(identity),
                  name,
                  force ? ForceFilesClosed.TRUE : ForceFilesClosed.FALSE,
                  Set.of())
              .status();
      return Win32Error.fromNtStatus(s).code();
    } catch (RxException e) {
      return e.status() == NtStatus.BAD_NETWORK_NAME
          ? WN_NOT_CONNECTED
          : Win32Error.fromNtStatus(e.status()).code();
    }
  }
}
