/**
 * The local mini-redirector: shares that are local directories, claimed under a server name ({@code
 * \\local} by default) with no server process. {@link org.rdbss4j.local.LocalMiniRedirector}
 * implements {@link org.rdbss4j.core.MiniRedirector} and is configured by an immutable {@link
 * org.rdbss4j.local.LocalConfig}.
 *
 * <p>Names resolve case-insensitively and never lead out of a share's directory; sharing modes,
 * byte-range locks and delete-pending state are kept per file across every connection, as a Windows
 * server keeps them; change notifications come from the file system's watch service.
 */
package org.rdbss4j.local;
