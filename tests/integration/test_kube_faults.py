#!/usr/bin/env python3
"""Transport faults of the Kube-API against the test server: list pages and
watches that trickle at 1 byte/s, watches cut in the middle of a chunk or
with a bad chunk-size line, list bodies shorter than their Content-Length,
list pages that are not JSON, TLS handshakes with a plain HTTP server or a
closed socket, an expired server certificate, and the server killed and
started again on the same port, and each fault again on a list page the
client asked for ahead (while the page before it was still arriving).
--once must end with a message that says what went wrong and where; the
long-running client must recover and hold the server's state again. The
request log must hold only GET throughout.

K8SNET_KUBE_STALL shortens the client's stall windows to 2 s, and the
server sends a BOOKMARK every 0.5 s, as a real one does every minute."""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "kubeapi"))
import harness  # noqa: E402
from kubedriver import Driver, check, exit_code, expected  # noqa: E402

ENV = {"K8SNET_KUBE_STALL": "2"}
SERVER_ARGS = ["--token", "tok=alice", "--bookmark-interval", "0.5"]
PODS = "/api/v1/pods"


def pod(name):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "shop",
                         "labels": {"app": "web"}},
            "spec": {"nodeName": "node-a", "containers": [{"name": "c"}]},
            "status": {"phase": "Running", "podIP": "10.244.0.77"}}


def once(cfg, timeout_ms=20000):
    return harness.run_driver(["--kubeconfig", cfg, "--once", "--timeout",
                               str(timeout_ms)], env=ENV)


def once_ok(api, cfg, what):
    r = once(cfg)
    ok = r.returncode == 0 and harness.driver_dump(r.stdout) == expected(api)
    if not ok:
        print("stderr:", r.stderr.strip())
    check(ok, what)


def once_fails(cfg, what, needles, timeout_ms=20000):
    r = once(cfg, timeout_ms)
    ok = r.returncode == 1 and all(n in r.stderr for n in needles)
    print("  message:", r.stderr.strip())
    check(ok, what)


def hits(api, kind):
    return api.faults().get(kind, 0)


def only_get(api, what):
    bad = harness.only_gets(api)
    if bad:
        print("not GET:", bad[:3])
    check(not bad and len(api.log()) > 0, f"request log: only GET ({what})")


def relist_pods(api):
    """Drop the watches and answer the pods watch 410 once: pods relist."""
    api.op("fail", status=410, match=PODS, watch=True, count=1, drop=True)


def errors(d):
    return int(d.stats()["errors"])


def served(api, d, kind, want, what, e=None):
    """The client can hold the server's state again before it has met
    every fault it was given (an object may arrive on a watch that was
    not yet dropped): wait until the faults were served (and counted in
    errors when e is given), then check the state once more."""
    ok = d.wait(lambda _: hits(api, kind) >= want and
                (e is None or errors(d) > e))
    check(ok, what)
    d.converge(api, f"{what}: state still equal")


def slow(api, cfg, d):
    # --once: a list page at 1 byte/s is given up after the stall window
    # and retried; when every try is slow the request timeout ends it
    api.op("slow", rate=1, count=1000, match=PODS, watch=False)
    once_fails(cfg, "--once, list page at 1 byte/s: timed out, named",
               ["timed out", "pods", "Operation too slow"], 8000)
    check(hits(api, "slow") >= 2, "slow list page abandoned and retried")
    api.op("clear_faults")
    api.op("slow", rate=1, count=1, match=PODS, watch=False)
    once_ok(api, cfg, "--once, one slow list page: relisted, complete")
    api.op("clear_faults")

    # the console: a watch that trickles is abandoned and watched again
    n = int(d.stats()["stalls"])
    api.op("slow", rate=1, count=1, match=PODS, watch=True, drop=True)
    api.op("add", object=pod("slow-watch"))
    d.converge(api, "slow watch: given up, watched again, converged")
    check(int(d.stats()["stalls"]) > n, "stalled watch counted")
    # ... and a slow list page during a relist
    h = hits(api, "slow")
    api.op("slow", rate=1, count=1, match=PODS, watch=False)
    relist_pods(api)
    api.op("add", object=pod("slow-list"))
    d.converge(api, "slow list page during a relist: relisted, converged")
    served(api, d, "slow", h + 1, "the slow list page was served")
    only_get(api, "slow")


