package org.rdbss4j.smb;

import static org.rdbss4j.smb.Wire.isSmb2;
import static org.rdbss4j.smb.Wire.u16;
import static org.rdbss4j.smb.Wire.u32;

import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.mssmb2.SMB2PacketData;
import com.hierynomus.protocol.commons.buffer.Buffer;
import com.hierynomus.smb.SMBBuffer;
import java.io.IOException;

/**
 * AES-GMAC signing for SMB 3.1.1, which smbj 0.14 cannot negotiate, added on the wire (MS-SMB2
 * 2.2.3.1.7). Sending NEGOTIATE, an SMB2_SIGNING_CAPABILITIES context offering AES-GMAC, then
 * AES-CMAC is appended to the request smbj serialized, in its own buffer, so that the preauth
 * integrity hash smbj computes over that buffer covers it. Receiving the answer, the server's
 * choice is read and its context hidden from smbj's parser, which fails on a context type it does
 * not know: the parser sees one context fewer, while the hash still reads the response as received
 * (both come from the same {@link SMBBuffer}, the hash with one read of the whole message). The
 * server's choice goes to the connection's {@link SigningProvider}.
 */
final class NegotiateSigning {
  private static final int HEADER = 64;
  private static final int NEGOTIATE = 0x0000;
  private static final int SMB_3_1_1 = 0x0311;
  private static final int SIGNING_CAPABILITIES = 0x0008;
  static final int AES_CMAC = 0x0001;
  static final int AES_GMAC = 0x0002;
  private static final int SERVER_TO_REDIR = 0x1;

  private NegotiateSigning() {}

  /**
   * Appends the signing capabilities to a serialized NEGOTIATE that offers SMB 3.1.1 (and so has
   * negotiate contexts); leaves any other alone.
   */
  static void offer(Buffer<?> data, SMB2Packet request) {
    int start = request.getHeader().getHeaderStartPosition();
    byte[] a = data.array();
    int body = start + HEADER;
    if (data.wpos() < body + 36 || u16(a, start + 12) != NEGOTIATE) {
      return;
    }
    int dialects = u16(a, body + 2);
    boolean smb311 = false;
    for (int i = 0; i < dialects && body + 36 + 2 * i + 2 <= data.wpos(); i++) {
      smb311 |= u16(a, body + 36 + 2 * i) == SMB_3_1_1;
    }
    if (!smb311 || u32(a, body + 28) == 0) {
      return;
    }
    // smbj puts the contexts right after the dialects, 8-byte aligned, but for 2 or 6 dialects
    // (whose list ends aligned) writes an offset 8 bytes too far: the offset where they are
    int contexts = HEADER + ((36 + 2 * dialects + 7) & ~7);
    a[body + 28] = (byte) contexts;
    a[body + 29] = (byte) (contexts >> 8);
    a[body + 30] = 0;
    a[body + 31] = 0;
    // contexts start 8-byte aligned from the header; the last one smbj wrote has no padding
    int pad = (8 - (data.wpos() - start) % 8) % 8;
    data.putRawBytes(new byte[pad]);
    data.putUInt16(SIGNING_CAPABILITIES);
    data.putUInt16(6); // DataLength: the count and two algorithms
    data.putUInt32(0); // Reserved
    data.putUInt16(2); // SigningAlgorithmCount
    data.putUInt16(AES_GMAC); // preferred first
    data.putUInt16(AES_CMAC);
    byte[] b = data.array(); // the puts may have grown it
    int count = u16(b, body + 32) + 1;
    b[body + 32] = (byte) count;
    b[body + 33] = (byte) (count >> 8);
    request.getHeader().setMessageEndPosition(data.wpos());
  }

