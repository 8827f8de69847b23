#!/bin/sh
# Live capture under load: tcpreplay a capture onto a veth between two
# network namespaces at increasing rates while k8snet-top captures on the
# other end (--once -i for a duration). Reports, per rate: packets the
# kernel handed over, kernel and interface drops (pcap_stats), the
# engine's evictions, CPU seconds and peak RSS; then RSS over a longer
# run. Needs root, iproute2, tcpreplay.
#   bench/load.sh [BIN] [PCAP] [SECONDS]  (env RATES="20000 50000 ...")
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/k8snet-top}
pcap=${2:-$here/../tests/data/pcap/eth.pcap}
secs=${3:-10}
rates=${RATES:-"20000 50000 100000 150000 200000 300000"}
[ "$(id -u)" = 0 ] || { echo "load.sh: needs root" >&2; exit 77; }
command -v tcpreplay >/dev/null || { echo "load.sh: needs tcpreplay" >&2; exit 77; }
C=knload-c; S=knload-s
work=$(mktemp -d)
cleanup() { ip netns del $C 2>/dev/null || true; ip netns del $S 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
cleanup; work=$(mktemp -d)
ip netns add $C; ip netns add $S
ip link add kl-c netns $C type veth peer name kl-s netns $S
ip -n $C link set kl-c up; ip -n $S link set kl-s up
npk=$(tcpdump -nr "$pcap" 2>/dev/null | wc -l)
echo "capture: $pcap ($npk packets); $secs s per rate; $(nproc) CPUs"
printf '%9s %10s %10s %8s %8s %8s %7s %8s\n' rate sent received kdrop ifdrop evicted cpu_s rss_kb
for rate in $rates; do
	loops=$(( rate * secs / npk + 1 ))
	ip netns exec $S /usr/bin/time -f '%U %S %M' -o "$work/time" \
		"$bin" --once -i kl-s --pane traffic -o json -f '' \
		--duration $((secs + 3)) > "$work/out.json" 2>"$work/err" &
	cap=$!
	sleep 1.5
	ip netns exec $C tcpreplay -q -i kl-c --pps="$rate" --loop="$loops" \
		--limit=$((rate * secs)) "$pcap" > "$work/replay" 2>&1 || true
	wait $cap || { cat "$work/err"; exit 1; }
	sent=$(grep -o 'Actual: [0-9]* packets' "$work/replay" | grep -o '[0-9]*' | head -1)
	python3 - "$work/out.json" "$work/time" "$rate" "${sent:-?}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["capture"]
u, s, m = open(sys.argv[2]).read().split()[-3:]
print("%9s %10s %10d %8d %8d %8d %7.2f %8s" % (sys.argv[3], sys.argv[4],
      d["received"], d["kernel_drops"], d["interface_drops"], d["evicted"],
      float(u) + float(s), m))
PY
done
# RSS over time at one rate (RSS_RATE, RSS_SECS).
rr=${RSS_RATE:-100000}; rs=${RSS_SECS:-60}
ip netns exec $S "$bin" --once -i kl-s --pane traffic -o json -f '' \
	--duration $((rs + 2)) > /dev/null 2>&1 &
cap=$!
sleep 1
ip netns exec $C tcpreplay -q -i kl-c --pps="$rr" --loop=0 \
	--limit=$((rr * rs)) "$pcap" > /dev/null 2>&1 &
rp=$!
pid=$(pgrep -P $cap -n || echo $cap)
echo "RSS (kB) every 10 s at $rr packets/s for $rs s:"
t=0
while [ $t -lt $rs ] && kill -0 $cap 2>/dev/null; do
	printf '%s ' "$(awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo -)"
	sleep 10; t=$((t + 10))
done
echo
wait $rp 2>/dev/null || true
wait $cap 2>/dev/null || true
