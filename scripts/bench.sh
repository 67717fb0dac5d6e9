#!/usr/bin/env bash
# JMH benchmarks of the core and the local mini-redirector; extra arguments go to JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
./mvnw -q -B -ntp -DskipTests -pl rdbss4j-bench -am package
exec "$JAVA_HOME/bin/java" -jar rdbss4j-bench/target/benchmarks.jar "$@"
