"""Shared by the Kube-API client tests: the driver in watch mode
(kubeclient_driver over stdin/stdout), the state the client should hold
for a server, and the ok/FAIL bookkeeping (python3 stdlib)."""

import os
import select
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "kubeapi"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import harness  # noqa: E402
from testlib import FAILS, check, exit_code  # noqa: E402,F401

WATCHED = {"Pod", "Service", "EndpointSlice", "Ingress", "IngressClass",
           "Node", "Namespace", "DaemonSet", "NetworkPolicy", "ConfigMap"}


def expected(api, namespace=None):
    """The server's objects the client watches, in the driver's form."""
    out = []
    for it in api.state()["items"]:
        k = it["kind"]
        if k not in WATCHED:
            continue
        if k == "ConfigMap" and not (it["namespace"] == "kube-system" and
                                     it["name"] in ("coredns",
                                                    "kube-proxy")):
            continue
        if (namespace and it["namespace"] and it["namespace"] != namespace
                and k != "ConfigMap"):
            continue
        out.append(f"{k} {it['namespace'] or '-'}/{it['name']} "
                   f"{it['resourceVersion']}")
    return sorted(out)


class Driver:
    """The driver in watch mode, talking over stdin/stdout."""

    def __init__(self, cfg, env=None):
        e = dict(os.environ)
        e.pop("KUBECONFIG", None)
        e.update(env or {})
        self.p = subprocess.Popen([harness.driver_path(), "--kubeconfig",
                                   cfg], env=e, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        if line.strip() != "SYNCED":
            raise AssertionError(f"driver did not sync: {line!r}")

    def ask(self, cmd):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        out = []
        for line in self.p.stdout:
            if line.strip() == "END":
                break
            out.append(line.rstrip("\n"))
        return out

    def dump(self):
        return harness.driver_dump("\n".join(self.ask("dump")))

    def stats(self):
        line = [l for l in self.ask("stats") if l.startswith("STATS ")][0]
        return dict(kv.split("=", 1) for kv in line.split()[1:])

    def kinds(self):
        """The "KIND kind plural state=.. rv=.. error=.." lines."""
        return [l for l in self.ask("stats") if l.startswith("KIND ")]

    def wait(self, cond):
        """Poll until cond(self) holds; False if it never does (a hang
        guard bounds the loop; nothing here is a timed assertion)."""
        for _ in range(3000):
            if cond(self):
                return True
            select.select([], [], [], 0.05)
        return False

    def converge(self, api, what):
        """Ask until the client holds the server's state."""
        want = expected(api)
        ok = self.wait(lambda d: d.dump() == want)
        if not ok:
            got = self.dump()
            print("missing:", sorted(set(want) - set(got))[:5])
            print("extra:", sorted(set(got) - set(want))[:5])
        check(ok, what)

    def quit(self):
        self.p.stdin.write("quit\n")
        self.p.stdin.flush()
        self.p.wait(60)
        self.p.stdin.close()
        self.p.stdout.close()
