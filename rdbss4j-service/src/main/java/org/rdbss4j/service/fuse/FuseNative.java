package org.rdbss4j.service.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The two pieces of libfuse3 that jfuse does not expose, reached with the FFM API: {@code
 * fuse_get_context()} for the caller's uid and gid, and the offsets of {@code struct
 * fuse_file_info} and {@code struct fuse_operations} that {@link FuseLocks} needs (x86-64 Linux,
 * libfuse 3.x).
 */
final class FuseNative {
  /** The versioned library; the unversioned {@code libfuse3.so} is only in the -dev package. */
  static final String LIBRARY = "/usr/lib/x86_64-linux-gnu/libfuse3.so.3";

  /** {@code offsetof(struct fuse_file_info, fh)}. */
  static final long FILE_INFO_FH = 16;

  /** {@code offsetof(struct fuse_file_info, lock_owner)}. */
  static final long FILE_INFO_LOCK_OWNER = 24;

  /** {@code offsetof(struct fuse_operations, lock)}. */
  static final long OPERATIONS_LOCK = 248;

  private static final long CONTEXT_UID = 8;
  private static final long CONTEXT_GID = 12;
  private static final long CONTEXT_SIZE = 40;

  private FuseNative() {}

  private static final class Holder {
    static final MethodHandle GET_CONTEXT =
        Linker.nativeLinker()
            .downcallHandle(
                SymbolLookup.libraryLookup(Path.of(LIBRARY), Arena.global())
                    .find("fuse_get_context")
                    .orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
  }

  private static final long FILE_INFO_BITS = 4;
  private static final int DIRECT_IO_BIT = 0x2;

  /**
   * Sets {@code direct_io} in the {@code struct fuse_file_info} behind jfuse's FileInfo (libfuse
   * 3.14 has no mount option for it): the kernel then keeps no page cache for the open file.
   *
   * @return whether the bit could be set
   */
  static boolean setDirectIo(Object fileInfo) {
    try {
      java.lang.reflect.Method m = fileInfo.getClass().getDeclaredMethod("segment");
      m.setAccessible(true);
      MemorySegment fi = ((MemorySegment) m.invoke(fileInfo)).reinterpret(FILE_INFO_BITS + 4);
      int bits = fi.get(ValueLayout.JAVA_INT, FILE_INFO_BITS);
      fi.set(ValueLayout.JAVA_INT, FILE_INFO_BITS, bits | DIRECT_IO_BIT);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static MemorySegment context() {
    try {
      MemorySegment p = (MemorySegment) Holder.GET_CONTEXT.invokeExact();
      return p.reinterpret(CONTEXT_SIZE);
    } catch (Throwable t) {
      throw new IllegalStateException("fuse_get_context failed", t);
    }
  }

  /** The uid of the process whose request the current FUSE thread serves. */
  static int callerUid() {
    return context().get(ValueLayout.JAVA_INT, CONTEXT_UID);
  }

  /** The gid of the process whose request the current FUSE thread serves. */
  static int callerGid() {
    return context().get(ValueLayout.JAVA_INT, CONTEXT_GID);
  }
}
