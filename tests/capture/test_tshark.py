#!/usr/bin/env python3
"""Agreement with tshark: for every test pcap, the multiset of DNS
transactions (qname, qtype, rcode, answer count, the query's time to the
microsecond) and HTTP transactions (method, host, URI, status; responses
without a captured request as status alone) k8snet-top decodes must
equal what tshark decodes from the same file (two passes, -2, as IP
fragments and TCP segments are reassembled), but for the differences
listed in KNOWN, which must be exactly those. Exit 77 (skip) without
tshark."""
import collections, glob, json, os, shutil, subprocess, sys

SRC = os.environ.get("K8SNET_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("K8SNET_BIN", "k8snet-top")
PATH_MAX, HOST_MAX = 4095, 255  # KN_TXN_PATH - 1, KN_TXN_HOST - 1
RCODES = {"NOERROR": 0, "FORMERR": 1, "SERVFAIL": 2, "NXDOMAIN": 3,
          "NOTIMP": 4, "REFUSED": 5, "YXDOMAIN": 6, "YXRRSET": 7,
          "NXRRSET": 8, "NOTAUTH": 9, "NOTZONE": 10, "DSOTYPENI": 11,
          "BADVERS": 16, "BADKEY": 17, "BADTIME": 18, "BADMODE": 19,
          "BADNAME": 20, "BADALG": 21, "BADTRUNC": 22, "BADCOOKIE": 23}
# Types IANA assigned after tshark 4.0's table.
NEWER_TYPES = {"SMIMEA": 53, "NINFO": 56, "DSYNC": 66, "HHIT": 67,
               "BRID": 68, "NXNAME": 128, "AVC": 258, "DOA": 259,
               "AMTRELAY": 260, "RESINFO": 261, "WALLET": 262, "CLA": 263,
               "IPN": 264}


# Where k8snet-top decodes differently on purpose, per file and kind:
# (transactions only k8snet-top has, only tshark has), and why.
KNOWN = {
    # An answer with a fragment repeated with other bytes: dropped (RFC
    # 5722 for IPv6; the same rule for IPv4), counted in
    # fragments_dropped; tshark reassembles it from the first copy.
    ("frag.pcap", "dns"): (
        {("overlap.example.org", 1, None, 0, "1700000600.005400"): 1},
        {("overlap.example.org", 1, 0, 120, "1700000600.005400"): 1}),
    # DNS over TCP after a lost segment: k8snet-top finds the stream
    # again at the next message; tshark decodes no more answers on it.
    ("dns-tcp-gap.pcap", "dns"): (
        {("three.example.org", 1, 3, 0, "1700000700.002800"): 1,
         ("four.example.org", 28, 0, 1, "1700000700.003600"): 1},
        {("three.example.org", 1, None, 0, "1700000700.002800"): 1,
         ("four.example.org", 28, None, 0, "1700000700.003600"): 1}),
}


def qtypes():
    """Type mnemonic -> number from tshark's own table (the first word of
    each dns.qry.type value; "*" is ANY), so the names k8snet-top prints
    are checked against tshark's, plus the types assigned since."""
    out = subprocess.run(["tshark", "-G", "values"], check=True,
                         capture_output=True, text=True).stdout
    names = dict(NEWER_TYPES)
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) >= 4 and f[0] == "V" and f[1] == "dns.qry.type":
            word = f[3].split(" ")[0]
            if word not in ("Unused", "WINS", "WINS-R", "XPF"):
                names["ANY" if word == "*" else word] = int(f[2])
    return names


