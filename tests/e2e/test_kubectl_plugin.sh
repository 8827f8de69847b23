#!/bin/sh
# The kubectl plugin with the real kubectl: `make install` into a scratch
# prefix, then kubectl finds `netview` on PATH and passes its flags through.
set -eu
build=${K8SNET_BUILD:?}
command -v kubectl >/dev/null || { echo "skip: no kubectl"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
export PATH="$work/prefix/bin:$PATH"
export HOME="$work"   # no user kubeconfig or plugins leak in
kubectl plugin list 2>/dev/null | tee "$work/list"
grep -q "kubectl-netview" "$work/list"
kubectl netview --version | grep -q "^k8snet-top "
kubectl netview --help | head -1 | grep -q "Usage: kubectl netview"
# Flags kubectl itself knows reach the plugin unchanged.
kubectl netview --demo --once --pane pods -o json -n shop > "$work/pods.json"
python3 - "$work/pods.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["pane"] == "pods", doc
assert doc["items"], "no pods from the demo"
assert all(p["namespace"] == "shop" for p in doc["items"]), "-n not honoured"
PY
# Usage errors exit 2 through kubectl too.
set +e
kubectl netview --no-such-flag 2>"$work/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || { echo "want exit 2, got $rc"; exit 1; }
grep -q "kubectl netview --help" "$work/err"
# `kubectl netview <TAB>`: kubectl asks kubectl_complete-netview.
kubectl __complete netview --pane "" > "$work/comp" 2>/dev/null
grep -qx services "$work/comp" && grep -qx ":4" "$work/comp" ||
	{ echo "kubectl __complete netview --pane:"; cat "$work/comp"; exit 1; }
kubectl __complete netview --rel > "$work/comp" 2>/dev/null
grep -qx -- --relinquish-privileges "$work/comp" ||
	{ echo "kubectl __complete netview --rel:"; cat "$work/comp"; exit 1; }
echo "plugin ok"
