#!/usr/bin/env python3
"""The demo's traffic follows the demo cluster's own rules, as the
console reads both (--demo --once):

- every HTTP request to the ingress controller is routed by an Ingress
  rule of the demo (host, then the longest path by its pathType) whose
  status is ok when the answer is not an error of the proxy, and the
  controller's own request upstream reaches that rule's backend service
  with the same host and path;
- an HTTP request to a Service's cluster IP is answered only when the
  service has ready endpoints as kube-proxy sees them (slices carrying
  its port): with none, kube-proxy rejects the connection;
- a pod's DNS lookups follow its resolv.conf (search NS.svc.cluster.local
  svc.cluster.local cluster.local, ndots:5): a name with fewer than 5 dots
  is tried with each suffix, NXDOMAIN moving on to the next, up to the
  first other answer (or none); a name with 5 dots is asked as is."""
import json
import os
import subprocess
import sys

BIN = os.environ.get("K8SNET_BIN", "")
SEARCH = ("{ns}.svc.cluster.local", "svc.cluster.local", "cluster.local")


def once(pane, fmt):
    out = subprocess.run([BIN, "--demo", "--once", "--pane", pane, "-o",
                          fmt], check=True, capture_output=True, text=True,
                         timeout=60).stdout
    if fmt == "jsonl":
        return [json.loads(ln) for ln in out.splitlines() if ln.strip()]
    return json.loads(out)


def path_matches(rule, path):
    path = path.split("?", 1)[0]
    want = rule["path"] or "/"
    if rule["pathType"] == "Exact":
        return path == want
    # Prefix (and nginx's ImplementationSpecific): by path segments
    want = want.rstrip("/")
    return want == "" or path == want or path.startswith(want + "/")


def route(rules, host, path):
    """The Ingress rule that routes host and path, or None."""
    best = None
    for r in rules:
        if r["host"] not in (None, "", "*", host):
            continue
        if r["path"] is None and r["host"] in (None, "", "*"):
            continue  # a default backend: only where no rule matches
        if not path_matches(r, path):
            continue
        if best is None or len(r["path"] or "") > len(best["path"] or ""):
            best = r
    return best


def test_ingress_routes():
    rules = [r for r in once("ingress", "json")["items"]
             if r["controller"] == "k8s.io/ingress-nginx"]
    lines = once("traffic", "jsonl")
    front = [t for t in lines if t["type"] == "http" and
             (t["server"]["name"] or "").startswith("ingress-nginx/")]
    upstream = [t for t in lines if t["type"] == "http" and
                (t["client"]["name"] or "").startswith("ingress-nginx/")]
    assert front and upstream, (len(front), len(upstream))
    for t in front:
        r = route(rules, t["host"], t["path"])
        assert r is not None, ("no Ingress rule routes %s%s" % (
            t["host"], t["path"]), t)
        if t["status"] is not None and t["status"] < 500:
            assert r["status"] == "ok", (r, t)
    for t in upstream:
        r = route(rules, t["host"], t["path"])
        assert r is not None, ("upstream request no rule routes", t)
        svc = "%s/%s" % (r["namespace"], r["backend"]["service"])
        assert t["server"]["name"] == svc, (svc, t)
        assert t["server"]["port"] == r["backend"]["port"], (r, t)
        # the client's request it serves, just before it
        assert any(f["host"] == t["host"] and f["path"] == t["path"] and
                   0 <= t["ts"] - f["ts"] < 0.01 for f in front), t


def test_service_endpoints():
    svcs = {}
    for s in once("services", "json")["items"]:
        for ip in s["clusterIPs"]:
            svcs[ip] = s
    lines = once("traffic", "jsonl")
    http = [t for t in lines if t["type"] == "http" and
            t["server"]["ip"] in svcs]
    assert http, "no HTTP request to a service"
    for t in http:
        s = svcs[t["server"]["ip"]]
        assert any(p["port"] == t["server"]["port"] for p in s["ports"]), \
            ("no such service port", t)
        assert s["endpoints"]["ready"] > 0, (
            "HTTP to %s/%s, which has no endpoints" % (
                s["namespace"], s["name"]), t)


def tries(name, ns):
    if name.endswith(".") or name.count(".") >= 5:
        return [name.rstrip(".")]
    return ["%s.%s" % (name, s.format(ns=ns)) for s in SEARCH] + [name]


def test_dns_search_path():
    lines = once("traffic", "jsonl")
    end = max(t["ts"] for t in lines)
    by_client = {}
    for t in lines:
        name = t["client"]["name"] or ""
        if t["type"] == "dns" and "/" in name and \
                not name.startswith("node/"):
            by_client.setdefault(t["client"]["ip"], []).append(t)
    assert len(by_client) >= 4, by_client.keys()
    lookups = 0
    for qs in by_client.values():
        qs.sort(key=lambda t: t["ts"])
        ns = qs[0]["client"]["name"].split("/")[0]
        want = []  # the tries left of the lookup under way
        for t in qs:
            q = t["qname"]
            if want:
                assert q == want[0] and t["qtype"] == qtype, (want, t)
                want.pop(0)
            else:
                lookups += 1
                qtype = t["qtype"]
                suffix = "." + SEARCH[0].format(ns=ns)
                if q.endswith(suffix):
                    want = tries(q[:-len(suffix)], ns)[1:]
                else:  # asked as is: only a name of 5 dots or more
                    assert q.count(".") >= 5, ("not searched", t)
            if t["rcode"] != "NXDOMAIN":
                want = []  # an answer (or none) ends the lookup
        # an unfinished lookup only where the capture ends
        assert not want or end - qs[-1]["ts"] < 0.1, (want, qs[-1])
    assert lookups >= 10, lookups


if __name__ == "__main__":
    if not BIN or not os.access(BIN, os.X_OK):
        print("K8SNET_BIN is not set to the k8snet-top binary")
        sys.exit(1)
    failed = 0
    for test in (test_ingress_routes, test_service_endpoints,
                 test_dns_search_path):
        try:
            test()
            print("ok   %s" % test.__name__)
        except AssertionError as e:
            failed += 1
            print("FAIL %s: %s" % (test.__name__, e))
    sys.exit(1 if failed else 0)
