#!/usr/bin/env python3
"""--filename on top of the live Kube-API (the project's test server):
--once plans after listing (the server's node CIDRs, a Deployment of the
server replaced by the planned one, planned services selecting the
server's pods), --check against the cluster, the console planning once
every kind is listed and keeping the planned objects while the server's
change, and only GET requests on the server's log."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "kubeapi"))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness  # noqa: E402
import tuiharness  # noqa: E402

BIN = os.environ["K8SNET_BIN"]
TOKEN = "manifests-token"

MANIFESTS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, version: v2}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: db-read
  namespace: shop
spec:
  selector: {app: db}
  ports:
  - {port: 5432}
---
apiVersion: v1
kind: Service
metadata:
  name: broken
  namespace: shop
spec:
  selector: {app: nothing-has-this}
  ports:
  - {port: 80}
"""


def rn(e):
    """ready and notReady of an endpoints object (serving and terminating
    are checked on their own)."""
    return {k: e.get(k) for k in ("ready", "notReady")} if e else e


def run(args, timeout=60, stdin=None):
    env = dict(os.environ)
    env.pop("KUBECONFIG", None)
    env["HOME"] = tempfile.gettempdir()
    return subprocess.run([BIN] + args, capture_output=True, text=True,
                          timeout=timeout, env=env, input=stdin)


def main():
    tmp = tempfile.mkdtemp(prefix="once-manifests-")
    api = harness.KubeAPI(args=["--token", TOKEN])
    try:
        kc = harness.write_kubeconfig(
            os.path.join(tmp, "config"), api.server, {"token": TOKEN},
            {"certificate-authority": api.ca})
        mf = os.path.join(tmp, "k8s")
        os.makedirs(mf)
        with open(os.path.join(mf, "shop.yaml"), "w") as f:
            f.write(MANIFESTS)

        # a pod of the server's web Deployment (by its ReplicaSet)
        api.op("add", object={
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web-7d4b9c6f5-x3", "namespace": "shop",
                         "uid": "w3b3",
                         "labels": {"app": "web",
                                    "pod-template-hash": "7d4b9c6f5"},
                         "ownerReferences": [{
                             "apiVersion": "apps/v1", "kind": "ReplicaSet",
                             "name": "web-7d4b9c6f5", "uid": "rs1",
                             "controller": True}]},
            "spec": {"nodeName": "node-b",
                     "containers": [{"name": "web", "image": "nginx"}]},
            "status": {"phase": "Running", "podIP": "10.244.1.3"}})
        r = run(["--kubeconfig", kc, "--filename", mf, "--once", "--pane",
                 "pods", "-o", "json"])
        assert r.returncode == 0, r.stderr
        pods = json.loads(r.stdout)["items"]
        names = [p["name"] for p in pods]
        # owned by the Deployment's ReplicaSet: replaced; pods without an
        # owner are no Deployment's
        assert "web-7d4b9c6f5-x3" not in names, names
        assert "web-7d4b9c6f5-x1" in names, names
        planned = [p for p in pods if p.get("planned")]
        assert len(planned) == 3, planned
        # node-a is the control plane: node-b, with the CIDR the model
        # gives the second node and addresses the server's pods leave
        used = {p["podIP"] for p in pods if not p.get("planned")}
        for p in planned:
            assert p["node"] == "node-b" and p["namespace"] == "shop", p
            assert p["podIP"].startswith("10.244.1."), p
            assert p["podIP"] not in used, p
        print("ok: --once plans on the listed cluster; the server's web "
              "pods give way")

        r = run(["--kubeconfig", kc, "--filename", mf, "--once", "--pane",
                 "services", "-o", "json"])
        assert r.returncode == 0, r.stderr
        svcs = {s["name"]: s for s in json.loads(r.stdout)["items"]}
        assert svcs["db-read"]["planned"] is True, svcs["db-read"]
        # the server says db-0 is not ready: so does the planned slice
        assert rn(svcs["db-read"]["endpoints"]) == {"ready": 0, "notReady": 1}, \
            svcs["db-read"]
        assert svcs["db-read"]["clusterIP"].startswith("10.96."), svcs
        assert svcs["web"].get("planned") is None
        # its own slice keeps the server's pods, a planned one adds three
        assert svcs["web"]["endpoints"]["ready"] >= 3, svcs["web"]
        print("ok: a planned service selects the server's pod; the "
              "server's service the planned pods")

        r = run(["--kubeconfig", kc, "--filename", mf, "--check", "-o",
                 "json"])
        assert r.returncode == 3, (r.returncode, r.stderr)
        items = json.loads(r.stdout)["items"]
        assert [(i["check"], i["name"]) for i in items] == [
            ("service-selects-nothing", "broken")], items
        assert items[0]["file"].endswith("shop.yaml"), items
        assert items[0]["line"] == 30, items
        print("ok: --check against the live cluster")

        # The console: planned once listed, and kept while the server's
        # objects change.
        with tuiharness.Session(args=("--kubeconfig", kc, "--filename",
                                      mf), cols=160, rows=48,
                                env={"HOME": tmp}) as s:
            s.wait_for("+web-")
            s.wait_for("coredns-5d78c9869d-abcde")
            pod = {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": "live-arrival", "namespace": "shop",
                                "uid": "l1v3"},
                   "spec": {"containers": [{"name": "c", "image": "i"}]},
                   "status": {"phase": "Pending"}}
            api.op("add", object=pod)
            s.wait_for("live-arrival")
            assert "+web-" in s.screen()
            s.keys("q")
            tuiharness.expect_clean_exit(s)
        print("ok: the console plans once listed and keeps the plan")
        bad = harness.only_gets(api)
        assert not bad, bad
        print("ok: the server saw only GET requests")
    finally:
        api.stop()
        api.cleanup()


if __name__ == "__main__":
    main()
