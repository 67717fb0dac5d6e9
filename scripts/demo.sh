#!/usr/bin/env bash
# The main job on the embedded default: builds if needed, then runs the scripted RDBSS scenario on
# the local mini-redirector (no server needed), printing each status.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/jdk.sh
./mvnw -q -B -ntp -DskipTests -pl rdbss4j-local -am package
exec "$JAVA_HOME/bin/java" -cp "rdbss4j-local/target/classes:rdbss4j-core/target/classes:$(cat rdbss4j-local/target/classpath.txt)" \
  org.rdbss4j.local.Demo "$@"
