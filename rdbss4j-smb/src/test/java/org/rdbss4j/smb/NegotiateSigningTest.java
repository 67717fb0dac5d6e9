package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hierynomus.mssmb2.SMB2Dialect;
import com.hierynomus.mssmb2.SMB2GlobalCapability;
import com.hierynomus.mssmb2.SMB2MessageConverter;
import com.hierynomus.mssmb2.SMB2PacketData;
import com.hierynomus.mssmb2.messages.SMB2NegotiateRequest;
import com.hierynomus.mssmb2.messages.SMB2NegotiateResponse;
import com.hierynomus.smb.Packets;
import com.hierynomus.smb.SMBBuffer;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The NEGOTIATE rewriting, on messages serialized and parsed by smbj itself (SmbSigningTest has the
 * same against Samba).
 */
class NegotiateSigningTest {
  private static final int BODY = 64;

  private static SMB2NegotiateRequest request(Set<SMB2Dialect> dialects) {
    return new SMB2NegotiateRequest(
        dialects,
        UUID.randomUUID(),
        false,
        EnumSet.of(SMB2GlobalCapability.SMB2_GLOBAL_CAP_ENCRYPTION),
        new byte[32]);
  }

  @Test
  void aRequestOfferingSmb311GetsTheSigningCapabilitiesLastAndAligned() {
    SMB2NegotiateRequest req = request(EnumSet.of(SMB2Dialect.SMB_3_1_1, SMB2Dialect.SMB_3_0_2));
    SMBBuffer b = new SMBBuffer();
    req.write(b);
    int before = b.wpos();
    int contexts = Wire.u16(b.array(), BODY + 32);

    NegotiateSigning.offer(b, req);

    byte[] a = b.array();
    assertThat(Wire.u16(a, BODY + 32)).isEqualTo(contexts + 1);
    int at = (before + 7) & ~7;
    assertThat(at % 8).isZero();
    assertThat(Wire.u16(a, at)).as("context type").isEqualTo(8);
    assertThat(Wire.u16(a, at + 2)).as("data length").isEqualTo(6);
    assertThat(Wire.u16(a, at + 8)).as("algorithm count").isEqualTo(2);
    assertThat(Wire.u16(a, at + 10)).isEqualTo(NegotiateSigning.AES_GMAC);
    assertThat(Wire.u16(a, at + 12)).isEqualTo(NegotiateSigning.AES_CMAC);
    assertThat(b.wpos()).isEqualTo(at + 14);
    // the offset names where the contexts are (smbj's is 8 too far for two dialects)
    int listAt = Wire.u32(a, BODY + 28);
    assertThat(Wire.u16(a, listAt)).as("preauth context first").isEqualTo(1);
    assertThat(listAt).isEqualTo(BODY + 40);
    // what smbj hashes for the preauth integrity value is what goes on the wire
    assertThat(Packets.getPacketBytes(req)).isEqualTo(java.util.Arrays.copyOf(a, b.wpos()));
  }

  @Test
  void aRequestWithoutSmb311IsLeftAlone() {
    SMB2NegotiateRequest req = request(EnumSet.of(SMB2Dialect.SMB_3_0_2, SMB2Dialect.SMB_2_1));
    SMBBuffer b = new SMBBuffer();
    req.write(b);
    byte[] before = java.util.Arrays.copyOf(b.array(), b.wpos());
    NegotiateSigning.offer(b, req);
    assertThat(java.util.Arrays.copyOf(b.array(), b.wpos())).isEqualTo(before);
  }

  /**
   * A server's NEGOTIATE response for SMB 3.1.1 with a preauth integrity context and, last, a
   * signing capabilities context naming {@code algorithm} (or, with {@code signingFirst}, first).
   */
  private static byte[] response(int algorithm, boolean signingFirst) {
    SMBBuffer b = new SMBBuffer();
    b.putRawBytes(new byte[] {(byte) 0xFE, 'S', 'M', 'B'});
    b.putUInt16(64); // header length
    b.putUInt16(1); // credit charge
    b.putUInt32(0); // status
    b.putUInt16(0); // NEGOTIATE
    b.putUInt16(1); // credits
    b.putUInt32(1); // flags: server to redirector
    b.putUInt32(0); // next command
    b.putLong(0); // message id
    b.putUInt32(0); // reserved
    b.putUInt32(0); // tree id
    b.putLong(0); // session id
    b.putRawBytes(new byte[16]); // signature
    b.putUInt16(65); // StructureSize
    b.putUInt16(1); // SecurityMode
    b.putUInt16(0x0311); // DialectRevision
    b.putUInt16(2); // NegotiateContextCount
    b.putRawBytes(new byte[16]); // ServerGuid
    b.putUInt32(0); // Capabilities
    b.putUInt32(8 << 20);
    b.putUInt32(8 << 20);
    b.putUInt32(8 << 20);
    b.putLong(0); // SystemTime
    b.putLong(0); // ServerStartTime
    b.putUInt16(128); // SecurityBufferOffset
    b.putUInt16(0); // SecurityBufferLength
    b.putUInt32(128); // NegotiateContextOffset
    while (b.wpos() < 128) {
      b.putByte((byte) 0);
    }
    Runnable preauth =
        () -> {
          b.putUInt16(1);
          b.putUInt16(38);
          b.putUInt32(0);
          b.putUInt16(1); // one hash algorithm
          b.putUInt16(32); // salt length
          b.putUInt16(1); // SHA-512
          b.putRawBytes(new byte[32]);
        };
    Runnable signing =
        () -> {
          b.putUInt16(8);
          b.putUInt16(4);
          b.putUInt32(0);
          b.putUInt16(1);
          b.putUInt16(algorithm);
        };
    (signingFirst ? signing : preauth).run();
    while (b.wpos() % 8 != 0) {
      b.putByte((byte) 0);
    }
    (signingFirst ? preauth : signing).run();
    return java.util.Arrays.copyOf(b.array(), b.wpos());
  }

