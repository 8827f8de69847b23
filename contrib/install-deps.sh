#!/bin/sh
# Install every Debian 12 package that building, testing and running the
# demo of k8snet-top need. Idempotent: installs only what is missing.
#   contrib/install-deps.sh          install what is missing
#   contrib/install-deps.sh --check  exit 0 when nothing is missing
set -eu

# Build: compilers, cmake, pkg-config and the -dev packages.
BUILD="gcc clang make cmake pkg-config libncurses-dev libcurl4-openssl-dev
libssl-dev libcjson-dev libyaml-dev libpcap-dev libcmocka-dev"
# Runtime of the demo: a terminal database.
RUN="ncurses-base ncurses-term"
# Tests: sanitizer runtimes, tmux for the TUI, python3 for the test
# Kube-API server, kubectl for the plugin test, iproute2 + dnsmasq + nginx +
# dig + curl + tcpdump + tshark for the capture tests, sudo for the exec
# plugin under sudo test, openssl for test
# certificates, dpkg-dev for the package test, tcpreplay for the benchmarks.
TEST="libclang-rt-14-dev tmux python3 iproute2 dnsmasq-base nginx-light
dnsutils curl tcpdump tshark openssl tcpreplay valgrind dpkg-dev file sudo"

missing=""
for p in $BUILD $RUN $TEST; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
# kubectl ships with many machine images; Debian's package is the fallback.
if ! command -v kubectl >/dev/null 2>&1; then
	missing="$missing kubernetes-client"
fi

if [ "${1:-}" = "--check" ]; then
	[ -z "$missing" ] && exit 0
	echo "missing packages:$missing" >&2
	exit 1
fi
[ -z "$missing" ] && { echo "install-deps: all dependencies present"; exit 0; }

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: no apt-get here. Install the equivalents of:" >&2
	echo " $missing" >&2
	echo "(the names are Debian 12's) and run make again." >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-deps: not root and no sudo. As root run:" >&2
		echo "  apt-get update && apt-get install -y$missing" >&2
		exit 1
	fi
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture: answer no, silently.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	$SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
