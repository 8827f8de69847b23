#!/usr/bin/env python3
"""A DNS query to a port nothing listens on, captured live: dig in one
network namespace asks the other over a veth, where nothing listens on
UDP 53, and gets an ICMP port unreachable. k8snet-top --once -i on the
server's side must show the query as refused ("error":
"port-unreachable", rcode null), count it in the report, and write the
ICMP to its -w file, where tshark must read the same query (id and
name) inside the ICMP error. Root only (exit 77 otherwise)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import nspair  # noqa: E402
from testlib import read_text  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "")
NAME = "refused.example"


def capture(pair, work, workers):
    """k8snet-top -i on the server's veth (workers decoding threads)
    while dig asks once."""
    out = open(os.path.join(work, "out"), "w+")
    err = open(os.path.join(work, "err"), "w+")
    log, pcap = os.path.join(work, "log"), os.path.join(work, "w.pcap")
    p = subprocess.Popen(["ip", "netns", "exec", pair.s, BIN, "--once",
                          "-i", pair.sdev, "--duration", "3", "--workers",
                          str(workers), "--pane", "traffic", "-o", "jsonl", "-w",
                          pcap, "--log", log], stdout=out, stderr=err,
                         env=dict(os.environ, HOME=work, KUBECONFIG=""),
                         start_new_session=True)
    try:
        nspair.wait_live(p, log, read_text)
        dig = subprocess.run(["ip", "netns", "exec", pair.c, "dig",
                              "@" + pair.sip, "+tries=1", "+timeout=1",
                              NAME, "A"], capture_output=True, text=True,
                             timeout=20)
        assert "refused" in dig.stdout + dig.stderr, dig
        rc = p.wait(20)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    assert p.poll() is not None
    out.seek(0)
    err.seek(0)
    text = out.read()
    assert rc == 0, (rc, err.read())
    return [json.loads(ln) for ln in text.splitlines() if ln.strip()], pcap


def report(pcap, fmt):
    return subprocess.run([BIN, "--once", "-r", pcap, "--pane", "traffic",
                           "-o", fmt], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def main():
    nspair.need_root()
    if not BIN or not os.access(BIN, os.X_OK):
        print("K8SNET_BIN is not set to the k8snet-top binary")
        return 1
    if shutil.which("dig") is None:
        print("skip: dig missing")
        return 77
    tag = os.getpid()
    pair = nspair.Pair("kn-icmp-%d" % tag, "kic%d" % (tag % 100000),
                       200 + tag % 50)
    work = tempfile.mkdtemp(prefix="k8snet-icmp-")
    try:
        # nothing may listen on the server's port 53: end the responder
        for proc in pair.procs:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        pair.procs = []
        # two decoding workers, as on any multi-core node: the ICMP
        # error must reach the worker of the query it quotes
        lines, pcap = capture(pair, work, 2)
        dns = [t for t in lines if t["type"] == "dns" and
               t["qname"] == NAME]
        assert len(dns) == 1, lines
        t = dns[0]
        assert t["error"] == "port-unreachable", t
        assert t["rcode"] is None and t["answers"] == [], t
        assert t["client"]["ip"] == pair.cip and \
            t["server"] == {"ip": pair.sip, "port": 53, "name": None}, t
        assert t["latency_ms"] is not None and t["latency_ms"] < 1000, t
        print("ok: the query is refused:", json.dumps(t)[:160])
        # the same from the file written, in the report's counts
        summary = json.loads(report(pcap, "json"))
        assert summary["dns"]["port_unreachable"] == 1, summary["dns"]
        assert summary["dns"]["unanswered"] == 0, summary["dns"]
        table = report(pcap, "table")
        assert "port unreachable 1" in table, table
        print("ok: the report counts it")
        if shutil.which("tshark") is None:
            print("skip: tshark missing, the ICMP not checked with it")
            return 0
        ts = subprocess.run(
            ["tshark", "-r", pcap, "-Y", "icmp.type == 3 && icmp.code == 3",
             "-T", "fields", "-e", "ip.src", "-e", "udp.srcport",
             "-e", "udp.dstport", "-e", "dns.id", "-e", "dns.qry.name"],
            capture_output=True, text=True, timeout=60, check=True)
        rows = [r.split("\t") for r in ts.stdout.splitlines() if r]
        assert len(rows) == 1, ts.stdout
        src, sport, dport, qid, qname = rows[0]
        assert src.split(",")[0] == pair.sip, rows
        assert sport == str(t["client"]["port"]) and dport == "53", rows
        assert int(qid, 16) == t["id"] and qname == NAME, (rows, t)
        print("ok: tshark reads query %s %s in the ICMP" % (qid, qname))
        return 0
    finally:
        pair.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
