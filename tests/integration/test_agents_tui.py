#!/usr/bin/env python3
"""The node agents in the interactive console, in tmux. Three "nodes" as
in test_agents.py (a real `k8snet-top --agent` each, capturing dig and
curl traffic in its own network namespaces, its stdout the pod log the
test Kube-API server serves), the agents' DaemonSet selecting its pods
by a label of its own (a pod with only the well-known label is not an
agent). The console runs with `--agents NS` and, in a second session,
finds the DaemonSet by its label.

Checks: the header counts the agents (agents 3/3), follows a pod added
for a new node and its deletion within seconds; the Traffic pane shows
every node's failures with their NODE, DNS by name and HTTP by service
counted from the agents' summaries (every transaction, not only the
failures sent in full), and each agent's state in its agents view; found
by the DaemonSet's label, the Traffic pane opens on the agents'
transactions, not the interface picker; the Nodes pane shows each node's
agent (listeners, the differing CNI configuration flagged) and its
details list the listeners; the server saw only GET. Root only (exit 77
otherwise); a new selector written to the DaemonSet is followed at once.
Every process the test starts is ended and checked, every namespace
deleted."""
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
sys.path.insert(0, os.path.join(HERE, "kubeapi"))
from testlib import check, exit_code  # noqa: E402
import harness  # noqa: E402
import test_agents as ag  # noqa: E402
from tuiharness import Session, expect_clean_exit  # noqa: E402

NS = ag.NS
SELECT = {"k8snet-top.example/agent": "node"}
DS_LABELS = {"app.kubernetes.io/name": "k8snet-top"}


def objects():
    objs = [{"apiVersion": "apps/v1", "kind": "DaemonSet",
             "metadata": {"name": "k8snet-top", "namespace": NS,
                          "uid": "ds", "labels": DS_LABELS},
             "spec": {"selector": {"matchLabels": SELECT}}},
            # the well-known label alone does not make an agent
            ag.pod("decoy", "node-0", labels=dict(DS_LABELS))]
    for i in range(ag.NODES):
        objs.append({"apiVersion": "v1", "kind": "Node",
                     "metadata": {"name": "node-%d" % i, "uid": "n%d" % i},
                     "status": {"addresses": [
                         {"type": "InternalIP", "address": ag.sip(i)}]}})
        objs.append(ag.pod("agent-%d" % i, "node-%d" % i,
                           labels=dict(SELECT, **DS_LABELS)))
        objs.append(ag.pod("client-%d" % i, "node-%d" % i, ag.cip(i),
                           "shop"))
        objs.append(ag.pod("server-%d" % i, "node-%d" % i, ag.sip(i),
                           "shop"))
    return objs


