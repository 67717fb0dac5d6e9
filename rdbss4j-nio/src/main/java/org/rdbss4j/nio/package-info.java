/**
 * A {@code java.nio.file} provider over a {@link org.rdbss4j.core.Redirector}: {@code
 * rdbss://server[:port]/share/path} URIs, one {@link org.rdbss4j.nio.RdbssFileSystem} per share and
 * identity (a V_NET_ROOT), Windows-like case-insensitive {@link org.rdbss4j.nio.RdbssPath}s, file
 * channels with server byte-range locks, the {@code basic} and {@code dos} attribute views, a file
 * store with the share's sizes and a watch service fed by change notifications.
 *
 * <p>Public: {@link org.rdbss4j.nio.RdbssFileSystemProvider}, {@link
 * org.rdbss4j.nio.RdbssFileSystem}, {@link org.rdbss4j.nio.RdbssPath}, {@link
 * org.rdbss4j.nio.RdbssPaths} (UNC strings), {@link org.rdbss4j.nio.RdbssEnv} (the typed env keys)
 * and {@link org.rdbss4j.nio.MiniRedirectorRegistry} (the shared redirector's mini-redirectors).
 * Path syntax ({@code PathSyntax}, {@code Name}) is kept apart from the requests ({@code
 * ShareSession}) and from the lifecycle ({@code FileSystemState}), as in jimfs. NTSTATUS codes
 * become {@code java.nio.file} exceptions in one place, {@code StatusExceptions}. {@code
 * docs/nio.md} describes the URI form, the env keys and the differences from the default file
 * system.
 */
package org.rdbss4j.nio;
