#!/usr/bin/env bash
# End-to-end SMB throughput against the test kit's private Samba: smbclient vs smbj (and rdbss4j).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/jdk.sh
./mvnw -q -B -ntp -DskipTests -pl rdbss4j-bench -am package
# The server's files on tmpfs when there is one (RDBSS4J_BENCH_SHARE_TMP overrides): the bench measures
# clients and the protocol, not the disk under the share, whose writeback made runs swing by 2x.
share_tmp=${RDBSS4J_BENCH_SHARE_TMP:-}
if [ -z "$share_tmp" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then share_tmp=/dev/shm; fi
props=()
if [ -n "$share_tmp" ]; then props+=("-Drdbss4j.testkit.tmpdir=$share_tmp"); fi
# -Dname=value arguments are the bench's switches (bench.warmup=N, bench.verbose, bench.defaultsOnly,
# bench.rdbss4jOnly); the rest are MiB and rounds
args=()
for a in "$@"; do
  case "$a" in
    -D*) props+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
exec "$JAVA_HOME/bin/java" "${props[@]}" -cp rdbss4j-bench/target/benchmarks.jar org.rdbss4j.bench.SmbThroughputBench "${args[@]}"
