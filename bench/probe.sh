#!/bin/sh
# Node probe sweep: 1,000 nodes x 6 ports, 1 s timeout, 64 at a time, on
# loopback addresses (half the ports open, half closed). As root it also
# runs in a network namespace where 10.99.0.0/16 is routed into lo and
# silently dropped, with some nodes there (filtered: each waits the full
# timeout). Needs $K8SNET_BUILD/bench/bench_probe (make bench builds it).
set -eu
bin=${K8SNET_BUILD:?}/bench/bench_probe
[ -x "$bin" ] || { echo "probe: $bin not built"; exit 1; }
"$bin" 1000 1000 64 0
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null 2>&1; then
	echo "probe: not root (or no ip(8)): filtered cases skipped"
	exit 0
fi
ns=kn-bench-probe-$$
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip -n "$ns" link set lo up
ip -n "$ns" route add 10.99.0.0/16 dev lo
for f in 10 50; do
	ip netns exec "$ns" "$bin" 1000 1000 64 "$f"
done
