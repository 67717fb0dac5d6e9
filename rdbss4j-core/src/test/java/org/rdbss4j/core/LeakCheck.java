package org.rdbss4j.core;

import static org.assertj.core.api.Assertions.assertThat;

/** The leak check that ends every test class that builds objects. */
public final class LeakCheck {
  private LeakCheck() {}

  /**
   * Shuts the redirector down (finalizing everything as its close does) and asserts that every node
   * was freed, every table is empty, nothing is marked and no lock-order violation happened.
   */
  public static void assertNoLeaks(Redirector rdr) {
    rdr.drain();
    assertThat(rdr.liveNodes()).as("live nodes after drain").isEmpty();
    assertThat(rdr.prefixTable().size()).as("prefix table entries").isZero();
    assertThat(rdr.scavenger().markedNodes()).as("scavenger-marked nodes").isEmpty();
    assertThat(LockOrder.violations()).as("lock order violations").isZero();
    rdr.close();
  }
}