def truncated(api, cfg, d):
    e = errors(d)
    api.op("cut", match=PODS, watch=True, drop=True)
    api.op("add", object=pod("after-cut-chunk"))
    d.converge(api, "watch cut in the middle of a chunk: resumed")
    served(api, d, "cut", 1, "cut watch served and counted", e)
    e = errors(d)
    api.op("cut", how="bad_chunk", match="/api/v1/services", watch=True,
           drop=True)
    api.op("delete", kind="Service", namespace="shop", name="web")
    d.converge(api, "watch with a bad chunk-size line: resumed")
    served(api, d, "bad_chunk", 1, "bad chunk served and counted", e)
    e = errors(d)
    api.op("cut", match=PODS, watch=False, count=2)
    relist_pods(api)
    api.op("add", object=pod("after-short-list"))
    d.converge(api, "list body shorter than its Content-Length: relisted")
    served(api, d, "cut", 3, "short list bodies served and counted", e)
    api.op("cut", match=PODS, watch=False, count=1)
    once_ok(api, cfg, "--once, a short list body: listed again, complete")
    only_get(api, "truncated")


def garbage(api, cfg, d):
    api.op("garbage", match=PODS, count=1000, body="<html>oops</html>")
    once_fails(cfg, "--once, list page of garbage: names pods, not JSON",
               ["pods", "not valid JSON"])
    api.op("clear_faults")
    api.op("garbage", match=PODS, count=1000)
    once_fails(cfg, "--once, list page cut inside an object: says so",
               ["pods", "cut short"])
    api.op("clear_faults")
    api.op("garbage", match=PODS, count=1000, body='{"kind":"PodList"}')
    once_fails(cfg, "--once, JSON that is not a list: says so",
               ["pods", "not a Kubernetes list"])
    api.op("clear_faults")
    h = hits(api, "garbage")
    api.op("garbage", match=PODS, count=3)
    relist_pods(api)
    api.op("add", object=pod("after-garbage"))
    d.converge(api, "invalid list pages in the console: retried, converged")
    served(api, d, "garbage", h + 3, "every invalid page was served")
    only_get(api, "invalid JSON")


def pod_pages(api):
    """The pods list requests of the log: (start, has continue, status)."""
    return [(e["start"], "continue=" in e["path"], e["status"])
            for e in api.log() if e["path"].startswith(PODS + "?") and
            "watch=" not in e["path"]]


def ahead(api, cfg, d):
    # four pages of pods: the client asks for the next page as soon as
    # the current one's metadata names it; a fault on that page is met
    # after the current page is handled, as if it had been asked then
    api.op("add", objects=[dict(pod(f"page-{i}"), metadata={
        "name": f"page-{i}", "namespace": "shop",
        "labels": {"app": "web"}}) for i in range(1600)])
    d.converge(api, "1,600 pods added")
    api.op("clear_log")
    once_ok(api, cfg, "--once, four pages of pods")
    check(sum(c for _, c, _ in pod_pages(api)) == 3,
          "three pages asked with a continue token, each once")

    # the first page arrives slowly after its metadata: the second is
    # asked for at once; the first is given up (stall window), dropping
    # the second, and the list starts again
    api.op("clear_log")
    api.op("slow", rate=1, head=400, count=1, match=PODS, watch=False,
           continued=False)
    once_ok(api, cfg, "--once, slow first page: asked again, complete")
    pages = pod_pages(api)
    firsts = [t for t, c, st in pages if not c and st == 200]
    check(firsts and any(c and t < firsts[0] for t, c, _ in pages),
          "the second page was asked for while the first was arriving")
    api.op("clear_faults")

    api.op("fail", status=500, match=PODS, watch=False, continued=True,
           count=1)
    once_ok(api, cfg, "--once, 500 on a page asked ahead: retried, complete")
    api.op("expire_continue", count=1)
    api.op("clear_log")
    once_ok(api, cfg, "--once, 410 on a page asked ahead: listed again")
    check(sum(1 for _, c, _ in pod_pages(api) if not c) == 2,
          "410 on a continue token: the list started from the first page")
    api.op("cut", match=PODS, watch=False, continued=True, count=1)
    once_ok(api, cfg, "--once, a page asked ahead cut short: complete")
    api.op("garbage", match=PODS, continued=True, count=1000)
    once_fails(cfg, "--once, a page asked ahead not JSON: says so",
               ["pods", "cut short"])
    api.op("clear_faults")

    # the console: every fault on pages asked ahead during a relist
    e = errors(d)
    api.op("fail", status=500, match=PODS, watch=False, continued=True,
           count=1)
    api.op("cut", match=PODS, watch=False, continued=True, count=1)
    api.op("garbage", match=PODS, continued=True, count=1)
    relist_pods(api)
    api.op("add", object=pod("after-ahead"))
    d.converge(api, "faults on pages asked ahead in a relist: converged")
    check(d.wait(lambda _: errors(d) >= e + 3),
          "the faults on pages asked ahead were counted")
    api.op("clear_faults")
    only_get(api, "pages asked ahead")