  private static SMB2NegotiateResponse parse(SMB2PacketData data) throws Exception {
    return (SMB2NegotiateResponse)
        new SMB2MessageConverter().readPacket(request(EnumSet.of(SMB2Dialect.SMB_3_1_1)), data);
  }

  @Test
  void theServersChoiceIsTakenAndHiddenFromSmbjWhoseHashStillSeesTheResponseAsReceived()
      throws Exception {
    byte[] received = response(NegotiateSigning.AES_GMAC, false);
    SigningProvider provider = new SigningProvider();
    SMB2PacketData data = NegotiateSigning.accept(received.clone(), provider);

    assertThat(provider.gmac()).isTrue();
    SMB2NegotiateResponse r = parse(data);
    assertThat(r.getDialect()).isEqualTo(SMB2Dialect.SMB_3_1_1);
    assertThat(r.getNegotiateContextList()).hasSize(1);
    assertThat(Packets.getPacketBytes(r)).isEqualTo(received);
    // smbj alone cannot read it
    assertThatThrownBy(() -> parse(new SMB2PacketData(received.clone())))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void aServerChoosingCmacKeepsCmacAndOtherMessagesPassUntouched() throws Exception {
    SigningProvider provider = new SigningProvider();
    SMB2PacketData data =
        NegotiateSigning.accept(response(NegotiateSigning.AES_CMAC, false), provider);
    assertThat(provider.gmac()).isFalse();
    assertThat(parse(data).getNegotiateContextList()).hasSize(1);

    byte[] notNegotiate = response(NegotiateSigning.AES_GMAC, false);
    notNegotiate[12] = 0x05; // CREATE
    assertThat(NegotiateSigning.accept(notNegotiate, provider)).isNull();
    byte[] smb302 = response(NegotiateSigning.AES_GMAC, false);
    smb302[BODY + 4] = 0x02;
    smb302[BODY + 5] = 0x03;
    assertThat(NegotiateSigning.accept(smb302, provider)).isNull();
    assertThat(provider.gmac()).isFalse();
  }

  @Test
  void aMangledResponseIsPassedOnOrRefusedWithAnIoErrorNeverAnythingElse() throws Exception {
    java.util.Random r = new java.util.Random(11);
    byte[] good = response(NegotiateSigning.AES_GMAC, false);
    int refused = 0;
    for (int i = 0; i < 5000; i++) {
      byte[] m =
          java.util.Arrays.copyOf(good, r.nextInt(4) == 0 ? r.nextInt(good.length) : good.length);
      for (int k = r.nextInt(6); k > 0 && m.length > 0; k--) {
        // the fields the parser reads: counts, offsets, lengths, types
        int at = r.nextBoolean() ? BODY + 4 + r.nextInt(60) : r.nextInt(m.length);
        if (at < m.length) {
          m[at] = (byte) r.nextInt(256);
        }
      }
      try {
        NegotiateSigning.accept(m, new SigningProvider());
      } catch (IOException | com.hierynomus.protocol.commons.buffer.Buffer.BufferException e) {
        refused++;
      }
    }
    assertThat(refused).as("some mangled responses refused").isPositive();
  }

  @Test
  void aSigningContextBeforeOthersIsTakenOutOfTheListSmbjReads() throws Exception {
    byte[] received = response(NegotiateSigning.AES_GMAC, true);
    SigningProvider provider = new SigningProvider();
    SMB2NegotiateResponse r = parse(NegotiateSigning.accept(received.clone(), provider));

    assertThat(provider.gmac()).isTrue();
    assertThat(r.getNegotiateContextList()).hasSize(1);
    assertThat(r.getNegotiateContextList().getFirst())
        .isInstanceOf(
            com.hierynomus.mssmb2.messages.negotiate.SMB2PreauthIntegrityCapabilities.class);
    assertThat(Packets.getPacketBytes(r)).isEqualTo(received);
  }

  @Test
  void aMalformedSigningContextFailsTheConnectionClearly() {
    SigningProvider provider = new SigningProvider();
    byte[] overlapping = response(NegotiateSigning.AES_GMAC, true);
    overlapping[BODY + 58] = 64; // a security buffer reaching into the contexts to be moved
    assertThatThrownBy(() -> NegotiateSigning.accept(overlapping, provider))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("security buffer");
    assertThatThrownBy(() -> NegotiateSigning.accept(response(7, false), provider))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("signing algorithm 7");
    byte[] truncated = response(NegotiateSigning.AES_GMAC, false);
    truncated[BODY + 60] = (byte) 0xF0; // contexts offset past the end
    assertThatThrownBy(
            () ->
                NegotiateSigning.accept(
                    java.util.Arrays.copyOf(truncated, truncated.length), provider))
        .isInstanceOf(IOException.class);
    assertThat(provider.gmac()).isFalse();
  }
}
