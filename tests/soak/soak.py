#!/usr/bin/env python3
"""Soak run (not part of make test): the console in tmux watching the
test Kube-API server while pods are added, relabelled and deleted at a
steady rate, and capturing live on a veth onto which tcpreplay loops a
capture. VmRSS is sampled every 10 s into a CSV; at the end the first,
last and largest RSS and the slope after warm-up are printed, and the
run fails when RSS grew more than --bound-kib after warm-up (or the
console stopped answering keys, or did not restore the terminal).

  sudo tests/soak/soak.py --bin build/k8snet-top [--minutes 30]
      [--bound-kib 8192] [--csv soak.csv] [--pcap FILE] [--pps 300]

Root (network namespaces), tmux and tcpreplay are needed."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "integration", "kubeapi"))
sys.path.insert(0, os.path.join(SRC, "tests", "e2e"))
sys.path.insert(0, os.path.join(SRC, "tests", "capture"))
import harness  # noqa: E402
import nspair  # noqa: E402
import tuiharness  # noqa: E402

TOKEN = "soak-token"
SAMPLE_S = 10


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for pid %d" % pid)


def console_pid(shell):
    """The k8snet-top below the tmux pane's shell."""
    todo = [shell]
    while todo:
        pid = todo.pop()
        try:
            with open("/proc/%d/comm" % pid) as f:
                if f.read().strip() == "k8snet-top":
                    return pid
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                todo += [int(c) for c in f.read().split()]
        except FileNotFoundError:
            continue
    return None


def slope_per_min(points):
    """Least-squares slope of (seconds, kib) in KiB per minute."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    den = sum((p[0] - mx) ** 2 for p in points)
    if den == 0:
        return 0.0
    return 60 * sum((p[0] - mx) * (p[1] - my) for p in points) / den


def verdict(tag, samples, warm, bound_kib):
    """Print the first, last and largest RSS and the growth and slope
    after warm (seconds); 1 when it grew more than bound_kib, else 0."""
    after = [p for p in samples if p[0] >= warm]
    first, last = samples[0][1], samples[-1][1]
    top = max(p[1] for p in samples)
    base = after[0][1] if after else first
    growth = max(p[1] for p in after) - base if after else 0
    print("%s: RSS first %d KiB, last %d KiB, max %d KiB" % (
        tag, first, last, top))
    print("%s: after warm-up (%.0f s): from %d KiB, grew at most %d KiB,"
          " slope %.1f KiB/min (bound %d KiB)" % (
              tag, warm, base, growth, slope_per_min(after), bound_kib))
    if growth > bound_kib:
        print("%s: FAIL: RSS grew more than the bound after warm-up" % tag)
        return 1
    print("%s: ok" % tag)
    return 0


def pod(name, ns="default"):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "uid": "u-" + name,
                         "labels": {"app": "soak"}},
            "spec": {"nodeName": "", "containers": [{"name": "c",
                                                     "image": "busybox"}]},
            "status": {"phase": "Running", "podIP": "10.244.9.%d" % (
                hash(name) % 250 + 1)}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("K8SNET_BIN",
                    os.path.join(SRC, "build", "k8snet-top")))
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--warmup-frac", type=float, default=0.3,
                    help="part of the run counted as warm-up (0.3)")
    ap.add_argument("--bound-kib", type=int, default=8192,
                    help="largest RSS growth after warm-up (8 MiB)")
    ap.add_argument("--csv", default="soak-rss.csv")
    ap.add_argument("--pcap", default=os.path.join(
        SRC, "src", "embed", "demo-traffic.pcap"))
    ap.add_argument("--pps", type=int, default=300)
    ap.add_argument("--churn", type=int, default=5,
                    help="pods added, relabelled and deleted per second")
    a = ap.parse_args()
    if os.geteuid() != 0 or not shutil.which("tcpreplay"):
        sys.exit("soak: needs root and tcpreplay")
    tuiharness.BIN = a.bin
    tuiharness.TIMEOUT = 30
    work = tempfile.mkdtemp(prefix="k8snet-soak-")
    api = harness.KubeAPI(args=["--token", TOKEN])
    pair = nspair.Pair("knsoak", "ks", 82)
    sess = None
    try:
        kc = harness.write_kubeconfig(
            os.path.join(work, "config"), api.server, {"token": TOKEN},
            {"certificate-authority": api.ca})
        pair.spawn(pair.c, ["tcpreplay", "-q", "--loop=0",
                            "--pps=%d" % a.pps, "-i", pair.cdev, a.pcap])
        tuiharness.BIN = "ip"
        sess = tuiharness.Session(
            ("netns", "exec", pair.s, a.bin, "--kubeconfig", kc, "-i",
             pair.sdev, "--pane", "traffic"), cols=160, rows=48,
            env={"HOME": work})
        tuiharness.BIN = a.bin
        sess.wait_for("a:all")
        sess.wait_for("shop.example.com")  # the replay is being captured
        pid = None
        while pid is None:
            pid = console_pid(sess.pid())
            time.sleep(0.1)
        t0 = time.monotonic()
        end = t0 + a.minutes * 60
        next_sample = t0
        samples, seq, live = [], 0, []
        with open(a.csv, "w") as out:
            out.write("seconds,rss_kib,pods_added\n")
            while True:
                now = time.monotonic()
                if now >= next_sample:
                    kib = rss_kib(pid)
                    samples.append((now - t0, kib))
                    out.write("%.0f,%d,%d\n" % (now - t0, kib, seq))
                    out.flush()
                    next_sample += SAMPLE_S
                if now >= end:
                    break
                # One second of churn: add, relabel, delete (the pod set
                # stays the same size once it is full).
                for _ in range(a.churn):
                    seq += 1
                    name = "soak-%d" % seq
                    api.op("add", object=pod(name))
                    live.append(name)
                    if len(live) > 50:
                        api.op("delete", kind="Pod", namespace="default",
                               name=live.pop(0))
                for name in live[-a.churn:]:
                    o = pod(name)
                    o["metadata"]["labels"]["round"] = str(seq)
                    api.op("modify", object=o)
                time.sleep(max(0, 1 - (time.monotonic() - now)))
        # Still answering keys, and the terminal restored on the way out.
        sess.keys("d")
        sess.wait_for("cart.shop.svc.cluster.local")
        sess.keys("q")
        tuiharness.expect_clean_exit(sess)
    finally:
        if sess is not None:
            sess.close()
        pair.close()
        api.cleanup()
        shutil.rmtree(work, ignore_errors=True)

    print("soak: %.1f min, %d samples in %s, %d pods added" % (
        a.minutes, len(samples), a.csv, seq))
    return verdict("soak", samples, a.minutes * 60 * a.warmup_frac,
                   a.bound_kib)


if __name__ == "__main__":
    sys.exit(main())
