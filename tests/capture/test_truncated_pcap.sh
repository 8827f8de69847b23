#!/bin/sh
# A pcap cut mid-record: the transactions before the cut are still
# reported, the error names the file and what was short, exit status 1;
# a file cut inside its header and a missing file give clear errors too.
set -u
bin=${K8SNET_BIN:?}; src=${K8SNET_SRC:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" KUBECONFIG=
head -c 5000 "$src/tests/data/pcap/eth.pcap" > "$work/cut.pcap"
"$bin" -r "$work/cut.pcap" --once --pane traffic -o jsonl \
	>"$work/out" 2>"$work/err"
rc=$?
[ "$rc" -eq 1 ] || { echo "cut record: exit $rc, want 1"; exit 1; }
[ "$(wc -l < "$work/out")" -gt 0 ] ||
	{ echo "cut record: nothing reported before the cut"; exit 1; }
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' \
	"$work/out" || { echo "cut record: output is not JSON lines"; exit 1; }
grep -q "cut.pcap: truncated" "$work/err" ||
	{ cat "$work/err"; echo "cut record: message lacks file/cause"; exit 1; }
head -c 10 "$src/tests/data/pcap/eth.pcap" > "$work/hdr.pcap"
"$bin" -r "$work/hdr.pcap" --once --pane traffic 2>"$work/err2" >/dev/null
rc=$?
[ "$rc" -eq 1 ] && grep -q "hdr.pcap: truncated" "$work/err2" ||
	{ cat "$work/err2"; echo "cut header: exit $rc"; exit 1; }
"$bin" -r "$work/none.pcap" --once --pane traffic 2>"$work/err3" >/dev/null
rc=$?
[ "$rc" -eq 1 ] && grep -q "none.pcap: No such file" "$work/err3" ||
	{ cat "$work/err3"; echo "missing file: exit $rc"; exit 1; }
echo "truncated and missing pcaps: ok"
