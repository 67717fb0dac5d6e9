package org.rdbss4j.smb;

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
 * smbj's security provider with message signing on the JDK's cryptography: AES-CMAC (SMB 3.x) by
 * {@link AesCmac} and HMAC-SHA256 (SMB 2.x) by the JDK, both running on processor instructions.
 * Everything else (NTLM's digests, key derivation, encryption) stays with smbj's default.
 */
final class SigningProvider implements SecurityProvider {
  private final SecurityProvider fallback = new BCSecurityProvider();
  private final SecurityProvider jdk = new JceSecurityProvider();

  @Override
  public Mac getMac(String name) throws SecurityException {
    if ("AesCmac".equalsIgnoreCase(name)) {
      return new AesCmac();
    }
    if ("HmacSHA256".equalsIgnoreCase(name)) {
      return jdk.getMac(name);
    }
    return fallback.getMac(name);
  }

  @Override
  public MessageDigest getDigest(String name) throws SecurityException {
    return fallback.getDigest(name);
  }

  @Override
  public Cipher getCipher(String name) throws SecurityException {
    return fallback.getCipher(name);
  }

  @Override
  public AEADBlockCipher getAEADBlockCipher(String name) throws SecurityException {
    return fallback.getAEADBlockCipher(name);
  }

  @Override
  public DerivationFunction getDerivationFunction(String name) throws SecurityException {
    return fallback.getDerivationFunction(name);
  }
}
