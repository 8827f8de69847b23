#!/bin/sh
# Live capture under load: tcpreplay a capture onto a veth between two
# network namespaces at increasing rates while k8snet-top captures on the
# other end (the TUI in tmux, or --once with MODE=once). First tcpreplay
# alone (what this machine can offer), then per rate: packets offered
# (tcpreplay's own rate), delivered by the veth, received by the capture
# socket, kernel drops (pcap_stats), the engine's evictions, the
# console's CPU (utime+stime from /proc over the replay) and tcpreplay's,
# with the load average; then RSS every 10 s over a longer run.
# Needs root, iproute2, tcpreplay (and tmux for the TUI).
#   bench/load.sh [BIN] [PCAP] [SECONDS]
#   env RATES="50000 100000 ...", MODE=tui|once, RSS_RATE, RSS_SECS
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../build/k8snet-top}
pcap=${2:-$here/../tests/data/pcap/eth.pcap}
secs=${3:-10}
rates=${RATES:-"20000 50000 100000 150000 200000"}
mode=${MODE:-tui}
snap=$here/../src/embed/demo-cluster.json
[ "$(id -u)" = 0 ] || { echo "load.sh: needs root" >&2; exit 77; }
command -v tcpreplay >/dev/null || { echo "load.sh: needs tcpreplay" >&2; exit 77; }
[ "$mode" = once ] || command -v tmux >/dev/null ||
	{ echo "load.sh: MODE=tui needs tmux" >&2; exit 77; }
C=knload-c; S=knload-s; T=knload$$
work=$(mktemp -d)
cleanup() {
	tmux -L $T kill-server 2>/dev/null || true
	ip netns del $C 2>/dev/null || true
	ip netns del $S 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
ip netns del $C 2>/dev/null || true; ip netns del $S 2>/dev/null || true
ip netns add $C; ip netns add $S
ip link add kl-c netns $C type veth peer name kl-s netns $S
ip -n $C link set kl-c up; ip -n $S link set kl-s up

veth_rx() {
	ip -n $S -s -j link show kl-s | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
now() { date +%s.%N; }
load1() { cut -d' ' -f1 /proc/loadavg; }
hz=$(getconf CLK_TCK)

# replay RATE COUNT: tcpreplay at RATE pps for COUNT packets; prints
# "achieved_pps cpu_percent" (tcpreplay's own, from /usr/bin/time).
replay() {
	/usr/bin/time -f '%U %S %e' -o "$work/rtime" ip netns exec $C \
		tcpreplay -q -i kl-c --pps="$1" --loop=0 --limit="$2" \
		--preload-pcap "$pcap" > "$work/replay" 2>&1 || true
	pps=$(grep -o 'Rated: .*pps' "$work/replay" | grep -o '[0-9.]* pps' |
	      cut -d' ' -f1)
	awk -v p="${pps:-0}" '{printf "%.0f %.0f\n", p,
		100 * ($1 + $2) / ($3 > 0 ? $3 : 1)}' "$work/rtime"
}

# start_console: the console capturing on kl-s, its pid in $cpid once
# its log says the capture is open (a loaded machine starts it slowly).
start_console() {
	rm -f "$work/log"
	if [ "$mode" = once ]; then
		ip netns exec $S "$bin" --once -i kl-s --pane traffic -o json \
			-f '' --log "$work/log" > /dev/null 2>&1 &
		cpid=$!
	else
		tmux -L $T new-session -d -x 120 -y 30 "ip netns exec $S \
			'$bin' -i kl-s -f '' --pane traffic --snapshot '$snap' \
			--log '$work/log'"
		cpid=$(tmux -L $T list-panes -F '#{pane_pid}')
	fi
	i=0
	until grep -q 'capture: live on' "$work/log" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 300 ] || { echo "load.sh: capture never opened" >&2; exit 1; }
		sleep 0.1
	done
}

# stop_console: quit it; its log's last line gives pcap_stats. (Run in
# a command substitution: it polls, as it cannot wait for the pid.)
stop_console() {
	if [ "$mode" = once ]; then
		kill -INT "$cpid"
	else
		tmux -L $T send-keys q
	fi
	i=0
	while kill -0 "$cpid" 2>/dev/null && [ $i -lt 100 ] &&
	      ! grep -q 'packets received' "$work/log"; do
		sleep 0.1; i=$((i + 1))
	done
	tmux -L $T kill-server 2>/dev/null || true
	grep -o '[0-9]* packets received, [0-9]* dropped by the kernel, [0-9]* by the interface, [0-9]* evicted' \
		"$work/log" | tail -1 | tr -cs '0-9' ' '
}

