#!/usr/bin/env python3
"""Hostile volumes in a capture stay bounded, counted and reported:
two million TCP connections to port 80 (each an unfinished HTTP request)
and a million DNS queries never answered, each from its own port, and an
HTTP request whose header block is 1 MiB. The console decodes them all,
evicts what it cannot hold and says how many, keeps its memory bounded,
and still decodes an ordinary exchange that follows."""
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tools"))
from pcapgen import PcapWriter, csum, ipv4  # noqa: E402

BIN = os.environ["K8SNET_BIN"]
FLOWS = 2_000_000
QUERIES = 1_000_000
RSS_BOUND_MB = 400
if os.environ.get("K8SNET_SANITIZED"):
    RSS_BOUND_MB *= 3  # ASan's shadow memory and quarantine


def tcp(sport, dport, seq, ack, flags, data):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                       65535, 0, 0) + data


ETH = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x00"


def many_flows(path):
    """FLOWS connections (one data segment each) and QUERIES DNS queries,
    then one ordinary DNS exchange and one HTTP exchange."""
    p = PcapWriter(path)
    srv = bytes([10, 0, 0, 80])
    dns = bytes([10, 0, 0, 53])
    req = b"GET /never-finished HTTP/1.1\r\nHost: flood\r\n"
    tmpl = bytearray(ETH + ipv4(bytes([10, 1, 0, 0]), srv, 6,
                                tcp(0, 80, 1, 0, 0x18, req)))
    # Only the source address and port change: fix the IP checksum field
    # per packet (it depends on the address); TCP checksums are not checked.
    for i in range(FLOWS):
        a, port = divmod(i, 60000)
        tmpl[14 + 13] = a & 0xff
        tmpl[14 + 14] = 1 + (a >> 8)
        struct.pack_into("!H", tmpl, 14 + 20, 1024 + port)
        struct.pack_into("!H", tmpl, 14 + 10, 0)
        struct.pack_into("!H", tmpl, 14 + 10, csum(bytes(tmpl[14:34])))
        p.add(bytes(tmpl))
    q = (struct.pack("!HHHHHH", 0, 0x0100, 1, 0, 0, 0) +
         b"\x05flood\x07example\x00\x00\x01\x00\x01")
    udp = struct.pack("!HHHH", 0, 53, 8 + len(q), 0) + q
    tmpl = bytearray(ETH + ipv4(bytes([10, 2, 0, 1]), dns, 17, udp))
    for i in range(QUERIES):
        struct.pack_into("!HH", tmpl, 34, 1024 + i % 60000, 53)
        struct.pack_into("!H", tmpl, 42, i & 0xffff)
        tmpl[14 + 14] = 2 + (i // 60000) % 200
        struct.pack_into("!H", tmpl, 14 + 10, 0)
        struct.pack_into("!H", tmpl, 14 + 10, csum(bytes(tmpl[14:34])))
        p.add(bytes(tmpl))
    ordinary(p)
    p.close()


def ordinary(p):
    """A DNS query and answer and an HTTP request and response that must
    still be decoded after the flood."""
    c, s = bytes([10, 9, 0, 1]), bytes([10, 0, 0, 53])
    q = (struct.pack("!HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0) +
         b"\x05after\x05flood\x00\x00\x01\x00\x01")
    a = (struct.pack("!HHHHHH", 0x4242, 0x8180, 1, 1, 0, 0) +
         q[12:] + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" +
         bytes([10, 9, 9, 9]))
    p.add(ETH + ipv4(c, s, 17, struct.pack("!HHHH", 5353, 53, 8 + len(q),
                                            0) + q))
    p.add(ETH + ipv4(s, c, 17, struct.pack("!HHHH", 53, 5353, 8 + len(a),
                                            0) + a), gap_us=300)
    http_exchange(p, c, bytes([10, 0, 0, 81]), 40000,
                  b"GET /after-flood HTTP/1.1\r\nHost: web\r\n\r\n")


def http_exchange(p, c, s, cport, req):
    """A whole connection: handshake, request in MSS-sized segments, a
    200 response, close."""
    cs, ss = 1000, 5000
    p.add(ETH + ipv4(c, s, 6, tcp(cport, 80, cs, 0, 0x02, b"")))
    p.add(ETH + ipv4(s, c, 6, tcp(80, cport, ss, cs + 1, 0x12, b"")))
    cs += 1
    ss += 1
    p.add(ETH + ipv4(c, s, 6, tcp(cport, 80, cs, ss, 0x10, b"")))
    for off in range(0, len(req), 1400):
        seg = req[off:off + 1400]
        p.add(ETH + ipv4(c, s, 6, tcp(cport, 80, cs, ss, 0x18, seg)))
        cs += len(seg)
    resp = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    p.add(ETH + ipv4(s, c, 6, tcp(80, cport, ss, cs, 0x18, resp)), 500)
    ss += len(resp)
    p.add(ETH + ipv4(c, s, 6, tcp(cport, 80, cs, ss, 0x11, b"")))
    p.add(ETH + ipv4(s, c, 6, tcp(80, cport, ss, cs + 1, 0x11, b"")))


def huge_head(path):
    """A request whose header block is 1 MiB, then an ordinary one on
    another connection."""
    p = PcapWriter(path)
    c, s = bytes([10, 3, 0, 1]), bytes([10, 0, 0, 80])
    filler = b"X-Filler: " + b"a" * 990 + b"\r\n"
    head = (b"GET /huge-head HTTP/1.1\r\nHost: web\r\n" +
            filler * (1024 * 1024 // len(filler)) + b"\r\n")
    http_exchange(p, c, s, 41000, head)
    http_exchange(p, c, s, 41001,
                  b"GET /after-huge HTTP/1.1\r\nHost: web\r\n\r\n")
    p.close()


def run(path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = subprocess.run([BIN, "-r", path, "--once", "--pane", "traffic",
                        "-o", "json"], capture_output=True, timeout=600,
                       env=dict(os.environ, KUBECONFIG="", HOME="/nonexistent"))
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    doc = json.loads(r.stdout)
    return doc, max(rss, before) // 1024


def main():
    with tempfile.TemporaryDirectory() as tmp:
        flood = os.path.join(tmp, "flood.pcap")
        many_flows(flood)
        doc, rss = run(flood)
        pk, tc, lim = doc["packets"], doc["tcp"], doc["limits"]
        total = FLOWS + QUERIES + 2 + 7
        assert pk["total"] == total, (pk, total)
        assert tc["flows"] == FLOWS + 1, tc
        assert tc["evicted"] > 0, f"2M flows but none evicted: {tc}"
        # a million open queries overflow the pending table or the
        # emission ring: either way counted
        assert lim["pending_evicted"] + lim["ring_forced"] > 0, lim
        assert doc["dns"]["queries"] == QUERIES + 1, doc["dns"]
        names = [i.get("name") for i in doc["dns"]["top_names"]]
        assert "after.flood" in names, names
        paths = [i.get("name") for i in doc["http"]["top_paths"]]
        assert "/after-flood" in paths, paths
        assert rss < RSS_BOUND_MB, f"peak RSS {rss} MB"
        print(f"ok: {FLOWS} flows ({tc['evicted']} evicted), {QUERIES} "
              f"queries ({lim['pending_evicted']} evicted, "
              f"{lim['ring_forced']} forced out) in {rss} MB")
        os.unlink(flood)

        big = os.path.join(tmp, "huge-head.pcap")
        huge_head(big)
        doc, rss = run(big)
        h = doc["http"]
        paths = [i.get("name") for i in h["top_paths"]]
        assert "/after-huge" in paths, h
        assert "/huge-head" not in paths, h
        assert doc["limits"]["http_head_too_large"] == 1, doc["limits"]
        assert rss < RSS_BOUND_MB, f"peak RSS {rss} MB"
        print(f"ok: a 1 MiB header block is counted as too large, the next "
              f"request decoded, {rss} MB")


if __name__ == "__main__":
    main()
