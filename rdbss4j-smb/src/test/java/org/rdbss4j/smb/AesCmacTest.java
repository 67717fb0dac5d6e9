package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hierynomus.security.Mac;
import com.hierynomus.security.bc.BCSecurityProvider;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AesCmacTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEY = HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c");
  private static final String MESSAGE =
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
          + "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

  private static String tag(Mac mac, byte[] m) {
    mac.update(m);
    return HEX.formatHex(mac.doFinal());
  }

  @Test
  void rfc4493TestVectors() throws Exception {
    AesCmac mac = new AesCmac();
    mac.init(KEY);
    byte[] m = HEX.parseHex(MESSAGE);
    assertThat(tag(mac, new byte[0])).isEqualTo("bb1d6929e95937287fa37d129b756746");
    assertThat(tag(mac, java.util.Arrays.copyOf(m, 16)))
        .isEqualTo("070a16b46b4d4144f79bdd9dd04a287c");
    assertThat(tag(mac, java.util.Arrays.copyOf(m, 40)))
        .isEqualTo("dfa66747de9ae63030ca32611497c827");
    assertThat(tag(mac, m)).isEqualTo("51f0bebf7e3b9d92fc49741779363cfe");
  }

  @Test
  void agreesWithBouncyCastleHoweverTheMessageIsFed() throws Exception {
    Random r = new Random(42);
    for (int round = 0; round < 200; round++) {
      byte[] key = new byte[16];
      r.nextBytes(key);
      byte[] m = new byte[r.nextInt(3000)];
      r.nextBytes(m);
      Mac ours = new AesCmac();
      ours.init(key);
      Mac bc = new BCSecurityProvider().getMac("AesCmac");
      bc.init(key);
      bc.update(m, 0, m.length);
      int i = 0;
      while (i < m.length) {
        int n = Math.min(m.length - i, r.nextInt(40));
        if (n == 1 && r.nextBoolean()) {
          ours.update(m[i]);
        } else {
          ours.update(m, i, n);
        }
        i += n;
      }
      assertThat(ours.doFinal()).as("round %d, %d bytes", round, m.length).isEqualTo(bc.doFinal());
    }
  }
}
