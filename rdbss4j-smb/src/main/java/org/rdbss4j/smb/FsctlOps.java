package org.rdbss4j.smb;

import com.hierynomus.msdtyp.AccessMask;
import com.hierynomus.msfscc.FileInformationClass;
import com.hierynomus.msfscc.FileSystemInformationClass;
import com.hierynomus.mssmb2.copy.CopyChunkRequest;
import com.hierynomus.mssmb2.copy.CopyChunkResponse;
import com.hierynomus.mssmb2.messages.SMB2IoctlRequest;
import com.hierynomus.mssmb2.messages.SMB2IoctlResponse;
import com.hierynomus.smb.SMBBuffer;
import com.hierynomus.smbj.io.ArrayByteChunkProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxContext;
import org.rdbss4j.core.RxException;
import org.rdbss4j.core.VolumeAttributes;

/**
 * FSCTLs and the volume attribute query: server-side copy (FSCTL_SRV_REQUEST_RESUME_KEY on the
 * source, FSCTL_SRV_COPYCHUNK_WRITE on the target, [MS-SMB2] 3.2.4.20.2) and
 * FileFsAttributeInformation of a share.
 */
final class FsctlOps {
  static final int FSCTL_SRV_REQUEST_RESUME_KEY = 0x00140078;
  static final int FSCTL_SRV_COPYCHUNK_WRITE = 0x001480F2;

  /**
   * The copy-chunk limits a request starts with: Windows' and Samba's own (at most 256 chunks of 1
   * MiB and 16 MiB in one request), used as 16 chunks of 1 MiB. A server with smaller limits
   * answers INVALID_PARAMETER with its limits, which the next request then respects.
   */
  static final int DEFAULT_CHUNK_BYTES = 1 << 20;

  static final int DEFAULT_REQUEST_BYTES = 16 << 20;
  static final int DEFAULT_CHUNKS = 16;

  private static final long INVALID_PARAMETER = SmbStatuses.code(NtStatus.INVALID_PARAMETER);

  private FsctlOps() {}

  /** Whether a share's MaximalAccess (when reported) allows no change of file data. */
  static boolean readOnlyShare(Set<AccessMask> maximalAccess) {
    return !maximalAccess.isEmpty()
        && !maximalAccess.contains(AccessMask.FILE_WRITE_DATA)
        && !maximalAccess.contains(AccessMask.FILE_APPEND_DATA)
        && !maximalAccess.contains(AccessMask.GENERIC_WRITE)
        && !maximalAccess.contains(AccessMask.GENERIC_ALL);
  }

  /** The limits of one copy-chunk request. */
  record Limits(int chunks, long chunkBytes, long requestBytes) {
    static final Limits DEFAULT =
        new Limits(DEFAULT_CHUNKS, DEFAULT_CHUNK_BYTES, DEFAULT_REQUEST_BYTES);

    /** The chunks of the next request, from the offsets given, for up to {@code remaining}. */
    List<CopyChunkRequest.Chunk> chunks(long srcOffset, long dstOffset, long remaining) {
      List<CopyChunkRequest.Chunk> l = new ArrayList<>();
      long total = 0;
      while (remaining > 0 && l.size() < chunks && total < requestBytes) {
        long n = Math.min(Math.min(remaining, chunkBytes), requestBytes - total);
        l.add(new CopyChunkRequest.Chunk(srcOffset, dstOffset, n));
        srcOffset += n;
        dstOffset += n;
        remaining -= n;
        total += n;
      }
      return l;
    }
  }

  /**
   * MRxCopyRange: the source's resume key, its end of file (a server fails a chunk past it), then
   * copy-chunk requests on the target until {@code length} bytes or the source's end are copied.
   */
  static CompletableFuture<Long> copyRange(
      RxContext ctx,
      SmbHandle source,
      long sourceOffset,
      SmbHandle target,
      long targetOffset,
      long length) {
    String what = "server-side copy of " + source.path + " to " + target.path;
    return Exchange.run(
        ctx,
        what,
        ex -> {
          DataTransfer.ready(ex, source, what);
          DataTransfer.ready(ex, target, what);
          if (source.transport() != target.transport()) {
            throw new RxException(NtStatus.NOT_SAME_DEVICE, what + ": not on one connection");
          }
          byte[] key = resumeKey(ex, source, what);
          long end = endOfFile(ex, source, what);
          long want = Math.max(0, Math.min(length, end - sourceOffset));
          Limits limits = Limits.DEFAULT;
          long done = 0;
          int refusals = 0;
          while (done < want) {
            if (ex.isCancelled()) {
              throw new RxException(NtStatus.CANCELLED, what + " cancelled");
            }
            List<CopyChunkRequest.Chunk> chunks =
                limits.chunks(sourceOffset + done, targetOffset + done, want - done);
            SMB2IoctlResponse resp = copyChunks(ex, target, key, chunks);
            CopyChunkResponse r = parse(resp.getOutputBuffer());
            long st = resp.getHeader().getStatusCode();
            if (st == INVALID_PARAMETER && r != null && refusals++ < 3) {
              // the server's limits: chunks per request, bytes per chunk, bytes per request
              limits =
                  new Limits(
                      (int) Math.max(1, Math.min(r.getChunksWritten(), limits.chunks())),
                      Math.max(1, Math.min(r.getChunkBytesWritten(), limits.chunkBytes())),
                      Math.max(1, Math.min(r.getTotalBytesWritten(), limits.requestBytes())));
              continue;
            }
            SmbStatuses.check(resp, what);
            if (r == null || r.getTotalBytesWritten() <= 0) {
              throw new RxException(NtStatus.UNSUCCESSFUL, what + ": the server copied nothing");
            }
            done += r.getTotalBytesWritten();
          }
          return done;
        });
  }

