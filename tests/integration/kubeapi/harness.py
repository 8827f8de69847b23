"""Test helpers around server.py: start it, drive its control port, write
kubeconfigs, run the client driver, compare states (python3 stdlib)."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("K8SNET_SRC",
                     os.path.abspath(os.path.join(HERE, "..", "..", "..")))
SEED = os.path.join(SRC, "tests", "data", "kube", "cluster.json")


class KubeAPI:
    """The test server in a child process; stopped by stop() or `with`."""

    def __init__(self, workdir=None, seed=SEED, args=()):
        self.tmp = workdir or tempfile.mkdtemp(prefix="kubeapi-")
        self.dir = os.path.join(self.tmp, "srv")
        cmd = [sys.executable, os.path.join(HERE, "server.py"),
               "--dir", self.dir]
        if seed:
            cmd += ["--seed", seed]
        self.proc = subprocess.Popen(cmd + list(args),
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            self.proc.kill()
            raise RuntimeError("test Kube-API server did not start")
        self.info = json.loads(line[6:])
        self.server = self.info["server"]
        self.ca = os.path.join(self.dir, "ca.crt")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()

    def kill(self):
        """SIGKILL: the server vanishes with its connections, no goodbye."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def _url(self, p):
        return f"http://127.0.0.1:{self.info['control_port']}{p}"

    def op(self, op, **kw):
        kw["op"] = op
        req = urllib.request.Request(self._url("/op"),
                                     data=json.dumps(kw).encode(),
                                     method="POST")
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.load(r)

    def log(self):
        with urllib.request.urlopen(self._url("/log"), timeout=60) as r:
            return json.load(r)

    def state(self):
        with urllib.request.urlopen(self._url("/state"), timeout=60) as r:
            return json.load(r)

    def faults(self):
        """Injected transport faults served so far, by kind."""
        with urllib.request.urlopen(self._url("/faults"), timeout=60) as r:
            return json.load(r)

    def podlogs(self):
        """{"NS/POD": {"lines", "last_ns", "lines_served",
        "bytes_served"}}"""
        with urllib.request.urlopen(self._url("/podlogs"), timeout=60) as r:
            return json.load(r)

    def open_watches(self):
        return self.open_watches_info()["open"]

    def open_watches_info(self):
        """{"open": watches open, "events_sent": watch events written}"""
        with urllib.request.urlopen(self._url("/watches"), timeout=60) as r:
            return json.load(r)


def free_port():
    """A loopback port nothing listens on (at the moment)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def yaml_quote(s):
    return json.dumps(s)  # JSON strings are YAML flow scalars


def write_kubeconfig(path, server, user, cluster_extra=None, ctx="test",
                     namespace=None, current=True, cluster_name="test",
                     user_name="tester"):
    """user: dict of kubeconfig user fields (values JSON/YAML-encodable)."""
    cl = {"server": server}
    cl.update(cluster_extra or {})
    c = {"cluster": cluster_name, "user": user_name}
    if namespace:
        c["namespace"] = namespace
    doc = {"apiVersion": "v1", "kind": "Config",
           "clusters": [{"name": cluster_name, "cluster": cl}],
           "users": [{"name": user_name, "user": user}],
           "contexts": [{"name": ctx, "context": c}]}
    if current:
        doc["current-context"] = ctx
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)  # JSON is YAML
    return path


def driver_path():
    b = os.environ.get("K8SNET_BUILD", "")
    p = os.path.join(b, "tests", "kubeclient_driver")
    if not os.path.exists(p):
        raise SystemExit(f"driver not built: {p}")
    return p


def run_driver(args, env=None, timeout=120):
    e = dict(os.environ)
    e.pop("KUBECONFIG", None)
    e.update(env or {})
    return subprocess.run([driver_path()] + list(args), env=e,
                          capture_output=True, text=True, timeout=timeout)


def server_dump(api, kinds=None):
    """The server's state in the driver's canonical form."""
    out = []
    for it in api.state()["items"]:
        if kinds is not None and it["kind"] not in kinds:
            continue
        out.append(f"{it['kind']} {it['namespace'] or '-'}/{it['name']} "
                   f"{it['resourceVersion']}")
    return sorted(out)


def driver_dump(stdout):
    return sorted(l[4:] for l in stdout.splitlines() if l.startswith("OBJ "))


def only_gets(api):
    bad = [e for e in api.log() if e["method"] != "GET"]
    return bad
