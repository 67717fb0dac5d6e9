package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.macs.GMac;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

class AesGmacTest {

  /** Bouncy Castle's GMAC under the nonce MS-SMB2 3.1.4.1 builds from the header. */
  @SuppressWarnings("deprecation")
  private static byte[] reference(byte[] key, byte[] message) {
    byte[] nonce = new byte[12];
    System.arraycopy(message, 24, nonce, 0, 8); // MessageId
    if ((message[16] & 0x01) != 0) {
      nonce[8] |= 0x01; // SMB2_FLAGS_SERVER_TO_REDIR
    }
    if (message[12] == 0x0C && message[13] == 0) {
      nonce[8] |= 0x02; // SMB2 CANCEL
    }
    GMac mac = new GMac(new GCMBlockCipher(new AESEngine()), 128);
    mac.init(new ParametersWithIV(new KeyParameter(key), nonce));
    mac.update(message, 0, message.length);
    byte[] tag = new byte[16];
    mac.doFinal(tag, 0);
    return tag;
  }

  @Test
  void agreesWithBouncyCastleHoweverTheMessageIsFed() throws Exception {
    Random r = new Random(7);
    AesGmac gmac = new AesGmac();
    for (int round = 0; round < 300; round++) {
      byte[] key = new byte[16];
      r.nextBytes(key);
      byte[] m = new byte[64 + r.nextInt(round % 3 == 0 ? 70_000 : 300)];
      r.nextBytes(m);
      m[12] = (byte) (round % 4 == 0 ? 0x0C : r.nextInt(0x13));
      m[13] = 0;
      gmac.init(key);
      int at = 0;
      while (at < m.length) {
        int n = Math.min(m.length - at, r.nextInt(5) == 0 ? 1 : 1 + r.nextInt(100_000));
        if (n == 1 && r.nextBoolean()) {
          gmac.update(m[at]);
        } else {
          gmac.update(m, at, n);
        }
        at += n;
      }
      assertThat(gmac.doFinal())
          .as("round %d, %d bytes", round, m.length)
          .isEqualTo(reference(key, m));
    }
  }

  @Test
  void theDirectionAndCancelBitsAndTheMessageIdChangeTheSignature() throws Exception {
    byte[] key = new byte[16];
    byte[] m = new byte[200];
    new Random(3).nextBytes(m);
    m[12] = 0x08; // READ
    m[13] = 0;
    m[16] = 0; // client to server
    AesGmac gmac = new AesGmac();
    gmac.init(key);
    gmac.update(m);
    byte[] request = gmac.doFinal();
    byte[] response = m.clone();
    response[16] = 0x01;
    gmac.update(response);
    byte[] fromServer = gmac.doFinal();
    byte[] cancel = m.clone();
    cancel[12] = 0x0C;
    gmac.update(cancel);
    byte[] cancelled = gmac.doFinal();
    byte[] next = m.clone();
    next[24]++;
    gmac.update(next);
    byte[] other = gmac.doFinal();

    assertThat(request).isEqualTo(reference(key, m));
    assertThat(fromServer).isEqualTo(reference(key, response)).isNotEqualTo(request);
    assertThat(cancelled).isEqualTo(reference(key, cancel)).isNotEqualTo(request);
    assertThat(other).isEqualTo(reference(key, next)).isNotEqualTo(request);
    // the same message twice (a server's interim and final answer share a MessageId) is fine
    gmac.update(m);
    assertThat(gmac.doFinal()).isEqualTo(request);
  }
}
