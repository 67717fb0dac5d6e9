#!/usr/bin/env bash
# The caches over SMB against the test kit's private Samba: repeated reads with and without leases,
# repeated stat and listing with and without the metadata cache (ratios printed), on loopback and
# through an emulated LAN link. Arguments: [MiB] [files] [repeats] [link Mbit/s] [round trip ms].
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/jdk.sh
./mvnw -q -B -ntp -DskipTests -pl rdbss4j-bench -am package
exec "$JAVA_HOME/bin/java" -cp rdbss4j-bench/target/benchmarks.jar org.rdbss4j.bench.SmbCacheBench "$@"
