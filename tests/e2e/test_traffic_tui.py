#!/usr/bin/env python3
"""The Traffic pane in tmux: on --demo (sub-views, filter, pause, follow,
clear, details, the t link from pods), on a test pcap (HTTP heads in the
detail; -r at full speed and with --replay's timing) and during a live
capture on a veth between network namespaces (root only; skipped
otherwise)."""
import os
import re
import struct
import tempfile
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuiharness  # noqa: E402
from tuiharness import Session, expect_clean_exit, run  # noqa: E402


def test_demo_subviews():
    with Session(("--demo", "--pane", "traffic"), cols=120, rows=30) as s:
        s.wait_for("a:all")
        s.wait_for("kube-system/kube-dns")
        for key, mark in (("d", "QNAME"), ("h", "METHOD"), ("l", "SNI"),
                          ("o", "HTTP-OUT"), ("v", "HTTP-IN"),
                          ("n", "SERVFAIL"), ("b", "REQ/S"),
                          ("a", "REQUEST")):
            s.keys(key)
            s.wait_for(mark)
        s.keys("n")
        s.wait_for("ledger.partner.example")
        s.keys("o")
        s.wait_for("shop/frontend-")
        s.keys("q")
        expect_clean_exit(s)


def test_demo_filter_pause_detail():
    with Session(("--demo", "--pane", "traffic"), cols=120, rows=30) as s:
        s.wait_for("kube-system/kube-dns")
        s.keys("d", "/", "postgress", "Enter")
        scr = s.wait_for("postgress.shop")
        assert "cart.shop" not in scr, scr
        s.keys("Escape")
        s.keys("p")
        s.wait_for("PAUSED")
        frozen = s.screen().splitlines()[3:10]
        time.sleep(1.5)  # the demo goes on; the paused screen must not
        assert s.screen().splitlines()[3:10] == frozen
        s.keys("p")
        s.wait_for("PAUSED", absent=True)
        s.keys("Down")
        s.wait_for("follow off (f) demo")
        s.keys("f")
        s.wait_for("follow demo")
        s.keys("h", "g", "Enter")
        scr = s.wait_for("Timing")
        assert "Request" in scr and "client" in scr and "server" in scr
        s.keys("Escape")
        s.keys("c")
        s.wait_for("METHOD")
        s.keys("q")
        expect_clean_exit(s)


def test_policy_explains_no_answer():
    """The demo's checkout pod asks DNS and gets no answer: its egress
    policy forgets DNS, and the Traffic pane says so in the row and the
    detail."""
    with Session(("--demo", "--pane", "traffic"), cols=130, rows=30) as s:
        s.wait_for("POLICY")
        s.keys("/", "metrics.monitoring", "Enter")
        scr = s.wait_for("denied: egress", timeout=30)
        assert "no answer" in scr, scr
        s.keys("Enter")
        scr = s.wait_for("NetworkPolicy")
        assert "denied: egress of shop/checkout-6c66edcc53-15274 is " \
               "isolated and no rule allows UDP 53 to kube-system/" \
               "kube-dns" in scr.replace("\n", ""), scr
        assert "which explains why no answer came" in scr, scr
        s.keys("Escape", "q")
        expect_clean_exit(s)


PCAP = os.path.join(os.environ.get("K8SNET_SRC", "."), "tests", "data",
                    "pcap", "eth.pcap")


def test_http_heads_detail():
    # eth.pcap: curl against nginx. The detail of GET /missing shows
    # the request's and the response's header lines.
    with Session(("-r", PCAP, "--pane", "traffic"), cols=120,
                 rows=40) as s:
        s.wait_for("a:all")
        s.keys("h", "/", "/missing", "Enter")
        s.wait_for("/missing")
        s.keys("g", "Enter")
        scr = s.wait_for("Timing")
        assert "GET /missing HTTP/1.1" in scr, scr
        assert "Host: web" in scr, scr            # a request header
        assert "HTTP/1.1 404 Not Found" in scr, scr
        assert "Server: nginx/" in scr, scr       # a response header
        assert "Content-Type: text/html" in scr, scr
        assert "never shown: <redacted N bytes>" in scr, scr
        s.keys("Escape", "q")
        expect_clean_exit(s)


