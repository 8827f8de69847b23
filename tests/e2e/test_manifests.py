#!/usr/bin/env python3
"""--filename and --check without a cluster: the seed example with and
without its backend, one manifest per finding (check, file, line, exit
3), planned objects marked in JSON ("planned": true) and tables ('+'),
manifests on top of the demo and of a YAML snapshot, stdin, read errors
with file and line (exit 1), usage errors (exit 2), and the console's
mark on planned rows."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import check, exit_code  # noqa: E402
import tuiharness  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "k8snet-top")
SRC = os.environ.get("K8SNET_SRC",
                     os.path.join(os.path.dirname(__file__), "..", ".."))
MF = os.path.join(SRC, "tests", "data", "manifests")


def rn(e):
    """ready and notReady of an endpoints object (serving and terminating
    are checked on their own)."""
    return {k: e.get(k) for k in ("ready", "notReady")} if e else e


def run(*args, stdin=None):
    env = dict(os.environ)
    env.pop("KUBECONFIG", None)
    env["HOME"] = tempfile.gettempdir()
    p = subprocess.run([BIN, *args], capture_output=True, text=True,
                       input=stdin, timeout=60, env=env)
    return p.returncode, p.stdout, p.stderr


def jdoc(what, rc_want, *args, stdin=None):
    rc, out, err = run(*args, "-o", "json", stdin=stdin)
    check(rc == rc_want, f"{what}: exit {rc} (want {rc_want}): {err}")
    try:
        return json.loads(out)
    except ValueError:
        check(False, f"{what}: not JSON: {out!r}")
        return {"items": []}


# The seed example: no findings, exit 0; its chain is whole.
seed = os.path.join(MF, "seed")
rc, out, err = run("--filename", seed, "--once", "--check")
check(rc == 0 and out.startswith("No findings in 4 objects from 3 files"),
      f"seed --check: {rc} {out!r} {err}")
doc = jdoc("seed --check json", 0, "--filename", seed, "--check")
check(doc.get("pane") == "findings" and doc.get("files") == 3
      and doc.get("objects") == 4 and doc.get("items") == [],
      f"seed --check json head: {doc}")
check(doc.get("planned", {}).get("pods") == 2
      and doc["planned"].get("endpointSlices") == 1
      and doc["planned"].get("nodes") == 1, f"planned: {doc.get('planned')}")
ing = jdoc("seed ingress", 0, "--filename", seed, "--once", "--pane",
           "ingress")["items"]
check(len(ing) == 1 and ing[0]["host"] == "thomasmldejong.nl"
      and ing[0]["path"] == "/" and ing[0]["pathType"] == "Prefix"
      and ing[0]["backend"] == {"service": "webserver-service", "port": 80,
                            "resource": None}
      and ing[0]["status"] == "ok" and ing[0]["endpoints"]["ready"] == 2
      and ing[0]["class"] == "nginx" and ing[0].get("planned") is True,
      f"seed chain: {ing}")
pods = jdoc("seed pods", 0, "--filename", seed, "--once", "--pane",
            "pods")["items"]
check(len(pods) == 2 and all(p.get("planned") is True
                             and p["status"] == "Planned"
                             and p["node"] == "planned-node"
                             and p["podIP"].startswith("10.244.0.")
                             for p in pods), f"seed pods: {pods}")
svcs = jdoc("seed services", 0, "--filename", seed, "--once", "--pane",
            "services")["items"]
check(len(svcs) == 1 and svcs[0]["clusterIP"].startswith("10.")
      and rn(svcs[0]["endpoints"]) == {"ready": 2, "notReady": 0}
      and svcs[0]["dns"] == [
          "webserver-service.default.svc.cluster.local.",
          "_http._tcp.webserver-service.default.svc.cluster.local."],
      f"seed service: {svcs}")
rc, out, err = run("--filename", seed, "--once", "--pane", "pods")
check(rc == 0 and "+webserver-" in out
      and "+: planned from --filename" in out, f"pods table mark: {out}")

# Without the backend: the chain breaks at the service, at line 2.
only = os.path.join(MF, "seed", "ingress.yaml")
klass = os.path.join(MF, "seed", "ingressclass.yaml")
doc = jdoc("seed without backend", 3, "--filename", only, "--filename",
           klass, "--check")
items = doc["items"]
check(len(items) == 1, f"one finding: {items}")
if items:
    f = items[0]
    for k in ("check", "kind", "namespace", "name", "file", "line",
              "message"):
        check(k in f, f"finding key {k}")
    check(f["check"] == "ingress-service-missing" and f["line"] == 2
          and f["file"] == only and f["kind"] == "Ingress"
          and f["namespace"] == "default"
          and f["name"] == "webserver-ingress", f"finding: {f}")
rc, out, err = run("--filename", only, "--filename", klass, "--check")
check(rc == 3 and f"{only}:2" in out and "LOCATION" in out
      and "1 finding in 2 objects from 2 files" in out, f"table: {out}")
rc, out, err = run("--filename", only, "--filename", klass, "--check",
                   "-o", "jsonl")
check(rc == 3 and len(out.splitlines()) == 1
      and json.loads(out)["check"] == "ingress-service-missing",
      f"jsonl: {out}")

# One manifest per check.
fdir = os.path.join(MF, "findings")
for name in sorted(os.listdir(fdir)):
    want = name[:-len(".yaml")]
    doc = jdoc(name, 3, "--filename", os.path.join(fdir, name), "--check")
    got = {i["check"] for i in doc["items"]}
    check(got == {want} and all(i["file"].endswith(name) and i["line"] > 0
                                for i in doc["items"]),
          f"{name}: {sorted(got)}")

# Stdin, and -n for objects without a namespace.
with open(os.path.join(seed, "webserver.yaml")) as f:
    text = f.read()
doc = jdoc("stdin", 0, "--filename", "-", "-n", "shop", "--once", "--pane",
           "services", stdin=text)
check([(s["namespace"], s["name"]) for s in doc["items"]]
      == [("shop", "webserver-service")], f"stdin -n shop: {doc['items']}")

# On top of the demo: the demo's own problems are not the manifests'; the
# demo's own thomasmldejong.nl ingress makes the seed's a conflict.
rc, out, err = run("--demo", "--filename", seed, "--check")
check(rc == 3 and out.count("\n") == 3 and "ingress-conflict" in out
      and "also claimed by ingress default/webserver" in out,
      f"demo + seed --check: {rc} {out} {err}")
pods = jdoc("demo + seed pods", 0, "--demo", "--filename", seed, "--once",
            "--pane", "pods")["items"]
planned = [p for p in pods if p.get("planned")]
# the demo's webserver pods give way to the planned Deployment's
check(len(pods) == 29 and len(planned) == 2
      and all(p["node"].startswith("demo-worker") for p in planned)
      and all("planned" not in p for p in pods if p not in planned),
      f"demo + seed: {len(pods)} pods, {len(planned)} planned")
check(len({p["podIP"] for p in planned}
          & {p["podIP"] for p in pods if p not in planned}) == 0,
      "planned addresses are free ones")
dns = jdoc("demo + seed dns", 0, "--demo", "--filename", seed, "--once",
           "--pane", "dns")["items"]
check(any(r["name"] == "webserver-service.default.svc.cluster.local."
          and r.get("planned") is True for r in dns), "planned DNS record")

# On top of a YAML snapshot (`kubectl get -o yaml`).
base = os.path.join(MF, "base-cluster.yaml")
pods = jdoc("yaml snapshot", 0, "--snapshot", base, "--once", "--pane",
            "pods")["items"]
check(len(pods) == 4 and not any(p.get("planned") for p in pods),
      f"yaml snapshot pods: {len(pods)}")
agent = """apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers: [{name: a, ports: [{containerPort: 9100}]}]
"""
doc = jdoc("snapshot + host ports", 3, "--snapshot", base, "--filename", "-",
           "--check", stdin=agent)
check([i["check"] for i in doc["items"]] == ["host-port-conflict"]
      and "node-exporter-k2x9z" in doc["items"][0]["message"]
      and doc["items"][0]["file"] == "(stdin)",
      "a planned host port against the cluster's exporter")
# The manifests' DaemonSet of the same name replaces the cluster's pods.
pods = jdoc("replaced", 0, "--snapshot", base, "--filename",
            os.path.join(fdir, "host-port-conflict.yaml"), "--once",
            "--pane", "pods")["items"]
exp = sorted(p["node"] for p in pods
             if p["name"].startswith("node-exporter-"))
check(exp == ["worker-1", "worker-2"]
      and not any(p["name"] == "node-exporter-k2x9z" for p in pods),
      f"the cluster's DaemonSet pods give way: {exp}")

# Files that cannot be read: exit 1, file and line.
for name, want in (("tabs.yaml", "tabs.yaml:6:1: a tab"),
                   ("bomb.yaml", "bomb.yaml:12:10: aliases copy more"),
                   ("not-object.yaml", "not-object.yaml:6: document 2"),
                   ("invalid-utf8.yaml", "invalid-utf8.yaml:4:"),
                   ("no-kind.yaml", "no-kind.yaml:8: the object has no")):
    rc, out, err = run("--filename", os.path.join(MF, "edge", name),
                       "--check")
    check(rc == 1 and want in err and out == "", f"{name}: {rc} {err}")
rc, out, err = run("--filename", "/nonexistent/k8s", "--check")
check(rc == 1 and "/nonexistent/k8s" in err, f"missing path: {err}")
# A folder: only manifests, hidden folders skipped, in name order.
tmp = tempfile.mkdtemp(prefix="k8snet-mf-")
try:
    os.makedirs(os.path.join(tmp, "apps", ".git"))
    shutil.copy(os.path.join(seed, "webserver.yaml"),
                os.path.join(tmp, "apps", "web.yml"))
    shutil.copy(os.path.join(MF, "edge", "tabs.yaml"),
                os.path.join(tmp, "apps", ".git", "broken.yaml"))
    with open(os.path.join(tmp, "apps", "notes.txt"), "w") as f:
        f.write("not: [a manifest\n")
    doc = jdoc("folder", 0, "--filename", tmp, "--check")
    check(doc["files"] == 1 and doc["objects"] == 2, f"folder: {doc}")
finally:
    shutil.rmtree(tmp)

# Usage errors.
for args in (("--filename", seed, "--check", "--can", "a/b", "c/d"),
             ("--filename", seed, "--check", "-o", "wide"),
             ("--filename", seed, "--check", "--anonymize"),
             ("--filename",)):
    rc, out, err = run(*args)
    check(rc == 2, f"usage {args}: {rc} {err}")

# The console marks planned rows on their name.
with tuiharness.Session(args=("--filename", seed), cols=120,
                        rows=30) as s:
    s.wait_for("+webserver-")
    s.wait_for("manifests")
    s.keys("q")
    tuiharness.expect_clean_exit(s)
check(True, "console: planned pods marked '+', source named")

sys.exit(exit_code())
