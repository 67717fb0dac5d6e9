#!/usr/bin/env bash
# End-to-end SMB throughput against the test kit's private Samba: smbclient vs smbj (and rdbss4j).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/jdk.sh
./mvnw -q -B -ntp -DskipTests -pl rdbss4j-bench -am package
exec "$JAVA_HOME/bin/java" -cp rdbss4j-bench/target/benchmarks.jar org.rdbss4j.bench.SmbThroughputBench "$@"