def spread_pcap(path, secs=3.0):
    """eth.pcap with its packets spread evenly over secs seconds (order
    and contents as captured)."""
    with open(PCAP, "rb") as f:
        d = f.read()
    assert d[:4] == b"\xd4\xc3\xb2\xa1", "eth.pcap: want little-endian pcap"
    pk, o = [], 24
    while o < len(d):
        sec, usec, cl, ln = struct.unpack("<IIII", d[o:o + 16])
        pk.append((sec * 1000000 + usec, cl, ln, d[o + 16:o + 16 + cl]))
        o += 16 + cl
    t0 = pk[0][0]
    out = bytearray(d[:24])
    for i, (_, cl, ln, b) in enumerate(pk):
        t = t0 + int(secs * 1e6 * i / (len(pk) - 1))
        out += struct.pack("<IIII", t // 1000000, t % 1000000, cl, ln) + b
    with open(path, "wb") as f:
        f.write(out)


def rows_shown(s):
    """The Traffic pane's row count (the 'N/M' at the tab bar's end)."""
    m = re.search(r"(\d+)/(\d+)\s*$", s.screen().splitlines()[1])
    return int(m.group(2)) if m else 0


def test_replay_timing():
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "spread.pcap")
        spread_pcap(p)
        total = int(subprocess.run(
            (tuiharness.BIN, "--once", "--pane", "traffic", "-r", p, "-o",
             "jsonl"), check=True, capture_output=True,
            text=True).stdout.count("\n"))
        assert total >= 20, total
        # Without --replay: everything at once.
        with Session(("-r", p, "--pane", "traffic"), cols=120,
                     rows=30) as s:
            s.wait_for("a:all")
            s.wait_for("/%d" % total)
            s.keys("q")
            expect_clean_exit(s)
        # With it: some first, all only later (3 s of packets).
        with Session(("-r", p, "--replay", "--pane", "traffic"),
                     cols=120, rows=30) as s:
            s.wait_for("replay")
            start = time.monotonic()
            seen = []
            while time.monotonic() - start < 20:
                n = rows_shown(s)
                if not seen or n != seen[-1]:
                    seen.append(n)
                if n == total:
                    break
                time.sleep(0.1)
            assert seen and seen[-1] == total, (seen, total)
            partial = [n for n in seen if 0 < n < total]
            assert len(partial) >= 2, (seen, total)
            assert time.monotonic() - start > 1.0, seen
            s.keys("q")
            expect_clean_exit(s)
        # Pausing keeps the screen while the replay goes on.
        with Session(("-r", p, "--replay", "--pane", "traffic"),
                     cols=120, rows=30) as s:
            s.wait_for("replay")
            while rows_shown(s) == 0:
                time.sleep(0.05)
            s.keys("p")
            s.wait_for("PAUSED")
            frozen = s.screen().splitlines()[1:20]
            time.sleep(1.0)
            assert s.screen().splitlines()[1:20] == frozen
            s.keys("p")
            s.wait_for("PAUSED", absent=True)
            s.wait_for("/%d" % total)
            s.keys("q")
            expect_clean_exit(s)


TIME_RE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ")


def time_of(line):
    """A transaction row's TIME as seconds of the day, or None."""
    m = TIME_RE.match(line)
    if m is None:
        return None
    h, mi, sec, ms = (int(g) for g in m.groups())
    return h * 3600 + mi * 60 + sec + ms / 1000.0


def row_times(scr):
    """The TIME of each transaction row on the screen, top to bottom."""
    return [t for t in map(time_of, scr.splitlines()[4:]) if t is not None]


def position(scr):
    """The selected row and the row count (the 'N/M' at the tab bar's
    end)."""
    m = re.search(r"(\d+)/(\d+)\s*$", scr.splitlines()[1])
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def cursor(scr):
    return position(scr)[0]


def test_follow_keeps_newest():
    # The demo for 20 s and more: following, the newest transaction stays
    # on the top row, selected, within 2 s of the clock (TZ=UTC on both
    # sides). Moving leaves follow and says so; f and End come back.
    with Session(("--demo", "--pane", "traffic"), cols=120, rows=30,
                 env={"TZ": "UTC"}) as s:
        s.wait_for("follow demo")
        start = time.monotonic()
        while time.monotonic() - start < 21:
            time.sleep(0.5)
        scr = s.screen()
        times = row_times(scr)
        assert len(times) > 10, scr
        now = time.time() % 86400
        lag = (now - times[0]) % 86400
        assert lag < 2.0, (lag, scr)
        assert cursor(scr) == 1, scr
        s.keys("Down")
        s.wait_for("follow off (f)")
        s.keys("End")
        scr = s.wait_for("follow demo")
        assert cursor(scr) == 1, scr
        s.keys("Down")
        s.wait_for("follow off (f)")
        s.keys("f")
        scr = s.wait_for("follow demo")
        assert cursor(scr) == 1, scr
        s.keys("q")
        expect_clean_exit(s)
    # --replay: once it ended, the newest transaction is on top, selected.
    with tempfile.TemporaryDirectory() as tmp:
        p = os.path.join(tmp, "spread.pcap")
        spread_pcap(p)
        lines = subprocess.run(
            (tuiharness.BIN, "--once", "--pane", "traffic", "-r", p, "-o",
             "jsonl"), check=True, capture_output=True,
            text=True).stdout.splitlines()
        newest = max(float(re.search(r'"ts":([0-9.]+)', ln).group(1))
                     for ln in lines)
        with Session(("-r", p, "--replay", "--pane", "traffic"), cols=120,
                     rows=30, env={"TZ": "UTC"}) as s:
            deadline = time.monotonic() + 20
            while position(s.screen())[1] < len(lines):
                assert time.monotonic() < deadline, s.screen()
                time.sleep(0.1)
            scr = s.screen()
            assert cursor(scr) == 1, scr
            assert abs(row_times(scr)[0] - newest % 86400) < 0.002, scr
            s.keys("q")
            expect_clean_exit(s)


