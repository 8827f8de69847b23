#!/bin/sh
# Cluster model at scale: generate a 5,000-node / 150,000-pod / 20,000-
# service / 2,000-ingress snapshot (cached in $BENCH_TMP), then measure
# `--once --pane services -o json --snapshot big.json` (time, peak RSS)
# next to the file's size and python3's json.load of the same file, and
# the model's bytes per pod (bench_model). Sizes: BENCH_PODS etc.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bench=model
. "$here/cluster.env"
echo "model: snapshot $(du -m "$big" | cut -f1) MB ($nodes nodes, $pods pods, $svcs services, $ings ingresses)"

measure() {
	# label, command...: prints wall time and peak RSS from time(1)
	label=$1; shift
	/usr/bin/time -v "$@" >/dev/null 2>"$work/time.txt" || {
		echo "model: $label failed"; tail -5 "$work/time.txt"; return 1; }
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
	usr=$(sed -n 's/.*User time (seconds): //p' "$work/time.txt")
	sys=$(sed -n 's/.*System time (seconds): //p' "$work/time.txt")
	# CPU time is the steadier figure on a shared machine.
	echo "model: $label: wall $wall, CPU ${usr}+${sys} s, peak RSS $((rss / 1024)) MB"
}
measure "k8snet-top --once --pane services -o json" \
	"$bin" --once --pane services -o json --snapshot "$big"
measure "k8snet-top --once --pane pods -o json" \
	"$bin" --once --pane pods -o json --snapshot "$big"
measure "python3 json.load (reference)" \
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$big"
if [ -x "$build/bench/bench_model" ]; then
	"$build/bench/bench_model" "$big" | sed 's/^/model: /'
else
	echo "model: $build/bench/bench_model not built (make bench builds it)"
fi
