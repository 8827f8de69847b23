#!/usr/bin/env python3
"""The Kube-API client against the test server: every auth mode, kubeconfig
merging, TLS failures, and recovery from dropped watches, 410 storms and
500/429 bursts, ending with the client's state equal to the server's and
the server's request log holding only GETs."""

import base64
import json
import os
import select
import shutil
import stat
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "kubeapi"))
import harness  # noqa: E402
from kubedriver import Driver, check, exit_code, expected  # noqa: E402


def b64file(p):
    with open(p, "rb") as f:
        return base64.b64encode(f.read()).decode()


def discovery(path):
    """/api, /api/v1, /apis/GROUP[/VERSION]: documents, not lists."""
    p = path.split("?")[0].split("/")
    return len(p) <= (4 if p[1] == "apis" else 3)


def once(api, cfg, what, extra=(), env=None, namespace=None):
    r = harness.run_driver(["--kubeconfig", cfg, "--once"] + list(extra),
                           env=env)
    got = harness.driver_dump(r.stdout)
    ok = r.returncode == 0 and got == expected(api, namespace)
    if not ok:
        print(r.stderr.strip())
    check(ok, what)
    return r


def fails(cfg, what, needle, env=None, extra=()):
    r = harness.run_driver(["--kubeconfig", cfg, "--once"] + list(extra),
                           env=env)
    ok = r.returncode != 0 and needle in r.stderr
    if not ok:
        print("stderr:", r.stderr.strip())
    check(ok, what)
    return r


POD = {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "late-pod", "namespace": "shop",
                    "labels": {"app": "web"}},
       "spec": {"nodeName": "node-a", "containers": [{"name": "c"}]},
       "status": {"phase": "Running", "podIP": "10.244.0.99"}}


def main():
    tmp = tempfile.mkdtemp(prefix="kube-client-")
    api = harness.KubeAPI(tmp, args=["--token", "tok-static=alice",
                                     "--token", "tok-file=bob",
                                     "--token", "tok-exec=carol",
                                     "--token", "tok-oidc=dave",
                                     "--basic", "erin:s3cret"])
    try:
        run(api, tmp)
    finally:
        api.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return exit_code()