def test_rows_by_time():
    # Rows are ordered by their first packet, newest first, and the header
    # says so; the demo's unanswered query takes its place when it times
    # out (5 s later), below newer rows. `s` moves the sort on.
    with Session(("--demo", "--pane", "traffic", "--ascii"), cols=120,
                 rows=30, env={"TZ": "UTC"}) as s:
        s.wait_for("TIMEv")
        s.keys("d")
        scr = s.wait_for("no answer", timeout=20)
        times = row_times(scr)
        assert times == sorted(times, reverse=True), scr
        late = [time_of(ln) for ln in scr.splitlines() if "no answer" in ln]
        assert late[0] < times[0] - 3, scr  # newer rows above it
        s.keys("s")
        scr = s.wait_for("CLIENT^")
        assert "TIMEv" not in scr, scr
        s.keys("S")
        scr = s.wait_for("TIME^")  # oldest first
        times = row_times(scr)
        assert times == sorted(times), scr
        pos, total = position(scr)  # following: the newest, at the bottom
        assert pos == total, scr
        s.keys("q")
        expect_clean_exit(s)


def test_t_link_from_pods():
    with Session(("--demo",), cols=120, rows=30) as s:
        s.wait_for("1 Pods")
        s.keys("/", "cart-", "Enter", "t")
        s.wait_for("traffic of shop/cart-")
        s.wait_for("a:all")
        s.keys("q")
        expect_clean_exit(s)


def test_picker_without_capture():
    # A snapshot and no capture: the pane lists interfaces to pick.
    snap = os.path.join(os.environ.get("K8SNET_SRC", "."), "src", "embed",
                        "demo-cluster.json")
    with Session(("--snapshot", snap, "--pane", "traffic"), cols=120,
                 rows=30) as s:
        scr = s.wait_for("INTERFACE")
        assert "lo" in scr, scr
        s.keys("q")
        expect_clean_exit(s)


def test_live_capture_tui():
    if os.geteuid() != 0 or shutil.which("dnsmasq") is None:
        print("skip test_live_capture_tui: needs root and dnsmasq")
        return
    C, S = "kntui-c", "kntui-s"

    def sh(*a, check=True):
        return subprocess.run(a, check=check, capture_output=True)

    for ns in (C, S):
        sh("ip", "netns", "del", ns, check=False)
    dns = None
    try:
        sh("ip", "netns", "add", C)
        sh("ip", "netns", "add", S)
        sh("ip", "link", "add", "kt-c", "netns", C, "type", "veth", "peer",
           "name", "kt-s", "netns", S)
        for ns, dev, ip in ((C, "kt-c", "10.78.0.1"),
                            (S, "kt-s", "10.78.0.2")):
            sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up")
        dns = subprocess.Popen(
            ["ip", "netns", "exec", S, "dnsmasq", "--keep-in-foreground",
             "--no-resolv", "--no-hosts", "--bind-interfaces",
             "--listen-address=10.78.0.2", "--except-interface=lo",
             "--user=root", "--pid-file=", "--log-facility=/dev/null",
             "--local=/cluster.local/",
             "--host-record=tui.default.svc.cluster.local,10.96.0.30"])
        real = tuiharness.BIN
        tuiharness.BIN = "ip"
        try:
            s = Session(("netns", "exec", S, real, "-i", "kt-s", "--pane",
                         "traffic"), cols=120, rows=30)
        finally:
            tuiharness.BIN = real
        with s:
            s.wait_for("a:all")
            s.wait_for("kt-s")  # the empty note names the interface
            deadline = time.monotonic() + 10
            while "tui.default" not in s.screen():
                sh("ip", "netns", "exec", C, "dig", "+tries=1", "+time=1",
                   "@10.78.0.2", "tui.default.svc.cluster.local",
                   check=False)
                assert time.monotonic() < deadline, s.screen()
                time.sleep(0.2)
            s.keys("d")
            s.wait_for("10.96.0.30")
            s.keys("p")
            s.wait_for("PAUSED")
            s.keys("g", "Enter")
            s.wait_for("Question")
            s.keys("Escape", "q")
            expect_clean_exit(s)
    finally:
        if dns is not None:
            dns.kill()
            dns.wait()
        for ns in (C, S):
            sh("ip", "netns", "del", ns, check=False)


if __name__ == "__main__":
    if shutil.which("tmux") is None:
        print("skip: tmux missing")
        sys.exit(77)
    run([test_demo_subviews, test_demo_filter_pause_detail,
         test_policy_explains_no_answer,
         test_http_heads_detail, test_replay_timing, test_follow_keeps_newest,
         test_rows_by_time, test_t_link_from_pods,
         test_picker_without_capture, test_live_capture_tui])
