#!/bin/sh
# Traffic pane at a full ring: bench_traffic_pane reads big.pcap (made by
# bench/traffic.sh, or here) at RATES transactions/s into the console's
# ring of 50,000 and prints, at ring fill 10%, 50% and 100%, the CPU of a
# refresh (rows kept, new ones merged in) and of a frame, the refresh
# interval, the worst time from a transaction's completion to the screen
# and the pane's share of a core; beside them what building every row
# again (the pane before it kept its rows) costs on the same rows in the
# same run. Then the DNS pane's live rows at the same fills: a refresh
# with its counts kept beside a scan of the whole ring (what it did
# before), and the same on a made-up full ring with many (client, name)
# pairs with NXDOMAIN. Each rate ROUNDS times (the machine may be
# shared).
#   env RATES="5000 20000", ROUNDS=3
set -eu
build=${K8SNET_BUILD:?}
src=$(cd "$(dirname "$0")/.." && pwd)
data=$build/bench-data; mkdir -p "$data"
big=$data/big.pcap
if [ ! -s "$big" ]; then
	"$build/bench/bench_capture_bigpcap" "$big" "${BENCH_PACKETS:-2000000}" \
		"$src/tests/data/pcap/eth.pcap" "$src/tests/data/pcap/ipv6.pcap" \
		"$src/tests/data/pcap/vxlan.pcap"
fi
cat "$big" > /dev/null
for rate in ${RATES:-5000 20000}; do
	i=1
	while [ "$i" -le "${ROUNDS:-3}" ]; do
		echo "round $i, load average $(cut -d' ' -f1-3 /proc/loadavg)"
		"$build/bench/bench_traffic_pane" "$big" "$rate"
		echo
		i=$((i + 1))
	done
done
