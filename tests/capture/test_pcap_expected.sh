#!/bin/sh
# Decode every checked-in test pcap and compare with its expected jsonl;
# check -o json/table run, -f errors name the expression, and -w writes
# the packets that passed the filter.
set -u
bin=${K8SNET_BIN:?}; src=${K8SNET_SRC:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
for p in "$src"/tests/data/pcap/*.pcap "$src"/tests/data/pcap/*.pcapng; do
	exp=${p%.*}.jsonl
	"$bin" --once --pane traffic -r "$p" -o jsonl > "$tmp/out.jsonl" ||
		{ echo "FAIL $p: exit $?"; fail=1; continue; }
	if ! cmp -s "$tmp/out.jsonl" "$exp"; then
		echo "FAIL $(basename "$p"): output differs from $(basename "$exp")"
		diff "$exp" "$tmp/out.jsonl" | head -20
		fail=1
	fi
	for fmt in json table; do
		"$bin" --once --pane traffic -r "$p" -o $fmt > "$tmp/out.$fmt" ||
			{ echo "FAIL $p -o $fmt"; fail=1; }
	done
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["pane"]=="traffic" and isinstance(d["items"], list)' "$tmp/out.json" ||
		{ echo "FAIL $p: -o json is not the summary document"; fail=1; }
done
# A bad filter: libpcap's message and the expression.
if "$bin" --once --pane traffic -r "$src/tests/data/pcap/eth.pcap" \
	-f 'port nonsense' -o jsonl > /dev/null 2> "$tmp/err"; then
	echo "FAIL: a bad filter was accepted"; fail=1
fi
grep -q "port nonsense" "$tmp/err" || { echo "FAIL: filter error lacks the expression"; cat "$tmp/err"; fail=1; }
# -f and -w: only DNS kept, and written out.
"$bin" --once --pane traffic -r "$src/tests/data/pcap/eth.pcap" -f 'udp port 53' \
	-w "$tmp/dns.pcap" -o jsonl > "$tmp/dns.jsonl" || { echo "FAIL: -f/-w"; fail=1; }
grep -q '"type":"http"' "$tmp/dns.jsonl" && { echo "FAIL: filter let HTTP through"; fail=1; }
"$bin" --once --pane traffic -r "$tmp/dns.pcap" -o jsonl > "$tmp/dns2.jsonl"
cmp -s "$tmp/dns.jsonl" "$tmp/dns2.jsonl" || { echo "FAIL: -w file decodes differently"; fail=1; }
[ $fail = 0 ] && echo "ok: all captures decode as expected"
exit $fail