def run(api, tmp):
    ca = {"certificate-authority": api.ca}
    kc = lambda name, user, cl=None, **kw: harness.write_kubeconfig(  # noqa
        os.path.join(tmp, name), api.server, user,
        ca if cl is None else cl, **kw)

    # --- auth modes ---------------------------------------------------
    r = once(api, kc("cert.yaml", {"client-certificate": api.path("client.crt"),
                               "client-key": api.path("client.key")}),
         "client certificate files")
    model = dict(l.split()[1:3] for l in r.stdout.splitlines()
                 if l.startswith("MODEL "))
    want = expected(api)
    for kind in ("Pod", "Service", "Node", "Namespace", "Ingress"):
        n = sum(1 for w in want if w.startswith(kind + " "))
        check(model.get(kind) == str(n),
              f"model holds the server's {kind} objects ({n})")
    once(api, kc("certdata.yaml", {
        "client-certificate-data": b64file(api.path("client.crt")),
        "client-key-data": b64file(api.path("client.key"))},
        {"certificate-authority-data": b64file(api.ca)}),
        "client certificate and CA as inline data")
    once(api, kc("token.yaml", {"token": "tok-static"}), "bearer token")
    tokfile = os.path.join(tmp, "token")
    with open(tokfile, "w") as f:
        f.write("tok-file\n")
    once(api, kc("tokfile.yaml", {"tokenFile": "token"}),
         "tokenFile, relative to the kubeconfig's folder")
    once(api, kc("basic.yaml", {"username": "erin", "password": "s3cret"}),
         "basic auth")
    once(api, kc("oidc.yaml", {"auth-provider": {
        "name": "oidc", "config": {"id-token": "tok-oidc",
                                   "idp-issuer-url": "https://x"}}}),
         "auth-provider oidc id-token")

    plugin = os.path.join(tmp, "cred-plugin")
    info = os.path.join(tmp, "exec-info.json")
    with open(plugin, "w") as f:
        f.write(f"""#!{sys.executable}
import json, os, sys
open({info!r}, "w").write(os.environ.get("KUBERNETES_EXEC_INFO", ""))
tok = open(os.environ["TOKEN_SOURCE"]).read().strip()
print(json.dumps({{"apiVersion": sys.argv[1], "kind": "ExecCredential",
                  "status": {{"token": tok,
                             "expirationTimestamp": "2999-01-01T00:00:00Z"}}}}))
""")
    os.chmod(plugin, stat.S_IRWXU)
    src = os.path.join(tmp, "exec-token")
    with open(src, "w") as f:
        f.write("tok-exec")
    for av in ("client.authentication.k8s.io/v1",
               "client.authentication.k8s.io/v1beta1"):
        cfg = kc("exec.yaml", {"exec": {
            "apiVersion": av, "command": "./cred-plugin", "args": [av],
            "env": [{"name": "TOKEN_SOURCE", "value": src}],
            "provideClusterInfo": True, "interactiveMode": "Never"}})
        once(api, cfg, f"exec plugin {av.split('/')[1]}")
        with open(info) as f:
            ei = json.load(f)
        check(ei.get("apiVersion") == av and
              ei["spec"]["cluster"]["server"] == api.server,
              f"KUBERNETES_EXEC_INFO with cluster info ({av})")
    fails(kc("exec-missing.yaml", {"exec": {
        "apiVersion": "client.authentication.k8s.io/v1",
        "command": "no-such-plugin-k8snet",
        "installHint": "install no-such-plugin from example.test"}}),
        "missing exec plugin names it and its installHint",
        "install no-such-plugin from example.test")
    fails(kc("badtoken.yaml", {"token": "wrong"}), "refused token",
          "nauthorized")

    # --- kubeconfig resolution ----------------------------------------
    a = os.path.join(tmp, "a.yaml")
    b = os.path.join(tmp, "b.yaml")
    with open(a, "w") as f:
        json.dump({"apiVersion": "v1", "kind": "Config",
                   "current-context": "merged",
                   "contexts": [{"name": "merged", "context": {
                       "cluster": "c1", "user": "u1"}}],
                   "clusters": [{"name": "c1", "cluster": {
                       "server": api.server,
                       "certificate-authority": api.ca}}]}, f)
    with open(b, "w") as f:
        json.dump({"apiVersion": "v1", "kind": "Config",
                   "current-context": "other",
                   "clusters": [{"name": "c1", "cluster": {
                       "server": "https://127.0.0.1:1"}}],
                   "users": [{"name": "u1", "user": {
                       "token": "tok-static"}}]}, f)
    r = harness.run_driver(["--once"], env={"KUBECONFIG": f"{a}:{b}"})
    check(r.returncode == 0 and harness.driver_dump(r.stdout) ==
          expected(api), "KUBECONFIG a:b merged (first file wins)")
    r = harness.run_driver(["--once", "--context", "nope"],
                           env={"KUBECONFIG": f"{a}:{b}"})
    check(r.returncode != 0 and "nope" in r.stderr and "merged" in
          r.stderr and a in r.stderr, "missing context lists the others")
    home = os.path.join(tmp, "home")
    os.makedirs(os.path.join(home, ".kube"))
    shutil.copy(os.path.join(tmp, "token.yaml"),
                os.path.join(home, ".kube", "config"))
    r = harness.run_driver(["--once"], env={"HOME": home})
    check(r.returncode == 0, "~/.kube/config when nothing else is given")
    once(api, kc("ns.yaml", {"token": "tok-static"}), "-n shop scope",
         extra=["-n", "shop"], namespace="shop")

    # --- TLS ------------------------------------------------------------
    r = once(api, kc("insecure.yaml", {"token": "tok-static"},
                     {"insecure-skip-tls-verify": True}),
             "insecure-skip-tls-verify")
    check("insecure" in r.stderr, "insecure-skip-tls-verify warns")
    fails(kc("wrongca.yaml", {"token": "tok-static"},
             {"certificate-authority": api.path("other-ca.crt")}),
          "wrong CA: clear error", "not trusted")
    once(api, kc("sni.yaml", {"token": "tok-static"},
                 {"certificate-authority": api.ca,
                  "tls-server-name": "kubernetes.test.local"}),
         "tls-server-name")
    with socketless_port() as port:
        fails(harness.write_kubeconfig(
            os.path.join(tmp, "gone.yaml"), f"https://127.0.0.1:{port}",
            {"token": "tok-static"}, ca), "server gone at start",
            "cannot reach")

    # --- watch, faults and recovery -------------------------------------
    d = Driver(os.path.join(tmp, "token.yaml"))
    d.converge(api, "watch: initial state")
    api.op("add", object=POD)
    api.op("modify", object=dict(POD, status={"phase": "Succeeded"}))
    api.op("delete", kind="Service", namespace="shop", name="web")
    d.converge(api, "watch: add, modify, delete")
    api.op("bookmark")
    api.op("drop_watches")
    api.op("add", object=dict(POD, metadata=dict(POD["metadata"],
                                                 name="after-drop")))
    d.converge(api, "watch dropped mid-stream: resumed")
    api.op("compact")
    api.op("expire_watches", count=8)
    api.op("delete", kind="Pod", namespace="shop", name="after-drop")
    d.converge(api, "410 storm: relisted")
    check(int(d.stats()["relists"]) > 0, "410 counted as relists")
    api.op("fail", status=500, count=6, drop=True)
    api.op("add", object=dict(POD, metadata=dict(POD["metadata"],
                                                 name="after-500")))
    d.converge(api, "500 burst: recovered")
    api.op("fail", status=429, count=4, retry_after=1, drop=True)
    api.op("add", object=dict(POD, metadata=dict(POD["metadata"],
                                                 name="after-429")))
    d.converge(api, "429 burst with Retry-After: recovered")
    for _ in range(3000):
        st = d.stats()
        if st["conn"] == "2":
            break
        select.select([], [], [], 0.05)
    check(int(st["errors"]) > 0 and st["conn"] == "2",
          "errors counted, connection live again")
    d.quit()

    # exec credential refreshed on 401 (rotated server-side)
    cfg = os.path.join(tmp, "exec.yaml")
    d = Driver(cfg)
    api.op("tokens", tokens={"tok-static": "alice", "tok-exec-2": "carol"})
    with open(src, "w") as f:
        f.write("tok-exec-2")
    api.op("add", object=dict(POD, metadata=dict(POD["metadata"],
                                                 name="after-rotate")))
    api.op("drop_watches")
    d.converge(api, "401: exec plugin re-run, watch resumed")
    d.quit()

    log = api.log()
    bad = [e for e in log if e["method"] != "GET"]
    check(not bad, "request log: only GET")
    check(all(e["userAgent"].startswith("k8snet-top/") for e in log
              if "kubectl" not in e["userAgent"]),
          "User-Agent names k8snet-top")
    check(any("watch=1" in e["path"] and "allowWatchBookmarks=true" in
              e["path"] for e in log), "watches ask for bookmarks")
    check(all("limit=500" in e["path"] for e in log
              if "watch=" not in e["path"] and e["path"].startswith("/api")
              and not discovery(e["path"])),
          "lists are paginated (limit=500)")
    check(any(e["auth"] == m for e in log for m in ("cert",)) and
          {"cert", "token", "basic"} <= {e["auth"] for e in log},
          "auth kinds seen: cert, token, basic")


class socketless_port:
    """A loopback port with nothing listening on it."""

    def __enter__(self):
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        return self.port

    def __exit__(self, *a):
        pass


if __name__ == "__main__":
    sys.exit(main())
