#!/bin/sh
# A pcapng file whose interfaces differ in snapshot length (or link
# type), which libpcap refuses mid-file: the error says so and, for
# snapshot lengths, gives the commands that convert the file; those
# (run when Wireshark's tools are installed) make a file that reads,
# with the DNS exchange the pcapng held. With one worker and with two.
set -u
bin=${K8SNET_BIN:?}; src=${K8SNET_SRC:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" KUBECONFIG=
# The first two packets of dns-types.pcap (a question and its answer),
# one on each interface; argv: output, the second IDB's link type and
# snapshot length.
mk() {
	python3 - "$src/tests/data/pcap/dns-types.pcap" "$@" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off, frames = 24, []
while len(frames) < 2:
    sec, usec, incl, _ = struct.unpack("<IIII", d[off:off + 16])
    frames.append((sec * 1000000 + usec, d[off + 16:off + 16 + incl]))
    off += 16 + incl
link, snap = int(sys.argv[3]), int(sys.argv[4])
def block(t, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", t, 12 + len(body)) + body + \
        struct.pack("<I", 12 + len(body))
with open(sys.argv[2], "wb") as f:
    f.write(block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1)))
    f.write(block(1, struct.pack("<HHI", 1, 0, 65535)))
    f.write(block(1, struct.pack("<HHI", link, 0, snap)))
    for i, (ts, fr) in enumerate(frames):
        if i == 1 and link == 101:
            fr = fr[14:]
        f.write(block(6, struct.pack("<IIIII", i, ts >> 32, ts & 0xffffffff,
                                     len(fr), len(fr)) + fr))
PY
}
fail=0
mk "$work/snap.pcapng" 1 262144
mk "$work/link.pcapng" 101 65535
for w in 1 2; do
	"$bin" -r "$work/snap.pcapng" --once --pane traffic -o jsonl \
		--workers $w >/dev/null 2>"$work/err"
	rc=$?
	grep -q "snap.pcapng: the pcapng file's interfaces have different snapshot lengths" "$work/err" &&
		grep -q "editcap -F pcap $work/snap.pcapng out.pcap" "$work/err" &&
		[ $rc -eq 1 ] ||
		{ cat "$work/err"; echo "FAIL snaplen, $w workers: exit $rc"; fail=1; }
	"$bin" -r "$work/link.pcapng" --once --pane traffic -o jsonl \
		--workers $w >/dev/null 2>"$work/err"
	rc=$?
	grep -q "link.pcapng: the pcapng file's interfaces have different link types" "$work/err" &&
		grep -q "capture each interface to a file of its own" "$work/err" && [ $rc -eq 1 ] ||
		{ cat "$work/err"; echo "FAIL link type, $w workers: exit $rc"; fail=1; }
done
if command -v editcap >/dev/null && command -v tshark >/dev/null; then
	# The commands as the message gives them.
	(cd "$work" && editcap -F pcap snap.pcapng out.pcap) &&
		"$bin" -r "$work/out.pcap" --once --pane traffic -o jsonl \
			2>/dev/null > "$work/out.jsonl" &&
		grep -q '"qname":"host.example.org".*"rcode":"NOERROR"' "$work/out.jsonl" ||
		{ echo "FAIL: editcap -F pcap gave no readable file"; fail=1; }
	(cd "$work" && tshark -r snap.pcapng -F pcap -w out2.pcap 2>/dev/null) &&
		"$bin" -r "$work/out2.pcap" --once --pane traffic -o jsonl \
			2>/dev/null | cmp -s - "$work/out.jsonl" ||
		{ echo "FAIL: tshark -F pcap gave another file"; fail=1; }
else
	echo "editcap/tshark not installed: conversion commands not run"
fi
[ $fail = 0 ] && echo "pcapng interfaces: ok"
exit $fail
