#!/bin/sh
# Gateway API routes at scale: the model.sh cluster (5,000 nodes,
# 150,000 pods, 20,000 services; cached in $BENCH_TMP) and beside it a
# file of 200 Gateways and 20,000 HTTPRoutes (60,000 chains: a 90/10
# canary and an exact path each; one in ten across namespaces, half of
# those without a ReferenceGrant). bench_routes times the Routes view
# alone; then `k8snet-top --once --pane routes -o json` runs with and
# without the Gateway API file: the difference is what the routes cost
# (load, view, output) in time and peak RSS. Sizes: BENCH_PODS,
# BENCH_GATEWAYS, BENCH_ROUTES ...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bench=routes
. "$here/cluster.env"
gws=${BENCH_GATEWAYS:-200}; routes=${BENCH_ROUTES:-20000}
gw=$work/gateway-api-$gws-$routes-$pods-$svcs.json
if [ ! -s "$gw" ]; then
	echo "routes: generating $gw"
	python3 "$here/gen_cluster.py" --nodes "$nodes" --pods "$pods" \
		--services "$svcs" --ingresses "$ings" --gateways "$gws" \
		--httproutes "$routes" --gateway-only -o "$gw.tmp"
	mv "$gw.tmp" "$gw"
fi
echo "routes: cluster $(du -m "$big" | cut -f1) MB, Gateway API $(du -m "$gw" | cut -f1) MB ($gws gateways, $routes HTTPRoutes)"
"$build/bench/bench_routes" "$big" "$gw" | sed 's/^/routes: /'

measure() {
	# label, command...: wall, CPU and peak RSS (kB in $rss)
	label=$1; shift
	/usr/bin/time -v "$@" >"$work/out.json" 2>"$work/time.txt" || {
		echo "routes: $label failed"; tail -5 "$work/time.txt"; return 1; }
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
	usr=$(sed -n 's/.*User time (seconds): //p' "$work/time.txt")
	sys=$(sed -n 's/.*System time (seconds): //p' "$work/time.txt")
	echo "routes: $label: wall $wall, CPU ${usr}+${sys} s, peak RSS $((rss / 1024)) MB, output $(du -k "$work/out.json" | cut -f1) kB"
}
measure "--once --pane routes -o json, no Gateway API" \
	"$bin" --once --pane routes -o json --snapshot "$big"
base=$rss
measure "--once --pane routes -o json, $routes HTTPRoutes" \
	"$bin" --once --pane routes -o json --snapshot "$big" --snapshot "$gw"
echo "routes: peak RSS growth with the routes: $(((rss - base) / 1024)) MB"
measure "--once --pane routes (table), $routes HTTPRoutes" \
	"$bin" --once --pane routes --snapshot "$big" --snapshot "$gw"
