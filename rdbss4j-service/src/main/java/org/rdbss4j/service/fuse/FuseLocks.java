package org.rdbss4j.service.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.cryptomator.jfuse.api.Fuse;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * POSIX record locks ({@code fcntl} F_GETLK, F_SETLK, F_SETLKW) as RDBSS byte-range locks. jfuse
 * 0.7.3 does not bind the {@code lock} member of {@code struct fuse_operations}, so this class
 * writes an FFM upcall stub into the struct jfuse allocated, before {@code fuse_new} copies it.
 *
 * <p>POSIX locks belong to a process and merge and split; RDBSS locks belong to a handle and are
 * unlocked by exact range. A lock is taken on the FUSE handle's FILE_OBJECT; unlocking a range that
 * was not locked as one succeeds (as POSIX says), and every lock of a handle goes at its close.
 */
final class FuseLocks {
  private static final int F_GETLK = 5;
  private static final int F_SETLK = 6;
  private static final int F_SETLKW = 7;
  private static final short F_RDLCK = 0;
  private static final short F_WRLCK = 1;
  private static final short F_UNLCK = 2;
  private static final long FLOCK_SIZE = 32;
  private static final long FILE_INFO_SIZE = 40;

  private final RedirectedFileSystem fs;

  private FuseLocks(RedirectedFileSystem fs) {
    this.fs = fs;
  }

  /** Binds the lock operation of {@code fuse} (built, not yet mounted) to {@code fs}. */
  static void install(Fuse fuse, RedirectedFileSystem fs, Arena arena)
      throws ReflectiveOperationException {
    var field = Fuse.class.getDeclaredField("fuseOperationsStruct");
    field.setAccessible(true);
    MemorySegment ops = (MemorySegment) field.get(fuse);
    MethodHandle target =
        MethodHandles.lookup()
            .findVirtual(
                FuseLocks.class,
                "lock",
                MethodType.methodType(
                    int.class,
                    MemorySegment.class,
                    MemorySegment.class,
                    int.class,
                    MemorySegment.class))
            .bindTo(new FuseLocks(fs));
    MemorySegment stub =
        Linker.nativeLinker()
            .upcallStub(
                target,
                FunctionDescriptor.of(
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS),
                arena);
    ops.set(ValueLayout.ADDRESS, FuseNative.OPERATIONS_LOCK, stub);
  }

  @SuppressWarnings("unused") // called from native code through the upcall stub
  private int lock(MemorySegment path, MemorySegment fi, int cmd, MemorySegment flock) {
    try {
      MemorySegment info = fi.reinterpret(FILE_INFO_SIZE);
      MemorySegment fl = flock.reinterpret(FLOCK_SIZE);
      RedirectedFileSystem.Handle h =
          fs.handle(info.get(ValueLayout.JAVA_LONG, FuseNative.FILE_INFO_FH));
      if (h == null) {
        return -Errnos.EBADF;
      }
      short type = fl.get(ValueLayout.JAVA_SHORT, 0);
      long start = fl.get(ValueLayout.JAVA_LONG, 8);
      long len = fl.get(ValueLayout.JAVA_LONG, 16);
      long length = len <= 0 ? Long.MAX_VALUE - start : len;
      boolean exclusive = type == F_WRLCK;
      switch (cmd) {
        case F_GETLK -> {
          try {
            h.file().lock(start, length, exclusive, true);
            h.file().unlock(start, length);
            fl.set(ValueLayout.JAVA_SHORT, 0, F_UNLCK);
          } catch (RxException e) {
            if (e.status() != NtStatus.LOCK_NOT_GRANTED
                && e.status() != NtStatus.FILE_LOCK_CONFLICT) {
              throw e;
            }
            fl.set(ValueLayout.JAVA_SHORT, 0, exclusive ? F_WRLCK : F_RDLCK);
            fl.set(ValueLayout.JAVA_INT, 24, 0);
          }
          return 0;
        }
        case F_SETLK, F_SETLKW -> {
          if (type == F_UNLCK) {
            try {
              h.file().unlock(start, length);
            } catch (RxException e) {
              if (e.status() != NtStatus.RANGE_NOT_LOCKED) {
                throw e;
              }
            }
          } else {
            h.file().lock(start, length, exclusive, cmd == F_SETLK);
          }
          return 0;
        }
        default -> {
          return -Errnos.EINVAL;
        }
      }
    } catch (RuntimeException e) {
      return Errnos.of(e);
    }
  }
}
