#!/usr/bin/env python3
"""Every DNS answer that is not NOERROR shows in the console: on a pcap
of answers REFUSED, FORMERR, NOTIMP, SERVFAIL, NXDOMAIN and NOERROR, the
Traffic pane's DNS-by-name view ('n') counts each name's REFUSED and
other rcodes in columns of their own and colours the row, and the DNS
pane's live failures row counts them too."""
import os
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
from pcapgen import PcapWriter, ipv4  # noqa: E402
from tuiharness import Session, expect_clean_exit, run  # noqa: E402

CLI, SRV = bytes([10, 66, 0, 1]), bytes([10, 66, 0, 2])
MACS = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
# name, rcode of each of its answers
ANSWERS = (
    ("api.pay.example.com", (5, 5, 5)),      # REFUSED
    ("legacy.example.com", (1, 4, 1)),       # FORMERR, NOTIMP
    ("broken.example.com", (2,)),            # SERVFAIL
    ("nothing.example.com", (3,)),           # NXDOMAIN
    ("fine.example.com", (0, 0)),            # NOERROR
)


def dns(qid, name, rcode=None):
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split("."))
    q += b"\0" + struct.pack("!HH", 1, 1)
    if rcode is None:
        return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q
    return struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, 0, 0, 0) + q


def udp(src, dst, sport, dport, data):
    return MACS + ipv4(src, dst, 17, struct.pack(
        "!HHHH", sport, dport, 8 + len(data), 0) + data)


def write_pcap(path):
    w = PcapWriter(path)
    qid = 100
    for name, rcodes in ANSWERS:
        for rc in rcodes:
            qid += 1
            w.add(udp(CLI, SRV, 40000 + qid, 53, dns(qid, name)), 1000)
            w.add(udp(SRV, CLI, 53, 40000 + qid, dns(qid, name, rc)), 800)
    w.close()


def cells(screen, name):
    """The cells of the row of name, split on runs of blanks."""
    for line in screen.splitlines():
        if line.startswith(name):
            return line.split()
    raise AssertionError("no row %s in:\n%s" % (name, screen))


def test_by_name_counts_every_rcode():
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, "rcodes.pcap")
        write_pcap(pcap)
        snap = os.path.join(os.environ.get("K8SNET_SRC", "."), "tests",
                            "data", "snapshots", "services.json")
        with Session(("-r", pcap, "--snapshot", snap, "--pane", "traffic"),
                     cols=140, rows=30) as s:
            s.wait_for("a:all")
            s.keys("n")
            # the by-name view's own title: REFUSED is in the list of
            # transactions too, before the view is drawn
            s.wait_for("QNAME")
            scr = s.wait_for("REFUSED")
            head = [l for l in scr.splitlines() if l.startswith("QNAME")][0]
            titles = head.replace("\u25b2", "").replace("\u25bc", "")
            assert titles.split()[:7] == [
                "QNAME", "COUNT", "NXDOMAIN", "SERVFAIL", "REFUSED",
                "OTHER", "UNANSWERED"], head
            s.wait_for("api.pay.example.com")
            scr = s.wait_for("fine.example.com")
            refused = cells(scr, "api.pay.example.com")
            assert refused[1:6] == ["3", "0", "0", "3", "0"], refused
            other = cells(scr, "legacy.example.com")
            # three answers, the commonest FORMERR, NOTIMP besides
            assert other[1:5] == ["3", "0", "0", "0"], other
            assert other[5:7] == ["3", "FORMERR+"], other
            assert cells(scr, "broken.example.com")[1:4] == \
                ["1", "0", "1"], scr
            assert cells(scr, "fine.example.com")[1:7] == \
                ["2", "0", "0", "0", "0", "0"], scr
            # The detail of a summary row lists its cells by column.
            s.keys("/", "api.pay", "Enter", "Enter")
            scr = s.wait_for("REFUSED      3")
            s.keys("Escape", "Escape")
            # The DNS pane's live rows count them as failures too.
            # (the detail of the row shows its whole VALUE)
            s.keys("3")
            s.wait_for("(live) failures")
            s.keys("/", "(live) failures", "Enter", "Enter")
            scr = s.wait_for("0 unanswered, 1 SERVFAIL, 3 REFUSED, 3 other")
            assert "invalid" not in scr, scr  # no lookup of "(live) ..."
            s.keys("Escape")
            s.wait_for("(live) failures")
            s.keys("q")
            expect_clean_exit(s)


if __name__ == "__main__":
    run([test_by_name_counts_every_rcode])
