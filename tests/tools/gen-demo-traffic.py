#!/usr/bin/env python3
"""Write src/embed/demo-traffic.pcap: DNS, HTTP and TLS between the demo
cluster's pods and services (addresses read from demo-cluster.json), as a
node's capture would show them: search-path NXDOMAIN expansions, a real
NXDOMAIN, a SERVFAIL, a slow and an unanswered query, HTTP 200/404/502
through the ingress controller, TLS SNI, and connections to a service
port without endpoints that kube-proxy rejects (ICMP port unreachable).
Deterministic (seeded); python3 standard library only. The console
replays it in a loop with its timing.

It follows the demo cluster's own rules (tests/e2e/test_demo_traffic.py
checks them): pods resolve with the kubelet's resolv.conf (search
NS.svc.cluster.local svc.cluster.local cluster.local, ndots:5), so a
name with fewer than 5 dots is tried with each suffix first, up to the
first answer that is not NXDOMAIN; what reaches the ingress controller
is routed by an Ingress rule (host and path) to the service that the
controller's own request upstream reaches (the shop Ingress proxies to
the service's ClusterIP: nginx.ingress.kubernetes.io/service-upstream).

usage: gen-demo-traffic.py [OUT.pcap] [demo-cluster.json]
"""
import json
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapgen import csum  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..", "src", "embed")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    SRC, "demo-traffic.pcap")
CLUSTER = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    SRC, "demo-cluster.json")
SPAN = 20.0  # seconds of traffic per round of the loop


def load_cluster(path):
    pods, svcs, nodes = {}, {}, {}
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    for it in doc["items"]:
        m = it["metadata"]
        key = "%s/%s" % (m.get("namespace", ""), m["name"])
        if it["kind"] == "Pod" and not it["spec"].get("hostNetwork"):
            ip = it.get("status", {}).get("podIP")
            if ip:
                pods[key] = ip
                nodes[ip] = it["status"].get("hostIP")
        elif it["kind"] == "Service":
            ip = it["spec"].get("clusterIP")
            if ip and ip != "None":
                svcs[key] = ip
    return pods, svcs, nodes


def pod(pods, prefix):
    for k in sorted(pods):
        if k.startswith(prefix):
            return pods[k]
    raise SystemExit("demo cluster has no pod %s*" % prefix)


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def mac(ip):
    return b"\x02\x42" + ip4(ip)


class Pcap:
    def __init__(self):
        self.pkts = []
        self.ipid = 1

    def ip(self, t, src, dst, proto, l4):
        self.ipid = (self.ipid + 1) & 0xffff
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), self.ipid,
                          0x4000, 64, proto, 0, ip4(src), ip4(dst))
        hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
        frame = mac(dst) + mac(src) + b"\x08\x00" + hdr + l4
        self.pkts.append((t, frame))

    def udp(self, t, src, sport, dst, dport, payload):
        ln = 8 + len(payload)
        ph = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, ln)
        u = struct.pack("!HHHH", sport, dport, ln, 0) + payload
        c = csum(ph + u) or 0xffff
        self.ip(t, src, dst, 17, u[:6] + struct.pack("!H", c) + u[8:])

    def tcp(self, t, src, sport, dst, dport, seq, ack, flags, payload=b""):
        h = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff,
                        ack & 0xffffffff, 5 << 4, flags, 64240, 0, 0)
        ph = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6,
                                               len(h) + len(payload))
        c = csum(ph + h + payload)
        self.ip(t, src, dst, 6, h[:16] + struct.pack("!H", c) + h[18:]
                + payload)

    def icmp_unreach(self, t, src, quoted, code=3):
        """ICMP destination unreachable (type 3, code 3: port) from src to
        the sender of the quoted frame, quoting its IP header and the
        first 8 bytes after it (RFC 792), as iptables' REJECT
        --reject-with icmp-port-unreachable sends it."""
        ip = quoted[14:]
        ihl = (ip[0] & 0x0f) * 4
        body = ip[:ihl + 8]
        dst = ".".join(str(b) for b in ip[12:16])
        m = struct.pack("!BBHI", 3, code, 0, 0) + body
        m = m[:2] + struct.pack("!H", csum(m)) + m[4:]
        self.ip(t, src, dst, 1, m)

    def write(self, path):
        self.pkts.sort(key=lambda p: p[0])
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                                1))
            base = 1700000000.0
            for t, frame in self.pkts:
                us = int(round((base + t) * 1e6))
                f.write(struct.pack("<IIII", us // 1000000, us % 1000000,
                                    len(frame), len(frame)))
                f.write(frame)


QTYPES = {"A": 1, "AAAA": 28, "SRV": 33, "PTR": 12}


def dns_name(n):
    out = b""
    for label in n.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_msg(qid, name, qtype, rcode=None, answers=()):
    if rcode is None:  # query, RD
        return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + \
            dns_name(name) + struct.pack("!HH", QTYPES[qtype], 1)
    flags = 0x8180 | rcode
    body = dns_name(name) + struct.pack("!HH", QTYPES[qtype], 1)
    for a in answers:
        body += b"\xc0\x0c" + struct.pack("!HHIH", QTYPES[qtype], 1, 30, 4) \
            + ip4(a)
    return struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, 0) + body


