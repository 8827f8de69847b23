#!/bin/sh
# The synthetic captures in tests/data/pcap are exactly what
# make-synthetic.py writes: the generator and the files stay in step.
set -u
src=${K8SNET_SRC:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 "$src/tests/capture/make-synthetic.py" "$tmp" ||
	{ echo "FAIL: make-synthetic.py"; exit 1; }
fail=0
for f in "$tmp"/*; do
	name=$(basename "$f")
	if ! cmp -s "$f" "$src/tests/data/pcap/$name"; then
		echo "FAIL: tests/data/pcap/$name differs from what make-synthetic.py writes"
		fail=1
	fi
	grep -q "^  $name " "$src/tests/data/pcap/SOURCES" ||
		{ echo "FAIL: $name is not in tests/data/pcap/SOURCES"; fail=1; }
done
[ $fail = 0 ] && echo "ok: $(ls "$tmp" | wc -l) synthetic captures as generated"
exit $fail
