#!/usr/bin/env python3
"""Starting the console in tmux without what it needs: the message on
exit names the file at fault and what to do, and says it once."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuiharness import Session, expect_clean_exit, run  # noqa: E402


def test_missing_kubeconfig_named():
    with tempfile.TemporaryDirectory() as home:
        # (KUBERNETES_SERVICE_HOST empty: not in a pod, even in CI's)
        with Session(args=(), env={"KUBECONFIG": "/nope/config",
                                   "HOME": home,
                                   "KUBERNETES_SERVICE_HOST": ""}) as s:
            expect_clean_exit(s, 1)
            err = s.stderr()
            assert "$KUBECONFIG names /nope/config" in err, err
            assert "--demo" in err, err
        with Session(args=(), env={"KUBECONFIG": "", "HOME": home,
                                   "KUBERNETES_SERVICE_HOST": ""}) as s:
            expect_clean_exit(s, 1)
            err = s.stderr()
            assert os.path.join(home, ".kube", "config") in err, err
            assert "--demo" in err, err


def test_unreadable_pcap_says_why_once():
    with tempfile.TemporaryDirectory() as home:
        bad = os.path.join(home, "bad.pcap")
        with open(bad, "wb") as f:
            f.write(b"not a capture file at all" * 4)
        env = {"KUBECONFIG": "", "HOME": home, "KUBERNETES_SERVICE_HOST": ""}
        with Session(args=("-r", "/nonexistent.pcap"), env=env) as s:
            expect_clean_exit(s, 1)
            err = s.stderr()
            assert "-r /nonexistent.pcap: No such file" in err, err
            assert err.count("nonexistent") == 1, err
        with Session(args=("-r", bad), env=env) as s:
            expect_clean_exit(s, 1)
            err = s.stderr()
            assert "unknown file format" in err, err
            # the capture failed: no word about cluster names before it
            assert "cluster" not in err, err


def test_capture_without_cluster_opens_on_traffic():
    pcap = os.path.join(os.environ.get("K8SNET_SRC", "."), "tests", "data",
                        "pcap", "eth.pcap")
    with tempfile.TemporaryDirectory() as home:
        env = {"KUBECONFIG": "", "HOME": home, "KUBERNETES_SERVICE_HOST": ""}
        with Session(args=("-r", pcap), env=env, cols=100) as s:
            scr = s.wait_for("a:all")
            assert "LATENCY" in scr and "NAMESPACE" not in scr, scr
            s.keys("q")
            expect_clean_exit(s)
            assert "no cluster names for captured addresses" in \
                s.stderr(), s.stderr()
        # With a cluster the console still opens on Pods.
        with Session(args=("-r", pcap, "--demo"), cols=100) as s:
            s.wait_for("RESTARTS")
            s.keys("q")
            expect_clean_exit(s)


if __name__ == "__main__":
    run([test_missing_kubeconfig_named, test_unreadable_pcap_says_why_once,
         test_capture_without_cluster_opens_on_traffic])
