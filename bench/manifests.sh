#!/bin/sh
# Manifests at scale: 5,000 files (20,500 objects: 5,000 applications of
# four objects and 500 NetworkPolicies; bench/gen_manifests.py, cached in
# $BENCH_TMP) planned with `k8snet-top --filename DIR --once --check`,
# then the Pods pane of the same plan. Read, planned (10,000 pods, their
# addresses, 5,000 service addresses and EndpointSlices) and checked.
# Size: BENCH_MANIFESTS.
set -eu
bin=${K8SNET_BIN:?}
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_TMP:-${TMPDIR:-/tmp}/k8snet-bench}
files=${BENCH_MANIFESTS:-5000}
dir=$work/manifests-$files
if [ ! -d "$dir" ]; then
	echo "manifests: generating $dir"
	python3 "$here/gen_manifests.py" --files "$files" -o "$dir.tmp"
	mv "$dir.tmp" "$dir"
fi
echo "manifests: $(find "$dir" -name '*.yaml' | wc -l) files," \
	"$(du -sm "$dir" | cut -f1) MB"
cat "$dir"/*/*.yaml >/dev/null # into the page cache
for run in 1 2 3; do
	status=0
	/usr/bin/time -f "%e s wall, %U+%S s CPU, %M kB peak" \
		"$bin" --filename "$dir" --once --check -o json \
		>"$work/check.json" 2>"$work/time.txt" || status=$?
	[ "$status" = 3 ] || { cat "$work/time.txt"; exit 1; }
	echo "manifests: --check run $run: $(tail -1 "$work/time.txt")"
done
python3 - "$work/check.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("manifests: %d objects from %d files, planned %s; %d findings"
      % (d["objects"], d["files"], d["planned"], len(d["items"])))
PY
/usr/bin/time -f "%e s wall, %U+%S s CPU, %M kB peak" \
	"$bin" --filename "$dir" --once --pane pods -o json \
	>/dev/null 2>"$work/time.txt"
echo "manifests: --pane pods: $(tail -1 "$work/time.txt")"
# The same manifests on top of a 50,000-pod snapshot (1,000 nodes): the
# load of the snapshot dominates; planning replaces the snapshot's pods
# of the same Deployments and allocates around its addresses.
big=$work/cluster-manifests-50000.json
if [ ! -s "$big" ]; then
	echo "manifests: generating $big"
	python3 "$here/gen_cluster.py" --nodes 1000 --pods 50000 \
		--services 5000 --ingresses 500 -o "$big.tmp"
	mv "$big.tmp" "$big"
fi
/usr/bin/time -f "%e s wall, %U+%S s CPU, %M kB peak" \
	"$bin" --snapshot "$big" --check -o json \
	>/dev/null 2>"$work/time.txt" || true
echo "manifests: --check of the 50,000-pod snapshot alone (every" \
	"object): $(tail -1 "$work/time.txt")"
status=0
/usr/bin/time -f "%e s wall, %U+%S s CPU, %M kB peak" \
	"$bin" --snapshot "$big" --filename "$dir" --check -o json \
	>"$work/check.json" 2>"$work/time.txt" || status=$?
[ "$status" = 3 ] || { cat "$work/time.txt"; exit 1; }
echo "manifests: on top of it, --check: $(tail -1 "$work/time.txt")"
python3 - "$work/check.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
print("manifests: planned %s; %d findings"
      % (d["planned"], len(d["items"])))
PY
