#!/usr/bin/env python3
"""--once -o json|jsonl|table on the demo cluster, checked field by field,
and snapshot files with faults (malformed file, one bad object)."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testlib import check, exit_code  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "k8snet-top")
SRC = os.environ.get("K8SNET_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
SNAP = os.path.join(SRC, "tests", "data", "snapshots")


def rn(e):
    """ready and notReady of an endpoints object (serving and terminating
    are checked on their own)."""
    return {k: e.get(k) for k in ("ready", "notReady")} if e else e


def run(*args, stdin=None):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, input=stdin, timeout=60)
    return p.returncode, p.stdout, p.stderr


def pane(name, *extra):
    rc, out, err = run("--demo", "--once", "--pane", name, "-o", "json", *extra)
    check(rc == 0, f"{name}: exit {rc}: {err}")
    doc = json.loads(out)
    check(doc.get("pane") == name, f"{name}: pane key")
    check(isinstance(doc.get("items"), list), f"{name}: items list")
    return doc


def by(items, **kv):
    return [i for i in items if all(i.get(k) == v for k, v in kv.items())]


def one(items, what, **kv):
    hits = by(items, **kv)
    check(len(hits) == 1, f"{what}: expected one item with {kv}, got {len(hits)}")
    return hits[0] if hits else {}


def keys(item, names, what):
    for k in names:
        check(k in item, f"{what}: key {k} missing")


# pods
doc = pane("pods")
pods = doc["items"]
check(len(pods) == 29, f"pods: count {len(pods)}")
for p in pods:
    keys(p, ["namespace", "name", "phase", "ready", "restarts", "podIP", "podIPs",
             "node", "hostIP", "hostNetwork"], "pods")
    check(isinstance(p["restarts"], int), "pods: restarts int")
    check(isinstance(p["hostNetwork"], bool), "pods: hostNetwork bool")
    check(isinstance(p["podIPs"], list), "pods: podIPs list")
pg = one(pods, "postgres-0", namespace="shop", name="postgres-0")
check(pg.get("podIP") == "10.244.1.20" and pg.get("podIPs") == ["10.244.1.20"], "postgres-0 IPs")
check(pg.get("node") == "demo-worker" and pg.get("hostIP") == "172.18.0.3", "postgres-0 node")
check(pg.get("phase") == "Running" and pg.get("ready") == "1/1", "postgres-0 phase/ready")
pay = [p for p in pods if p["name"].startswith("payments-")]
check(len(pay) == 2 and all(p["restarts"] == 14 and p["ready"] == "0/1" and
                            p.get("status") == "CrashLoopBackOff" for p in pay), "payments crashloop")
api = one(pods, "apiserver", name="kube-apiserver-demo-control-plane")
check(api.get("hostNetwork") is True and api.get("podIP") == "172.18.0.2", "apiserver hostNetwork")
doc = pane("pods", "-n", "shop")
check(all(p["namespace"] == "shop" for p in doc["items"]) and len(doc["items"]) == 12, "pods -n shop")

# services
doc = pane("services")
svcs = doc["items"]
for s in svcs:
    keys(s, ["namespace", "name", "type", "clusterIP", "clusterIPs", "externalIPs", "ports",
             "endpoints", "dns", "problems"], "services")
    for p in s["ports"]:
        keys(p, ["name", "protocol", "port", "targetPort", "nodePort"], "services.ports")
    check(set(s["endpoints"]) >= {"ready", "notReady"}, "services.endpoints keys")
dns = one(svcs, "kube-dns", namespace="kube-system", name="kube-dns")
check(dns.get("clusterIP") == "10.96.0.10" and dns.get("clusterIPs") == ["10.96.0.10"], "kube-dns IP")
check(rn(dns.get("endpoints")) == {"ready": 2, "notReady": 0}, "kube-dns endpoints")
check("kube-dns.kube-system.svc.cluster.local." in dns.get("dns", []), "kube-dns name")
check("_dns._udp.kube-dns.kube-system.svc.cluster.local." in dns.get("dns", []), "kube-dns SRV name")
check({"name": "dns", "protocol": "UDP", "port": 53, "targetPort": 53, "nodePort": None} in dns.get("ports", []), "kube-dns port")
check(dns.get("problems") == [], "kube-dns no problems")
np_ = one(svcs, "nodeport", type="NodePort")
check([p.get("nodePort") for p in np_.get("ports", [])] == [30080, 30443], "NodePort nodePorts")
check(np_.get("ports", [{}])[0].get("targetPort") == "http", "named targetPort string")
pay = one(svcs, "payments", namespace="shop", name="payments")
check(rn(pay.get("endpoints")) == {"ready": 0, "notReady": 2}, "payments endpoints")
check("no ready endpoints" in pay.get("problems", []), "payments problem")
cat = one(svcs, "catalog", namespace="shop", name="catalog")
check(any("targetPort \"web\"" in p for p in cat.get("problems", [])), "catalog named-port problem")
pgs = one(svcs, "postgres", namespace="shop", name="postgres")
check(pgs.get("clusterIP") == "None" and pgs.get("clusterIPs") == [], "headless clusterIP")
check("postgres-0.postgres.shop.svc.cluster.local." in pgs.get("dns", []), "headless hostname")
check("_tcp-postgres._tcp.postgres.shop.svc.cluster.local." in pgs.get("dns", []), "headless SRV")
bill = one(svcs, "billing", namespace="shop", name="billing")
check(bill.get("type") == "ExternalName" and bill.get("clusterIP") is None, "ExternalName")
check(bill.get("problems") == [], "ExternalName no problems")

# dns
doc = pane("dns")
check(doc.get("clusterDomain") == "cluster.local", "dns clusterDomain")
cd = doc.get("coredns", {})
check(cd.get("service") == "kube-system/kube-dns" and cd.get("clusterIP") == "10.96.0.10", "coredns service")
check(cd.get("podsReady") == 2 and cd.get("podsTotal") == 2, "coredns pods")
recs = doc["items"]
for r in recs:
    keys(r, ["name", "type", "value", "source"], "dns")
    check(r["type"] in ("A", "AAAA", "SRV", "CNAME", "PTR"), "dns type")
def rec(name, typ, value):
    check(any(r["name"] == name and r["type"] == typ and r["value"] == value for r in recs),
          f"dns record {name} {typ} {value}")
rec("kube-dns.kube-system.svc.cluster.local.", "A", "10.96.0.10")
rec("10.0.96.10.in-addr.arpa.", "PTR", "kube-dns.kube-system.svc.cluster.local.")
rec("postgres.shop.svc.cluster.local.", "A", "10.244.1.20")
rec("postgres-1.postgres.shop.svc.cluster.local.", "A", "10.244.2.20")
rec("_tcp-postgres._tcp.postgres.shop.svc.cluster.local.", "SRV", "0 50 5432 postgres-0.postgres.shop.svc.cluster.local.")
rec("billing.shop.svc.cluster.local.", "CNAME", "billing.payments-provider.example.com.")
rec("10-244-1-20.shop.pod.cluster.local.", "A", "10.244.1.20")
rec("_http._tcp.frontend.shop.svc.cluster.local.", "SRV", "0 100 80 frontend.shop.svc.cluster.local.")

# ingress
doc = pane("ingress")
ing = doc["items"]
for i in ing:
    keys(i, ["namespace", "name", "class", "controller", "host", "path", "pathType", "backend",
             "tls", "addresses", "endpoints", "status"], "ingress")
    check(i["status"] in ("ok", "service-missing", "port-missing", "no-endpoints",
                       "resource-backend", "no-backend"), "ingress status")
root = one(ing, "shop /", name="shop", path="/")
check(root.get("class") == "nginx" and root.get("controller") == "k8s.io/ingress-nginx", "shop class")
check(root.get("backend") == {"service": "frontend", "port": "http",
                             "resource": None}, "shop backend")
check(root.get("tls") is True and root.get("addresses") == ["localhost"], "shop tls/address")
check(rn(root.get("endpoints")) == {"ready": 2, "notReady": 0} and root.get("status") == "ok", "shop ok")
check(one(ing, "reviews", path="/reviews").get("status") == "service-missing", "service-missing")
check(one(ing, "payments", path="/payments").get("status") == "no-endpoints", "no-endpoints")
check(one(ing, "admin", path="/admin").get("status") == "port-missing", "port-missing")
adm = one(ing, "admin", path="/admin")
check(adm.get("class") == "nginx", "class from annotation")

# nodes
doc = pane("nodes")
check(doc.get("cni") == "calico", "nodes cni")
nodes = doc["items"]
check(len(nodes) == 3, "nodes count")
for n in nodes:
    keys(n, ["name", "roles", "internalIP", "ready", "ports"], "nodes")
    # --demo: the canned port checks (tests/integration/test_nodes_probe.py)
    check(len(n["ports"]) >= 2, "nodes ports listed")
    for p in n["ports"]:
        keys(p, ["port", "component", "state", "rtt_ms"], "nodes ports")
        check(p["state"] in ("open", "closed", "filtered", "skipped"), "nodes port state")
cp = one(nodes, "cp", name="demo-control-plane")
check(cp.get("roles") == ["control-plane"] and cp.get("internalIP") == "172.18.0.2" and cp.get("ready") is True, "control plane")
check(one(nodes, "w", name="demo-worker").get("roles") == [], "worker roles")

# jsonl: one item per line
rc, out, err = run("--demo", "--once", "--pane", "services", "-o", "jsonl")
lines = [l for l in out.splitlines() if l]
check(rc == 0 and len(lines) == len(svcs) and all(json.loads(l)["name"] for l in lines), "jsonl")

# table
rc, out, err = run("--demo", "--once", "--pane", "services")
check(rc == 0 and out.splitlines()[0].split()[:3] == ["NAMESPACE", "NAME", "TYPE"], "table header")

# a malformed file: exit 1, the file and the offset named
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    f.write('{"kind":"List","items":[{"kind":"Pod","metadata":{"name":"a"}}')
    bad = f.name
rc, out, err = run("--snapshot", bad, "--once", "--pane", "pods", "-o", "json")
check(rc == 1, f"malformed: exit {rc}")
check(bad in err and "byte offset" in err, f"malformed: message {err!r}")
os.unlink(bad)
rc, out, err = run("--snapshot", "/nonexistent/x.json", "--once", "--pane", "pods")
check(rc == 1 and "/nonexistent/x.json" in err, "missing file")

# one bad object among good ones: the others load, the bad one is named
rc, out, err = run("--snapshot", os.path.join(SNAP, "one-bad-object.json"), "--once", "--pane", "services", "-o", "json")
check(rc == 0, f"one bad: exit {rc}")
names = [s["name"] for s in json.loads(out)["items"]]
check(names == ["good-1", "good-2"], f"one bad: items {names}")
check("one-bad-object.json" in err and "items[1]" in err and "spec.ports[0].port" in err, f"one bad: message {err!r}")

# stdin
with open(os.path.join(SNAP, "services.json")) as f:
    rc, out, err = run("--snapshot", "-", "--once", "--pane", "services", "-o", "json", stdin=f.read())
check(rc == 0 and len(json.loads(out)["items"]) == 7, "stdin snapshot")

# --cluster-domain when no Corefile names one
rc, out, err = run("--snapshot", os.path.join(SNAP, "services.json"), "--cluster-domain", "corp.example",
                   "--once", "--pane", "dns", "-o", "json")
doc = json.loads(out) if rc == 0 else {}
check(doc.get("clusterDomain") == "corp.example", "--cluster-domain")
check(any(r["name"] == "api.web.svc.corp.example." and r["type"] == "A" for r in doc.get("items", [])),
      "--cluster-domain names")

if exit_code():
    sys.exit(1)
print("ok")
