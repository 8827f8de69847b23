#!/usr/bin/env python3
"""The console's cost of reading node agents: N agent lines (failures in
full and summaries, made by `k8snet-top --agent -r` on the test capture,
renumbered as one long agent run) are put in the logs of 3 agent pods of
the test Kube-API server, and `k8snet-top --once --pane traffic --agents
NS -o jsonl` reads them; its CPU time (rusage) over the lines it took
gives the CPU a sustained 1,000 lines/s costs.
    bench/agent_console.py [BIN] [LINES]"""
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration",
                                "kubeapi"))
import harness  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    HERE, "..", "build", "k8snet-top")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 60000
PCAP = os.path.join(HERE, "..", "tests", "data", "pcap", "eth.pcap")
AGENT = {"app.kubernetes.io/name": "k8snet-top"}


def main():
    src = subprocess.run([BIN, "--agent", "-r", PCAP, "--agent-detail",
                          "all"], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    body = [json.loads(x) for x in src if '"k":"node"' not in x]
    work = tempfile.mkdtemp(prefix="knagc-")
    api = harness.KubeAPI(workdir=work, seed=None, args=["--token", "t=u"])
    try:
        objs = []
        per = N // 3
        for p in range(3):
            objs.append({"apiVersion": "v1", "kind": "Pod", "metadata": {
                "name": "agent-%d" % p, "namespace": "k8snet-top",
                "uid": "a%d" % p, "labels": AGENT},
                "spec": {"nodeName": "node-%d" % p,
                         "containers": [{"name": "k8snet-top"}]},
                "status": {"phase": "Running"}})
        api.op("add", objects=objs)
        for p in range(3):
            lines = []
            for k in range(per):
                o = dict(body[k % len(body)])
                o["i"] = "%016x" % (p + 1)
                o["seq"] = k + 1
                lines.append(json.dumps(o, separators=(",", ":")))
            for c in range(0, per, 5000):
                api.op("log_append", namespace="k8snet-top",
                       pod="agent-%d" % p, lines=lines[c:c + 5000])
        kc = harness.write_kubeconfig(os.path.join(work, "kc"), api.server,
                                      {"token": "t"},
                                      {"certificate-authority": api.ca})
        t0 = time.monotonic()
        p = subprocess.Popen([BIN, "--kubeconfig", kc, "--once", "--pane",
                              "traffic", "--agents", "k8snet-top",
                              "--duration", "15", "-o", "jsonl"],
                             stdout=subprocess.PIPE, text=True)
        out = p.stdout.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        took = sum(json.loads(x)["lines"] for x in out.splitlines()
                   if '"type":"agent"' in x)
        cpu = ru.ru_utime + ru.ru_stime
        print("console: %d agent lines read (%d in the logs), %.2f s CPU "
              "(%.1f s wall), peak RSS %d kB" % (took, per * 3, cpu, wall,
                                               ru.ru_maxrss))
        if took:
            print("console CPU per 1,000 lines/s: %.1f%% of one core" %
                  (100.0 * cpu / took * 1000))
    finally:
        api.cleanup()


if __name__ == "__main__":
    main()
