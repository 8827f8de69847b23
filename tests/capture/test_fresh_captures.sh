#!/bin/sh
# Remake the captures from real traffic in network namespaces and check
# them against tshark. Skips (77) when not root or a tool is missing.
set -u
src=${K8SNET_SRC:?}
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root for network namespaces"; exit 77; }
for t in ip dnsmasq nginx tcpdump dig curl tshark python3; do
	command -v $t >/dev/null 2>&1 || { echo "SKIP: $t is not installed"; exit 77; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$src/tests/capture/make-captures.sh" "$tmp" > "$tmp/log" 2>&1 ||
	{ cat "$tmp/log"; echo "FAIL: make-captures"; exit 1; }
K8SNET_PCAP_DIR=$tmp "$src/tests/capture/test_tshark.py"
