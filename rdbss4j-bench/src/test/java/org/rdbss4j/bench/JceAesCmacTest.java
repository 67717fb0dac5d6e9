package org.rdbss4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.hierynomus.security.Mac;
import com.hierynomus.security.bc.BCSecurityProvider;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JCE AES-CMAC against RFC 4493's test vectors and against smbj's BouncyCastle CMAC. */
class JceAesCmacTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEY = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
  private static final String MSG =
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
          + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

  private static String tag(byte[] msg) throws Exception {
    Mac m = new JceAesCmac();
    m.init(KEY);
    m.update(msg);
    return HEX.formatHex(m.doFinal());
  }

  @Test
  void rfc4493Vectors() throws Exception {
    byte[] all = HEX.parseHex(MSG);
    assertThat(tag(new byte[0])).isEqualTo("bb1d6929e95937287fa37d129b756746");
    assertThat(tag(java.util.Arrays.copyOf(all, 16))).isEqualTo("070a16b46b4d4144f79bdd9dd04a287c");
    assertThat(tag(java.util.Arrays.copyOf(all, 40))).isEqualTo("dfa66747de9ae63030ca32611497c827");
    assertThat(tag(all)).isEqualTo("51f0bebf7e3b9d92fc49741779363cfe");
  }

  @Test
  void agreesWithBouncyCastleForAnyLengthAndSplit() throws Exception {
    Random rnd = new Random(4493);
    BCSecurityProvider bc = new BCSecurityProvider();
    Mac ours = new JceAesCmac();
    for (int round = 0; round < 300; round++) {
      byte[] key = new byte[16];
      rnd.nextBytes(key);
      byte[] msg = new byte[rnd.nextInt(round < 200 ? 200 : 300_000)];
      rnd.nextBytes(msg);
      Mac ref = bc.getMac("AesCmac");
      ref.init(key);
      ref.update(msg);
      ours.init(key);
      int pos = 0;
      while (pos < msg.length) {
        int n = Math.min(msg.length - pos, 1 + rnd.nextInt(70_000));
        if (n == 1) {
          ours.update(msg[pos]);
        } else {
          ours.update(msg, pos, n);
        }
        pos += n;
      }
      assertThat(ours.doFinal()).as("length %d", msg.length).isEqualTo(ref.doFinal());
    }
  }
}
