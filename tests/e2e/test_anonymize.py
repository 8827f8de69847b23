#!/usr/bin/env python3
"""--anonymize: no real name or address from the input appears in any pane
of the console or in any --once output, while the picture stays consistent
(the same service keeps one pseudonym across panes)."""
import ipaddress
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuiharness  # noqa: E402

BIN = os.environ["K8SNET_BIN"]
SRC = os.environ["K8SNET_SRC"]
DEMO = os.path.join(SRC, "src", "embed", "demo-cluster.json")
PANES = ["pods", "services", "dns", "ingress", "nodes"]
# Kubernetes' own vocabulary is kept on purpose (it is not a secret and it
# keeps the picture readable); names made only of these words may remain.
VOCAB = set("""kube system default kubernetes coredns dns nginx ingress
controller admission proxy calico node flannel cilium weave cni local svc
cluster tcp udp http https grpc metrics apiserver etcd scheduler manager
control plane worker master public lease k8s io com net org api web
proxy none demo webhook agent router""".split())


def real_names(doc):
    names, ips = set(), set()

    def walk(o, key=None):
        if isinstance(o, dict):
            for k, v in o.items():
                walk(v, k)
        elif isinstance(o, list):
            for v in o:
                walk(v, key)
        elif isinstance(o, str):
            try:
                ip = ipaddress.ip_address(o)
                if not ip.is_loopback:
                    ips.add(o)
                return
            except ValueError:
                pass
            if key in ("name", "namespace", "nodeName", "host", "hostname",
                       "externalName", "serviceName"):
                names.add(o)
    walk(doc)
    secret = set()
    for n in names:
        toks = [t for t in re.split(r"[.\-_]", n) if t]
        if any(t not in VOCAB and not t.isdigit() for t in toks):
            secret.add(n)
    return secret, ips


def leaks(text, secret, ips):
    found = []
    for n in secret:
        if re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", text):
            found.append(n)
    for ip in ips:
        if re.search(r"(?<![\d.])" + re.escape(ip) + r"(?![\d])", text):
            found.append(ip)
        rev = ipaddress.ip_address(ip).reverse_pointer
        if rev.lower() in text.lower():
            found.append(rev)
    return found


def main():
    with open(DEMO) as f:
        secret, ips = real_names(json.load(f))
    assert "shop" in secret and "frontend" in secret, sorted(secret)[:20]
    assert ips, "demo has addresses"
    outputs = {}
    for pane in PANES:
        for fmt in ("table", "wide", "json"):
            r = subprocess.run([BIN, "--snapshot", DEMO, "--anonymize",
                                "--once", "--pane", pane, "-o", fmt],
                               capture_output=True, text=True, timeout=60)
            assert r.returncode == 0, r.stderr
            outputs[f"{pane}/{fmt}"] = r.stdout + r.stderr
    # Captured traffic (the demo capture, between the demo's pods): the
    # addresses, qnames, answers, hosts, paths and SNI are mapped too.
    for fmt in ("jsonl", "json", "table"):
        r = subprocess.run([BIN, "--demo", "--anonymize", "--once", "--pane",
                            "traffic", "-o", fmt], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        outputs[f"traffic/{fmt}"] = r.stdout + r.stderr
    named = [json.loads(l) for l in outputs["traffic/jsonl"].splitlines()]
    assert any(t["client"]["name"] for t in named), \
        "pseudonymous addresses are still named by the pseudonymous model"
    # Without --anonymize the same outputs do show the real names: the
    # check above is not vacuous.
    plain = subprocess.run([BIN, "--snapshot", DEMO, "--once", "--pane",
                            "services", "-o", "json"], capture_output=True,
                           text=True, timeout=60).stdout
    assert leaks(plain, secret, ips), "plain output should show real names"
    for name, text in outputs.items():
        bad = leaks(text, secret, ips)
        assert not bad, f"{name} shows real names: {sorted(bad)[:10]}"
    # Consistency inside one run (each run has its own key): every
    # ingress path resolves exactly as without --anonymize (a backend
    # found through its pseudonym), and DNS names use the same pseudonyms.
    def statuses(args):
        r = subprocess.run([BIN, "--snapshot", DEMO, "--once", "--pane",
                            "ingress", "-o", "json"] + args,
                           capture_output=True, text=True, timeout=60)
        return sorted(i["status"] for i in json.loads(r.stdout)["items"])
    assert statuses(["--anonymize"]) == statuses([]), "ingress chains differ"
    svcs = json.loads(outputs["services/json"].split("\nk8snet-top:")[0])
    for s in svcs["items"]:
        if s["type"] != "ExternalName":
            assert any(d.startswith(f"{s['name']}.{s['namespace']}.svc.")
                       for d in s["dns"]), s
    # Reverse-DNS names hold addresses: mapped as the addresses are.
    eth = os.path.join(SRC, "tests", "data", "pcap", "eth.pcap")
    for args, shown in ((["--anonymize"], False), ([], True)):
        r = subprocess.run([BIN, "-r", eth, "--once", "--pane", "traffic",
                            "-o", "jsonl"] + args, capture_output=True,
                           text=True, timeout=60,
                           env=dict(os.environ, KUBECONFIG="",
                                    HOME="/nonexistent"))
        ptrs = [json.loads(l)["qname"] for l in r.stdout.splitlines()
                if '"in-addr.arpa' in l or 'in-addr.arpa"' in l]
        assert ptrs, r.stdout[:500]
        assert ("20.0.96.10.in-addr.arpa" in ptrs) == shown, (args, ptrs)
    # Warnings about skipped objects name them by their pseudonyms too.
    bad_obj = os.path.join(SRC, "tests", "data", "snapshots",
                           "one-bad-object.json")
    for args, shown in ((["--anonymize"], False), ([], True)):
        r = subprocess.run([BIN, "--snapshot", bad_obj, "--once", "--pane",
                            "services"] + args, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0 and "skipped" in r.stderr, r.stderr
        assert ("Service web/bad," in r.stderr) == shown, (args, r.stderr)
    print(f"ok: {len(outputs)} --once outputs, {len(secret)} names and "
          f"{len(ips)} addresses checked")
    # Every pane of the console.
    with tuiharness.Session(args=("--demo", "--anonymize"),
                            cols=200, rows=60) as s:
        s.wait_for("Pods")
        for key in "123456":
            s.keys(key)
            s.wait_for("CLIENT" if key == "6" else "NAME")
            screen = s.screen()
            bad = leaks(screen, secret, ips)
            assert not bad, f"pane {key} shows {sorted(bad)[:10]}:\n{screen}"
        s.keys("q")
        tuiharness.expect_clean_exit(s)
    print("ok: six console panes (with the demo traffic) show no real names")


if __name__ == "__main__":
    main()
