package org.rdbss4j.core;

/**
 * The two statuses MRxCreateVNetRoot reports: one for the NET_ROOT, one for the V_NET_ROOT.
 * RxConstructNetRoot turns them into conditions as in RDBSS.md section 5.3.
 */
public record VNetRootResult(NtStatus netRootStatus, NtStatus vNetRootStatus) {
  public static final VNetRootResult SUCCESS =
      new VNetRootResult(NtStatus.SUCCESS, NtStatus.SUCCESS);
}
