#!/usr/bin/env bash
# The topology's tests: first TopologyPortsIT (a port taken before or during `up`, in DIR-ports,
# on ports of its own), then starts scale/topology.sh in DIR (target/scale), runs ScaleOutIT
# against it through Maven (Failsafe), and stops it whatever happens; its logs stay in DIR/logs.
# Then the same for the HA topology (scale/topology.sh up-ha, in DIR-ha) and FailoverIT, whose
# figures stay in DIR-ha/failover.txt.
# Run after a build (mvn verify or package): the topology runs target/kci-batch.war.
# MVN_ARGS adds Maven options (for example -o); KCI_TOPOLOGY_PORT_BASE moves the topology's ports.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-target/scale}
mkdir -p "$dir" "$dir-ha"
dir=$(cd "$dir" && pwd)
ha_dir=$(cd "$dir-ha" && pwd)
# shellcheck disable=SC2086
mvn -B -ntp ${MVN_ARGS:-} test-compile failsafe:integration-test failsafe:verify \
  -Dit.test=TopologyPortsIT -Dkci.scale.dir="$dir"
trap 'scale/topology.sh down "$dir"; scale/topology.sh down "$ha_dir"' EXIT
scale/topology.sh up "$dir"
# shellcheck disable=SC2086
mvn -B -ntp ${MVN_ARGS:-} test-compile failsafe:integration-test failsafe:verify \
  -Dit.test=ScaleOutIT -Dkci.scale.dir="$dir"
scale/topology.sh down "$dir"
scale/topology.sh up-ha "$ha_dir"
# shellcheck disable=SC2086
mvn -B -ntp ${MVN_ARGS:-} test-compile failsafe:integration-test failsafe:verify \
  -Dit.test=FailoverIT -Dkci.ha.dir="$ha_dir"
