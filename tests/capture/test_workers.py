#!/usr/bin/env python3
"""Decoding on several workers prints what one prints, byte for byte:
every test capture in jsonl, json and table with --workers 1, 2 and 3
(and with a -f filter), and a capture of many overlapping copies of the
Ethernet captures (each copy's client ports and TCP sequence numbers
shifted, all copies interleaved in time), big enough to cross many of
the workers' blocks, with --workers 1, 2 and 4: read from the file, in
the other byte order, and from a pipe (-r -, read through libpcap); and
what -w writes."""
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from testlib import check, exit_code  # noqa: E402

BIN = os.environ["K8SNET_BIN"]
SRC = os.environ.get("K8SNET_SRC", os.path.join(HERE, "..", ".."))
PCAPS = os.path.join(SRC, "tests", "data", "pcap")
ENV = dict(os.environ, KUBECONFIG="", HOME="/nonexistent")


def run(path, fmt, workers, extra=(), stdin=None):
    r = subprocess.run([BIN, "--once", "--pane", "traffic", "-r", path,
                        "-o", fmt, "--workers", str(workers), *extra],
                       capture_output=True, env=ENV, timeout=300,
                       stdin=stdin)
    return r.returncode, r.stdout, r.stderr


def same(path, fmts, counts, extra=(), label=None):
    label = label or os.path.basename(path)
    for fmt in fmts:
        rc1, out1, err1 = run(path, fmt, 1, extra)
        for n in counts:
            rc, out, err = run(path, fmt, n, extra)
            check(rc == rc1 and out == out1 and err == err1,
                  f"{label} -o {fmt} {' '.join(extra)}: --workers {n} "
                  f"as --workers 1 ({len(out1)} bytes)")


def records(path):
    """The records of a little-endian microsecond pcap: (sec, usec,
    frame), and its link type."""
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack_from("<I", data)
    assert magic == 0xa1b2c3d4, path
    link, = struct.unpack_from("<I", data, 20)
    out, off = [], 24
    while off + 16 <= len(data):
        sec, usec, caplen, _ = struct.unpack_from("<IIII", data, off)
        out.append((sec * 1_000_000 + usec, data[off + 16:off + 16 + caplen]))
        off += 16 + caplen
    return link, out


def shifted(frame, copy):
    """frame (Ethernet, IPv4 or IPv6, TCP or UDP) with its port above
    1024 moved by copy and its TCP sequence numbers by copy * 100000."""
    b = bytearray(frame)
    et, = struct.unpack_from("!H", b, 12)
    if et == 0x0800:
        ihl = (b[14] & 15) * 4
        proto, l4 = b[14 + 9], 14 + ihl
    elif et == 0x86dd:
        proto, l4 = b[14 + 6], 14 + 40
    else:
        return bytes(b)
    if proto not in (6, 17) or len(b) < l4 + 4:
        return bytes(b)
    sp, dp = struct.unpack_from("!HH", b, l4)
    if sp > 1024 and sp not in (8080, 8000, 8443):
        sp = 1025 + (sp - 1025 + copy * 7) % 60000
    elif dp > 1024 and dp not in (8080, 8000, 8443):
        dp = 1025 + (dp - 1025 + copy * 7) % 60000
    struct.pack_into("!HH", b, l4, sp, dp)
    if proto == 6 and len(b) >= l4 + 12:
        seq, ack = struct.unpack_from("!II", b, l4 + 4)
        d = copy * 100000
        struct.pack_into("!II", b, l4 + 4, (seq + d) & 0xffffffff,
                         (ack + d) & 0xffffffff if ack else 0)
    return bytes(b)


def many(path, swapped=False):
    """COPIES copies of the Ethernet captures, each starting 30 ms after
    the one before, merged in time order."""
    src = []
    for name in ("eth.pcap", "ipv6.pcap", "http-gaps.pcap",
                 "http-noreq.pcap", "long-strings.pcap"):
        link, recs = records(os.path.join(PCAPS, name))
        if link == 1:
            t0 = recs[0][0]
            src.append([(t - t0, fr) for t, fr in recs])
    out = []
    copies = 100
    for c in range(copies):
        for k, recs in enumerate(src):
            base = 1_700_000_000_000_000 + c * 30_000 + k * 7_000
            out.extend((base + t, c * 10 + k, i, shifted(fr, c * 5 + k))
                       for i, (t, fr) in enumerate(recs))
    out.sort()
    e = ">" if swapped else "<"
    with open(path, "wb") as f:
        f.write(struct.pack(e + "IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for t, _, _, fr in out:
            f.write(struct.pack(e + "IIII", t // 1_000_000, t % 1_000_000,
                                len(fr), len(fr)))
            f.write(fr)
    return len(out)


def main():
    files = sorted(glob.glob(os.path.join(PCAPS, "*.pcap")) +
                   glob.glob(os.path.join(PCAPS, "*.pcapng")))
    check(len(files) >= 10, f"{len(files)} test captures")
    for path in files:
        same(path, ("jsonl", "json", "table"), (2, 3))
    same(os.path.join(PCAPS, "eth.pcap"), ("jsonl", "json"), (2, 3),
         ("-f", "tcp or udp port 53"))
    with tempfile.TemporaryDirectory() as work:
        big = os.path.join(work, "many.pcap")
        n = many(big)
        check(os.path.getsize(big) > 4 << 20,
              f"{n} packets, {os.path.getsize(big)} bytes")
        same(big, ("jsonl", "json"), (2, 4), label="many copies")
        rc, out, _ = run(big, "json", 2)
        summary = json.loads(out)
        check(rc == 0 and summary["http"]["requests"] > 1000 and
              summary["dns"]["queries"] > 1000 and
              summary["limits"]["ring_forced"] == 0,
              "many copies: HTTP and DNS decoded, nothing forced out")
        swapped = os.path.join(work, "swapped.pcap")
        many(swapped, swapped=True)
        rc1, out1, _ = run(big, "jsonl", 1)
        rc, out, _ = run(swapped, "jsonl", 2)
        check(rc == rc1 and out == out1,
              "byte-swapped file on 2 workers as the file on 1")
        with open(big, "rb") as f:
            rc, out, _ = run("-", "jsonl", 2, stdin=f)
        check(rc == rc1 and out == out1, "-r - on 2 workers as the file on 1")
        # -w: the same packets in the same order, filtered or not
        for extra in ((), ("-f", "tcp")):
            got = []
            for n in (1, 2):
                w = os.path.join(work, f"w{n}.pcap")
                run(big, "json", n, ("-w", w, *extra))
                with open(w, "rb") as f:
                    got.append(f.read())
            check(got[0] == got[1] and len(got[0]) > 24,
                  f"-w {' '.join(extra)}: 2 workers write what 1 writes")
    return exit_code()


if __name__ == "__main__":
    sys.exit(main())