def wait_row(s, first, ok, timeout=20):
    """The cells of the screen row that starts with first once ok(cells)
    holds; None at the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for ln in s.screen().splitlines():
            cells = ln.split()
            if cells and cells[0] == first and ok(cells):
                return cells
        time.sleep(0.2)
    return None


def main():
    if ag.missing(("tmux",)):
        print("skip: " + ag.missing(("tmux",)))
        return 77
    work = tempfile.mkdtemp(prefix="knagtui-")
    os.chmod(work, 0o755)
    api = None
    try:
        ag.cleanup()
        roots = [ag.node_setup(i, work) for i in range(ag.NODES)]
        api = harness.KubeAPI(workdir=os.path.join(work, "api"), seed=None,
                              args=["--token", "t=tester"])
        api.op("add", objects=objects())
        logs = [os.path.join(work, "agent-%d.log" % i)
                for i in range(ag.NODES)]
        agents = [ag.start_agent(i, roots[i], logs[i])
                  for i in range(ag.NODES)]
        for i in range(ag.NODES):
            api.op("log_source", namespace=NS, pod="agent-%d" % i,
                   path=logs[i])
        api.op("log_source", namespace=NS, pod="decoy",
               path=os.path.join(work, "decoy.log"))
        check(ag.wait_for("node lines", lambda: all(
            any(ln["k"] == "node" for ln in ag.lines_of(logs[i]))
            for i in range(ag.NODES))), "every agent wrote its node line")
        kc = harness.write_kubeconfig(os.path.join(work, "kc"), api.server,
                                      {"token": "t"},
                                      {"certificate-authority": api.ca})
        base = ["--kubeconfig", kc, "--probe", "none"]
        with Session(base + ["--agents", NS, "--pane", "traffic", "--log",
                             os.path.join(work, "tui.log")],
                     cols=200, rows=40) as s:
            s.wait_for("agents 3/3", timeout=30)
            check("agents 4/4" not in s.screen(),
                  "the decoy pod is not read as an agent")
            check("e:agents" in s.screen(),
                  "the Traffic bar offers the agents view")
            for i in range(ag.NODES):
                ag.traffic(i, 0)
            # NXDOMAINs wait up to 5 s (search-path tries)
            s.wait_for("NXDOMAIN", timeout=30)
            scr = s.wait_for("node-2", timeout=30)
            for i in range(ag.NODES):
                scr = s.wait_for("node-%d" % i, timeout=20)
            check("NODE" in scr, "the Traffic pane has a NODE column")
            check("shop/client-0" in scr,
                  "clients are named from the cluster")
            s.keys("h")
            scr = s.wait_for("/error", timeout=20)
            check(all("node-%d" % i in scr for i in range(ag.NODES)),
                  "HTTP failures of every node, with their node")

            # by name and by service from the agents' summaries: every
            # transaction they counted, not only the failures in full
            s.keys("n")
            scr = s.wait_for("agents' summaries", timeout=20)
            check("P50" in scr and "P90" in scr and "P99" in scr,
                  "DNS by name shows p50, p90 and p99")
            good = sum(4 + i for i in range(ag.NODES))
            row = wait_row(s, "web.shop.svc.cluster.local",
                           lambda c: c[1] == str(good))
            check(row is not None or print(s.screen()),
                  "DNS by name counts the %d good queries of every node"
                  % good)
            row = wait_row(s, "nx1-r0-node2.cluster.local",
                           lambda c: c[1:3] == ["1", "1"])
            check(row is not None, "a missing name: 1 query, 1 NXDOMAIN")
            s.keys("b")
            for i in range(ag.NODES):
                # REQ REQ/S 2XX 3XX 4XX 5XX NORESP
                row = wait_row(s, "shop/server-%d" % i,
                               lambda c: c[1] == "5" and c[3:7] ==
                               ["3", "0", "0", "2"])
                check(row is not None or print(s.screen()),
                      "HTTP by service: server-%d's 5 requests, 3 OK and "
                      "2 errors" % i)
            s.keys("e")
            s.wait_for("LEFT-OUT", timeout=10)
            for i in range(ag.NODES):
                row = wait_row(s, "node-%d" % i,
                               lambda c: c[1] == "streaming" and
                               int(c[2]) > 0 and c[4] == "0")
                check(row is not None or print(s.screen()),
                      "the agents view: node-%d streams, with lines and "
                      "no drops" % i)
            s.keys("a")

            # a node added: its agent pod is followed within seconds
            extra = os.path.join(work, "agent-3.log")
            node3 = dict(json.loads(open(logs[0]).readline()))
            node3["node"] = "node-3"
            with open(extra, "w") as f:
                f.write(json.dumps(node3) + "\n")
            api.op("add", objects=[ag.pod("agent-3", "node-3",
                                          labels=dict(SELECT))])
            api.op("log_source", namespace=NS, pod="agent-3", path=extra)
            s.wait_for("agents 4/4", timeout=10)
            api.op("log_end", namespace=NS, pod="agent-3")
            api.op("delete", kind="Pod", namespace=NS, name="agent-3")
            s.wait_for("agents 3/3", timeout=15)

            s.keys("5")
            scr = s.wait_for("CNI differs", timeout=20)
            rows = {ln.split()[0]: ln for ln in scr.splitlines()
                    if ln.strip().startswith("node-")}
            check("AGENT" in scr, "the Nodes pane has an AGENT column")
            check("CNI differs" in rows.get("node-2", "") and
                  "CNI differs" not in rows.get("node-0", "") and
                  "listeners" in rows.get("node-0", ""),
                  "node-2's different CNI configuration is flagged "
                  "(%s)" % rows)
            s.keys("/", "node-1", "Enter", "Enter")
            scr = s.wait_for("Node agent", timeout=10)
            check("udp  %s:53" % ag.sip(1) in scr,
                  "node-1's details list its UDP DNS listener")
            check("flannel" in scr, "node-1's details name its CNI plugin")
            s.keys("Escape")

            # the DaemonSet's selector changes: its pods are followed anew
            ds = objects()[0]
            other = {"k8snet-top.example/agent": "v2"}
            ds["spec"]["selector"] = {"matchLabels": other}
            api.op("modify", objects=[ds])
            s.wait_for("agents 0/0", timeout=15)
            api.op("add", objects=[ag.pod("agent-v2", "node-0",
                                          labels=other)])
            api.op("log_source", namespace=NS, pod="agent-v2",
                   path=logs[0])
            s.wait_for("agents 1/1", timeout=15)
            api.op("modify", objects=[objects()[0]])
            s.wait_for("agents 3/3", timeout=15)
            s.keys("q")
            expect_clean_exit(s)

        # found by the DaemonSet's label, without --agents
        with Session(base + ["--pane", "nodes", "--log",
                             os.path.join(work, "tui2.log")],
                     cols=200, rows=40) as s:
            s.wait_for("agents 3/3", timeout=30)
            s.wait_for("CNI differs", timeout=20)
            # no capture of its own: Traffic shows the agents' rows, not
            # the interface picker it would open on
            s.keys("6")
            scr = s.wait_for("/error", timeout=20)
            check("INTERFACE" not in scr and "node-1" in scr,
                  "Traffic opens on the agents' transactions")
            s.keys("q")
            expect_clean_exit(s)

        for i in range(ag.NODES):
            check(ag.end(agents[i]), "node-%d's agent ended" % i)
        reqs = api.log()
        check(any("labelSelector=k8snet-top.example" in e["path"] and
                  "/pods" in e["path"] for e in reqs),
              "the pods are watched with the DaemonSet's selector")
        check(not any("/pods/decoy/log" in e["path"] for e in reqs),
              "the decoy's log is never read")
        check(harness.only_gets(api) == [], "the server saw only GET")
    finally:
        if api is not None:
            api.stop()
        ag.cleanup()
        check(all(p.poll() is not None for p in ag.procs),
              "every process the test started has ended")
        shutil.rmtree(work, ignore_errors=True)
    return exit_code()


if __name__ == "__main__":
    sys.exit(main())