npk=$(tcpdump -nr "$pcap" 2>/dev/null | wc -l)
echo "capture: $pcap ($npk packets); $secs s per rate; $(nproc) CPUs;" \
     "console: $mode"
echo
echo "tcpreplay alone (nothing capturing):"
printf '%9s %10s %12s %6s\n' rate achieved veth_rx tr_cpu%
for rate in $rates; do
	rx0=$(veth_rx)
	set -- $(replay "$rate" $((rate * secs)))
	printf '%9s %10s %12s %6s   load %s\n' "$rate" "$1" \
		$(($(veth_rx) - rx0)) "$2" "$(load1)"
done
echo
echo "with the console capturing (received counts kernel drops too):"
printf '%9s %10s %10s %10s %8s %8s %8s %6s %6s\n' rate offered veth_rx \
	received kdrop ifdrop evicted cpu% tr_cpu%
for rate in $rates; do
	start_console
	rx0=$(veth_rx); t0=$(ticks "$cpid"); s0=$(now)
	set -- $(replay "$rate" $((rate * secs)))
	t1=$(ticks "$cpid"); s1=$(now); rx=$(($(veth_rx) - rx0)); ld=$(load1)
	sleep 0.5
	st=$(stop_console)
	[ "$mode" != once ] || wait "$cpid" || true
	set -- "$1" "$2" $st
	awk -v r="$rate" -v o="$1" -v tr="$2" -v rx="$rx" -v rc="${3:-?}" \
	    -v kd="${4:-?}" -v id="${5:-?}" -v ev="${6:-?}" -v dt=$((t1 - t0)) \
	    -v hz="$hz" -v w="$(echo "$s1 - $s0" | bc)" -v ld="$ld" 'BEGIN {
		printf "%9s %10s %10s %10s %8s %8s %8s %6.1f %6s   load %s\n",
		       r, o, rx, rc, kd, id, ev, 100 * dt / hz / w, tr, ld }'
done

# RSS over time at one rate (RSS_RATE, RSS_SECS): first, last, max.
rr=${RSS_RATE:-100000}; rs=${RSS_SECS:-60}
[ "$rs" -gt 0 ] || exit 0
echo
start_console
ip netns exec $C tcpreplay -q -i kl-c --pps="$rr" --loop=0 --preload-pcap \
	--limit=$((rr * rs)) "$pcap" > "$work/replay" 2>&1 &
rp=$!
t0=$(ticks "$cpid"); s0=$(now)
echo "RSS (kB) every 10 s at $rr packets/s for $rs s (load $(load1)):"
# The sample at 0 s is before the kernel ring was first filled; flat is
# judged from 10 s on.
t=0; : > "$work/rss"
while [ $t -le "$rs" ] && kill -0 $rp 2>/dev/null; do
	v=$(awk '/VmRSS/ {print $2}' "/proc/$cpid/status")
	printf '%s ' "$v"
	[ $t -eq 0 ] || echo "$v" >> "$work/rss"
	sleep 10; t=$((t + 10))
done
kill $rp 2>/dev/null || true   # tcpreplay behind its rate: stop it
wait $rp 2>/dev/null || true
t1=$(ticks "$cpid"); s1=$(now)
echo
st=$(stop_console)
[ "$mode" != once ] || wait "$cpid" || true
awk -v st="$st" -v dt=$((t1 - t0)) -v hz="$hz" \
    -v w="$(echo "$s1 - $s0" | bc)" -v ld="$(load1)" '
	NR == 1 { first = $1 } { last = $1; if ($1 > max) max = $1 }
	END { split(st, a, " ")
	      flat = last - first <= first / 50 ? "flat" : "GROWING"
	      printf "from 10 s: first %d kB, last %d kB, max %d kB (%s);",
		     first, last, max, flat
	      printf " console CPU %.1f%%; received %s, kernel drops %s,",
		     100 * dt / hz / w, a[1], a[2]
	      printf " evicted %s; load %s\n", a[4], ld }' \
	"$work/rss"
grep -o 'Actual: [0-9]* packets.*' "$work/replay" | head -1
