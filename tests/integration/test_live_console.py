#!/usr/bin/env python3
"""The console on the live Kube-API (the project's test server): --once
reports equal to the server's objects, clear errors when the server is gone
or the CA is wrong, a change appearing in the TUI while it watches, and
only GET requests on the server's log."""
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
TOKEN = "live-console-token"


def run(args, timeout=60):
    env = dict(os.environ)
    env.pop("KUBECONFIG", None)
    env["HOME"] = tempfile.gettempdir()
    return subprocess.run([BIN] + args, capture_output=True, text=True,
                          timeout=timeout, env=env)


def main():
    tmp = tempfile.mkdtemp(prefix="live-console-")
    api = harness.KubeAPI(args=["--token", TOKEN])
    try:
        kc = harness.write_kubeconfig(
            os.path.join(tmp, "config"), api.server, {"token": TOKEN},
            {"certificate-authority": api.ca})
        state = api.state()["items"]
        want_pods = sorted(f"{o['namespace']}/{o['name']}" for o in state
                           if o["kind"] == "Pod")
        want_svcs = sorted(f"{o['namespace']}/{o['name']}" for o in state
                           if o["kind"] == "Service")
        assert want_pods and want_svcs, "seed has pods and services"

        # --once lists everything and prints what the server holds.
        r = run(["--kubeconfig", kc, "--once", "--pane", "pods", "-o",
                 "json"])
        assert r.returncode == 0, r.stderr
        got = sorted(f"{p['namespace']}/{p['name']}"
                     for p in json.loads(r.stdout)["items"])
        assert got == want_pods, (got, want_pods)
        r = run(["--kubeconfig", kc, "--once", "--pane", "services", "-o",
                 "json"])
        assert r.returncode == 0, r.stderr
        got = sorted(f"{s['namespace']}/{s['name']}"
                     for s in json.loads(r.stdout)["items"])
        assert got == want_svcs, (got, want_svcs)
        assert TOKEN not in r.stdout + r.stderr, "token leaked"
        print("ok: --once equals the server's pods and services")

        # Wrong CA: exit 1, the message says TLS/certificate and the server.
        bad = harness.write_kubeconfig(
            os.path.join(tmp, "badca"), api.server, {"token": TOKEN},
            {"certificate-authority": api.path("other-ca.crt")})
        r = run(["--kubeconfig", bad, "--once", "--pane", "pods"])
        assert r.returncode == 1, (r.returncode, r.stderr)
        assert "certificate" in r.stderr.lower() or "tls" in r.stderr.lower(), r.stderr
        print("ok: wrong CA:", r.stderr.strip().splitlines()[-1])

        # A missing context lists the contexts that exist.
        r = run(["--kubeconfig", kc, "--context", "nope", "--once",
                 "--pane", "pods"])
        assert r.returncode == 1 and "nope" in r.stderr and "test" in r.stderr, r.stderr
        print("ok: missing context:", r.stderr.strip().splitlines()[-1])

        # The TUI watches: a pod added on the server appears on screen.
        with tuiharness.Session(args=("--kubeconfig", kc), cols=160,
                                rows=48, env={"HOME": tmp}) as s:
            s.wait_for(want_pods[0].split("/")[1])
            pod = {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": "watch-arrival", "namespace":
                                want_pods[0].split("/")[0],
                                "uid": "a1b2c3"},
                   "spec": {"nodeName": "", "containers": [
                       {"name": "c", "image": "busybox"}]},
                   "status": {"phase": "Pending"}}
            api.op("add", object=pod)
            s.wait_for("watch-arrival")
            s.mark()
            api.op("delete", kind="Pod", namespace=pod["metadata"]["namespace"],
                   name="watch-arrival")
            s.wait_for("watch-arrival", absent=True)
            # a hidden pane's count in the header follows too
            s.wait_for(f"Services {len(want_svcs)}")
            svc = {"apiVersion": "v1", "kind": "Service",
                   "metadata": {"name": "watch-svc", "namespace":
                                want_pods[0].split("/")[0]},
                   "spec": {"clusterIP": "10.96.77.77", "ports": [
                       {"port": 80, "protocol": "TCP"}]}}
            api.op("add", object=svc)
            s.wait_for(f"Services {len(want_svcs) + 1}")
            s.keys("q")
            tuiharness.expect_clean_exit(s)
        print("ok: a watched change reaches the screen and leaves it, and "
              "the header counts a hidden pane's change")

        # :ctx switches to another context of the kubeconfig; an unknown
        # one is refused with the contexts that exist, and the console
        # stays on the one it had.
        with open(kc) as f:
            doc = json.load(f)
        doc["contexts"].append({"name": "second", "context": {
            "cluster": "test", "user": "tester"}})
        kc2 = os.path.join(tmp, "two-contexts")
        with open(kc2, "w") as f:
            json.dump(doc, f)
        with tuiharness.Session(args=("--kubeconfig", kc2), cols=160,
                                rows=48, env={"HOME": tmp}) as s:
            s.wait_for(want_pods[0].split("/")[1])
            s.keys(":ctx nope", "Enter")
            s.wait_for("nope")
            s.wait_for(want_pods[0].split("/")[1])
            s.keys(":ctx second", "Enter")
            s.wait_for("second")
            s.wait_for(want_pods[0].split("/")[1])
            s.keys("q")
            tuiharness.expect_clean_exit(s)
        print("ok: :ctx switches context; an unknown one is refused")

        # A projected token rotates: the tokenFile gets a new token and
        # the old one stops working; the console keeps up (it re-reads the
        # file when it changes) and a change made after the rotation shows.
        tokfile = os.path.join(tmp, "rotating-token")
        with open(tokfile, "w") as f:
            f.write("rot-1\n")
        api.op("tokens", tokens={"rot-1": "u", TOKEN: "u"})
        kc3 = harness.write_kubeconfig(
            os.path.join(tmp, "rotating"), api.server,
            {"tokenFile": tokfile}, {"certificate-authority": api.ca})
        with tuiharness.Session(args=("--kubeconfig", kc3), cols=160,
                                rows=48, env={"HOME": tmp}) as s:
            s.wait_for(want_pods[0].split("/")[1])
            with open(tokfile + ".new", "w") as f:
                f.write("rot-2\n")
            os.replace(tokfile + ".new", tokfile)
            api.op("tokens", tokens={"rot-2": "u", TOKEN: "u"})
            api.op("drop_watches")
            pod = {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": "after-rotation", "namespace":
                                want_pods[0].split("/")[0], "uid": "r0t"},
                   "spec": {"containers": [{"name": "c", "image": "i"}]},
                   "status": {"phase": "Pending"}}
            api.op("add", object=pod)
            s.wait_for("after-rotation", timeout=40)
            s.keys("q")
            tuiharness.expect_clean_exit(s)
        print("ok: a rotated tokenFile is picked up")
        bad = harness.only_gets(api)
        assert not bad, bad
        print("ok: the server saw only GET requests")
    finally:
        api.cleanup()
    # Server gone at start: --once fails fast with the URL in the message.
    r = run(["--kubeconfig", kc, "--once", "--pane", "pods",
             "--request-timeout", "5s"])
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert "127.0.0.1" in r.stderr, r.stderr
    print("ok: server gone:", r.stderr.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
