/**
 * The RDBSS core: the six node types ({@link org.rdbss4j.core.SrvCall}, {@link
 * org.rdbss4j.core.NetRoot}, {@link org.rdbss4j.core.VNetRoot}, {@link org.rdbss4j.core.Fcb},
 * {@link org.rdbss4j.core.SrvOpen}, {@link org.rdbss4j.core.Fobx}) with their reference counts,
 * conditions and two-phase finalization; the prefix and FCB tables; {@link
 * org.rdbss4j.core.RxContext}; the scavenger; {@code RxFinalizeConnection}; and the {@link
 * org.rdbss4j.core.MiniRedirector} SPI that protocol back ends implement.
 *
 * <p>Start at {@link org.rdbss4j.core.Redirector}. The lock order is in {@link
 * org.rdbss4j.core.LockOrder}; which Java method implements which RDBSS routine is in {@code
 * docs/rdbss-mapping.md}.
 */
package org.rdbss4j.core;