  private static CopyChunkResponse parse(byte[] out) {
    if (out == null || out.length < 12) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    return new CopyChunkResponse(
        b.getInt(0) & 0xFFFFFFFFL, b.getInt(4) & 0xFFFFFFFFL, b.getInt(8) & 0xFFFFFFFFL);
  }

  private static SMB2IoctlResponse copyChunks(
      Exchange<?> ex, SmbHandle target, byte[] key, List<CopyChunkRequest.Chunk> chunks) {
    SMBBuffer buf = new SMBBuffer();
    new CopyChunkRequest(key, chunks).write(buf);
    byte[] in = buf.getCompactData();
    SmbView.Binding b = target.binding;
    SMB2IoctlRequest req =
        new SMB2IoctlRequest(
            target.transport().dialect(),
            b.sessionId(),
            b.treeId(),
            FSCTL_SRV_COPYCHUNK_WRITE,
            target.fileId,
            new ArrayByteChunkProvider(in, 0, in.length, 0),
            true,
            12);
    return HandleOps.call(ex, b, req, target.transport().options().writeTimeout());
  }

  /**
   * SRV_REQUEST_RESUME_KEY: the 24-byte key naming the source handle to the server, asked once per
   * handle (it names the open, so a copy in several steps reuses it).
   */
  private static byte[] resumeKey(Exchange<?> ex, SmbHandle source, String what) {
    byte[] known = source.resumeKey;
    if (known != null) {
      return known;
    }
    SmbView.Binding b = source.binding;
    SMB2IoctlRequest req =
        new SMB2IoctlRequest(
            source.transport().dialect(),
            b.sessionId(),
            b.treeId(),
            FSCTL_SRV_REQUEST_RESUME_KEY,
            source.fileId,
            new ArrayByteChunkProvider(new byte[0], 0, 0, 0),
            true,
            32);
    SMB2IoctlResponse resp =
        SmbStatuses.check(
            HandleOps.<SMB2IoctlResponse>call(
                ex, b, req, source.transport().options().transactTimeout()),
            what);
    byte[] out = resp.getOutputBuffer();
    if (out == null || out.length < 24) {
      throw new RxException(NtStatus.INVALID_DEVICE_REQUEST, what + ": no resume key");
    }
    byte[] key = Arrays.copyOf(out, 24);
    source.resumeKey = key;
    return key;
  }

  /** FileStandardInformation's EndOfFile of the handle. */
  private static long endOfFile(Exchange<?> ex, SmbHandle h, String what) {
    byte[] out =
        HandleOps.queryInfo(ex, h, FileInformationClass.FileStandardInformation, null, what);
    return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).getLong(8);
  }

  /**
   * MRxQueryVolumeInfo(FileFsAttributeInformation): the FileSystemAttributes of the share's root,
   * opened for the query. Samba does not set FILE_READ_ONLY_VOLUME for a {@code read only} share,
   * but the TREE_CONNECT response's MaximalAccess then grants no write: FILE_READ_ONLY_VOLUME is
   * added when it grants none of write data, append data, generic write and generic all.
   */
  static CompletableFuture<Integer> queryVolumeAttributes(RxContext ctx, SmbView view) {
    String what = "volume attributes of " + view.shareName();
    return Exchange.run(
        ctx,
        what,
        ex -> {
          SmbView.Binding b = view.bind();
          byte[] out =
              HandleOps.queryRoot(
                  ex,
                  b,
                  view.shareName(),
                  FileSystemInformationClass.FileFsAttributeInformation,
                  what);
          int attrs = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
          return readOnlyShare(b.session().maximalAccess(view.shareName()))
              ? attrs | VolumeAttributes.FILE_READ_ONLY_VOLUME
              : attrs;
        });
  }
}
