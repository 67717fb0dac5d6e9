package org.rdbss4j.smb;

import com.hierynomus.mserref.NtStatus;
import com.hierynomus.mssmb2.DeadLetterPacketData;
import com.hierynomus.mssmb2.SMB2DecryptedPacketData;
import com.hierynomus.mssmb2.SMB2MessageCommandCode;
import com.hierynomus.mssmb2.SMB2MessageFlag;
import com.hierynomus.mssmb2.SMB2PacketData;
import com.hierynomus.mssmb2.SMB2PacketHeader;
import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.protocol.transport.PacketHandlers;
import com.hierynomus.protocol.transport.PacketReceiver;
import com.hierynomus.protocol.transport.TransportException;
import com.hierynomus.protocol.transport.TransportLayer;
import com.hierynomus.security.Mac;
import com.hierynomus.security.SecurityException;
import com.hierynomus.smb.SMBPacket;
import com.hierynomus.smb.SMBPacketData;
import com.hierynomus.smbj.SmbConfig;
import com.hierynomus.smbj.session.Session;
import com.hierynomus.smbj.transport.TransportLayerFactory;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.LongFunction;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's transport ({@link SmbSocketTransport}) with a receiver in front of smbj's own,
 * which takes the SMB2 OPLOCK_BREAK messages smbj 0.14.0 cannot handle (its response parser has no
 * case for the command: the connection would die on the first break).
 *
 * <ul>
 *   <li>A <b>lease or oplock break notification</b> (MessageId 0xFFFFFFFFFFFFFFFF) goes to {@link
 *       Leases#onBreak} and never reaches smbj.
 *   <li>The <b>response to a break acknowledgement</b> (sent through smbj's session, which signs
 *       it, allocates its message id and spends its credit, so that smbj's sequence window and
 *       outstanding requests stay right) is checked here, its signature verified with the session's
 *       signing key, and handed on to smbj rewritten as an SMB2 ECHO response with the same message
 *       id, credits and status, marked as already verified. smbj then grants the credits, retires
 *       the request and completes the acknowledgement's future with it. A response whose signature
 *       fails goes to smbj as a dead letter, as smbj treats any such message.
 * </ul>
 *
 * <p>Encrypted messages pass through untouched: they are decrypted inside smbj, after this
 * receiver. Leases are therefore not requested on sessions that encrypt.
 */
final class BreakInterceptor implements TransportLayerFactory<SMBPacketData<?>, SMBPacket<?, ?>> {
  private static final Logger LOG = LoggerFactory.getLogger(BreakInterceptor.class);
  private static final long NOTIFICATION = 0xFFFFFFFFFFFFFFFFL;

  private final Leases leases;
  private final LongFunction<Session> sessions;
  private final SigningProvider provider;
  private volatile SmbSocketTransport layer;

  private final boolean offerGmac;
  private final java.util.function.Consumer<java.io.IOException> onLost;

  BreakInterceptor(
      Leases leases,
      LongFunction<Session> sessions,
      SigningProvider provider,
      boolean offerGmac,
      java.util.function.Consumer<java.io.IOException> onLost) {
    this.leases = leases;
    this.sessions = sessions;
    this.provider = provider;
    this.offerGmac = offerGmac;
    this.onLost = onLost;
  }

  @Override
  public TransportLayer<SMBPacket<?, ?>> createTransportLayer(
      PacketHandlers<SMBPacketData<?>, SMBPacket<?, ?>> handlers, SmbConfig config) {
    PacketHandlers<SMBPacketData<?>, SMBPacket<?, ?>> wrapped =
        new PacketHandlers<>(
            handlers.getSerializer(),
            new Receiver(handlers.getReceiver()),
            handlers.getPacketFactory());
    SmbSocketTransport l =
        new SmbSocketTransport(
            config.getSocketFactory(),
            config.getSoTimeout(),
            wrapped,
            provider,
            offerGmac,
            sessions,
            onLost);
    layer = l;
    return l;
  }

  /** READs registered for direct delivery and not answered yet, on the connection made. */
  int pendingDirectReads() {
    SmbSocketTransport l = layer;
    return l == null ? 0 : l.pendingDirectReads();
  }

  private final class Receiver implements PacketReceiver<SMBPacketData<?>> {
    private final PacketReceiver<SMBPacketData<?>> smbj;

    Receiver(PacketReceiver<SMBPacketData<?>> smbj) {
      this.smbj = smbj;
    }

    @Override
    public void handle(SMBPacketData<?> packet) throws TransportException {
      if (packet instanceof SMB2PacketData d
          && d.getHeader().getMessage() == SMB2MessageCommandCode.SMB2_OPLOCK_BREAK
          && !d.isCompounded()) {
        SMB2PacketHeader h = d.getHeader();
        byte[] a = d.getDataBuffer().array();
        int start = h.getHeaderStartPosition();
        int end = h.getMessageEndPosition();
        if (h.getMessageId() == NOTIFICATION) {
          notification(a, start, end);
          return;
        }
        SMBPacketData<?> forSmbj;
        try {
          forSmbj = acknowledgementResponse(d, a, start, end);
        } catch (RuntimeException e) {
          // never let a malformed message kill smbj's receive thread
          LOG.warn("malformed lease break acknowledgement response: {}", e.toString());
          forSmbj = new DeadLetterPacketData(h);
        }
        smbj.handle(forSmbj);
        return;
      }
      smbj.handle(packet);
    }

    @Override
    public void handleError(Throwable t) {
      smbj.handleError(t);
    }
  }

  private void notification(byte[] a, int start, int end) {
    try {
      LeaseWire.LeaseBreak b = LeaseWire.parseBreak(a, start, end);
      if (b == null) {
        LOG.warn("malformed oplock break notification ignored");
        return;
      }
      leases.onBreak(b);
    } catch (RuntimeException e) {
      LOG.warn("lease break notification could not be handled: {}", e.toString());
    }
  }

  /** The acknowledgement's response, as an ECHO response smbj can take, or a dead letter. */
  private SMBPacketData<?> acknowledgementResponse(SMB2PacketData d, byte[] a, int start, int end) {
    SMB2PacketHeader h = d.getHeader();
    Session session = sessions.apply(h.getSessionId());
    boolean signed = h.isFlagSet(SMB2MessageFlag.SMB2_FLAGS_SIGNED);
    if (signed
        ? !verify(session, h, a, start, end)
        : session != null && session.isSigningRequired()) {
      LOG.warn("lease break acknowledgement response with a bad or missing signature; dropped");
      return new DeadLetterPacketData(h);
    }
    boolean success = NtStatus.isSuccess(h.getStatusCode());
    int bodyLength = success ? 4 : end - start - SMB2PacketHeader.STRUCTURE_SIZE;
    byte[] out = new byte[SMB2PacketHeader.STRUCTURE_SIZE + bodyLength];
    System.arraycopy(a, start, out, 0, SMB2PacketHeader.STRUCTURE_SIZE);
    int echo = SMB2MessageCommandCode.SMB2_ECHO.getValue();
    out[12] = (byte) echo; // Command
    out[13] = (byte) (echo >> 8);
    Arrays.fill(out, 20, 24, (byte) 0); // NextCommand
    if (success) {
      out[SMB2PacketHeader.STRUCTURE_SIZE] = 4; // ECHO response StructureSize
    } else {
      System.arraycopy(a, start + SMB2PacketHeader.STRUCTURE_SIZE, out, 64, bodyLength);
    }
    try {
      return new SMB2DecryptedPacketData(out);
    } catch (Buffer.BufferException e) {
      return new DeadLetterPacketData(h);
    }
  }

  /** [MS-SMB2] 3.1.5.1: the MAC of the message with a zero signature field, under the key. */
  private boolean verify(Session session, SMB2PacketHeader h, byte[] a, int start, int end) {
    if (session == null) {
      return false;
    }
    SecretKey key = session.getSigningKey(h, false);
    if (key == null) {
      return false;
    }
    try {
      Mac mac = provider.keyed(key);
      mac.update(a, start, SMB2PacketHeader.SIGNATURE_OFFSET);
      mac.update(SMB2PacketHeader.EMPTY_SIGNATURE);
      int rest = start + SMB2PacketHeader.SIGNATURE_OFFSET + SMB2PacketHeader.SIGNATURE_SIZE;
      mac.update(a, rest, end - rest);
      byte[] expected = Arrays.copyOf(mac.doFinal(), SMB2PacketHeader.SIGNATURE_SIZE);
      return MessageDigest.isEqual(expected, h.getSignature());
    } catch (SecurityException | RuntimeException e) {
      LOG.debug("signature check failed: {}", e.toString());
      return false;
    }
  }
}
