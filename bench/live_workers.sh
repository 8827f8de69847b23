#!/bin/sh
# Live capture on several veths at once, with one decoding worker and
# with several: VETHS veth pairs between two network namespaces, one
# tcpreplay per veth replaying its own slice of the big benchmark capture
# (bench/traffic.sh makes it: distinct connections, no repeats) at
# RATE / VETHS packets/s, while `k8snet-top --once -i any -o json
# --workers W` captures in the receiving namespace. Per W and RATE:
# packets offered (the tcpreplays' own rates, summed), delivered by the
# veths, received by the capture sockets (pcap_stats, kernel drops
# included), kernel and interface drops and the engines' evictions (the
# --log line at exit), the console's CPU (utime+stime from /proc over
# the replay, % of one core) and the load average.
# Needs root, iproute2 and tcpreplay; touches only its own namespaces.
#   bench/live_workers.sh [BIN]
#   env RATES="100000 150000 200000", WORKERS="1 2", VETHS=4, SECS=10
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${K8SNET_BUILD:-$here/../build}
bin=${1:-${K8SNET_BIN:-$build/k8snet-top}}
rates=${RATES:-"100000 150000 200000"}
workers=${WORKERS:-"1 2"}
veths=${VETHS:-4}
secs=${SECS:-10}
big=$build/bench-data/big.pcap
[ "$(id -u)" = 0 ] || { echo "live_workers.sh: needs root" >&2; exit 77; }
command -v tcpreplay >/dev/null ||
	{ echo "live_workers.sh: needs tcpreplay" >&2; exit 77; }
[ -s "$big" ] || { echo "live_workers.sh: run bench/traffic.sh first" \
	"(it makes $big)" >&2; exit 77; }
C=knlw-c; S=knlw-s
work=$(mktemp -d)
cleanup() {
	[ -z "${cpid:-}" ] || kill "$cpid" 2>/dev/null || true
	ip netns del $C 2>/dev/null || true
	ip netns del $S 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
ip netns del $C 2>/dev/null || true; ip netns del $S 2>/dev/null || true
ip netns add $C; ip netns add $S
i=0
while [ $i -lt "$veths" ]; do
	ip link add lwc$i netns $C type veth peer name lws$i netns $S
	ip -n $C link set lwc$i up; ip -n $S link set lws$i up
	i=$((i + 1))
done

# One slice of the capture per veth: consecutive runs of packets, so each
# replay brings its own connections and queries.
python3 - "$big" "$work" "$veths" <<'PY'
import struct, sys
big, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(big, "rb") as f:
    data = f.read()
hdr, off, recs = data[:24], 24, []
while off + 16 <= len(data):
    caplen, = struct.unpack_from("<I", data, off + 8)
    recs.append((off, 16 + caplen))
    off += 16 + caplen
per = (len(recs) + n - 1) // n
for i in range(n):
    with open(f"{work}/slice{i}.pcap", "wb") as out:
        out.write(hdr)
        for o, l in recs[i * per:(i + 1) * per]:
            out.write(data[o:o + l])
PY

rx_total() {
	i=0; t=0
	while [ $i -lt "$veths" ]; do
		t=$((t + $(ip -n $S -s -j link show lws$i | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])')))
		i=$((i + 1))
	done
	echo $t
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
now() { date +%s.%N; }
load1() { cut -d' ' -f1 /proc/loadavg; }
hz=$(getconf CLK_TCK)

echo "$(basename "$big"): $veths veths, $secs s per rate, $(nproc) CPUs"
printf '%7s %9s %10s %10s %10s %8s %8s %8s %6s %6s\n' workers rate \
	offered veth_rx received kdrop ifdrop evicted cpu% load
for w in $workers; do
	for rate in $rates; do
		rm -f "$work/log"
		ip netns exec $S env KUBECONFIG= HOME=/nonexistent "$bin" \
			--once -i any -f '' --pane traffic -o json \
			--workers "$w" --log "$work/log" > /dev/null 2>&1 &
		cpid=$!
		i=0
		until grep -q 'capture: live on' "$work/log" 2>/dev/null; do
			i=$((i + 1))
			[ $i -lt 300 ] || { echo "capture never opened" >&2; exit 1; }
			sleep 0.1
		done
		sleep 0.5
		rx0=$(rx_total); t0=$(ticks "$cpid"); s0=$(now)
		per=$((rate / veths)); i=0; pids=
		while [ $i -lt "$veths" ]; do
			ip netns exec $C tcpreplay -q -i lwc$i --pps=$per \
				--limit=$((per * secs)) --preload-pcap \
				"$work/slice$i.pcap" > "$work/replay$i" 2>&1 &
			pids="$pids $!"
			i=$((i + 1))
		done
		for p in $pids; do wait "$p" || true; done
		t1=$(ticks "$cpid"); s1=$(now); ld=$(load1)
		rx=$(($(rx_total) - rx0))
		offered=$(cat "$work"/replay* | grep -o 'Rated: .*pps' |
			grep -o '[0-9.]* pps' | awk '{s += $1} END {printf "%.0f", s}')
		sleep 0.5
		kill -INT "$cpid"; wait "$cpid" || true; cpid=
		st=$(grep -o '[0-9]* packets received, [0-9]* dropped by the kernel, [0-9]* by the interface, [0-9]* evicted' \
			"$work/log" | tail -1 | tr -cs '0-9' ' ')
		set -- $st
		awk -v w="$w" -v r="$rate" -v o="$offered" -v rx="$rx" \
		    -v rc="${1:-?}" -v kd="${2:-?}" -v id="${3:-?}" \
		    -v ev="${4:-?}" -v dt=$((t1 - t0)) -v hz="$hz" \
		    -v s="$(echo "$s1 - $s0" | bc)" -v ld="$ld" 'BEGIN {
			printf "%7s %9s %10s %10s %10s %8s %8s %8s %6.1f %6s\n",
			       w, r, o, rx, rc, kd, id, ev, 100 * dt / hz / s, ld }'
		grep -o 'workers took .*' "$work/log" | sed 's/^/        /' || true
	done
done
