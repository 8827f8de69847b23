#!/usr/bin/env python3
"""Live capture on a veth between two network namespaces: dnsmasq and
nginx serve, dig and curl ask, and k8snet-top --once -i captures for a
duration. Checks the transactions against what was sent, the names from
a snapshot whose pod IPs are the namespaces' addresses, the privilege
drop (uid after the handle is open), -w, and SIGINT ending a capture
early with its report. Root only (exit 77 otherwise)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testlib import sh  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "")
C, S = "knlive-c", "knlive-s"
CIP, SIP = "10.79.0.1", "10.79.0.2"
procs = []


def spawn(args):
    """A server in its own process group, not holding the test's output
    open (ctest waits for that pipe to close): nginx's worker would
    outlive a killed master and keep it open."""
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    procs.append(p)
    return p


def cleanup():
    for p in procs:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
    sh("ip", "netns", "del", C, check=False)
    sh("ip", "netns", "del", S, check=False)


def setup(work):
    cleanup()
    sh("ip", "netns", "add", C)
    sh("ip", "netns", "add", S)
    sh("ip", "link", "add", "knl-c", "netns", C, "type", "veth", "peer",
       "name", "knl-s", "netns", S)
    for ns, dev, ip in ((C, "knl-c", CIP), (S, "knl-s", SIP)):
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", dev)
        sh("ip", "-n", ns, "link", "set", dev, "up")
    spawn(
        ["ip", "netns", "exec", S, "dnsmasq", "--keep-in-foreground",
         "--no-resolv", "--no-hosts", "--bind-interfaces",
         "--listen-address=" + SIP, "--except-interface=lo", "--user=root",
         "--pid-file=" + os.path.join(work, "dnsmasq.pid"),
         "--log-facility=/dev/null", "--local=/cluster.local/",
         "--host-record=web.default.svc.cluster.local,10.96.0.20"])
    os.chmod(work, 0o755)
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""worker_processes 1; daemon off; pid %s/nginx.pid;
error_log /dev/null; events { worker_connections 64; }
http { access_log off; server { listen %s:80;
location = / { return 200 "ok\\n"; }
location = /error { return 502 "bad\\n"; } } }
""" % (work, SIP))
    spawn(["ip", "netns", "exec", S, "nginx", "-c", conf, "-p", work])
    snap = os.path.join(work, "snap.json")
    with open(snap, "w") as f:
        json.dump({"apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "client", "namespace": "shop",
                          "uid": "u1"},
             "spec": {"nodeName": "n1", "containers": [{"name": "c"}]},
             "status": {"phase": "Running", "podIP": CIP,
                        "podIPs": [{"ip": CIP}]}},
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "server", "namespace": "shop",
                          "uid": "u2"},
             "spec": {"nodeName": "n1", "containers": [{"name": "c"}]},
             "status": {"phase": "Running", "podIP": SIP,
                        "podIPs": [{"ip": SIP}]}}]}, f)
    wait_port(S, SIP, 80)
    wait_port(S, SIP, 53)
    return snap


def wait_port(ns, ip, port):
    for _ in range(100):
        out = sh("ip", "netns", "exec", ns, "ss", "-ltnH").stdout
        if "%s:%d" % (ip, port) in out:
            return
        time.sleep(0.05)
    raise AssertionError("nothing listens on %s:%d" % (ip, port))


def traffic():
    cli = ("ip", "netns", "exec", C)
    sh(*cli, "dig", "+tries=1", "+time=2", "@" + SIP,
       "web.default.svc.cluster.local", "A")
    sh(*cli, "dig", "+tries=1", "+time=2", "@" + SIP,
       "missing.default.svc.cluster.local", "A")
    sh(*cli, "dig", "+tries=1", "+time=2", "+tcp", "@" + SIP,
       "web.default.svc.cluster.local", "A")
    sh(*cli, "curl", "-s", "-o", "/dev/null", "http://%s/" % SIP,
       "http://%s/error" % SIP, "http://%s/missing" % SIP)


