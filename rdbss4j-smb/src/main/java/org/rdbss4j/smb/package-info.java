/**
 * The SMB2/3 mini-redirector: {@link org.rdbss4j.smb.SmbMiniRedirector} implements {@link
 * org.rdbss4j.core.MiniRedirector} over smbj's connections, sessions and SMB2 messages, configured
 * by an immutable {@link org.rdbss4j.smb.SmbOptions}.
 *
 * <p>A SRV_CALL is one connection per server and port ({@code SmbServer}, one {@code SmbTransport}
 * per connection generation); a V_NET_ROOT a session of the caller identity and a tree connect
 * ({@code SmbView}, {@code SmbSession}); a SRV_OPEN an SMB2 file id ({@code SmbHandle}). Requests
 * are SMB2 messages sent through smbj's session (signing, credits, the transport), each operation
 * an {@code Exchange} on a virtual thread that the request context can cancel (SMB2 CANCEL) and
 * that a lost connection fails at once.
 */
package org.rdbss4j.smb;
