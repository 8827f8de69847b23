#!/usr/bin/env python3
"""The Gateway API from a live cluster: discovery (GET /apis/GROUP and
/apis/GROUP/VERSION) decides which kinds are listed and watched, in
which version; a cluster without the Gateway API says so once, with no
error, retry or log line; the routes then follow watch events."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "kubeapi"))
sys.path.insert(0, os.path.join(HERE, ".."))
import harness  # noqa: E402
from testlib import check, exit_code  # noqa: E402

BIN = os.environ["K8SNET_BIN"]
SRC = os.environ.get("K8SNET_SRC", os.path.join(HERE, "..", ".."))
DEMO = os.path.join(SRC, "src", "embed", "demo-cluster.json")
TOKEN = "routes-token"
GW = "/apis/gateway.networking.k8s.io"


def run(args, home):
    e = dict(os.environ)
    e.pop("KUBECONFIG", None)
    e["HOME"] = home
    return subprocess.run([BIN] + args, capture_output=True, text=True,
                          timeout=120, env=e)


def paths(api):
    return [e["path"].split("?")[0] for e in api.log()]


def routes_json(kc, home):
    r = run(["--kubeconfig", kc, "--once", "--pane", "routes", "-o", "json"],
            home)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr}")
    return r, json.loads(r.stdout) if r.returncode == 0 else {}


def model_count(stats, kind):
    for line in stats.splitlines():
        if line.startswith(f"MODEL {kind} "):
            return int(line.split()[2])
    return -1


def demo_count(kind):
    with open(DEMO) as f:
        return sum(1 for i in json.load(f)["items"] if i["kind"] == kind)


def start(tmp, versions, seed=DEMO):
    """The test server serving the Gateway API in versions ("": not
    installed), and a kubeconfig for it."""
    args = ["--token", TOKEN]
    if versions:
        args += ["--gateway-api", versions]
    api = harness.KubeAPI(seed=seed, args=args)
    kc = harness.write_kubeconfig(
        os.path.join(tmp, "kc-%s.yaml" % (versions or "none")), api.server,
        {"token": TOKEN}, {"certificate-authority": api.ca})
    return api, kc


def served(tmp):
    """All three versions: every kind in its preferred version."""
    api, kc = start(tmp, "v1,v1beta1,v1alpha2")
    try:
        r, doc = routes_json(kc, tmp)
        check(r.stderr == "", f"served: nothing on stderr: {r.stderr!r}")
        check(doc.get("gatewayAPI") == {
            "installed": True, "versions": ["v1", "v1beta1", "v1alpha2"]},
            f"gatewayAPI {doc.get('gatewayAPI')}")
        rc, out, err = (lambda p: (p.returncode, p.stdout, p.stderr))(
            subprocess.run([BIN, "--demo", "--once", "--pane", "routes", "-o",
                            "json"], capture_output=True, text=True,
                           timeout=60))
        demo = json.loads(out)["items"]
        key = lambda i: (i["namespace"], i["name"], i["rule"],  # noqa
                         json.dumps(i["backend"], sort_keys=True))
        live = sorted(doc.get("items", []), key=key)
        check([(i["name"], i["status"], i["reason"]) for i in live] ==
              [(i["name"], i["status"], i["reason"])
               for i in sorted(demo, key=key)],
              "the same chains as the demo")
        p = paths(api)
        check(GW in p and GW + "/v1" in p and GW + "/v1beta1" in p and
              GW + "/v1alpha2" in p, f"discovery requests {p}")
        for want in ("/v1/gatewayclasses", "/v1/gateways", "/v1/httproutes",
                     "/v1/grpcroutes", "/v1beta1/referencegrants",
                     "/v1alpha2/tlsroutes", "/v1alpha2/tcproutes",
                     "/v1alpha2/udproutes"):
            check(GW + want in p, f"listed {want}")
        check(GW + "/v1beta1/httproutes" not in p and
              GW + "/v1alpha2/grpcroutes" not in p,
              "each kind in one version only")
        check(harness.only_gets(api) == [], "only GET")

        # the console's source, through the driver: watch events move
        # the routes
        d = subprocess.Popen([harness.driver_path(), "--kubeconfig", kc],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True, env=dict(os.environ, HOME=tmp))
        try:
            check(d.stdout.readline().strip() == "SYNCED", "driver synced")
            base = model_count(driver_stats(d), "HTTPRoute")
            check(base == demo_count("HTTPRoute"),
                  f"every HTTPRoute of the seed listed: {base}")
            route = {"apiVersion": "gateway.networking.k8s.io/v1",
                     "kind": "HTTPRoute",
                     "metadata": {"name": "late", "namespace": "default"},
                     "spec": {"parentRefs": [{
                         "name": "eg", "namespace": "envoy-gateway-system"}],
                         "rules": [{"backendRefs": [{
                             "name": "webserver-service", "port": 80}]}]}}
            api.op("add", object=route)
            deadline = time.monotonic() + 20
            stats = ""
            while time.monotonic() < deadline:
                stats = driver_stats(d)
                if model_count(stats, "HTTPRoute") == base + 1:
                    break
                time.sleep(0.2)
            check(model_count(stats, "HTTPRoute") == base + 1,
                  f"watched: {stats}")
            check("GROUP gateway.networking.k8s.io v1,v1beta1,v1alpha2"
                  in stats, "the driver hears what discovery found")
            check("MODEL ReferenceGrant 1\n" in stats and
                  "MODEL GatewayClass 1\n" in stats, "every kind")
            d.stdin.write("quit\n")
            d.stdin.flush()
            d.wait(30)
        finally:
            if d.poll() is None:
                d.kill()
                d.wait()
        check(d.returncode is not None, "driver ended")
    finally:
        api.stop()


def standard_only(tmp):
    """v1 alone: no ReferenceGrant, no experimental routes."""
    api, kc = start(tmp, "v1")
    try:
        r, doc = routes_json(kc, tmp)
        check(doc.get("gatewayAPI", {}).get("versions") == ["v1"],
              "v1 only")
        p = paths(api)
        check(not any("referencegrants" in x or "tlsroutes" in x
                      for x in p), f"nothing the server does not serve: {p}")
        cat = [i for i in doc.get("items", []) if i["name"] == "catalog-api"
               and i["rule"] == 0]
        check(len(cat) == 1 and cat[0]["status"] == "ref-not-permitted",
              "without ReferenceGrants the cross-namespace backend is not "
              "permitted")
    finally:
        api.stop()


def absent(tmp):
    """No Gateway API: one 404 in discovery, then nothing more."""
    api, kc = start(tmp, "", seed=harness.SEED)
    try:
        log = os.path.join(tmp, "absent.log")
        r = run(["--kubeconfig", kc, "--log", log, "--once", "--pane",
                 "routes"], tmp)
        check(r.returncode == 0 and r.stderr == "",
              f"absent: exit {r.returncode}, stderr {r.stderr!r}")
        check("Gateway API not installed" in r.stdout, f"says so: {r.stdout}")
        gw = [e for e in api.log() if "gateway.networking" in e["path"]]
        check(len(gw) == 1 and gw[0]["path"] == GW and gw[0]["status"] == 404,
              f"one discovery request, no retry: {gw}")
        with open(log) as f:
            text = f.read()
        check("gateway" not in text.lower(), f"no log line: {text!r}")
        r, doc = routes_json(kc, tmp)
        check(doc.get("gatewayAPI") == {"installed": False, "versions": []},
              f"absent in JSON: {doc.get('gatewayAPI')}")
        # the other panes do not notice
        r = run(["--kubeconfig", kc, "--once", "--pane", "pods"], tmp)
        check(r.returncode == 0 and r.stderr == "", "pods as before")
    finally:
        api.stop()


def driver_stats(d):
    d.stdin.write("stats\n")
    d.stdin.flush()
    stats = ""
    while True:
        line = d.stdout.readline()
        stats += line
        if line.startswith("GROUP ") or not line:
            return stats


def installed_while_running(tmp):
    """The CRDs installed while the console runs: it asks again quietly
    and starts watching the kinds, without a restart."""
    api, kc = start(tmp, "")
    d = subprocess.Popen([harness.driver_path(), "--kubeconfig", kc],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True, env=dict(os.environ, HOME=tmp))
    try:
        check(d.stdout.readline().strip() == "SYNCED", "driver synced")
        stats = driver_stats(d)
        check("MODEL HTTPRoute 0\n" in stats or "HTTPRoute" not in stats,
              f"no routes yet: {stats}")
        api.op("gateway_api", versions=["v1", "v1beta1", "v1alpha2"])
        t0 = time.monotonic()
        found = False
        while time.monotonic() - t0 < 40:
            stats = driver_stats(d)
            found = (model_count(stats, "HTTPRoute") ==
                     demo_count("HTTPRoute"))
            if found:
                break
            time.sleep(0.5)
        took = time.monotonic() - t0
        check(found and took < 35,
              f"found {took:.1f} s after the CRDs came: {stats}")
        check("GROUP gateway.networking.k8s.io v1,v1beta1,v1alpha2" in stats,
              "discovery heard")
        check(harness.only_gets(api) == [], "only GET")
        d.stdin.write("quit\n")
        d.stdin.flush()
        d.wait(30)
    finally:
        if d.poll() is None:
            d.kill()
            d.wait()
        api.stop()
    check(d.returncode is not None, "driver ended")


def main():
    tmp = tempfile.mkdtemp(prefix="live-routes-")
    try:
        served(tmp)
        standard_only(tmp)
        absent(tmp)
        installed_while_running(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if exit_code():
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
