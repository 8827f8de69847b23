#!/usr/bin/env python3
"""Fidelity of the test Kube-API server's pod logs: the real kubectl logs
against it (--timestamps, --tail, --since-time, --since, -c, -f until the
container stops, --previous after a restart, a pod that does not exist),
as the node agent tests rely on them. Skips without kubectl."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "kubeapi"))
import harness  # noqa: E402

NS = "k8snet-top"


def main():
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        print("SKIP: kubectl not installed")
        return 77
    tmp = tempfile.mkdtemp(prefix="podlogs-kubectl-")
    api = harness.KubeAPI(tmp, seed=None, args=["--token", "t=bob"])
    try:
        run(api, kubectl, tmp)
    finally:
        api.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok: kubectl logs against the test server")
    return 0


def run(api, kubectl, tmp):
    env = dict(os.environ, HOME=tmp, KUBECACHEDIR=os.path.join(tmp, "c"))
    env.pop("KUBECONFIG", None)
    cfg = harness.write_kubeconfig(os.path.join(tmp, "kc"), api.server,
                                   {"token": "t"},
                                   {"certificate-authority": api.ca})

    def kc(*args, check=True, timeout=60):
        r = subprocess.run([kubectl, "--kubeconfig", cfg, "-n", NS] +
                           list(args), env=env, capture_output=True,
                           text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)}: {r.stderr}")
        return r

    api.op("add", object={
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "agent-0", "namespace": NS, "uid": "a0"},
        "spec": {"nodeName": "n0", "containers": [{"name": "k8snet-top"}]},
        "status": {"phase": "Running"}})
    r = kc("logs", "agent-0", check=False)
    assert r.returncode != 0 and "waiting to start" in r.stderr, r.stderr
    api.op("log_append", namespace=NS, pod="agent-0",
           lines=["one", "two", "three"])
    assert kc("logs", "agent-0").stdout == "one\ntwo\nthree\n"
    assert kc("logs", "agent-0", "--tail=2").stdout == "two\nthree\n"
    ts = kc("logs", "agent-0", "--timestamps").stdout.splitlines()
    assert [l.split(" ", 1)[1] for l in ts] == ["one", "two", "three"], ts
    assert all(l.split(" ", 1)[0].endswith("Z") and "." in l for l in ts)
    time.sleep(1.1)
    api.op("log_append", namespace=NS, pod="agent-0", lines=["four"])
    # since the second of "four": the earlier lines are a second older
    since = kc("logs", "agent-0", "--timestamps", "--tail=1").stdout
    since = since.split(" ", 1)[0]
    got = kc("logs", "agent-0", "--since-time=" + since).stdout
    assert got == "four\n", got
    assert kc("logs", "agent-0", "--since=1h").stdout.count("\n") == 4
    assert kc("logs", "agent-0", "-c", "k8snet-top").stdout.count("\n") == 4
    r = kc("logs", "agent-0", "-c", "nope", check=False)
    assert r.returncode != 0 and "not valid" in r.stderr, r.stderr
    # -f: what comes later, until the container stops
    p = subprocess.Popen([kubectl, "--kubeconfig", cfg, "-n", NS, "logs",
                          "-f", "agent-0"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)
        api.op("log_append", namespace=NS, pod="agent-0", lines=["five"])
        time.sleep(0.5)
        api.op("log_end", namespace=NS, pod="agent-0")
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 0, err
    assert out == "one\ntwo\nthree\nfour\nfive\n", out
    # a restart: the new run's lines, the old ones with --previous
    api.op("log_source", namespace=NS, pod="agent-0",
           path=os.path.join(tmp, "run2"), restart=True)
    with open(os.path.join(tmp, "run2"), "w") as f:
        f.write("six\n")
    time.sleep(0.3)
    assert kc("logs", "agent-0").stdout == "six\n"
    assert kc("logs", "agent-0", "--previous").stdout.count("\n") == 5
    r = kc("logs", "gone", check=False)
    assert r.returncode != 0 and "not found" in r.stderr, r.stderr
    bad = harness.only_gets(api)
    assert bad == [], bad


if __name__ == "__main__":
    sys.exit(main())
