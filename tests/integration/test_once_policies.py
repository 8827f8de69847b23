#!/usr/bin/env python3
"""--once --pane policies and --can SRC DST on the demo cluster's
policies (a default deny in shop, namespaceSelector and named-port
rules, an egress policy that forgets DNS), and on a snapshot: JSON keys,
answers, the rules that decide, exit statuses."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testlib import check, exit_code  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "k8snet-top")


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def can(src, dst, *extra):
    rc, out, err = run("--demo", "--can", src, dst, "-o", "json", *extra)
    check(rc == 0, f"--can {src} {dst}: exit {rc}: {err}")
    try:
        return json.loads(out)
    except ValueError:
        check(False, f"--can {src} {dst}: not JSON: {out!r}")
        return {}


# The pane: one item per pod with isolation and policies.
rc, out, err = run("--demo", "--once", "--pane", "policies", "-o", "json")
check(rc == 0, f"policies pane: exit {rc}: {err}")
doc = json.loads(out)
check(doc.get("pane") == "policies", "pane key")
items = doc["items"]
check(len(items) == 29, f"one item per pod: {len(items)}")
for it in items:
    for k in ("namespace", "name", "isolation", "policies"):
        check(k in it, f"policies item: key {k} missing")
    check(set(it["isolation"]) == {"ingress", "egress"}, "isolation keys")
co = [i for i in items if i["name"].startswith("checkout-")][0]
check(co["isolation"] == {"ingress": True, "egress": True},
      f"checkout isolation {co['isolation']}")
check(co["policies"] == ["checkout-egress", "default-deny-ingress",
                         "web-from-ingress-nginx"], f"{co['policies']}")
check(co["dns"] == "denied", f"checkout dns {co.get('dns')}")
dns = [i for i in items if i["name"].startswith("coredns-")][0]
check(dns["isolation"] == {"ingress": False, "egress": False}
      and dns["policies"] == [], "coredns is open")

# Table, namespace filter: the blocked DNS is named in the row.
rc, out, err = run("--demo", "--once", "--pane", "policies", "-n", "shop")
check(rc == 0 and "BLOCKED" in out and "NAMESPACE" not in out,
      f"policies table -n shop: {rc} {out}")

# --can: the egress that forgets DNS, denied by the source's side.
a = can("shop/checkout-6c66edcc53-15274", "kube-system/kube-dns",
        "--port", "53/UDP")
for k in ("from", "to", "port", "protocol", "allowed", "egress", "ingress"):
    check(k in a, f"--can: key {k} missing")
check(a["allowed"] is False and a["port"] == 53 and a["protocol"] == "UDP",
      f"checkout -> dns: {a}")
check(a["toKind"] == "service", "kube-dns is a service")
eg = a["egress"]
check(eg["allowed"] is False and eg["isolated"] is True, f"egress {eg}")
check([(p["namespace"], p["name"], p["rule"]) for p in eg["policies"]]
      == [("shop", "checkout-egress", None)], f"deciding {eg['policies']}")
check(a["ingress"]["allowed"] is True and a["ingress"]["isolated"] is False,
      "kube-dns ingress open")

# A named-port rule through a service's port: frontend -> cart 80 maps
# to targetPort http (8080), which backends-from-frontend allows.
a = can("shop/frontend-5b408af5e0-14ad6", "svc/shop/cart", "--port", "80")
check(a["allowed"] is True and a["port"] == 8080, f"frontend -> cart {a}")
pol = a["ingress"]["policies"]
check([(p["name"], p["rule"]) for p in pol]
      == [("backends-from-frontend", 0)], f"cart ingress {pol}")
check("from pods tier=web in namespace shop" in pol[0]["text"],
      pol[0]["text"])

# A namespaceSelector rule: ingress-nginx may reach checkout on http.
a = can("ingress-nginx/ingress-nginx-controller-8202cc84fe-7101b",
        "shop/checkout-6c66edcc53-15274")
check(a["allowed"] is True and a["allowedPorts"] == "TCP 8080"
      and a["port"] is None, f"ingress -> checkout any port: {a}")

# Not on a port the rule names; not from another pod.
a = can("ingress-nginx/ingress-nginx-controller-8202cc84fe-7101b",
        "shop/checkout-6c66edcc53-15274", "--port", "9090")
check(a["allowed"] is False, "ingress -> checkout 9090 denied")
a = can("shop/cart-7f7971ac60-82dcf", "shop/payments-7cd0c0a8f9-82dde",
        "--port", "http")
check(a["allowed"] is False and a["port"] == 8080, f"cart -> payments {a}")

# An address outside the cluster: only the destination's ingress counts.
a = can("203.0.113.9", "shop/frontend-5b408af5e0-14ad6", "--port", "8080")
check(a["fromKind"] == "address" and a["egress"]["applies"] is False
      and a["allowed"] is False, f"outside -> frontend {a}")

# The table names both sides and the deciding rule.
rc, out, err = run("--demo", "--can", "shop/checkout-6c66edcc53-15274",
                   "kube-system/kube-dns", "--port", "53/udp")
check(rc == 0, f"table exit {rc}")
for want in ("ALLOWED   no (0 of 2 pod pairs)",
             "EGRESS    denied: shop/checkout-6c66edcc53-15274 is isolated "
             "for egress",
             "shop/checkout-egress: isolates for egress; no rule allows it"):
    check(want in out, f"table lacks {want!r}: {out}")

# Exit statuses: 1 for an end that names nothing, 2 for usage errors.
rc, out, err = run("--demo", "--can", "shop/nope", "shop/postgres-0")
check(rc == 1 and "no pod or service shop/nope" in err, f"missing: {rc} {err}")
rc, out, err = run("--demo", "--can", "shop/postgres-0")
check(rc == 2 and "two values" in err, f"one value: {rc} {err}")
rc, out, err = run("--demo", "--can", "shop/postgres-0", "shop/postgres-1",
                   "--port", "70000")
check(rc == 2 and "1-65535" in err, f"bad port: {rc} {err}")
rc, out, err = run("--demo", "--port", "80")
check(rc == 2 and "--can" in err, f"--port alone: {rc} {err}")

# Traffic joined with policy: the demo's only denied flows are
# checkout's DNS queries, unanswered, that its egress policy forbids.
rc, out, err = run("--demo", "--once", "--pane", "traffic", "-o", "jsonl")
check(rc == 0, f"traffic jsonl: {rc} {err}")
lines = [json.loads(ln) for ln in out.splitlines() if ln.strip()]
denied = [ln for ln in lines if ln.get("policy") == "denied"]
check(len(denied) >= 1, f"denied lines: {len(denied)}")
for ln in denied:
    check(ln["type"] == "dns" and ln["rcode"] is None
          and ln["client"]["name"].startswith("shop/checkout-")
          and ln["policy_side"] == "egress"
          and ln["policy_why"].startswith("egress of shop/checkout-")
          and ln["policy_why"].endswith(
              "is isolated and no rule allows UDP 53 to kube-system/kube-dns"),
          f"denied line {ln}")
check(all("policy_side" not in ln for ln in lines if "policy" not in ln),
      "policy keys only on denied lines")
unanswered = [ln for ln in lines if ln["type"] == "dns" and ln["rcode"] is None]
check(len(unanswered) == len(denied),
      f"every unanswered query is explained: {len(unanswered)} {len(denied)}")

# A snapshot without Namespace objects: namespaceSelector matches on the
# kubernetes.io/metadata.name label the API server always sets.
snap = {"apiVersion": "v1", "kind": "List", "items": [
    {"apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": "api", "namespace": "a", "labels": {"app": "api"}},
     "spec": {"containers": [{"name": "c", "ports": [
         {"name": "web", "containerPort": 8443}]}]},
     "status": {"phase": "Running", "podIP": "10.1.0.1"}},
    {"apiVersion": "v1", "kind": "Pod",
     "metadata": {"name": "cli", "namespace": "b"},
     "spec": {"containers": [{"name": "c"}]},
     "status": {"phase": "Running", "podIP": "10.1.0.2"}},
    {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
     "metadata": {"name": "from-b", "namespace": "a"},
     "spec": {"podSelector": {}, "ingress": [{"from": [
         {"namespaceSelector": {"matchLabels": {
             "kubernetes.io/metadata.name": "b"}}}],
         "ports": [{"port": "web"}]}]}}]}
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    json.dump(snap, f)
try:
    rc, out, err = run("--snapshot", f.name, "--can", "b/cli", "a/api",
                       "--port", "8443", "-o", "json")
    a = json.loads(out) if rc == 0 else {}
    check(rc == 0 and a.get("allowed") is True, f"snapshot: {rc} {err} {out}")
    rc, out, err = run("--snapshot", f.name, "--can", "a/api", "b/cli",
                       "--port", "8443", "-o", "json")
    a = json.loads(out) if rc == 0 else {}
    check(a.get("allowed") is True, "egress of a/api is open")
    rc, out, err = run("--snapshot", f.name, "-n", "a", "--can", "api",
                       "10.1.0.2", "-o", "json")
    a = json.loads(out) if rc == 0 else {}
    check(a.get("from") == "a/api" and a.get("to") == "b/cli",
          f"bare name in -n, IP of a pod: {a}")
finally:
    os.unlink(f.name)

sys.exit(exit_code())