def capture(args, work, send=True, stop=None):
    """Run the console in the server namespace; wait until its log says
    the capture is open, send the traffic, and collect its output."""
    log = os.path.join(work, "k8snet.log")
    if os.path.exists(log):
        os.unlink(log)
    p = subprocess.Popen(["ip", "netns", "exec", S, BIN, "--once", "-i",
                          "knl-s", "--pane", "traffic", "--log", log] +
                         args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    procs.append(p)
    deadline = time.monotonic() + 20
    while True:
        if os.path.exists(log) and "capture: live on" in open(log).read():
            break
        assert p.poll() is None, p.stderr.read()
        assert time.monotonic() < deadline, "capture never opened"
        time.sleep(0.05)
    if send:
        traffic()
    if stop is not None:
        p.send_signal(stop)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, (p.returncode, err)
    return out, open(log).read()


def check_jsonl(out):
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    dns = [l for l in lines if l["type"] == "dns"]
    http = [l for l in lines if l["type"] == "http"]
    got = sorted((d["qname"], d["rcode"], d["transport"]) for d in dns)
    assert got == sorted([
        ("web.default.svc.cluster.local", "NOERROR", "udp"),
        ("missing.default.svc.cluster.local", "NXDOMAIN", "udp"),
        ("web.default.svc.cluster.local", "NOERROR", "tcp")]), got
    for d in dns:
        assert d["client"]["ip"] == CIP and d["server"]["ip"] == SIP
        assert d["client"]["name"] == "shop/client", d
        assert d["server"]["name"] == "shop/server", d
        assert d["latency_ms"] is not None
    web = [d for d in dns if d["qname"].startswith("web")]
    assert all(d["answers"] == ["10.96.0.20"] for d in web), web
    got = sorted((h["method"], h["path"], h["status"]) for h in http)
    assert got == [("GET", "/", 200), ("GET", "/error", 502),
                   ("GET", "/missing", 404)], got
    for h in http:
        assert h["client"]["name"] == "shop/client"
        assert h["server"]["name"] == "shop/server"
        assert h["server"]["port"] == 80


def main():
    if os.geteuid() != 0:
        print("skip: needs root (network namespaces)")
        return 77
    for tool in ("ip", "dnsmasq", "nginx", "dig", "curl", "tcpdump"):
        if shutil.which(tool) is None:
            print("skip: %s missing" % tool)
            return 77
    work = tempfile.mkdtemp(prefix="k8snet-live-")
    try:
        snap = setup(work)
        # 1. jsonl with names, as the transactions complete; the process
        # runs as nobody once the handle is open.
        out, log = capture(["--snapshot", snap, "-o", "jsonl",
                            "--duration", "4s"], work)
        check_jsonl(out)
        uid = [l for l in log.splitlines() if "credentials after open: Uid"
               in l]
        assert uid and "\\t65534\\t" in uid[0], log
        print("ok   live jsonl, names, privilege drop (%s)" %
              uid[0].split("Uid:")[1].strip())
        # 2. -Z USER explicitly, json summary, -w readable by tcpdump.
        pcap = os.path.join(work, "out.pcap")
        out, log = capture(["-o", "json", "--duration", "4", "-Z", "daemon",
                            "-w", pcap], work)
        doc = json.loads(out)
        assert doc["pane"] == "traffic"
        assert doc["dns"]["queries"] == 3, doc["dns"]
        assert doc["http"]["requests"] == 3, doc["http"]
        assert "dropped privileges to daemon" in log, log
        rd = sh("tcpdump", "-nr", pcap)
        assert "web.default.svc.cluster.local" in rd.stdout, rd.stdout
        print("ok   json summary, -Z daemon, -w")
        # 3. No --duration: SIGINT ends it, and the report still prints.
        out, log = capture(["--snapshot", snap, "-o", "jsonl"], work,
                           stop=signal.SIGINT)
        check_jsonl(out)
        print("ok   SIGINT ends a capture with its report")
        # 4. The table report after SIGTERM.
        out, log = capture(["-o", "table"], work, stop=signal.SIGTERM)
        assert "DNS  queries 3" in out, out
        print("ok   SIGTERM, table")
        # 5. A refused capture says what to do (unprivileged user).
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534",
                            "--clear-groups", "--inh-caps=-all", BIN,
                            "--once", "-i", "lo", "--pane", "traffic",
                            "--duration", "1"], capture_output=True,
                           text=True)
        assert r.returncode == 1, r
        assert "setcap cap_net_raw,cap_net_admin=eip" in r.stderr, r.stderr
        assert "daemonset.yaml" in r.stderr, r.stderr
        print("ok   refusal explains root, setcap, DaemonSet")
    finally:
        cleanup()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