def tls(api, cfg, d, tmp):
    api.op("handshake", mode="plain", count=100)
    once_fails(cfg, "--once, plain HTTP on the TLS port: handshake failed",
               ["TLS handshake failed", api.server])
    api.op("clear_faults")
    api.op("handshake", mode="close", count=100)
    once_fails(cfg, "--once, socket closed during the handshake",
               ["TLS handshake failed", api.server])
    api.op("clear_faults")
    api.op("cert", which="expired")
    once_fails(cfg, "--once, expired server certificate: says so",
               ["certificate has expired", api.server])
    api.op("cert", which="valid")

    # the console keeps retrying through handshake failures ...
    e, h = errors(d), hits(api, "handshake")
    api.op("handshake", mode="plain", count=3)
    api.op("drop_watches")
    api.op("add", object=pod("after-handshake"))
    d.converge(api, "handshake failures in the console: converged")
    check(d.wait(lambda _: hits(api, "handshake") >= h + 3) and
          errors(d) > e, "handshake failures served and counted")
    # ... and through an expired certificate, saying why
    e = errors(d)
    api.op("cert", which="expired")
    check(d.wait(lambda d: errors(d) > e + 22 and any(
        "has expired" in k for k in d.kinds())),
        "expired certificate: retried, the error says expired")
    api.op("cert", which="valid")
    api.op("add", object=pod("after-expired"))
    d.converge(api, "certificate valid again: converged")
    only_get(api, "TLS")

    # a server that starts with an expired certificate
    other = harness.KubeAPI(os.path.join(tmp, "expired"),
                            args=SERVER_ARGS + ["--cert", "expired"])
    try:
        ocfg = harness.write_kubeconfig(
            os.path.join(tmp, "expired.yaml"), other.server,
            {"token": "tok"}, {"certificate-authority": other.ca})
        once_fails(ocfg, "server started with an expired certificate",
                   ["certificate has expired", other.server])
    finally:
        other.cleanup()


def restart(api, tmp, d):
    api.op("add", object=pod("before-kill"))
    d.converge(api, "before the kill")
    only_get(api, "before the kill")
    port = api.info["port"]
    api.kill()
    # A new server on the same port, whose history the client's
    # resourceVersion cannot reach (410): the client must relist and drop
    # what the new server does not have.
    api = harness.KubeAPI(tmp, args=SERVER_ARGS + [
        "--port", str(port), "--rv-start", "50000"])
    api.op("add", object=pod("after-restart"))
    d.converge(api, "server killed mid-watch, back on the same port")
    check(not any("before-kill" in x for x in d.dump()),
          "objects gone with the old server are gone")
    only_get(api, "after the restart")
    return api


def main():
    tmp = tempfile.mkdtemp(prefix="kube-faults-")
    api = harness.KubeAPI(tmp, args=SERVER_ARGS)
    d = None
    try:
        cfg = harness.write_kubeconfig(os.path.join(tmp, "kc.yaml"),
                                       api.server, {"token": "tok"},
                                       {"certificate-authority": api.ca})
        d = Driver(cfg, env=ENV)
        d.converge(api, "initial state")
        slow(api, cfg, d)
        truncated(api, cfg, d)
        garbage(api, cfg, d)
        tls(api, cfg, d, tmp)
        ahead(api, cfg, d)
        api = restart(api, tmp, d)
        check(d.stats()["conn"] == "2" or d.wait(
            lambda d: d.stats()["conn"] == "2"), "connection live at the end")
    finally:
        if d is not None:
            d.quit()
        api.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return exit_code()


if __name__ == "__main__":
    sys.exit(main())
