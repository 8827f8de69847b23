#!/usr/bin/env python3
"""Ingress backends other than a service with a port, read from
tests/data/kube/ingress with --snapshot: a resource backend (the
kubernetes/website example) is reported with backend.resource and status
resource-backend, a path with v1beta1's serviceName/servicePort under
networking.k8s.io/v1 (k9s' test object) has no backend, and a service
without a port has port null and status port-missing; the default
backend (spec.defaultBackend) the same. The expected rows are worked out
from the objects themselves, as the v1 API reads them."""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testlib import check, exit_code  # noqa: E402
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuiharness  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "k8snet-top")
SRC = os.environ.get("K8SNET_SRC",
                     os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SRC, "tests", "data", "kube", "ingress")


def load(path):
    """The objects of a file: JSON, or the website's flow-style YAML (one
    document of quoted scalars and bare keys, trailing commas)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".yaml"):
        text = re.sub(r"^---\s*$", "", text, flags=re.M)
        text = re.sub(r"([{,]\s*)([A-Za-z]+):", r'\1"\2":', text)
        text = re.sub(r",(\s*[}\]])", r"\1", text)
    doc = json.loads(text)
    return doc["items"] if doc.get("kind") == "List" else [doc]


def expect(ing, backend, default, services):
    """What one path (or the default backend) must show."""
    svc = backend.get("service")
    res = backend.get("resource")
    if svc is not None:
        port = svc.get("port") or {}
        port = port.get("name") or port.get("number")
        if svc["name"] not in services:
            status = "service-missing"
        elif port is None:
            status = "port-missing"
        else:
            status = None  # traced further: not what this test is about
        return {"service": svc["name"], "port": port, "resource": None,
                "status": status, "defaultBackend": default}
    if res is not None:
        return {"service": None, "port": None,
                "resource": {k: res.get(k)
                             for k in ("apiGroup", "kind", "name")},
                "status": "resource-backend", "defaultBackend": default}
    return {"service": None, "port": None, "resource": None,
            "status": "no-backend", "defaultBackend": default}


def expected_rows(objs):
    services = {o["metadata"]["name"] for o in objs
                if o["kind"] == "Service"}
    rows = []
    for o in objs:
        if o["kind"] != "Ingress":
            continue
        spec = o["spec"]
        for rule in spec.get("rules", []):
            for p in rule.get("http", {}).get("paths", []):
                rows.append(expect(o, p["backend"], False, services))
        if "defaultBackend" in spec:
            rows.append(expect(o, spec["defaultBackend"], True, services))
    return rows


def report(path):
    env = dict(os.environ)
    env.pop("KUBECONFIG", None)
    env["HOME"] = tempfile.gettempdir()
    p = subprocess.run([BIN, "--snapshot", path, "--once", "--pane",
                        "ingress", "-o", "json"], capture_output=True,
                       text=True, timeout=60, env=env)
    check(p.returncode == 0, f"{path}: exit {p.returncode} {p.stderr}")
    try:
        return json.loads(p.stdout)["items"]
    except (ValueError, KeyError):
        check(False, f"{path}: not the JSON report: {p.stdout!r}")
        return []


files = sorted(os.listdir(DATA))
check({"ingress-resource-backend.yaml", "k9s-ing.json",
       "no-port.json"} <= set(files), f"test objects present: {files}")
for name in ("ingress-resource-backend.yaml", "k9s-ing.json",
             "no-port.json"):
    path = os.path.join(DATA, name)
    want = expected_rows(load(path))
    got = report(path)
    check(len(got) == len(want) and len(want) > 0,
          f"{name}: {len(got)} rows, want {len(want)}")
    for w, g in zip(want, got):
        be = g.get("backend", {})
        check(be.get("service") == w["service"]
              and be.get("port") == w["port"]
              and be.get("resource") == w["resource"]
              and g.get("defaultBackend") == w["defaultBackend"]
              and (w["status"] is None or g.get("status") == w["status"]),
              f"{name} {g.get('path')}: {be} {g.get('status')} "
              f"(want {w})")
        check(be.get("port") != 0, f"{name} {g.get('path')}: no port 0")

# The table names the resource and says when there is no backend or port.
env = dict(os.environ, HOME=tempfile.gettempdir())
env.pop("KUBECONFIG", None)
out = subprocess.run(
    [BIN, "--snapshot", os.path.join(DATA, "ingress-resource-backend.yaml"),
     "--snapshot", os.path.join(DATA, "k9s-ing.json"),
     "--snapshot", os.path.join(DATA, "no-port.json"),
     "--once", "--pane", "ingress"], capture_output=True, text=True,
    timeout=60, env=env).stdout
check("StorageBucket.k8s.example.com/icon-assets" in out
      and "resource-backend" in out, f"table resource backend: {out}")
check(re.search(r"test-ingress .*\(none\).*no-backend", out) is not None,
      "table: no backend")
check(re.search(r"web:\(no port\).*port-missing", out) is not None,
      "table: no port")

# --check: no port given is a finding that says so; a resource backend
# is none (the example has no class, which is one).
p = subprocess.run([BIN, "--filename", os.path.join(DATA, "no-port.json"),
                    "--filename",
                    os.path.join(DATA, "ingress-resource-backend.yaml"),
                    "--once", "--check", "-o", "json"],
                   capture_output=True, text=True, timeout=60, env=env)
items = json.loads(p.stdout or '{"items":[]}')["items"]
f = [x for x in items if x.get("check") == "ingress-port-missing"]
check(p.returncode == 3 and len(f) == 2
      and all("gives no port" in x.get("message", "") for x in f),
      f"--check no port: {p.returncode} {f}")
res = [x["check"] for x in items
       if x.get("name") == "ingress-resource-backend"]
check(res == ["ingress-no-class"],
      f"--check: the resource backend is no finding of its own: {res}")
p = subprocess.run([BIN, "--filename", os.path.join(DATA, "k9s-ing.json"),
                    "--once", "--check", "-o", "json"],
                   capture_output=True, text=True, timeout=60, env=env)
got = [x.get("check") for x in
       json.loads(p.stdout or '{"items":[]}')["items"]]
check(p.returncode == 3 and "ingress-no-backend" in got,
      f"--check: a path without backend is a finding: {got}")

# The console's Ingress pane: each path's detail says what ends its chain.
tuiharness.BIN = BIN
DETAILS = (
    ("icons", "resource StorageBucket.k8s.example.com/icon-assets"),
    ("testpath", "no-backend: neither service nor resource"),
    ("web:(no port)", "port-missing (the backend gives no port)"),
)
with tuiharness.Session(args=tuple(
        a for f in ("ingress-resource-backend.yaml", "k9s-ing.json",
                    "no-port.json")
        for a in ("--snapshot", os.path.join(DATA, f))),
        cols=160, rows=48, env={"HOME": tempfile.gettempdir()}) as s:
    s.wait_for("1 Pods")
    s.keys("4")
    s.wait_for("resource-backend")
    for pattern, detail in DETAILS:
        s.keys("/" + pattern, "Enter")
        s.wait_for('filter "%s"' % pattern)
        s.keys("Enter")
        check(detail in s.wait_for(detail, timeout=10),
              f"console detail of {pattern}: {detail}")
        s.keys("Escape")
        s.wait_for(detail, absent=True)
        s.keys("Escape")
        s.wait_for('filter "%s"' % pattern, absent=True)
    s.keys("q")
    tuiharness.expect_clean_exit(s)
sys.exit(exit_code())
