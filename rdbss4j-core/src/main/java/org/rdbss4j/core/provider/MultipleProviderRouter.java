package org.rdbss4j.core.provider;

import java.util.List;
import java.util.function.Consumer;

/**
 * The multiple provider router (MPR): {@code WNetCancelConnection2} offers a name to each provider
 * in order, stopping at the first WN_SUCCESS or WN_OPEN_FILES; otherwise the last provider's answer
 * is returned (RDBSS.md section 12, step 2). With update-profile and a device name, the persistent
 * profile entry is removed whatever the providers said.
 */
public final class MultipleProviderRouter {
  private final List<NetworkProvider> providers;
  private final Consumer<String> profileRemover;

  /**
   * @param providers the providers in order
   * @param profileRemover removes a device from the persistent connection profile
   */
  public MultipleProviderRouter(List<NetworkProvider> providers, Consumer<String> profileRemover) {
    this.providers = List.copyOf(providers);
    this.profileRemover = profileRemover;
  }

  /** WNetCancelConnection2(name, updateProfile ? CONNECT_UPDATE_PROFILE : 0, force). */
  public int cancelConnection2(String name, boolean updateProfile, boolean force) {
    int result = NetworkProvider.WN_NOT_CONNECTED;
    for (NetworkProvider p : providers) {
      result = p.cancelConnection(name, force);
      if (result == NetworkProvider.WN_SUCCESS || result == NetworkProvider.WN_OPEN_FILES) {
        break;
      }
    }
    if (updateProfile && name.length() == 2 && name.charAt(1) == ':') {
      profileRemover.accept(name.toUpperCase(java.util.Locale.ROOT));
    }
    return result;
  }
}
