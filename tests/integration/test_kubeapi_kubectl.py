#!/usr/bin/env python3
"""Fidelity of the test Kube-API server: the real kubectl against it (get,
-o json, --chunk-size, -w), and its read-only refusal of other verbs."""

import json
import os
import select
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "kubeapi"))
import harness  # noqa: E402


def main():
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        print("SKIP: kubectl not installed")
        return 0
    tmp = tempfile.mkdtemp(prefix="kubectl-fidelity-")
    api = harness.KubeAPI(tmp, args=["--token", "tok-123=bob"])
    try:
        return run(api, kubectl, tmp)
    finally:
        api.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def kc(kubectl, cfg, env, *args, check=True):
    r = subprocess.run([kubectl, "--kubeconfig", cfg] + list(args), env=env,
                       capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        raise AssertionError(f"kubectl {' '.join(args)}: {r.stderr}")
    return r


def run(api, kubectl, tmp):
    env = dict(os.environ, HOME=tmp, KUBECACHEDIR=os.path.join(tmp, "c"))
    env.pop("KUBECONFIG", None)
    cert = harness.write_kubeconfig(
        os.path.join(tmp, "cert.yaml"), api.server,
        {"client-certificate": api.path("client.crt"),
         "client-key": api.path("client.key")},
        {"certificate-authority": api.ca})
    tok = harness.write_kubeconfig(
        os.path.join(tmp, "tok.yaml"), api.server, {"token": "tok-123"},
        {"certificate-authority": api.ca})
    pods = sorted((it["namespace"], it["name"])
                  for it in api.state()["items"] if it["kind"] == "Pod")

    # Table output, all namespaces.
    out = kc(kubectl, cert, env, "get", "pods", "-A").stdout.splitlines()
    assert out[0].split()[:3] == ["NAMESPACE", "NAME", "READY"], out[0]
    got = sorted(tuple(l.split()[:2]) for l in out[1:])
    assert got == pods, (got, pods)

    # JSON, and pagination giving the same items.
    full = json.loads(kc(kubectl, tok, env, "get", "pods", "-A", "-o",
                         "json").stdout)
    names = sorted((i["metadata"]["namespace"], i["metadata"]["name"])
                   for i in full["items"])
    assert names == pods, names
    before = len(api.log())
    chunked = json.loads(kc(kubectl, tok, env, "get", "pods", "-A",
                            "--chunk-size=2", "-o", "json").stdout)
    assert [i["metadata"]["name"] for i in chunked["items"]] == \
        [i["metadata"]["name"] for i in full["items"]]
    pages = [e for e in api.log()[before:] if "/pods?" in e["path"]]
    assert len(pages) == (len(pods) + 1) // 2, pages
    assert all("limit=2" in e["path"] for e in pages)
    assert sum("continue=" in e["path"] for e in pages) == len(pages) - 1

    # Other kinds in their groups, a single get and a 404.
    kc(kubectl, cert, env, "get", "svc,ing,endpointslices,ds,netpol,cm",
       "-A")
    kc(kubectl, cert, env, "get", "nodes", "node-a")
    r = kc(kubectl, cert, env, "get", "pod", "-n", "shop", "nope",
           check=False)
    assert r.returncode != 0 and "NotFound" in r.stderr, r.stderr

    # Auth failures come back as Status objects kubectl understands.
    bad = harness.write_kubeconfig(
        os.path.join(tmp, "bad.yaml"), api.server, {"token": "wrong"},
        {"certificate-authority": api.ca})
    r = kc(kubectl, bad, env, "get", "pods", check=False)
    assert r.returncode != 0 and "Unauthorized" in r.stderr + r.stdout, \
        r.stderr
    api.op("forbid", resource="networkpolicies")
    r = kc(kubectl, cert, env, "get", "netpol", "-A", check=False)
    assert "forbidden" in r.stderr, r.stderr
    api.op("allow", resource="networkpolicies")
    api.op("fail", status=500, count=1, match="/services")
    r = kc(kubectl, cert, env, "get", "svc", "-A", check=False)
    assert r.returncode != 0 and "injected fault" in r.stderr, r.stderr

    # Read-only: anything but GET is refused and logged.
    r = kc(kubectl, cert, env, "delete", "pod", "-n", "shop", "db-0",
           check=False)
    assert r.returncode != 0 and "MethodNotAllowed" in r.stderr, r.stderr
    assert any(e["method"] == "DELETE" and e["status"] == 405
               for e in api.log())

    # Watch: kubectl prints the list, then an event for a new pod.
    p = subprocess.Popen([kubectl, "--kubeconfig", cert, "get", "pods", "-n",
                          "shop", "-w"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        assert line.startswith("NAME"), line
        for _ in range(sum(1 for ns, _ in pods if ns == "shop")):
            p.stdout.readline()
        while api.open_watches() == 0:
            select.select([], [], [], 0.05)
        api.op("add", object={"apiVersion": "v1", "kind": "Pod",
                              "metadata": {"name": "watched-pod",
                                           "namespace": "shop"},
                              "status": {"phase": "Running"}})
        line = p.stdout.readline()
        assert line.split()[0] == "watched-pod", line
    finally:
        p.terminate()
        p.wait()
        p.stdout.close()
        p.stderr.close()
    auths = {e["auth"] for e in api.log()}
    assert {"cert", "token"} <= auths, auths
    print("ok: kubectl get/-o json/--chunk-size/-w against the test server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
