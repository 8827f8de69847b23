#!/bin/sh
# What the summary (-o json) counts for the synthetic captures of IP
# fragments and of DNS over TCP with a lost segment, with one worker and
# with three: fragments seen, datagrams reassembled, fragments timed out
# (an answer never completed) and dropped (an overlap of other bytes);
# the DNS stream's gap and the message it found its place at.
set -u
bin=${K8SNET_BIN:?}; src=${K8SNET_SRC:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" KUBECONFIG=
fail=0
for w in 1 3; do
	"$bin" -r "$src/tests/data/pcap/frag.pcap" --once --pane traffic \
		-o json --workers $w > "$work/frag.json" 2>/dev/null ||
		{ echo "FAIL frag.pcap: exit $?"; fail=1; }
	"$bin" -r "$src/tests/data/pcap/dns-tcp-gap.pcap" --once \
		--pane traffic -o json --workers $w > "$work/tcp.json" \
		2>/dev/null || { echo "FAIL dns-tcp-gap.pcap: exit $?"; fail=1; }
	python3 - "$work/frag.json" "$work/tcp.json" <<'PY' ||
import json, sys
p = json.load(open(sys.argv[1]))["packets"]
want = {"fragments": 13, "reassembled": 3, "fragments_timed_out": 3,
        "fragments_dropped": 2}
got = {k: p[k] for k in want}
assert got == want, "frag.pcap: %s, want %s" % (got, want)
d = json.load(open(sys.argv[2]))["dns"]
assert (d["tcp_gaps"], d["tcp_resyncs"]) == (1, 1), d
assert d["answered"] == 3 and d["unanswered"] == 1, d
PY
	{ echo "FAIL with $w workers"; fail=1; }
done
[ $fail = 0 ] && echo "reassembly counters: ok"
exit $fail
