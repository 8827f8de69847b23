#!/bin/sh
# Packet decoding benchmark: builds a ~2,000,000-packet pcap from the test
# captures (bench_capture_bigpcap: copies later in time, ports and TCP
# sequence numbers shifted), then measures packets/s and peak RSS of
# k8snet-top (full decoding, matching, aggregation, -o json), the libpcap
# counting loop (the floor), tcpdump -nn -r, and tshark on a cut.
set -eu
build=${K8SNET_BUILD:?}; bin=${K8SNET_BIN:?}
src=$(cd "$(dirname "$0")/.." && pwd)
data=$build/bench-data; mkdir -p "$data"
big=$data/big.pcap
packets=${BENCH_PACKETS:-2000000}
if [ ! -s "$big" ]; then
	"$build/bench/bench_capture_bigpcap" "$big" "$packets" \
		"$src/tests/data/pcap/eth.pcap" "$src/tests/data/pcap/ipv6.pcap" \
		"$src/tests/data/pcap/vxlan.pcap"
fi
n=$("$build/bench/bench_capture_floor" "$big" | cut -d' ' -f1)
# run LABEL PACKETS CMD...: wall time and peak RSS of one run (the file is
# read once beforehand so every tool reads from the page cache).
run() {
	label=$1; count=$2; shift 2
	python3 - "$label" "$count" "$@" <<'PY'
import resource, subprocess, sys, time
label, count, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
t = time.monotonic()
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
dt = time.monotonic() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"| {label:<44} | {count:>9} | {dt:7.3f} | {count/dt/1e6:8.2f} | {rss:7.1f} |")
PY
}
cat "$big" > /dev/null
echo "| command                                      |   packets |   s     |  Mpkt/s  | RSS MiB |"
echo "|----------------------------------------------|-----------|---------|----------|---------|"
run "libpcap counting loop (floor)" "$n" "$build/bench/bench_capture_floor" "$big"
run "k8snet-top --once --pane traffic -o json" "$n" "$bin" --once --pane traffic -r "$big" -o json
run "k8snet-top ... -o jsonl (every line printed)" "$n" "$bin" --once --pane traffic -r "$big" -o jsonl
run "tcpdump -nn -r" "$n" tcpdump -nn -r "$big"
if command -v tshark >/dev/null 2>&1; then
	cut=$data/cut.pcap
	[ -s "$cut" ] || tcpdump -r "$big" -c 100000 -w "$cut" 2>/dev/null
	run "tshark -Y dns -T fields -e dns.qry.name (cut)" 100000 tshark -n -r "$cut" -Y dns -T fields -e dns.qry.name
fi
