#!/usr/bin/env python3
"""Soak run of pod turnover (not part of make test): the console in tmux
watches the test Kube-API server while pods are created and deleted in
batches (the server's turnover op: every pod a Job's, with its own
controller-uid, job-name and owner, at most --keep alive). VmRSS is
sampled into a CSV; at the end the first, last and largest RSS and the
slope after warm-up are printed, and the run fails when RSS grew more
than --bound-kib after warm-up, the console stopped answering keys, or
did not restore the terminal. No root needed.

  tests/soak/turnover.py --bin build/k8snet-top [--pods 1000000]
      [--minutes 15] [--keep 200] [--batch 2000] [--csv turnover.csv]

It stops at --pods pods or after --minutes, whichever comes first, and
says how many pods it turned over. With --driver it runs the integration
tests' watch driver (build/tests/kubeclient_driver) instead of the
console, e.g. under valgrind --tool=massif (--wrap 'valgrind ...')."""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "integration", "kubeapi"))
sys.path.insert(0, os.path.join(SRC, "tests", "e2e"))
sys.path.insert(0, HERE)
import harness  # noqa: E402
import tuiharness  # noqa: E402
from soak import console_pid, rss_kib, verdict  # noqa: E402

TOKEN = "soak-token"


def start_console(a, kc, work):
    tuiharness.BIN = a.bin
    tuiharness.TIMEOUT = 60
    sess = tuiharness.Session(("--kubeconfig", kc, "--pane", "pods", "-n",
                               "soak"), cols=160, rows=48,
                              env={"HOME": work})
    sess.wait_for("ns:soak", timeout=60)
    pid = None
    while pid is None:
        pid = console_pid(sess.pid())
        time.sleep(0.1)
    return sess, pid


def start_driver(a, kc):
    drv = a.driver
    cmd = shlex.split(a.wrap) + [drv, "--kubeconfig", kc, "-n", "soak"]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True)
    while True:
        line = p.stdout.readline()
        if not line:
            raise RuntimeError("driver ended before SYNCED")
        if line.strip() == "SYNCED":
            return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("K8SNET_BIN",
                    os.path.join(SRC, "build", "k8snet-top")))
    ap.add_argument("--driver", help="run this watch driver instead")
    ap.add_argument("--wrap", default="", help="command the driver runs "
                    "under (valgrind --tool=massif ...)")
    ap.add_argument("--pods", type=int, default=1000000)
    ap.add_argument("--minutes", type=float, default=15)
    ap.add_argument("--keep", type=int, default=200)
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--sample-s", type=float, default=10)
    ap.add_argument("--warmup-frac", type=float, default=0.3)
    ap.add_argument("--bound-kib", type=int, default=8192)
    ap.add_argument("--csv", default="turnover-rss.csv")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="k8snet-turnover-")
    api = harness.KubeAPI(args=["--token", TOKEN])
    sess = drv = None
    samples, added = [], 0
    try:
        kc = harness.write_kubeconfig(
            os.path.join(work, "config"), api.server, {"token": TOKEN},
            {"certificate-authority": api.ca})
        if a.driver:
            drv = start_driver(a, kc)
            pid = drv.pid
        else:
            sess, pid = start_console(a, kc, work)
        t0 = time.monotonic()
        end = t0 + a.minutes * 60
        next_sample = t0
        base = api.open_watches_info()["events_sent"]
        with open(a.csv, "w") as out:
            out.write("seconds,rss_kib,pods_added\n")
            while True:
                now = time.monotonic()
                done = now >= end or added >= a.pods
                if now >= next_sample or done:
                    kib = rss_kib(pid)
                    samples.append((now - t0, kib))
                    out.write("%.0f,%d,%d\n" % (now - t0, kib, added))
                    out.flush()
                    next_sample += a.sample_s
                if done:
                    break
                added = api.op("turnover", count=min(a.batch,
                                                     a.pods - added),
                               keep=a.keep)["added"]
                # Keep pace with the watcher: at most two batches of
                # events unread, so the server's history never runs out.
                want = base + 2 * added - a.keep - 4 * a.batch
                while (api.open_watches_info()["events_sent"] < want
                       and time.monotonic() < end):
                    time.sleep(0.05)
        if sess is not None:
            sess.keys("/", "soak-job-%d" % added, "Enter")
            sess.wait_for("soak-job-%d-x7k2p" % added, timeout=120)
            sess.keys("Escape", "q")
            tuiharness.expect_clean_exit(sess)
        else:
            drv.stdin.write("quit\n")
            drv.stdin.flush()
            drv.wait(300)
    finally:
        if sess is not None:
            sess.close()
        if drv is not None and drv.poll() is None:
            drv.kill()
            drv.wait()
        api.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    minutes = samples[-1][0] / 60
    print("turnover: %d pods created and deleted (%d live at most) in "
          "%.1f min, %d samples in %s" % (added, a.keep, minutes,
                                          len(samples), a.csv))
    return verdict("turnover", samples, samples[-1][0] * a.warmup_frac,
                   a.bound_kib)

if __name__ == "__main__":
    sys.exit(main())
