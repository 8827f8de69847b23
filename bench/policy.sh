#!/bin/sh
# NetworkPolicy at scale: a 150,000-pod snapshot with 5,000 policies
# (cached in $BENCH_TMP), then bench_policy (index, one --can answer,
# the Policies view of every pod, a 500-pod matrix, the policies'
# memory) and the whole `k8snet-top --can` run from the file. Sizes:
# BENCH_PODS, BENCH_POLICIES.
set -eu
build=${K8SNET_BUILD:?}
bin=${K8SNET_BIN:?}
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_TMP:-${TMPDIR:-/tmp}/k8snet-bench}
pods=${BENCH_PODS:-150000}; pols=${BENCH_POLICIES:-5000}
mkdir -p "$work"
big=$work/cluster-policies-$pods-$pols.json
if [ ! -s "$big" ]; then
	echo "policy: generating $big"
	python3 "$here/gen_cluster.py" --nodes 5000 --pods "$pods" \
		--services 20000 --ingresses 0 --policies "$pols" -o "$big.tmp"
	mv "$big.tmp" "$big"
fi
echo "policy: snapshot $(du -m "$big" | cut -f1) MB ($pods pods, $pols policies)"
"$build/bench/bench_policy" "$big" svc/team-000/app-00400 svc/team-000/app-00000 |
	sed 's/^/policy: /'
/usr/bin/time -f "%e s wall, %U+%S s CPU, %M kB peak" \
	"$bin" --snapshot "$big" --can svc/team-000/app-00400 \
	svc/team-000/app-00000 --port 8080 >/dev/null 2>"$work/time.txt"
echo "policy: k8snet-top --snapshot --can (load included): $(tail -1 "$work/time.txt")"
