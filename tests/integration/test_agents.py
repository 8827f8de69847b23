#!/usr/bin/env python3
"""Node agents read through the Kube-API, end to end. Three "nodes", each
a pair of network namespaces joined by a veth: dnsmasq and nginx serve
in one, dig and curl ask from the other, and a real `k8snet-top --agent`
captures in the server's namespace, its stdout the pod log that the test
Kube-API server serves (pods/log, follow, timestamps, sinceTime). The
console runs `--once --pane traffic --agents NS -o jsonl` meanwhile, and
the test cuts node-0's stream, kills node-1's agent (SIGKILL) and
restarts it in the same pod, and replaces node-2's pod.

Checks: every failing transaction (NXDOMAIN, HTTP 502) appears once,
with its node; the merged summaries count exactly what was sent; the
resumed stream repeated nothing; the node whose CNI configuration
differs is flagged; addresses are named from the cluster; the server
saw only GET. Root only (exit 77 otherwise); every process the test
starts is ended and checked, every namespace deleted."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "kubeapi"))
from testlib import check, exit_code, sh, wait_port  # noqa: E402
import harness  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "")
NS = "k8snet-top"
NODES = 3
procs = []


# Network namespaces are machine-global: their names carry the pid.
TAG = "knag%d" % os.getpid()


def cns(i):
    return "%s-c%d" % (TAG, i)


def sns(i):
    return "%s-s%d" % (TAG, i)


def cip(i):
    return "10.81.%d.1" % i


def sip(i):
    return "10.81.%d.2" % i


def spawn(args, stdout=subprocess.DEVNULL, env=None):
    """In its own process group, so the group can be ended whole."""
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=stdout,
                         stderr=subprocess.DEVNULL, start_new_session=True,
                         env=env)
    procs.append(p)
    return p


def end(p, sig=signal.SIGTERM, timeout=15):
    """End p's group and check that it ended."""
    try:
        os.killpg(p.pid, sig)
    except ProcessLookupError:
        pass
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    return p.poll() is not None


def cleanup():
    for p in procs:
        if p.poll() is None:
            end(p, signal.SIGKILL)
    for i in range(NODES):
        sh("ip", "netns", "del", cns(i), check=False)
        sh("ip", "netns", "del", sns(i), check=False)


def node_setup(i, work):
    """Namespaces, veth, dnsmasq and nginx of node i; its host root (a
    CNI configuration, node-2's differing, and proc/1 the server
    namespace's dnsmasq, so the agent's listeners are the node's)."""
    c, s = cns(i), sns(i)
    sh("ip", "netns", "add", c)
    sh("ip", "netns", "add", s)
    sh("ip", "link", "add", "knag%dc" % i, "netns", c, "type", "veth",
       "peer", "name", "knag%ds" % i, "netns", s)
    for ns, dev, ip in ((c, "knag%dc" % i, cip(i)),
                        (s, "knag%ds" % i, sip(i))):
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", dev)
        sh("ip", "-n", ns, "link", "set", dev, "up")
    d = os.path.join(work, "node%d" % i)
    os.makedirs(d)
    os.chmod(d, 0o755)
    dns = spawn(["ip", "netns", "exec", s, "dnsmasq", "--keep-in-foreground",
                 "--no-resolv", "--no-hosts", "--bind-interfaces",
                 "--listen-address=" + sip(i), "--except-interface=lo",
                 "--user=root", "--pid-file=" + os.path.join(d, "dns.pid"),
                 "--log-facility=/dev/null", "--local=/cluster.local/",
                 "--host-record=web.shop.svc.cluster.local,10.96.0.20"])
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write("""worker_processes 1; daemon off; pid %s/nginx.pid;
error_log /dev/null; events { worker_connections 64; }
http { access_log off; server { listen %s:80;
location = / { return 200 "ok\\n"; }
location = /error { return 502 "bad\\n"; } } }
""" % (d, sip(i)))
    spawn(["ip", "netns", "exec", s, "nginx", "-c", conf, "-p", d])
    wait_port(s, sip(i), 80)
    wait_port(s, sip(i), 53)
    root = os.path.join(d, "root")
    os.makedirs(os.path.join(root, "etc", "cni", "net.d"))
    os.makedirs(os.path.join(root, "proc"))
    os.symlink("/proc/%d" % dns.pid, os.path.join(root, "proc", "1"))
    plugin = "bridge" if i == 2 else "flannel"
    with open(os.path.join(root, "etc", "cni", "net.d",
                           "10-net.conflist"), "w") as f:
        json.dump({"cniVersion": "0.4.0", "name": "cbr0", "plugins": [
            {"type": plugin, "ipam": {"type": "host-local",
                                      "subnet": "10.81.0.0/16"}},
            {"type": "portmap", "capabilities": {"portMappings": True}}]},
            f)
    return root


