#!/usr/bin/env python3
"""The Traffic pane in tmux: on --demo (sub-views, filter, pause, follow,
clear, details, the t link from pods) and during a live capture on a veth
between network namespaces (root only; skipped otherwise)."""
import os
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
        s.keys("f")
        s.wait_for("follow demo", absent=True)
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
         test_t_link_from_pods, test_picker_without_capture,
         test_live_capture_tui])
