package org.rdbss4j.bench;

import com.hierynomus.security.AEADBlockCipher;
import com.hierynomus.security.Cipher;
import com.hierynomus.security.DerivationFunction;
import com.hierynomus.security.Mac;
import com.hierynomus.security.MessageDigest;
import com.hierynomus.security.SecurityException;
import com.hierynomus.security.SecurityProvider;
import com.hierynomus.security.bc.BCSecurityProvider;
import com.hierynomus.security.jce.JceSecurityProvider;

/**
 * smbj's BouncyCastle provider with the two signing MACs moved onto the JDK's intrinsics: AES-CMAC
 * (SMB 3.x) through {@link JceAesCmac} and HMAC-SHA256 (SMB 2.x) through the JCE.
 */
final class FastSigningSecurityProvider implements SecurityProvider {
  private final SecurityProvider bc = new BCSecurityProvider();
  private final SecurityProvider jce = new JceSecurityProvider();

  @Override
  public MessageDigest getDigest(String name) throws SecurityException {
    return bc.getDigest(name);
  }

  @Override
  public Mac getMac(String name) throws SecurityException {
    if ("AesCmac".equalsIgnoreCase(name)) {
      return new JceAesCmac();
    }
    if ("HmacSHA256".equalsIgnoreCase(name)) {
      return jce.getMac(name);
    }
    return bc.getMac(name);
  }

  @Override
  public Cipher getCipher(String name) throws SecurityException {
    return bc.getCipher(name);
  }

  @Override
  public AEADBlockCipher getAEADBlockCipher(String name) throws SecurityException {
    return bc.getAEADBlockCipher(name);
  }

  @Override
  public DerivationFunction getDerivationFunction(String name) throws SecurityException {
    return bc.getDerivationFunction(name);
  }
}
