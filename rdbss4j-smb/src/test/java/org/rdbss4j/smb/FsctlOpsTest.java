package org.rdbss4j.smb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.mssmb2.copy.CopyChunkRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of {@link FsctlOps}: how a copy is cut into copy-chunk requests within a server's
 * limits, and which MaximalAccess makes a share read-only. The copy itself is tested against Samba
 * (rdbss4j-nio's {@code SmbProviderTest}).
 */
class FsctlOpsTest {

  private static long total(List<CopyChunkRequest.Chunk> chunks) {
    return chunks.stream().mapToLong(CopyChunkRequest.Chunk::getLength).sum();
  }

  @Test
  void aRequestCarriesAtMostTheLimitsAndConsecutiveChunks() {
    List<CopyChunkRequest.Chunk> l = FsctlOps.Limits.DEFAULT.chunks(100, 7, 40L << 20);
    assertThat(l).hasSize(16);
    assertThat(total(l)).isEqualTo(16L << 20);
    for (int i = 0; i < l.size(); i++) {
      assertThat(l.get(i).getSrcOffset()).isEqualTo(100 + ((long) i << 20));
      assertThat(l.get(i).getTgtOffset()).isEqualTo(7 + ((long) i << 20));
      assertThat(l.get(i).getLength()).isEqualTo(1 << 20);
    }
  }

  @Test
  void theLastRequestCarriesTheRest() {
    List<CopyChunkRequest.Chunk> l = FsctlOps.Limits.DEFAULT.chunks(0, 0, (2L << 20) + 5);
    assertThat(l)
        .extracting(CopyChunkRequest.Chunk::getLength)
        .containsExactly(1L << 20, 1L << 20, 5L);
  }

  @Test
  void aServersSmallerLimitsAreKept() {
    // a server that takes 4 chunks of 64 KiB, 192 KiB per request
    FsctlOps.Limits small = new FsctlOps.Limits(4, 64 * 1024, 192 * 1024);
    List<CopyChunkRequest.Chunk> l = small.chunks(0, 0, 1 << 20);
    assertThat(l).hasSize(3);
    assertThat(total(l)).isEqualTo(192 * 1024);
    FsctlOps.Limits odd = new FsctlOps.Limits(8, 100_000, 250_000);
    assertThat(odd.chunks(0, 0, 1 << 20))
        .extracting(CopyChunkRequest.Chunk::getLength)
        .containsExactly(100_000L, 100_000L, 50_000L);
  }

  @Test
  void aShareIsReadOnlyWhenItsMaximalAccessGrantsNoWrite() {
    assertThat(
            FsctlOps.readOnlyShare(
                EnumSet.of(
                    AccessMask.FILE_READ_DATA,
                    AccessMask.FILE_READ_ATTRIBUTES,
                    AccessMask.READ_CONTROL,
                    AccessMask.SYNCHRONIZE)))
        .isTrue();
    assertThat(
            FsctlOps.readOnlyShare(
                EnumSet.of(AccessMask.FILE_READ_DATA, AccessMask.FILE_WRITE_DATA)))
        .isFalse();
    assertThat(FsctlOps.readOnlyShare(EnumSet.of(AccessMask.GENERIC_ALL))).isFalse();
    assertThat(FsctlOps.readOnlyShare(Set.of())).as("nothing reported: not read-only").isFalse();
  }
}
