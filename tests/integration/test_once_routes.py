#!/usr/bin/env python3
"""--once --pane routes on the demo cluster: the Gateway API chains, their
statuses and reasons, weights as shares, the cross-namespace backend with
and without a ReferenceGrant, the hostname no listener takes, the same
site as an Ingress and as an HTTPRoute, and a source without the Gateway
API."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testlib import check, exit_code  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "k8snet-top")
SRC = os.environ.get("K8SNET_SRC",
                     os.path.join(os.path.dirname(__file__), "..", ".."))
SNAP = os.path.join(SRC, "tests", "data", "snapshots")
CTL = "gateway.envoyproxy.io/gatewayclass-controller"


def rn(e):
    """ready and notReady of an endpoints object (serving and terminating
    are checked on their own)."""
    return {k: e.get(k) for k in ("ready", "notReady")} if e else e


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def doc(*extra):
    rc, out, err = run("--demo", "--once", "--pane", "routes", "-o", "json",
                       *extra)
    check(rc == 0, f"exit {rc}: {err}")
    check(err == "", f"nothing on stderr: {err!r}")
    return json.loads(out)


def find(items, **kv):
    return [i for i in items
            if all(i.get(k) == v for k, v in kv.items())]


def one(items, what, **kv):
    hits = find(items, **kv)
    check(len(hits) == 1, f"{what}: one item with {kv}, got {len(hits)}")
    return hits[0] if hits else {}


d = doc()
check(d.get("pane") == "routes", "pane key")
check(d.get("gatewayAPI") == {"installed": True, "versions": None},
      f"gatewayAPI {d.get('gatewayAPI')}")
items = d["items"]
check(len(items) == 9, f"one item per rule x parent x backend: {len(items)}")
for i in items:
    for k in ("namespace", "name", "kind", "gateway", "class", "controller",
              "hostnames", "match", "backend", "endpoints", "tls",
              "addresses", "status", "reason"):
        check(k in i, f"key {k} missing in {i.get('name')}")
    for k in ("namespace", "name", "listener", "port", "protocol",
              "hostname"):
        check(k in i["gateway"], f"gateway.{k} missing")
    if i["backend"] is not None:
        for k in ("kind", "namespace", "name", "port", "weight"):
            check(k in i["backend"], f"backend.{k} missing")
    check(set(i["endpoints"]) == {"ready", "notReady", "serving", "terminating"},
          "endpoints keys")
    check(i["status"] in ("ok", "gateway-missing", "class-not-accepted",
                          "no-matching-listener", "not-accepted",
                          "ref-not-permitted", "service-missing",
                          "port-missing", "no-endpoints"), "status value")
    plain = (i["status"] == "ok" and i["backend"] is not None and
             i["controllerStatus"]["agrees"])
    check((i["reason"] is None) == plain,
          f"{i['name']}: a reason exactly for what is not plainly ok")
    check(i["class"] == "eg" and i["controller"] == CTL, "class, controller")
    check(i["addresses"] == ["172.18.0.200"], "the Gateway's address")

# the site as an HTTPRoute, and the same as an Ingress
web = one(items, "webserver route", namespace="default", name="webserver")
check(web["kind"] == "HTTPRoute" and web["hostnames"] == ["thomasmldejong.nl"],
      "webserver hostnames")
check(web["match"] == "PathPrefix /", f"webserver match {web['match']}")
check(web["gateway"] == {"kind": "Gateway",
                         "namespace": "envoy-gateway-system", "name": "eg",
                         "listener": "http", "port": 80, "protocol": "HTTP",
                         "hostname": None}, f"webserver gateway {web['gateway']}")
check(web["backend"] == {"kind": "Service", "namespace": "default",
                         "name": "webserver-service", "port": 80,
                         "weight": 1, "share": 100}, "webserver backend")
check(rn(web["endpoints"]) == {"ready": 2, "notReady": 0}
      and web["endpoints"]["serving"] == 2, "webserver endpoints")
check(web["status"] == "ok" and web["tls"] is False, "webserver ok")
check(web["controllerStatus"] == {"controller": CTL, "accepted": "True",
                                  "resolvedRefs": "True", "agrees": True},
      "webserver controller status")
rc, out, err = run("--demo", "--once", "--pane", "ingress", "-o", "json")
ing = one(json.loads(out)["items"], "webserver ingress", namespace="default",
          name="webserver")
check(ing.get("host") == "thomasmldejong.nl" and ing.get("path") == "/"
      and ing.get("pathType") == "Prefix", "webserver ingress rule")
check(ing.get("backend") == {"service": "webserver-service", "port": 80,
                             "resource": None}
      and ing.get("status") == "ok"
      and rn(ing.get("endpoints")) == {"ready": 2, "notReady": 0},
      "webserver ingress chain")

# the weighted canary: 90/10, and the header that always picks the canary
sf = find(items, namespace="shop", name="storefront")
check(len(sf) == 3, "storefront: three chains")
shares = sorted((i["backend"]["name"], i["backend"]["weight"],
                 i["backend"]["share"]) for i in sf if i["rule"] == 1)
check(shares == [("frontend", 90, 90), ("frontend-canary", 10, 10)],
      f"canary shares {shares}")
always = one(sf, "canary header rule", rule=0)
check(always["match"] == "PathPrefix / header x-canary=always",
      f"header match {always['match']}")
check(all(i["status"] == "ok" and i["tls"] is True
          and i["gateway"]["listener"] == "https"
          and i["gateway"]["hostname"] == "*.shop.example.com" for i in sf),
      "storefront on the https listener")

# cross-namespace backends: with a ReferenceGrant and without
cat = one(items, "catalog rule", namespace="default", name="catalog-api",
          rule=0)
# allowed by the ReferenceGrant; shop/catalog's port http has no
# endpoints (its targetPort "web" is on no pod), as kube-proxy sees it
check(cat["status"] == "no-endpoints"
      and cat["backend"]["namespace"] == "shop",
      f"catalog allowed by the ReferenceGrant: {cat['status']}")
chk = one(items, "checkout rule", namespace="default", name="catalog-api",
          rule=1)
check(chk["status"] == "ref-not-permitted", f"checkout {chk['status']}")
check("no ReferenceGrant in shop lets HTTPRoute of default refer to "
      "Service checkout" in chk["reason"], f"reason {chk['reason']}")
check(chk["match"] == "Exact /checkout POST", "method match")
check(chk["controllerStatus"]["resolvedRefs"] == "False"
      and chk["controllerStatus"]["agrees"] is True,
      "the controller says so too")

# a hostname no listener accepts
leg = one(items, "legacy", name="legacy-shop")
check(leg["status"] == "no-matching-listener", f"legacy {leg['status']}")
check("listener https hostname *.shop.example.com does not intersect "
      "shop.example.org" in leg["reason"], f"legacy reason {leg['reason']}")
check(leg["gateway"]["listener"] == "https" and leg["gateway"]["protocol"]
      is None, "the listener asked for, none taking it")

# gRPC, whose controller's status is stale: both are shown
g = one(items, "grpc", kind="GRPCRoute")
check(g["match"] == "shop.v1.Checkout/*" and g["status"] == "ok"
      and g["backend"]["port"] == 8080, f"grpc {g}")
check(g["controllerStatus"]["resolvedRefs"] == "False"
      and g["controllerStatus"]["agrees"] is False
      and "ResolvedRefs=False BackendNotFound: Failed to process route "
          "rule 0 backendRef 0: service shop/checkout not found."
      in g["reason"], f"the controller disagrees: {g['reason']}")
# a redirect without backends
red = one(items, "redirect", name="storefront-redirect")
check(red["backend"] is None and red["status"] == "ok"
      and red["reason"] == "redirects to https://(same host) 301",
      f"redirect {red}")

# -n: one namespace
d = doc("-n", "default")
check({i["namespace"] for i in d["items"]} == {"default"}
      and len(d["items"]) == 3, "-n default")

# jsonl and the tables
rc, out, err = run("--demo", "--once", "--pane", "routes", "-o", "jsonl")
lines = [json.loads(x) for x in out.splitlines() if x]
check(rc == 0 and len(lines) == 9 and all("status" in x for x in lines),
      "jsonl")
rc, out, err = run("--demo", "--once", "--pane", "routes")
head = out.splitlines()[0].split()
check(rc == 0 and head == ["NAMESPACE", "NAME", "KIND", "GATEWAY", "LISTENER",
                           "HOSTNAMES", "MATCH", "BACKEND", "WEIGHT",
                           "ENDPOINTS", "STATUS"], f"table header {head}")
check(any("ref-not-permitted" in x and "shop/checkout:8080" in x
          for x in out.splitlines()), "table row")
rc, out, err = run("--demo", "--once", "--pane", "routes", "-o", "wide")
check(rc == 0 and "REASON" in out.splitlines()[0]
      and "does not intersect shop.example.org" in out, "wide")

# a source without the Gateway API: said once, no error
for args in (("-o", "json"), ()):
    rc, out, err = run("--snapshot", os.path.join(SNAP, "services.json"),
                       "--once", "--pane", "routes", *args)
    check(rc == 0 and err == "", f"no Gateway API: exit {rc} {err!r}")
    if args:
        d = json.loads(out)
        check(d["items"] == [] and d["gatewayAPI"]["installed"] is False,
              "not installed in JSON")
    else:
        check("Gateway API not installed" in out, f"table says so: {out!r}")

if exit_code():
    sys.exit(1)
print("ok")
