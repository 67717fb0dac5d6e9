package org.rdbss4j.nio;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.MiniRedirector;

/**
 * The test wrapper passes every mini-redirector routine on: a routine it left to the interface's
 * default would run the default instead of the wrapped mini-redirector's, so the provider's tests
 * would not see what production does (a missed {@code completeWrites} once made a read after a
 * write-behind close see the old size).
 */
class ObservedMiniRedirectorTest {
  @Test
  void everyRoutineIsPassedOnToTheWrappedMiniRedirector() throws Exception {
    for (Method m : MiniRedirector.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method own = ObservedMiniRedirector.class.getMethod(m.getName(), m.getParameterTypes());
      assertThat(own.getDeclaringClass()).as(m.getName()).isEqualTo(ObservedMiniRedirector.class);
    }
  }
}
