#!/bin/sh
# The .deb from `cpack`: its dependencies are Debian runtime packages, and
# extracted into a scratch root (dpkg -x) the binary runs.
set -eu
build=${K8SNET_BUILD:?}
command -v dpkg-deb >/dev/null || { echo "skip: no dpkg-deb"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
	{ cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/pkg/*.deb)
dpkg-deb -f "$deb" Depends | tee "$work/depends"
grep -q "libc6" "$work/depends"
dpkg -x "$deb" "$work/root"
"$work/root/usr/bin/k8snet-top" --version | grep -q "^k8snet-top "
"$work/root/usr/bin/kubectl-netview" --help | grep -q "kubectl netview"
test -f "$work/root/usr/share/k8snet-top/themes/default.yaml" ||
	{ echo "themes missing from the package"; exit 1; }
echo "package ok: $(basename "$deb")"
