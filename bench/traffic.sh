#!/bin/sh
# Packet decoding benchmark: builds a ~2,000,000-packet pcap from the test
# captures (bench_capture_bigpcap: copies later in time, ports and TCP
# sequence numbers shifted), then measures packets/s and peak RSS of
# k8snet-top (full decoding, matching, aggregation, -o json) on one
# worker and on several, the libpcap counting loop (the floor) in the same
# rounds, tcpdump -nn -r, and tshark on a cut. Each of the floor and the
# --workers rows is the best of ROUNDS runs, taken in turns so that all
# of them see the same machine; its CPU time (user+sys) is the least.
# "rounds": the median (and range) of each round's ratio to the floor.
#   env ROUNDS=3, WORKERS="1 2", BENCH_CALLGRIND=1 (instructions per
#   packet on a 300,000-packet cut, each thread apart; slow)
set -eu
build=${K8SNET_BUILD:?}; bin=${K8SNET_BIN:?}
src=$(cd "$(dirname "$0")/.." && pwd)
data=$build/bench-data; mkdir -p "$data"
big=$data/big.pcap
packets=${BENCH_PACKETS:-2000000}
rounds=${ROUNDS:-3}
workers=${WORKERS:-"1 2"}
if [ ! -s "$big" ]; then
	"$build/bench/bench_capture_bigpcap" "$big" "$packets" \
		"$src/tests/data/pcap/eth.pcap" "$src/tests/data/pcap/ipv6.pcap" \
		"$src/tests/data/pcap/vxlan.pcap"
fi
n=$("$build/bench/bench_capture_floor" "$big" | cut -d' ' -f1)
cat "$big" > /dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The floor and each worker count, ROUNDS times in turns: best wall time,
# least CPU, peak RSS, and the ratio of the floor's best to each.
python3 - "$n" "$rounds" "$bin" "$build/bench/bench_capture_floor" "$big" \
	$workers <<'PY'
import os, resource, subprocess, sys, time
n, rounds, binary, floor, big = (int(sys.argv[1]), int(sys.argv[2]),
                                 sys.argv[3], sys.argv[4], sys.argv[5])
runs = [("libpcap counting loop (floor)", [floor, big])]
for w in sys.argv[6:]:
    runs.append((f"k8snet-top -o json --workers {w}",
                 [binary, "--once", "--pane", "traffic", "-r", big, "-o",
                  "json", "--workers", w]))
env = dict(os.environ, KUBECONFIG="", HOME="/nonexistent")
best = {k: (1e9, 1e9, 0.0) for k, _ in runs}
walls = {k: [] for k, _ in runs}
for _ in range(rounds):
    for label, cmd in runs:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.monotonic() - t
        if status != 0:
            sys.exit(f"{label}: exit status {status}")
        w, c, m = best[label]
        best[label] = (min(w, dt), min(c, ru.ru_utime + ru.ru_stime),
                       max(m, ru.ru_maxrss / 1024))
        walls[label].append(dt)
fw = best[runs[0][0]][0]
# Each round's floor against the same round's runs, which came right
# after it: the median of those ratios moves less than the ratio of the
# bests when the machine's speed changes from one minute to the next.
def med(v):
    v = sorted(v)
    return (v[(len(v) - 1) // 2] + v[len(v) // 2]) / 2
print(f"| {'command (best of %d)' % rounds:<44} | {'packets':>9} "
      f"| {'wall s':>7} | {'Mpkt/s':>7} | {'CPU s':>6} | {'RSS MiB':>7} "
      f"| {'x floor':>7} | {'rounds':>16} |")
print(f"|{'-' * 46}|{'-' * 11}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 9}"
      f"|{'-' * 9}|{'-' * 18}|")
fl = walls[runs[0][0]]
for label, _ in runs:
    w, c, m = best[label]
    r = [f / x for f, x in zip(fl, walls[label])]
    rr = f"{med(r):.2f} ({min(r):.2f}-{max(r):.2f})"
    print(f"| {label:<44} | {n:>9} | {w:7.3f} | {n / w / 1e6:7.2f} "
          f"| {c:6.3f} | {m:7.1f} | {fw / w:7.2f} | {rr:>16} |")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# run LABEL PACKETS CMD...: wall time and peak RSS of one run.
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
echo
echo "| command                                      |   packets |   s     |  Mpkt/s  | RSS MiB |"
echo "|----------------------------------------------|-----------|---------|----------|---------|"
export KUBECONFIG= HOME=/nonexistent
for w in $workers; do
	run "k8snet-top ... -o jsonl --workers $w" "$n" "$bin" --once \
		--pane traffic -r "$big" -o jsonl --workers "$w"
done
run "tcpdump -nn -r" "$n" tcpdump -nn -r "$big"
if command -v tshark >/dev/null 2>&1; then
	cut=$data/cut.pcap
	[ -s "$cut" ] || tcpdump -r "$big" -c 100000 -w "$cut" 2>/dev/null
	run "tshark -Y dns -T fields -e dns.qry.name (cut)" 100000 tshark -n -r "$cut" -Y dns -T fields -e dns.qry.name
fi
[ "${BENCH_CALLGRIND:-0}" = 1 ] || exit 0
command -v valgrind >/dev/null 2>&1 || { echo "no valgrind"; exit 0; }
# Instructions per packet (startup included), each thread apart: the
# loop's thread (main) and each worker.
cut3=$data/cut300k.pcap
[ -s "$cut3" ] || "$build/bench/bench_capture_bigpcap" "$cut3" 300000 \
	"$src/tests/data/pcap/eth.pcap" "$src/tests/data/pcap/ipv6.pcap" \
	"$src/tests/data/pcap/vxlan.pcap" > /dev/null
echo
echo "instructions per packet, 300,000 packets (callgrind, each thread):"
cg() {
	label=$1; shift
	rm -f "$data"/cg.out*
	env KUBECONFIG= HOME=/nonexistent valgrind --tool=callgrind \
		--separate-threads=yes --callgrind-out-file="$data/cg.out" \
		"$@" > /dev/null 2>&1
	# one file per thread (cg.out-01 the main thread), each with a
	# summary line of its instructions
	grep -H '^summary:' "$data"/cg.out* | sort | awk -v l="$label" '
		{ ir[NR] = $2; t += $2 }
		END { printf "%-34s total %6.0f", l, t / 300000
		      for (i = 1; i <= NR; i++)
			      printf "  thread %d: %5.0f", i, ir[i] / 300000
		      printf "\n" }'
}
cg "floor" "$build/bench/bench_capture_floor" "$cut3"
for w in $workers; do
	cg "-o json --workers $w" "$bin" --once --pane traffic -r "$cut3" \
		-o json --workers "$w"
done
