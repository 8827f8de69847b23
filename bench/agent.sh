#!/bin/sh
# The node agent under load: tcpreplay a capture onto a veth between two
# network namespaces at each rate while `k8snet-top --agent` captures on
# the other end (empty filter), once writing failures only (the default)
# and once every transaction (--agent-detail all, the rate cap lifted).
# Per run: packets offered, received and dropped (the agent's --log line
# at exit), the agent's CPU (utime+stime from /proc over the replay, % of
# one core), its peak RSS (VmHWM), and the lines and bytes it wrote per
# second. Then the console's CPU per 1,000 agent lines a second
# (bench/agent_console.py against the test Kube-API server).
# Needs root, iproute2, tcpreplay.
#   bench/agent.sh [BIN] [PCAP] [SECONDS]
#   env RATES="10000 50000 100000", MODES="failures all"
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-${K8SNET_BIN:-$here/../build/k8snet-top}}
pcap=${2:-$here/../tests/data/pcap/eth.pcap}
secs=${3:-10}
rates=${RATES:-"10000 50000 100000"}
modes=${MODES:-"failures all"}
[ "$(id -u)" = 0 ] || { echo "agent.sh: needs root" >&2; exit 77; }
command -v tcpreplay >/dev/null || { echo "agent.sh: needs tcpreplay" >&2; exit 77; }
C=knagb-c; S=knagb-s
work=$(mktemp -d)
apid=
cleanup() {
	[ -z "$apid" ] || kill -KILL "$apid" 2>/dev/null || true
	ip netns del $C 2>/dev/null || true
	ip netns del $S 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
ip netns del $C 2>/dev/null || true; ip netns del $S 2>/dev/null || true
ip netns add $C; ip netns add $S
ip link add kab-c netns $C type veth peer name kab-s netns $S
ip -n $C link set kab-c up; ip -n $S link set kab-s up
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
now() { date +%s.%N; }
load1() { cut -d' ' -f1 /proc/loadavg; }
hz=$(getconf CLK_TCK)

echo "capture: $pcap; $secs s per run; $(nproc) CPUs"
printf '%-9s %7s %9s %9s %7s %6s %8s %8s %10s\n' mode rate offered \
	received kdrop cpu% rss_kB lines/s bytes/s
for mode in $modes; do
	extra=
	[ "$mode" = failures ] || extra="--agent-detail all --agent-rate 1000000"
	for rate in $rates; do
		rm -f "$work/log"
		# shellcheck disable=SC2086
		ip netns exec $S "$bin" --agent -i kab-s -f '' $extra \
			--log "$work/log" > "$work/out" 2>/dev/null &
		apid=$!
		i=0
		until grep -q 'capture: live on' "$work/log" 2>/dev/null; do
			i=$((i + 1))
			[ $i -lt 300 ] || { echo "agent.sh: no capture" >&2; exit 1; }
			sleep 0.1
		done
		b0=$(wc -c < "$work/out"); l0=$(wc -l < "$work/out")
		t0=$(ticks $apid); s0=$(now)
		ip netns exec $C tcpreplay -q -i kab-c --pps="$rate" --loop=0 \
			--limit=$((rate * secs)) --preload-pcap "$pcap" \
			> "$work/replay" 2>&1 || true
		t1=$(ticks $apid); s1=$(now); ld=$(load1)
		sleep 0.3
		rss=$(awk '/VmHWM/ {print $2}' /proc/$apid/status)
		kill -TERM $apid; wait $apid || true; apid=
		b1=$(wc -c < "$work/out"); l1=$(wc -l < "$work/out")
		pps=$(grep -o '[0-9.]* pps' "$work/replay" | head -1 | cut -d' ' -f1)
		st=$(grep -o '[0-9]* packets received, [0-9]* dropped by the kernel' \
			"$work/log" | tail -1 | tr -cs '0-9' ' ')
		set -- $st
		awk -v m="$mode" -v r="$rate" -v o="${pps:-?}" -v rc="${1:-?}" \
		    -v kd="${2:-?}" -v dt=$((t1 - t0)) -v hz="$hz" \
		    -v w="$(echo "$s1 - $s0" | bc)" -v rss="$rss" \
		    -v dl=$((l1 - l0)) -v db=$((b1 - b0)) -v ld="$ld" 'BEGIN {
			printf "%-9s %7s %9s %9s %7s %6.1f %8s %8.0f %10.0f   load %s\n",
			       m, r, o, rc, kd, 100 * dt / hz / w, rss,
			       dl / w, db / w, ld }'
	done
done
echo
python3 "$here/agent_console.py" "$bin"
