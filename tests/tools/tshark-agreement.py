#!/usr/bin/env python3
"""How far k8snet-top agrees with tshark (two passes, -2) on every
capture in a folder: DNS queries (name, type, time), their rcodes and
answer counts, HTTP requests (method, Host, path) and their statuses,
each as transactions both decode alike out of those tshark decodes (and
how many k8snet-top decodes), for one binary or two side by side (say,
before and after a change). Reuses the comparison of
tests/capture/test_tshark.py.

usage: tshark-agreement.py [--dir DIR] BIN [BIN2]
       (DIR defaults to tests/data/pcap)"""
import argparse
import collections
import glob
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "capture"))
import test_tshark as tt  # noqa: E402

# metric -> (kind, projection of a transaction tuple, or None: whole)
METRICS = (
    ("dns-q", "dns", lambda k: (k[0], k[1], k[4])),
    ("rcode", "dns", lambda k: (k[0], k[1], k[2], k[4])),
    ("answers", "dns", None),
    ("http-req", "http", lambda k: k[:3] if k[0] is not None else None),
    ("status", "http", None),
)


def project(counter, fn):
    out = collections.Counter()
    for k, n in counter.items():
        p = fn(k) if fn else k
        if p is not None:
            out[p] += n
    return out


def agreement(bin_, pcap, theirs):
    tt.BIN = bin_
    try:
        d, h, _ = tt.ours(pcap)
    except Exception as e:  # a binary that refuses the file
        print("  %s: %s" % (os.path.basename(pcap), e), file=sys.stderr)
        d, h = collections.Counter(), collections.Counter()
    mine = {"dns": d, "http": h}
    row = []
    for _, kind, fn in METRICS:
        a, b = project(mine[kind], fn), project(theirs[kind], fn)
        row.append((sum((a & b).values()), sum(b.values()),
                    sum(a.values())))
    return row


def cell(m):
    agree, theirs, mine = m
    return "%d/%d" % (agree, theirs) + ("+%d" % (mine - agree)
                                        if mine > agree else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=os.path.join(HERE, "..", "data",
                                                  "pcap"))
    ap.add_argument("bins", nargs="+")
    a = ap.parse_args()
    tt.QTYPES = tt.qtypes()
    pcaps = sorted(glob.glob(os.path.join(a.dir, "*.pcap")) +
                   glob.glob(os.path.join(a.dir, "*.pcapng")))
    heads = [m[0] for m in METRICS]
    print("agreed/tshark's (+ only k8snet-top's); binaries: %s" %
          ", ".join(a.bins))
    print("%-22s " % "capture" + " | ".join(
        " ".join("%-9s" % h for h in heads) for _ in a.bins))
    totals = [[[0, 0, 0] for _ in METRICS] for _ in a.bins]
    for pcap in pcaps:
        theirs = {"dns": tt.tshark_dns(pcap), "http": tt.tshark_http(pcap)}
        cols = []
        for i, b in enumerate(a.bins):
            row = agreement(b, pcap, theirs)
            for j, m in enumerate(row):
                for k in range(3):
                    totals[i][j][k] += m[k]
            cols.append(" ".join("%-9s" % cell(m) for m in row))
        print("%-22s " % os.path.basename(pcap)[:22] + " | ".join(cols))
    print("%-22s " % "total" + " | ".join(
        " ".join("%-9s" % cell(m) for m in t) for t in totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
