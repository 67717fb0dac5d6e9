#!/usr/bin/env bash
# End-to-end java.nio.file over SMB against the test kit's private Samba: the rdbss4j provider vs raw smbj.
# Usage: scripts/bench-nio-smb.sh [MiB] [files]   (defaults 256 and 10000; MiB 0: the walks only)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/jdk.sh
./mvnw -q -B -ntp -DskipTests -pl rdbss4j-bench -am package
. scripts/bench-share-tmp.sh
exec "$JAVA_HOME/bin/java" "${bench_props[@]}" -cp rdbss4j-bench/target/benchmarks.jar org.rdbss4j.bench.NioSmbBench "$@"
