#!/bin/sh
# Three node agents at once, each offered 50,000 packets/s of DNS on its
# own veth, their stdout the pod logs of the test Kube-API server, read
# live by `k8snet-top --once --pane traffic --agents NS -o jsonl`: the
# agents' CPU, RSS, drops, lines and bytes per second, the bytes per
# second the server sends the console, and the console's CPU and whether
# it keeps up. bench/agents_load.py does the work and describes the
# figures; this checks what it needs and deletes its namespaces whatever
# happens.
# Needs root, iproute2, tcpreplay.
#   bench/agents_load.sh [BIN] [SECONDS]
#   env RATE=50000, MODES="failures all", AGENTS=3
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${K8SNET_BIN:-$here/../build/k8snet-top}}
secs=${2:-25}
[ "$(id -u)" = 0 ] || { echo "agents_load.sh: needs root" >&2; exit 77; }
for t in tcpreplay ip ss python3; do
	command -v $t >/dev/null ||
		{ echo "agents_load.sh: needs $t" >&2; exit 77; }
done
tag=knld$$
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	i=0
	while [ "$i" -lt "${AGENTS:-3}" ]; do
		ip netns del "$tag-c$i" 2>/dev/null || true
		ip netns del "$tag-s$i" 2>/dev/null || true
		i=$((i + 1))
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
python3 "$here/agents_load.py" "$bin" "$tag" "$secs" &
pid=$!
rc=0
wait $pid || rc=$?
pid=
exit $rc
