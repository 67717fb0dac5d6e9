#!/usr/bin/env bash
# The whole test suite: installs what the tests need (Samba, when the SMB kit is present), finds
# JDK 25 and runs every module's tests with the Maven wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x scripts/install-deps.sh ]; then
  scripts/install-deps.sh
fi
. scripts/jdk.sh
exec ./mvnw -B -ntp verify "$@"
