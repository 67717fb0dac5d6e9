package org.rdbss4j.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs one private {@link SambaServer} per test class: started before the
 * class's first test, stopped and deleted after its last, and injected into parameters of type
 * {@code SambaServer} of test methods, lifecycle methods and (with the default per-method test
 * instance lifecycle) constructors.
 *
 * <pre>{@code
 * @ExtendWith(SambaExtension.class)
 * class MyTest {
 *   @Test
 *   void reads(SambaServer samba) { ... samba.port() ... }
 * }
 * }</pre>
 *
 * or, to reach the server from a field:
 *
 * <pre>{@code
 * @RegisterExtension static SambaExtension samba = new SambaExtension();
 * ... samba.server().port() ...
 * }</pre>
 *
 * <p>{@code @Nested} classes share their enclosing class's server.
 */
public final class SambaExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private volatile SambaServer server;
  private volatile String owner;

  /** An extension that starts its server in {@code beforeAll}. */
  public SambaExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (server == null) {
      server = SambaServer.start();
      owner = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getUniqueId().equals(owner)) {
      SambaServer started = server;
      server = null;
      owner = null;
      started.close();
    }
  }

  /**
   * The running server.
   *
   * @throws IllegalStateException outside the lifetime of the test class
   */
  public SambaServer server() {
    SambaServer current = server;
    if (current == null) {
      throw new IllegalStateException("no SambaServer: it runs only from beforeAll to afterAll");
    }
    return current;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SambaServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      return server();
    } catch (IllegalStateException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }
}