def start_agent(i, root, path):
    """The agent of node i, capturing in the server namespace; its
    stdout is the pod's log file."""
    out = open(path, "wb")
    env = dict(os.environ, NODE_NAME="node-%d" % i)
    p = spawn(["ip", "netns", "exec", sns(i), BIN, "--agent",
               "--agent-interval", "1", "--host-root", root,
               "--log", path + ".diag"], stdout=out, env=env)
    out.close()
    return p


def lines_of(path):
    out = []
    try:
        with open(path) as f:
            for ln in f:
                if ln.endswith("\n"):
                    out.append(json.loads(ln))
    except FileNotFoundError:
        pass
    return out


def wait_for(what, pred, timeout=30):
    end_t = time.monotonic() + timeout
    while time.monotonic() < end_t:
        if pred():
            return True
        time.sleep(0.1)
    print("timed out waiting for " + what)
    return False


def agg_totals(paths):
    """Transactions an agent's agg lines counted, by protocol."""
    n = {"dns": 0, "http": 0}
    for p in paths:
        for ln in lines_of(p):
            if ln.get("k") == "agg" and ln["type"] in n:
                n[ln["type"]] += ln["n"]
    return n


def traffic(i, rnd):
    """Round rnd on node i: good and missing names, good and failing
    HTTP. Returns what was sent."""
    cli = ("ip", "netns", "exec", cns(i))
    good = 4 + i
    nx = ["nx%d-r%d-node%d.cluster.local" % (j, rnd, i) for j in range(3)]
    args = []
    for _ in range(good):
        args += ["web.shop.svc.cluster.local", "A"]
    for name in nx:
        args += [name, "A"]
    sh(*cli, "dig", "+tries=1", "+time=2", "@" + sip(i), *args)
    ok, bad = 3, 2
    urls = ["http://%s/" % sip(i)] * ok + ["http://%s/error" % sip(i)] * bad
    sh(*cli, "curl", "-s", "-o", "/dev/null", *sum((["-o", "/dev/null"]
                                                    for _ in urls[1:]), []),
       *urls, check=False)
    return {"dns": good + len(nx), "http": ok + bad, "nx": nx,
            "errors": bad}


def pod(name, node, ip=None, ns=NS, labels=None):
    o = {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": name, "namespace": ns, "uid": "u-" + name,
                      "labels": labels or {}},
         "spec": {"nodeName": node, "containers": [{"name": "k8snet-top"}]},
         "status": {"phase": "Running"}}
    if ip:
        o["status"]["podIP"] = ip
        o["status"]["podIPs"] = [{"ip": ip}]
    return o


AGENT = {"app.kubernetes.io/name": "k8snet-top"}


def missing(tools=()):
    """Why the agents' tests cannot run here, or None."""
    if os.geteuid() != 0 or not BIN:
        return "needs root and K8SNET_BIN"
    for tool in ("ip", "dnsmasq", "nginx", "dig", "curl") + tuple(tools):
        if shutil.which(tool) is None:
            return "no " + tool
    return None


