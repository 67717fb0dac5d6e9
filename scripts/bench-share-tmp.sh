# Sourced by the SMB bench scripts: puts the test kit's share directory on tmpfs when there is one
# (RDBSS4J_BENCH_SHARE_TMP overrides), so that the benches measure clients and the protocol, not
# the disk under the share, whose writeback made runs swing by 2x. Sets bench_props.
share_tmp=${RDBSS4J_BENCH_SHARE_TMP:-}
if [ -z "$share_tmp" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then share_tmp=/dev/shm; fi
bench_props=()
if [ -n "$share_tmp" ]; then bench_props+=("-Drdbss4j.testkit.tmpdir=$share_tmp"); fi
