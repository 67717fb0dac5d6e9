#!/usr/bin/env bash
# End-to-end SMB throughput against the test kit's private Samba: smbclient vs smbj (and rdbss4j).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/jdk.sh
./mvnw -q -B -ntp -DskipTests -pl rdbss4j-bench -am package
. scripts/bench-share-tmp.sh
props=("${bench_props[@]}")
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