def main():
    if missing():
        print("skip: " + missing())
        return 77
    work = tempfile.mkdtemp(prefix="knagents-")
    os.chmod(work, 0o755)
    api = None
    try:
        cleanup()
        roots = [node_setup(i, work) for i in range(NODES)]
        api = harness.KubeAPI(workdir=os.path.join(work, "api"), seed=None,
                              args=["--token", "t=tester"])
        objs = [{"apiVersion": "apps/v1", "kind": "DaemonSet",
                 "metadata": {"name": "k8snet-top", "namespace": NS,
                              "uid": "ds", "labels": AGENT},
                 "spec": {"selector": {"matchLabels": AGENT}}}]
        for i in range(NODES):
            objs.append({"apiVersion": "v1", "kind": "Node",
                         "metadata": {"name": "node-%d" % i,
                                      "uid": "n%d" % i}})
            objs.append(pod("agent-%d" % i, "node-%d" % i, labels=AGENT))
            objs.append(pod("client-%d" % i, "node-%d" % i, cip(i), "shop"))
            objs.append(pod("server-%d" % i, "node-%d" % i, sip(i), "shop"))
        api.op("add", objects=objs)
        logs = {i: [os.path.join(work, "agent-%d.log" % i)]
                for i in range(NODES)}
        agents = {}
        for i in range(NODES):
            agents[i] = start_agent(i, roots[i], logs[i][0])
            api.op("log_source", namespace=NS, pod="agent-%d" % i,
                   path=logs[i][0])
        check(wait_for("node lines", lambda: all(
            any(ln["k"] == "node" for ln in lines_of(logs[i][0]))
            for i in range(NODES))), "every agent wrote its node line")
        node0 = [ln for ln in lines_of(logs[0][0]) if ln["k"] == "node"][0]
        lis = {(x["proto"], x["ip"], x["port"]) for x in
               node0.get("listeners") or []}
        check({("udp", sip(0), 53), ("tcp", sip(0), 53),
               ("tcp", sip(0), 80)} <= lis,
              "node-0's node line lists its DNS and HTTP listeners (%s)" %
              sorted(lis))
        check(node0.get("node") == "node-0" and
              (node0.get("cni") or {}).get("plugin") == "flannel",
              "node-0's node line names the node and its CNI plugin")

        kc = harness.write_kubeconfig(os.path.join(work, "kc"), api.server,
                                      {"token": "t"},
                                      {"certificate-authority": api.ca})
        out_path = os.path.join(work, "console.jsonl")
        out = open(out_path, "wb")
        console = spawn([BIN, "--kubeconfig", kc, "--once", "--pane",
                         "traffic", "--agents", NS, "--duration", "120",
                         "-o", "jsonl", "--log",
                         os.path.join(work, "console.log")], stdout=out)
        out.close()
        check(wait_for("streams", lambda: sum(
            1 for e in api.log() if "/log?" in e["path"]) >= NODES),
            "the console follows every agent's log")

        sent = {i: {"dns": 0, "http": 0} for i in range(NODES)}
        failing = set()
        for rnd in range(2):
            if rnd == 1:
                # node-0: the stream cut mid-transfer, resumed
                api.op("log_cut", namespace=NS, pod="agent-0")
                # node-1: the agent killed once all it counted was
                # written, and restarted in the same pod
                end(agents[1], signal.SIGKILL)
                logs[1].append(os.path.join(work, "agent-1b.log"))
                api.op("log_source", namespace=NS, pod="agent-1",
                       path=logs[1][1], restart=True)
                agents[1] = start_agent(1, roots[1], logs[1][1])
                # node-2: the pod replaced (SIGTERM: its last interval
                # is written before it goes)
                check(end(agents[2]), "node-2's agent ended on SIGTERM")
                time.sleep(0.3)
                api.op("log_end", namespace=NS, pod="agent-2")
                api.op("delete", kind="Pod", namespace=NS, name="agent-2")
                logs[2].append(os.path.join(work, "agent-2b.log"))
                agents[2] = start_agent(2, roots[2], logs[2][1])
                api.op("add", objects=[pod("agent-2b", "node-2",
                                           labels=AGENT)])
                api.op("log_source", namespace=NS, pod="agent-2b",
                       path=logs[2][1])
                wait_for("restarted agents", lambda: all(
                    lines_of(logs[i][-1]) for i in (1, 2)))
            for i in range(NODES):
                s = traffic(i, rnd)
                sent[i]["dns"] += s["dns"]
                sent[i]["http"] += s["http"]
                failing |= {("node-%d" % i, "dns", n) for n in s["nx"]}
                failing |= {("node-%d" % i, "http", rnd, k)
                            for k in range(s["errors"])}
            # everything counted is in the logs (NXDOMAINs are held up
            # to 5 s to tell search-path tries from real ones)
            check(wait_for("summaries", lambda: all(
                agg_totals(logs[i]) == sent[i] for i in range(NODES)),
                timeout=20),
                "round %d: every agent summed what was sent" % rnd)

        for i in range(NODES):
            check(end(agents[i]), "node-%d's agent ended on SIGTERM" % i)
        time.sleep(0.3)
        for i in range(NODES):
            api.op("log_end", namespace=NS,
                   pod="agent-2b" if i == 2 else "agent-%d" % i)
        # the console has read every line once it printed every failure
        # and a moment for the summaries after them
        wait_for("console lines", lambda: len([
            ln for ln in lines_of(out_path)
            if ln.get("type") in ("dns", "http")]) >= len(failing),
            timeout=30)
        time.sleep(2)
        check(end(console, signal.SIGINT, timeout=30),
              "the console ended on SIGINT")
        check(console.returncode == 0,
              "the console exited 0 (%s)" % console.returncode)
        got = lines_of(out_path)

        txns = [ln for ln in got if ln.get("type") in ("dns", "http")]
        keys = []
        for t in txns:
            if t["type"] == "dns":
                keys.append((t.get("node"), "dns", t["qname"]))
        check(sorted(keys) == sorted(k for k in failing if k[1] == "dns"),
              "every NXDOMAIN appears once, with its node")
        errs = {}
        for t in txns:
            if t["type"] == "http":
                errs[t.get("node")] = errs.get(t.get("node"), 0) + 1
                check(t["status"] == 502 and t["path"] == "/error",
                      "an HTTP failure is the 502 of /error")
        check(errs == {"node-%d" % i: 4 for i in range(NODES)},
              "every HTTP 502 appears once per node (%s)" % errs)
        check(all(t["client"]["name"] and t["client"]["name"].startswith(
            "shop/client-") for t in txns),
            "clients are named from the cluster")

        sums = [ln for ln in got if ln.get("type") == "summary"]
        by_server = {}
        for s in sums:
            ip = (s["server"] or {}).get("ip")
            key = (ip, s["protocol"])
            by_server[key] = by_server.get(key, 0) + s["count"]
        for i in range(NODES):
            check(by_server.get((sip(i), "dns")) == sent[i]["dns"],
                  "node-%d: DNS summaries count %s of %d sent" %
                  (i, by_server.get((sip(i), "dns")), sent[i]["dns"]))
            check(by_server.get((sip(i), "http")) == sent[i]["http"],
                  "node-%d: HTTP summaries count %s of %d sent" %
                  (i, by_server.get((sip(i), "http")), sent[i]["http"]))
        nx_sum = sum(s["rcodes"].get("NXDOMAIN", 0) for s in sums
                     if s["protocol"] == "dns")
        check(nx_sum == len([k for k in failing if k[1] == "dns"]),
              "the summaries' NXDOMAINs are those sent")
        nodes = {ln["node"]: ln for ln in got if ln.get("type") == "agent"}
        check(sorted(nodes) == ["node-%d" % i for i in range(NODES)],
              "one agent line per node (%s)" % sorted(nodes))
        check(nodes.get("node-2", {}).get("cni_differs") is True and
              nodes.get("node-0", {}).get("cni_differs") is False,
              "node-2's different CNI configuration is flagged")
        check(all((n.get("listeners") or 0) >= 1 for n in nodes.values()),
              "every node reports its listeners")
        check(all(n.get("lost_lines") == 0 for n in nodes.values()),
              "no agent line was lost")
        check(nodes.get("node-1", {}).get("runs") == 2,
              "node-1's agent ran twice")
        check(nodes.get("node-0", {}).get("duplicates", 0) >= 1,
              "node-0's resumed stream repeated lines, and they were "
              "dropped (%s)" % nodes.get("node-0", {}).get("duplicates"))
        agg = [ln for ln in got if ln.get("type") == "agents"]
        check(len(agg) == 1 and agg[0]["dns"]["transactions"] ==
              sum(sent[i]["dns"] for i in range(NODES)),
              "the totals add up across nodes")
        check(len(agg) == 1 and agg[0]["resumes"] >= 1 and
              agg[0]["cuts"] >= 1,
              "a cut stream was resumed with sinceTime")
        # the Nodes pane: every node's facts from its agent
        r = subprocess.run([BIN, "--kubeconfig", kc, "--once", "--pane",
                            "nodes", "--agents", NS, "--probe", "none",
                            "-o", "json"], capture_output=True, text=True,
                           timeout=60)
        items = {it["name"]: it for it in json.loads(r.stdout)["items"]} \
            if r.returncode == 0 else {}
        ag = {n: (items.get(n) or {}).get("agent") or {} for n in
              ("node-0", "node-1", "node-2")}
        check(ag["node-2"].get("cniDiffers") is True and
              ag["node-0"].get("cniDiffers") is False and
              ag["node-1"].get("cniDiffers") is False,
              "the Nodes pane flags node-2's CNI configuration")
        check(any(x["protocol"] == "udp" and x["port"] == 53 and
                  x["address"] == sip(1)
                  for x in ag["node-1"].get("listeners", [])),
              "the Nodes pane lists node-1's UDP listener")
        reqs = api.log()
        check(any("sinceTime=" in e["path"] for e in reqs),
              "a resumed stream asked for sinceTime")
        check(any("/pods/agent-2b/log" in e["path"] for e in reqs),
              "the replaced pod's log is followed")
        check(harness.only_gets(api) == [], "the server saw only GET")
    finally:
        if api is not None:
            api.stop()
        cleanup()
        check(all(p.poll() is not None for p in procs),
              "every process the test started has ended")
        shutil.rmtree(work, ignore_errors=True)
    return exit_code()


if __name__ == "__main__":
    sys.exit(main())
