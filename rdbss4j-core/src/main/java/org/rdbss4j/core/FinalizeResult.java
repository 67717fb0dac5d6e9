package org.rdbss4j.core;

import java.util.List;

/**
 * The outcome of {@code RxFinalizeConnection}: its status and, for a forced finalization, every
 * file whose buffered data could not be written before its handle was orphaned (never dropped
 * silently).
 */
public record FinalizeResult(NtStatus status, List<UnflushedFile> unflushed) {
  /** A file whose flush failed during a forced finalization, and why. */
  public record UnflushedFile(String path, NtStatus status, String message) {}

  public FinalizeResult {
    unflushed = List.copyOf(unflushed);
  }

  public static FinalizeResult of(NtStatus status) {
    return new FinalizeResult(status, List.of());
  }
}