  /**
   * A NEGOTIATE response choosing SMB 3.1.1 with a signing capabilities context: records the
   * server's choice in {@code provider} and returns the message as smbj can read it; null for any
   * other message (smbj reads it as it is).
   *
   * @throws IOException if the context is malformed or not the last one (it cannot be hidden then)
   */
  static SMB2PacketData accept(byte[] packet, SigningProvider provider)
      throws IOException, Buffer.BufferException {
    if (packet.length < HEADER + 64
        || !isSmb2(packet)
        || u16(packet, 12) != NEGOTIATE
        || (u32(packet, 16) & SERVER_TO_REDIR) == 0
        || u32(packet, 8) != 0) {
      return null;
    }
    int body = HEADER;
    if (u16(packet, body + 4) != SMB_3_1_1) {
      return null;
    }
    int count = u16(packet, body + 6);
    int at = u32(packet, body + 60);
    int signingAt = -1;
    int signingEnd = -1;
    for (int i = 0; i < count; i++) {
      if (at < 0 || at + 8 > packet.length) {
        throw new IOException("a negotiate context lies outside the NEGOTIATE response");
      }
      int type = u16(packet, at);
      int length = u16(packet, at + 2);
      int data = at + 8;
      if (data + length > packet.length) {
        throw new IOException("a negotiate context runs past the NEGOTIATE response");
      }
      if (type == SIGNING_CAPABILITIES) {
        if (signingAt >= 0) {
          throw new IOException("the server sent two signing capabilities");
        }
        if (length < 4 || u16(packet, data) != 1) {
          throw new IOException("the server's signing capabilities do not name one algorithm");
        }
        int algorithm = u16(packet, data + 2);
        if (algorithm != AES_GMAC && algorithm != AES_CMAC) {
          throw new IOException("the server chose signing algorithm " + algorithm);
        }
        signingAt = at;
        signingEnd = data + length;
      }
      at = (data + length + 7) & ~7;
    }
    if (signingAt < 0) {
      return null;
    }
    AsReceived shown = new AsReceived(without(packet, body, signingAt, signingEnd, count), packet);
    // the choice counts only for a response smbj gets
    if (u16(packet, signingAt + 10) == AES_GMAC) {
      provider.useGmac();
    }
    return shown;
  }

  /**
   * The response as smbj's parser is to see it: one context fewer, the signing one taken out of the
   * list wherever it was (the contexts after it move up, 8-byte aligned as before, and the bytes it
   * leaves at the end are zero), the message the same length.
   */
  private static byte[] without(byte[] packet, int body, int signingAt, int signingEnd, int count)
      throws IOException {
    byte[] shown = packet.clone();
    shown[body + 6] = (byte) (count - 1);
    shown[body + 7] = (byte) ((count - 1) >> 8);
    int next = (signingEnd + 7) & ~7;
    if (next >= packet.length) {
      // the last one: its bytes stay, past what the parser reads
      return shown;
    }
    int security = u16(packet, body + 56);
    if (u16(packet, body + 58) > 0 && security + u16(packet, body + 58) > signingAt) {
      // MS-SMB2 puts the security buffer before the contexts; moving them would corrupt it
      throw new IOException("the NEGOTIATE response's security buffer lies among its contexts");
    }
    System.arraycopy(packet, next, shown, signingAt, packet.length - next);
    java.util.Arrays.fill(shown, signingAt + packet.length - next, packet.length, (byte) 0);
    return shown;
  }

  /** A received message whose parser sees {@code shown} and whose whole-message read the bytes. */
  private static final class AsReceived extends SMB2PacketData {
    AsReceived(byte[] shown, byte[] received) throws Buffer.BufferException {
      super(shown);
      WholeAsReceived b = new WholeAsReceived(shown, received);
      b.rpos(dataBuffer.rpos());
      dataBuffer = b;
    }
  }

  /**
   * The shown bytes, except that one read of the whole message from its start (smbj's {@code
   * Packets.getPacketBytes}, for the preauth integrity hash) gets them as received.
   */
  private static final class WholeAsReceived extends SMBBuffer {
    private final byte[] received;

    WholeAsReceived(byte[] shown, byte[] received) {
      super(shown);
      this.received = received;
    }

    @Override
    public void readRawBytes(byte[] buf) throws Buffer.BufferException {
      if (rpos() == 0 && buf.length == received.length) {
        System.arraycopy(received, 0, buf, 0, buf.length);
        rpos(buf.length);
        return;
      }
      super.readRawBytes(buf);
    }
  }
}