class Gen:
    def __init__(self, pods, svcs, nodes):
        self.p = Pcap()
        self.rng = random.Random(7)
        self.pods, self.svcs = pods, svcs
        self.nodes = nodes  # pod IP -> its node's IP
        self.dns = svcs["kube-system/kube-dns"]
        self.port = 33000

    def eport(self):
        self.port += 1
        return self.port

    def query(self, t, client, name, qtype="A", rcode=0, answers=(),
              latency=0.0008, answered=True):
        qid = self.rng.randrange(1, 65535)
        sp = self.eport()
        self.p.udp(t, client, sp, self.dns, 53, dns_msg(qid, name, qtype))
        if answered:
            self.p.udp(t + latency, self.dns, 53, client, sp,
                       dns_msg(qid, name, qtype, rcode, answers))

    def lookup(self, t, client, name, hit, ns="shop", qtype="A",
               rcode=0, answers=(), latency=0.004, answered=True):
        """A pod's resolver (search NS.svc.cluster.local svc.cluster.local
        cluster.local, ndots:5): a name with fewer than 5 dots is tried
        with each suffix, then as is; a trailing dot or 5 dots ask it as
        is. Every try before hit gets NXDOMAIN; hit gets rcode and
        answers (or nothing: the lookup stops, timed out). Returns the
        time of the last query."""
        if name.endswith(".") or name.count(".") >= 5:
            tries = [name.rstrip(".")]
        else:
            tries = ["%s.%s" % (name, s) for s in (
                "%s.svc.cluster.local" % ns, "svc.cluster.local",
                "cluster.local")] + [name]
        for q in tries[:hit]:
            self.query(t, client, q, qtype, rcode=3)
            t += 0.002
        self.query(t, client, tries[hit], qtype, rcode=rcode,
                   answers=answers, latency=latency, answered=answered)
        return t

    def http(self, t, client, server, sport, req, status, body=b"",
             latency=0.003, reason=b"OK"):
        cp = self.eport()
        cs, ss = self.rng.randrange(1 << 31), self.rng.randrange(1 << 31)
        tcp = self.p.tcp
        tcp(t, client, cp, server, sport, cs, 0, 0x02)
        tcp(t + 0.0001, server, sport, client, cp, ss, cs + 1, 0x12)
        tcp(t + 0.0002, client, cp, server, sport, cs + 1, ss + 1, 0x10)
        tcp(t + 0.0003, client, cp, server, sport, cs + 1, ss + 1, 0x18, req)
        resp = b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n" \
            b"Content-Length: %d\r\n\r\n" % (status, reason, len(body)) + body
        t2 = t + 0.0003 + latency
        tcp(t2, server, sport, client, cp, ss + 1, cs + 1 + len(req), 0x18,
            resp)
        tcp(t2 + 0.0001, client, cp, server, sport, cs + 1 + len(req),
            ss + 1 + len(resp), 0x11)
        tcp(t2 + 0.0002, server, sport, client, cp, ss + 1 + len(resp),
            cs + 2 + len(req), 0x11)
        tcp(t2 + 0.0003, client, cp, server, sport, cs + 2 + len(req),
            ss + 2 + len(resp), 0x10)

    def refused(self, t, client, server, sport, node):
        """A connection to a service port without endpoints: kube-proxy's
        REJECT rule on the client's node answers the SYN with an ICMP
        port unreachable. Draws as much randomness as http() does, so
        the rest of the capture does not move."""
        cp = self.eport()
        cs, _ = self.rng.randrange(1 << 31), self.rng.randrange(1 << 31)
        self.p.tcp(t, client, cp, server, sport, cs, 0, 0x02)
        self.p.icmp_unreach(t + 0.0001, node, self.p.pkts[-1][1])

    def tls(self, t, client, server, port, sni):
        cp = self.eport()
        cs, ss = self.rng.randrange(1 << 31), self.rng.randrange(1 << 31)
        name = sni.encode()
        sni_ext = struct.pack("!HHHBH", 0, len(name) + 5, len(name) + 3, 0,
                              len(name)) + name
        alpn = b"\x02h2\x08http/1.1"
        alpn_ext = struct.pack("!HHH", 16, len(alpn) + 2, len(alpn)) + alpn
        exts = sni_ext + alpn_ext
        body = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x02\x13\x01" + \
            b"\x01\x00" + struct.pack("!H", len(exts)) + exts
        hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
        rec = b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs
        tcp = self.p.tcp
        tcp(t, client, cp, server, port, cs, 0, 0x02)
        tcp(t + 0.0001, server, port, client, cp, ss, cs + 1, 0x12)
        tcp(t + 0.0002, client, cp, server, port, cs + 1, ss + 1, 0x10)
        tcp(t + 0.0003, client, cp, server, port, cs + 1, ss + 1, 0x18, rec)
        tcp(t + 0.002, client, cp, server, port, cs + 1 + len(rec), ss + 1,
            0x04)

    def run(self):
        P, S = self.pods, self.svcs
        fe = pod(P, "shop/frontend")
        fe2 = [v for k, v in sorted(P.items())
               if k.startswith("shop/frontend")][-1]
        cart, catalog = pod(P, "shop/cart"), pod(P, "shop/catalog")
        checkout, payments = pod(P, "shop/checkout"), pod(P, "shop/payments")
        ingress = pod(P, "ingress-nginx/ingress-nginx-controller")
        outside = "172.18.0.1"
        # Every kind of event in each round, shuffled: (branch value of
        # r below, how many per deck).
        kinds = [(0.1, 6), (0.4, 3), (0.5, 3), (0.65, 2), (0.7, 2),
                 (0.75, 2), (0.82, 2), (0.85, 2), (0.88, 2), (0.91, 1),
                 (0.94, 2), (0.98, 2)]
        deck = []
        t = 0.2
        while t < SPAN:
            if not deck:
                deck = [k for k, n in kinds for _ in range(n)]
                self.rng.shuffle(deck)
            r = deck.pop()
            if r < 0.30:
                self.lookup(t, fe, "cart", 0, answers=(S["shop/cart"],),
                            latency=0.0008)
                self.http(t + 0.002, fe, S["shop/cart"], 80,
                          b"GET /api/cart/42 HTTP/1.1\r\nHost: cart\r\n"
                          b"User-Agent: frontend/1.4\r\n\r\n", 200,
                          b'{"items":3}', latency=0.004)
            elif r < 0.45:
                self.lookup(t, fe2, "catalog", 0,
                            answers=(S["shop/catalog"],), latency=0.0008)
                # catalog's port http targets "web", which its pods do
                # not declare: its EndpointSlice has no ports, so
                # kube-proxy rejects the connection on fe2's node.
                self.refused(t + 0.002, fe2, S["shop/catalog"], 80,
                             self.nodes[fe2])
            elif r < 0.60:
                self.http(t, outside, ingress, 80,
                          b"GET / HTTP/1.1\r\nHost: shop.example.com\r\n"
                          b"User-Agent: curl/8.5\r\n\r\n", 200, b"<html>",
                          latency=0.006)
            elif r < 0.67:
                self.http(t, outside, ingress, 80,
                          b"GET /favicon.ico HTTP/1.1\r\n"
                          b"Host: shop.example.com\r\n\r\n", 404,
                          b"not found", reason=b"Not Found")
            elif r < 0.72:
                # Ingress shop: shop.example.com /api/checkout (Exact)
                # -> checkout:8080; nginx keeps the Host and the path.
                self.http(t, outside, ingress, 80,
                          b"POST /api/checkout HTTP/1.1\r\n"
                          b"Host: shop.example.com\r\n"
                          b"Content-Length: 0\r\n\r\n", 502,
                          b"bad gateway", latency=0.031,
                          reason=b"Bad Gateway")
                self.http(t + 0.001, ingress, S["shop/checkout"], 8080,
                          b"POST /api/checkout HTTP/1.1\r\n"
                          b"Host: shop.example.com\r\n"
                          b"Content-Length: 0\r\n\r\n", 503, b"",
                          latency=0.028, reason=b"Service Unavailable")
            elif r < 0.80:
                t2 = self.lookup(t, payments, "api.payments.example.com", 3,
                                 answers=("203.0.113.7",))
                self.tls(t2 + 0.006, payments, "203.0.113.7", 443,
                         "api.payments.example.com")
            elif r < 0.84:
                self.lookup(t, cart, "postgress", 3, rcode=3,
                            latency=0.0008)  # a typo: a real NXDOMAIN
            elif r < 0.87:
                self.lookup(t, cart, "ledger.partner.example", 3, rcode=2,
                            latency=0.040)  # SERVFAIL
            elif r < 0.90:
                self.lookup(t, catalog, "images.cdn.example", 3, answers=(
                    "198.51.100.20",), latency=0.850)  # slow upstream
            elif r < 0.92:
                # checkout-egress allows no DNS: the first try is
                # dropped, and the lookup times out
                self.lookup(t, checkout, "metrics.monitoring.svc", 0,
                            answered=False)
            elif r < 0.96:
                self.tls(t, fe, S["default/kubernetes"], 443,
                         "kubernetes.default.svc")
            else:
                self.lookup(t, fe, "cart", 0, qtype="AAAA",
                            latency=0.0008)
            t += self.rng.uniform(0.08, 0.6)
        self.p.write(OUT)


def main():
    pods, svcs, nodes = load_cluster(CLUSTER)
    Gen(pods, svcs, nodes).run()
    print("wrote %s (%d bytes)" % (OUT, os.path.getsize(OUT)))


if __name__ == "__main__":
    main()