def tshark(pcap, display, fields, occurrence="l"):
    cmd = ["tshark", "-n", "-2", "-r", pcap, "-Y", display, "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=" + occurrence,
           "-E", "aggregator=\x1f"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def tshark_dns(pcap):
    rows = tshark(pcap, "dns", ["dns.id", "dns.flags.response", "dns.qry.name",
                                "dns.qry.type", "dns.flags.rcode",
                                "dns.count.answers", "ip.src", "ipv6.src",
                                "ip.dst", "ipv6.dst", "udp.srcport",
                                "tcp.srcport", "udp.dstport", "tcp.dstport",
                                "frame.time_epoch", "dns.resp.ext_rcode"])
    queries, answered = {}, {}
    for r in rows:
        (qid, resp, qname, qtype, rcode, an, s4, s6, d4, d6,
         us, ts, ud, td, when, ext) = (r + [""] * 16)[:16]
        if ext and rcode:  # RFC 6891 6.1.3: the OPT record's upper 8 bits
            rcode = str(int(ext, 0) << 4 | int(rcode))
        src, dst = s4 or s6, d4 or d6
        # Inner transport wins (VXLAN carries TCP DNS inside outer UDP).
        sport, dport = (ts, td) if ts else (us, ud)
        if qname == "<Root>":
            qname = "."
        if resp in ("0", "False"):
            key = (src, sport, dst, dport, qid, qname.lower(), qtype)
            queries.setdefault(key, (qname.lower(), int(qtype),
                                     epoch_us(when)))
        else:
            key = (dst, dport, src, sport, qid, qname.lower(), qtype)
            answered.setdefault(key, (int(rcode), int(an)))
    out = collections.Counter()
    for key, (qname, qtype, when) in queries.items():
        rc, an = answered.get(key, (None, 0))
        out[(qname, qtype, rc, an, when)] += 1
    return out


def epoch_us(text):
    """tshark's frame.time_epoch ("S.NNNNNNNNN") as our ts ("S.UUUUUU"),
    exact: no float, so times past 2^31 and 2^32 compare as text."""
    sec, _, frac = text.partition(".")
    return "%s.%s" % (sec, (frac + "000000")[:6])


def tshark_http(pcap):
    """tshark decodes each request and response PDU and links a response
    to its request (http.request_in, http.response_for.uri): that link is
    taken, so a response tshark could not decode (a segment lost from the
    capture) leaves its request without a status instead of shifting the
    rest. For pipelined requests in one frame tshark links every
    response to the frame (naming the last URI) or leaves the second
    unlinked: those are paired in order (RFC 9112 9.3) with the frame's
    requests still waiting. A response with no request to pair answered
    one that was not captured: it counts as (None, None, None, status).
    """
    # Pipelined requests (or responses) share a frame: with occurrence=a
    # tshark lists each PDU's value, in order, joined by the aggregator.
    reqs = tshark(pcap, "http.request",
                  ["tcp.stream", "frame.number", "http.request.method",
                   "http.host", "http.request.uri"], "a")
    resps = tshark(pcap, "http.response",
                   ["tcp.stream", "frame.number", "http.response.code",
                    "http.request_in", "http.response_for.uri"], "a")
    waiting = collections.defaultdict(list)  # stream -> request records
    for r in reqs:
        stream, frame, method, host, uri = (r + [""] * 5)[:5]
        stream, frame = stream.split("\x1f")[0], int(frame.split("\x1f")[0])
        methods, uris = method.split("\x1f"), uri.split("\x1f")
        hosts = host.split("\x1f") if host else [""] * len(methods)
        for i, m in enumerate(methods):
            waiting[stream].append({
                "frame": frame, "several": len(methods) > 1, "code": None,
                "key": (m, hosts[i] if i < len(hosts) else "", uris[i])})
    out = collections.Counter()
    for r in resps:
        stream, frame, code, req_in, for_uri = (r + [""] * 5)[:5]
        stream, frame = stream.split("\x1f")[0], int(frame.split("\x1f")[0])
        codes = [int(c) for c in code.split("\x1f") if c]
        links = req_in.split("\x1f") if req_in else []
        uris = for_uri.split("\x1f") if for_uri else []
        linked = len(links) == len(codes) and len(uris) == len(codes)
        for i, c in enumerate(codes):
            # 1xx responses are interim: the final one follows.
            if 100 <= c < 200 and c != 101:
                continue
            req = None
            if linked:
                # a link into a frame of several requests names the
                # last one's URI: those are answered in order
                same = [q for q in waiting[stream] if q["code"] is None
                        and q["frame"] == int(links[i])]
                req = same[0] if same and same[0]["several"] else next(
                    (q for q in same if uris[i].endswith(q["key"][2])),
                    None)
            if req is None:
                req = next((q for q in waiting[stream]
                            if q["code"] is None and q["several"] and
                            q["frame"] < frame), None)
            if req is None:
                out[(None, None, None, c)] += 1
            else:
                req["code"] = c
    for reqs_of in waiting.values():
        for q in reqs_of:
            m, host, uri = q["key"]
            # what k8snet-top keeps of them (longer ones are marked cut)
            out[(m, host[:HOST_MAX], uri[:PATH_MAX], q["code"])] += 1
    return out


def ours(pcap):
    out = subprocess.run([BIN, "--once", "--pane", "traffic", "-r", pcap,
                          "-o", "jsonl"], check=True, capture_output=True,
                         text=True).stdout
    dns, http = collections.Counter(), collections.Counter()
    bad = []
    for line in out.splitlines():
        # ts as printed, not as a float (which would round it)
        when = line.split('"ts":', 1)[1].split(",", 1)[0]
        t = json.loads(line)
        if t["type"] == "dns":
            qt = t["qtype"] if isinstance(t["qtype"], int) else \
                QTYPES[t["qtype"]]
            rc = t["rcode"]
            if isinstance(rc, str):
                rc = RCODES[rc]
            dns[(t["qname"].lower(), qt, rc,
                 t["ancount"] if rc is not None else 0, when)] += 1
            if rc is not None and len(t["answers"]) != t["ancount"] and \
                    not t["answers_cut"]:
                bad.append("%s: %d answers of %d listed, not marked cut"
                           % (t["qname"], len(t["answers"]), t["ancount"]))
        elif t["type"] == "http" and t["method"] is None:
            # a response whose request was not captured
            http[(None, None, None, t["status"])] += 1
        elif t["type"] == "http":
            http[(t["method"], t["host"] or "", t["path"], t["status"])] += 1
            for key, size in (("path", PATH_MAX), ("host", HOST_MAX)):
                if (len((t[key] or "").encode()) == size) != \
                        t[key + "_cut"]:
                    bad.append("%s %s: %s_cut is %s" % (
                        t["method"], t["path"][:40], key, t[key + "_cut"]))
    return dns, http, bad


def main():
    global QTYPES
    if shutil.which("tshark") is None:
        print("SKIP: tshark is not installed")
        return 77
    QTYPES = qtypes()
    pdir = os.environ.get("K8SNET_PCAP_DIR",
                          os.path.join(SRC, "tests", "data", "pcap"))
    pcaps = sorted(glob.glob(os.path.join(pdir, "*.pcap")) +
                   glob.glob(os.path.join(pdir, "*.pcapng")))
    if not pcaps:
        print("no test pcaps")
        return 1
    failed = 0
    for pcap in pcaps:
        d, h, bad = ours(pcap)
        td, th = tshark_dns(pcap), tshark_http(pcap)
        name = os.path.basename(pcap)
        for b in bad:
            failed += 1
            print(f"FAIL {name}: {b}")
        for what, a, b in (("dns", d, td), ("http", h, th)):
            only_a, only_b = KNOWN.get((name, what), ({}, {}))
            if a - b == collections.Counter(only_a) and \
                    b - a == collections.Counter(only_b) and only_a:
                print(f"ok   {name} {what}: {sum(a.values())} transactions"
                      f", {sum(only_a.values())} differing as known")
                continue
            if a != b:
                failed += 1
                print(f"FAIL {name} {what}:")
                print("  only k8snet-top:", sorted((a - b).items(), key=str))
                print("  only tshark:   ", sorted((b - a).items(), key=str))
            else:
                print(f"ok   {name} {what}: {sum(a.values())} transactions")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
