#!/usr/bin/env python3
"""Hostile sizes from the Kube-API stay bounded, counted and recovered
from: a pod whose annotation makes its watch event a 100 MB line (the
client holds at most 8 MiB of one event: it counts the line as oversized,
skips it without buffering it, relists, and holds the server's state
again), and a list of many pages. The driver's peak memory stays bounded
and the request log holds only GET."""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "kubeapi"))
import harness  # noqa: E402
from kubedriver import Driver, check, exit_code  # noqa: E402

PAD = 100 * 1000 * 1000
PAGES = 12          # pods in pages of 500
RSS_BOUND_MB = 400  # the 100 MB object is held in one list page, parsed once
if os.environ.get("K8SNET_SANITIZED"):
    RSS_BOUND_MB *= 3  # ASan's shadow memory and quarantine


def pod(name, pad=None, ip="10.244.1.1"):
    md = {"name": name, "namespace": "big", "labels": {"app": "big"}}
    if pad is not None:
        md["annotations"] = {"pad": pad}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md,
            "spec": {"nodeName": "node-a", "containers": [{"name": "c"}]},
            "status": {"phase": "Running", "podIP": ip}}


def main():
    tmp = tempfile.mkdtemp(prefix="kube-limits-")
    api = harness.KubeAPI(tmp, args=["--token", "tok=alice"])
    d = None
    try:
        cfg = harness.write_kubeconfig(os.path.join(tmp, "kc.yaml"),
                                       api.server, {"token": "tok"},
                                       {"certificate-authority": api.ca})
        d = Driver(cfg)
        d.converge(api, "initial state")

        # many pages: 6,000 pods arrive by watch, then a relist reads them
        # back in pages of 500
        api.op("add", objects=[pod(f"many-{i}", ip=f"10.245.{i // 250}."
                                   f"{i % 250 + 1}")
                               for i in range(PAGES * 500)])
        d.converge(api, f"{PAGES * 500} pods added by watch")
        api.op("expire_watches", count=20)
        api.op("add", object=pod("after-410"))
        d.converge(api, f"state equal after 410 (watches expired)")
        def pages():
            return [e for e in api.log() if e["path"].startswith(
                "/api/v1/pods?") and "watch=" not in e["path"]]
        d.wait(lambda _: len(pages()) >= 1 + PAGES + 1)
        check(len(pages()) >= 1 + PAGES + 1, f"the relist read "
              f"{len(pages()) - 1} pages of 500")
        d.converge(api, "state equal after the paged relist")

        # a 100 MB event line
        before = int(d.stats()["oversized"])
        api.op("add", object=pod("huge", pad="x" * PAD))
        api.op("add", object=pod("after-huge", ip="10.244.1.2"))
        d.converge(api, "a 100 MB watch event: skipped, relisted, "
                   "state equal to the server's")
        check(int(d.stats()["oversized"]) > before,
              "the 100 MB event line is counted as oversized")
        api.op("modify", object=pod("after-huge", ip="10.244.1.3"))
        d.converge(api, "watch live again after the oversized line")
        bad = harness.only_gets(api)
        check(not bad, "request log: only GET")
        with open(f"/proc/{d.p.pid}/status") as f:
            hwm = [int(l.split()[1]) // 1024 for l in f
                   if l.startswith("VmHWM:")][0]
        check(hwm < RSS_BOUND_MB, f"client peak RSS {hwm} MB (bound "
              f"{RSS_BOUND_MB} MB)")
    finally:
        if d is not None:
            d.quit()
        api.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return exit_code()


if __name__ == "__main__":
    sys.exit(main())
