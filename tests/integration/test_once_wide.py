#!/usr/bin/env python3
"""-o wide on the DNS and Traffic panes (--demo --once) adds columns to
what -o table prints: DNS records get the owner of their address and its
node, named in full; traffic gets a table of its transactions under the
summary, each with both ends' address:port and full names, the DNS id
and the HTTP sizes, agreeing with -o jsonl."""
import json
import os
import subprocess
import sys

BIN = os.environ.get("K8SNET_BIN", "")


def once(pane, fmt):
    return subprocess.run([BIN, "--demo", "--once", "--pane", pane, "-o",
                           fmt], check=True, capture_output=True,
                          text=True, timeout=60).stdout


def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)
    print("ok:", what.split("\n")[0][:100])


def test_dns():
    table, wide = once("dns", "table"), once("dns", "wide")
    check(table != wide, "dns: wide differs from table")
    head = [ln for ln in wide.splitlines() if ln.startswith("NAME ")]
    check(len(head) == 1 and head[0].split()[-2:] == ["OWNER", "NODE"],
          "dns: OWNER and NODE columns\n%s" % head)
    check("OWNER" not in table, "dns: no wide columns in -o table")
    row = [ln for ln in wide.splitlines()
           if ln.startswith("10-244-1-11.shop.pod.cluster.local.")]
    check(len(row) == 1 and row[0].split()[-3:] == [
        "pod", "shop/cart-7f7971ac60-82dcf", "demo-worker"],
        "dns: a pod record's owner and node in full\n%s" % row)


def test_traffic():
    table, wide = once("traffic", "table"), once("traffic", "wide")
    lines = [json.loads(ln) for ln in once("traffic", "jsonl").splitlines()]
    check(wide.startswith(table), "traffic: wide keeps the summary")
    rest = wide[len(table):].splitlines()
    check(rest[1] == "TRANSACTIONS %d" % len(lines),
          "traffic: one row per transaction\n%s" % rest[:2])
    cols = rest[2].split()
    check(cols == ["TIME", "TYPE", "CLIENT", "CLIENT-NAME", "SERVER",
                   "SERVER-NAME", "ID", "REQUEST", "RESULT", "LATENCY",
                   "REQ-BYTES", "RESP-BYTES"], "traffic: columns %s" % cols)
    rows = rest[3:]
    check(len(rows) == len(lines), "traffic: %d rows" % len(rows))
    for ln, row in zip(lines, rows):
        c = row.split()
        check(c[2] == "%s:%d" % (ln["client"]["ip"], ln["client"]["port"])
              and c[4] == "%s:%d" % (ln["server"]["ip"],
                                     ln["server"]["port"]),
              "traffic: addresses of %s" % row)
        check(c[3] == (ln["client"]["name"] or "<none>") and
              c[5] == (ln["server"]["name"] or "<none>"),
              "traffic: names in full of %s" % row)
        if ln["type"] == "dns":
            check(c[6] == str(ln["id"]), "traffic: DNS id of %s" % row)
        if ln["type"] == "http" and ln["status"] is not None:
            check(c[-2:] == [str(ln["req_bytes"]), str(ln["resp_bytes"])],
                  "traffic: HTTP sizes of %s" % row)


if __name__ == "__main__":
    if not BIN or not os.access(BIN, os.X_OK):
        print("K8SNET_BIN is not set to the k8snet-top binary")
        sys.exit(1)
    test_dns()
    test_traffic()
