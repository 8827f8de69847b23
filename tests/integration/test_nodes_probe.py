#!/usr/bin/env python3
"""--once --pane nodes against real sockets on loopback: nodes whose
InternalIPs are 127.0.0.2 and 127.0.0.3, with this test listening on some
known ports and not on others. Checks states, RTTs, components, --probe
none and nodeports, a managed control plane, roles from static pods, the
local node's listeners, the kubelet's clusterDNS/clusterDomain against the
cluster (--host-root), the kube-proxy mode, and that --demo shows the
canned picture without touching the network."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testlib import check, exit_code  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "k8snet-top")
SRC = os.environ.get("K8SNET_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))


def node(name, ip, labels=None):
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "uid": "u-" + name,
                         "labels": labels or {}},
            "status": {"addresses": [{"type": "InternalIP", "address": ip}],
                       "conditions": [{"type": "Ready", "status": "True"}]}}


def static_pod(name, nodename):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "kube-system", "uid": "u-" + name,
                         "ownerReferences": [{"apiVersion": "v1", "kind": "Node",
                                              "name": nodename, "uid": "u-" + nodename,
                                              "controller": True}]},
            "spec": {"nodeName": nodename, "hostNetwork": True,
                     "containers": [{"name": "c", "image": "x"}]},
            "status": {"phase": "Running", "podIP": "127.0.0.9"}}


def service(ns, name, ip, ports):
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": ns, "uid": "u-" + name},
            "spec": {"type": "NodePort" if any("nodePort" in p for p in ports) else "ClusterIP",
                     "clusterIP": ip, "clusterIPs": [ip], "ports": ports}}


def snapshot(items):
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)
    f.close()
    return f.name


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def nodes_json(snap, *extra):
    rc, out, err = run("--snapshot", snap, "--once", "--pane", "nodes", "-o", "json", *extra)
    check(rc == 0, f"exit {rc}: {err}")
    try:
        return json.loads(out)
    except ValueError:
        check(False, f"not JSON: {out[:200]} {err}")
        return {"items": []}


def ports_of(doc, name):
    for it in doc["items"]:
        if it["name"] == name:
            return {p["port"]: p for p in it["ports"]}
    check(False, f"node {name} missing")
    return {}


def listen(ip, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((ip, port))
    except OSError as e:
        print(f"skip: cannot listen on {ip}:{port}: {e}")
        sys.exit(77)
    s.listen(64)
    return s


# Listeners: cp-1 answers the API server and kubelet, w-1 only the kubelet;
# one NodePort answers on cp-1 only. Everything else is refused (closed).
socks = [listen("127.0.0.2", 6443), listen("127.0.0.2", 10250),
         listen("127.0.0.3", 10250), listen("127.0.0.2", 31080)]

items = [
    node("cp-1", "127.0.0.2", {"node-role.kubernetes.io/control-plane": ""}),
    node("w-1", "127.0.0.3"),
    service("shop", "web", "10.96.5.5",
            [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080,
              "nodePort": 31080}]),
    service("kube-system", "kube-dns", "10.96.0.10",
            [{"name": "dns", "protocol": "UDP", "port": 53, "targetPort": 53}]),
    {"apiVersion": "v1", "kind": "ConfigMap",
     "metadata": {"name": "kube-proxy", "namespace": "kube-system", "uid": "u-kp"},
     "data": {"config.conf": "apiVersion: kubeproxy.config.k8s.io/v1alpha1\n"
                             "kind: KubeProxyConfiguration\nipvs:\n  mode: \"\"\n"
                             "mode: \"ipvs\"\n"}},
]
snap = snapshot(items)

# known (the default)
doc = nodes_json(snap)
check(doc.get("controlPlane") == "in-cluster", f"controlPlane {doc.get('controlPlane')}")
check(doc.get("kubeProxyMode") == "ipvs", f"kubeProxyMode {doc.get('kubeProxyMode')}")
cp = ports_of(doc, "cp-1")
w = ports_of(doc, "w-1")
check(sorted(cp) == [2379, 2380, 6443, 10250, 10257, 10259], f"cp-1 ports {sorted(cp)}")
check(sorted(w) == [10250, 10256], f"w-1 ports {sorted(w)}")
expect_comp = {6443: "kube-apiserver", 2379: "etcd", 2380: "etcd-peer", 10250: "kubelet",
               10257: "kube-controller-manager", 10259: "kube-scheduler"}
for port, comp in expect_comp.items():
    check(cp.get(port, {}).get("component") == comp, f"cp-1 {port} component {cp.get(port)}")
check(w.get(10256, {}).get("component") == "kube-proxy-health", f"w-1 10256 {w.get(10256)}")
for port in (6443, 10250):
    check(cp.get(port, {}).get("state") == "open", f"cp-1 {port} {cp.get(port)}")
for port in (2379, 2380, 10257, 10259):
    check(cp.get(port, {}).get("state") == "closed", f"cp-1 {port} {cp.get(port)}")
check(w.get(10250, {}).get("state") == "open", f"w-1 10250 {w.get(10250)}")
check(w.get(10256, {}).get("state") == "closed", f"w-1 10256 {w.get(10256)}")
for name, ports in (("cp-1", cp), ("w-1", w)):
    for port, p in ports.items():
        check(set(("port", "component", "state", "rtt_ms")) <= set(p), f"{name} {port} keys")
        check(isinstance(p["rtt_ms"], (int, float)) and p["rtt_ms"] >= 0,
              f"{name} {port} rtt_ms {p['rtt_ms']}")
        check("listener" not in p, f"{name} is not the local node")
check(31080 not in cp, "known mode probes no NodePort")
for it in doc["items"]:
    check(it["roles"] == (["control-plane"] if it["name"] == "cp-1" else []), f"roles {it['roles']}")
    check(it["internalIP"] in ("127.0.0.2", "127.0.0.3"), "internalIP")
    check(it["ready"] is True, "ready")
problems = {it["name"]: it["problems"] for it in doc["items"]}
check(any("etcd port 2379 closed" in p for p in problems["cp-1"]), f"cp-1 problems {problems['cp-1']}")

# none: every known port listed, skipped, no RTT
doc = nodes_json(snap, "--probe", "none")
for name in ("cp-1", "w-1"):
    ps = ports_of(doc, name)
    check(len(ps) == (6 if name == "cp-1" else 2), f"none: {name} {sorted(ps)}")
    for port, p in ps.items():
        check(p["state"] == "skipped" and p["rtt_ms"] is None, f"none: {name} {port} {p}")
check(doc.get("probe", {}).get("mode") == "none", "probe.mode none")

# nodeports: the NodePort on every node, named by its service
doc = nodes_json(snap, "--probe", "nodeports")
cp, w = ports_of(doc, "cp-1"), ports_of(doc, "w-1")
check(cp.get(31080, {}).get("component") == "NodePort shop/web", f"nodeport {cp.get(31080)}")
check(cp.get(31080, {}).get("state") == "open", f"cp-1 31080 {cp.get(31080)}")
check(w.get(31080, {}).get("state") == "closed", f"w-1 31080 {w.get(31080)}")
check(cp.get(6443, {}).get("state") == "open", "nodeports keeps the known ports")

# table output names the states
rc, out, err = run("--snapshot", snap, "--once", "--pane", "nodes", "--probe", "nodeports")
check(rc == 0 and "2/6 open" in out and "kube-proxy:     ipvs" in out, f"table: {out}")

# A managed control plane: workers only, no control-plane ports, no failure.
managed = snapshot([node("w-a", "127.0.0.3"), node("w-b", "127.0.0.2")])
doc = nodes_json(managed)
check(doc.get("controlPlane") == "managed", f"managed: {doc.get('controlPlane')}")
for it in doc["items"]:
    check(6443 not in {p["port"] for p in it["ports"]}, "managed: no 6443")
    check(it["controlPlane"] is False, "managed: worker")

# --probe-external: the node's ExternalIP is probed instead of its
# InternalIP (here an InternalIP nothing listens on, 127.0.0.4).
ext_node = node("w-ext", "127.0.0.4")
ext_node["status"]["addresses"].append({"type": "ExternalIP",
                                        "address": "127.0.0.3"})
ext = snapshot([ext_node])
st = ports_of(nodes_json(ext), "w-ext")[10250]["state"]
check(st == "closed", f"internal: 10250 {st}")
st = ports_of(nodes_json(ext, "--probe-external"), "w-ext")[10250]["state"]
check(st == "open", f"--probe-external: 10250 {st}")

# Roles from where the static pods run (no role label).
sp = snapshot([node("n-1", "127.0.0.2"), node("n-2", "127.0.0.3"),
               static_pod("kube-apiserver-n-1", "n-1")])
doc = nodes_json(sp, "--probe", "none")
n1 = [it for it in doc["items"] if it["name"] == "n-1"][0]
check(n1["controlPlaneBy"] == ["static-pods"], f"static pods: {n1['controlPlaneBy']}")
check(6443 in ports_of(doc, "n-1") and 6443 not in ports_of(doc, "n-2"), "static pods: 6443")
check(doc.get("controlPlane") == "in-cluster", "static pods: in-cluster")

# On a node: its InternalIP is this host's (127.0.0.1), so the report
# names who listens on each port, from /proc.
try:
    local_sock = listen("127.0.0.1", 10256)
except SystemExit:
    local_sock = None
if local_sock is not None:
    loc = snapshot([node("here", "127.0.0.1"),
                    service("kube-system", "kube-dns", "10.96.0.10",
                            [{"name": "dns", "protocol": "UDP", "port": 53}])])
    doc = nodes_json(loc, "--host-root", "/nonexistent-root")
    check(doc.get("localNode") == "here", f"localNode {doc.get('localNode')}")
    p = ports_of(doc, "here").get(10256, {})
    check(p.get("state") == "open", f"local 10256 {p}")
    lis = p.get("listener") or {}
    check(lis.get("pid") in (os.getpid(), None), f"listener pid {lis}")
    if lis.get("pid") == os.getpid():
        check(lis.get("process", "").startswith("python"), f"listener process {lis}")
    local_sock.close()

# The node's files (--host-root): the kubelet's clusterDNS and
# clusterDomain against kube-dns and the cluster domain.
root = tempfile.mkdtemp(prefix="k8snet-root-")
os.makedirs(os.path.join(root, "var/lib/kubelet"))
os.makedirs(os.path.join(root, "etc/cni/net.d"))
with open(os.path.join(root, "var/lib/kubelet/config.yaml"), "w") as f:
    f.write("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
            "clusterDNS:\n- 10.96.0.99\nclusterDomain: corp.example\n")
shutil.copy(os.path.join(SRC, "tests/data/probe/cni/10-flannel.conflist"),
            os.path.join(root, "etc/cni/net.d/10-flannel.conflist"))
for pane in ("nodes", "dns"):
    rc, out, err = run("--snapshot", snap, "--once", "--pane", pane, "-o", "json",
                       "--probe", "none", "--host-root", root)
    check(rc == 0, f"{pane} host-root: {err}")
    d = json.loads(out)
    host = d.get("host") or {}
    check(host.get("root") == root, f"{pane}: host root {host}")
    check((host.get("kubelet") or {}).get("clusterDNS") == ["10.96.0.99"], f"{pane}: kubelet {host}")
    check((host.get("cniConf") or {}).get("plugin") == "flannel", f"{pane}: cni conf {host}")
    probs = " | ".join(d.get("problems", []))
    check("clusterDNS 10.96.0.99 is not the kube-dns ClusterIP 10.96.0.10" in probs,
          f"{pane}: clusterDNS problem: {probs}")
    check("clusterDomain corp.example" in probs, f"{pane}: clusterDomain problem: {probs}")
rc, out, err = run("--snapshot", snap, "--once", "--pane", "dns", "--probe", "none",
                   "--host-root", root)
check("PROBLEM:" in out and "10.96.0.99" in out, f"dns table problem: {out[:600]}")
shutil.rmtree(root)

# --demo: the canned picture, and no connection at all. Under a fresh
# network namespace (no route anywhere) the result must be the same.
with open(os.path.join(SRC, "src/embed/demo-probes.json")) as f:
    canned = {(c["node"], c["port"]): c for c in json.load(f)["ports"]}
for mode in ("known", "nodeports"):
    rc, out, err = run("--demo", "--once", "--pane", "nodes", "-o", "json", "--probe", mode)
    check(rc == 0, f"demo {mode}: {err}")
    doc = json.loads(out)
    check("demo" in doc["probe"]["source"], f"demo source {doc['probe']}")
    seen = 0
    for it in doc["items"]:
        for p in it["ports"]:
            c = canned.get((it["name"], p["port"]))
            check(c is not None, f"demo: {it['name']} {p['port']} not canned")
            if c:
                check(p["state"] == c["state"] and p["rtt_ms"] == c["rtt_ms"],
                      f"demo: {it['name']} {p['port']} {p} vs {c}")
            seen += 1
    check(seen == (10 if mode == "known" else 16), f"demo {mode}: {seen} ports")
    w2 = ports_of(doc, "demo-worker2")
    check(w2[10250]["state"] == "filtered", "demo: worker2 kubelet filtered")
unshare = shutil.which("unshare")
if unshare:
    p = subprocess.run([unshare, "-rn", BIN, "--demo", "--once", "--pane", "nodes", "-o", "json"],
                       capture_output=True, text=True, timeout=60)
    if p.returncode == 0:
        doc2 = json.loads(p.stdout)
        a = [[(q["port"], q["state"], q["rtt_ms"]) for q in i["ports"]] for i in doc2["items"]]
        rc, out, err = run("--demo", "--once", "--pane", "nodes", "-o", "json")
        b = [[(q["port"], q["state"], q["rtt_ms"]) for q in i["ports"]] for i in json.loads(out)["items"]]
        check(a == b, "demo in an empty network namespace gives the same picture")
    else:
        print("note: unshare -rn not permitted here:", p.stderr.strip()[:120])

for s in socks:
    s.close()
for f in (snap, managed, sp):
    os.unlink(f)
if exit_code():
    sys.exit(1)
print("ok")
