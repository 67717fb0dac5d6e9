package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.rdbss4j.core.CreateRequest;
import org.rdbss4j.core.FileObject;
import org.rdbss4j.core.VNetRoot;
import org.rdbss4j.testkit.SambaServer;

/**
 * Signing against Samba ({@code server signing = auto}, SMB 3.1.1): by default only what the
 * protocol requires is signed, as smbclient and the Linux cifs client do; {@code signAlways} and
 * {@code signingRequired} sign every request (and Samba then signs every response). Counted by the
 * mini-redirector's signing provider, which computes and verifies every signature.
 */
class SmbSigningTest extends SmbTestBase {
  private static final int SIZE = 4 * 1024 * 1024;

  private boolean signAlways;
  private boolean signingRequired;

  @Override
  SmbOptions.Builder options() {
    // no lease: every READ and WRITE goes to the server
    return super.options().leases(false).signAlways(signAlways).signingRequired(signingRequired);
  }

  /** Writes and reads back 4 MiB (16 WRITEs and 16 READs of 256 KiB); the signatures it took. */
  private long signaturesForATransfer(String name) throws Exception {
    rdr.close();
    startRedirector();
    VNetRoot x = use(ALICE, SambaServer.RW, "X:");
    SmbTransport t = ((SmbServer) x.netRoot().srvCall().context()).transport();
    byte[] data = randomBytes(SIZE, 7);
    try (FileObject f = open(x, CreateRequest.openReadWrite(name))) {
      long before = t.signatures();
      writeAll(f, 0, data);
      assertThat(readAll(f, 0, SIZE)).isEqualTo(data);
      long used = t.signatures() - before;
      assertThat(Files.readAllBytes(samba().shareDir(SambaServer.RW).resolve(name)))
          .isEqualTo(data);
      return used;
    }
  }

  @Test
  void dataIsSentUnsignedWhenNeitherSideRequiresSigning() throws Exception {
    assertThat(signaturesForATransfer("unsigned.bin")).isZero();
  }

  @Test
  void signAlwaysSignsEveryRequestAndVerifiesEveryResponse() throws Exception {
    signAlways = true;
    assertThat(signaturesForATransfer("signed.bin")).isGreaterThanOrEqualTo(2 * 32);
  }

  @Test
  void signingRequiredSignsEveryRequest() throws Exception {
    signingRequired = true;
    assertThat(signaturesForATransfer("required.bin")).isGreaterThanOrEqualTo(2 * 32);
  }
}
