#!/usr/bin/env python3
"""Write the synthetic test captures of tests/data/pcap (listed in
tests/data/pcap/SOURCES): packets built here, byte by byte, for what
real traffic in namespaces cannot be made to show on demand: timestamps
past 2038, segments lost from a capture, a connection first seen through
a TCP keep-alive, responses whose requests were not captured, long
paths and DNS answers, RR types without a common form. Each models a
public capture that showed a decoding fault (named in SOURCES);
deterministic, python3 standard library only.

usage: make-synthetic.py [OUTDIR]     (default tests/data/pcap)
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
from pcapgen import csum, ipv4  # noqa: E402

MAC_C, MAC_S = b"\x02\x00\x00\x00\x00\x01", b"\x02\x00\x00\x00\x00\x02"


def ip4(s):
    return bytes(int(x) for x in s.split("."))


# ---- files ---------------------------------------------------------------

class Pcap:
    """A classic pcap (microseconds, Ethernet). Times are (sec, usec)
    with sec written as the format's unsigned 32 bits."""

    def __init__(self, path, linktype=1, wrap=None):
        """wrap: frame -> bytes, to put Ethernet frames in another link."""
        self.path = path
        self.frames = []
        self.linktype = linktype
        self.wrap = wrap

    def add(self, t, frame):
        self.frames.append((t, self.wrap(frame) if self.wrap else frame))

    def write(self):
        with open(self.path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                                self.linktype))
            for (sec, usec), fr in self.frames:
                f.write(struct.pack("<IIII", sec, usec, len(fr), len(fr)))
                f.write(fr)


class PcapNg(Pcap):
    """A pcapng file: one section, one Ethernet interface (microsecond
    resolution), enhanced packet blocks with 64-bit times."""

    def write(self):
        def block(btype, body):
            body += b"\0" * (-len(body) % 4)
            n = 12 + len(body)
            return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

        with open(self.path, "wb") as f:
            f.write(block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0,
                                                  -1)))
            f.write(block(1, struct.pack("<HHI", 1, 0, 65535)))
            for (sec, usec), fr in self.frames:
                ts = sec * 1000000 + usec
                f.write(block(6, struct.pack("<IIIII", 0, ts >> 32,
                                             ts & 0xffffffff, len(fr),
                                             len(fr)) + fr))


# ---- packets -------------------------------------------------------------

def eth(src_is_client, payload, ethertype=0x0800):
    macs = (MAC_S + MAC_C) if src_is_client else (MAC_C + MAC_S)
    return macs + struct.pack("!H", ethertype) + payload


def udp4(src, dst, sport, dport, data):
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ph = src + dst + struct.pack("!BBH", 0, 17, len(u))
    c = csum(ph + u) or 0xffff
    return ipv4(src, dst, 17, u[:6] + struct.pack("!H", c) + u[8:])


def tcp4(src, dst, sport, dport, seq, ack, flags, data=b""):
    h = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff,
                    ack & 0xffffffff, 5 << 4, flags, 65535, 0, 0)
    ph = src + dst + struct.pack("!BBH", 0, 6, len(h) + len(data))
    c = csum(ph + h + data)
    return ipv4(src, dst, 6, h[:16] + struct.pack("!H", c) + h[18:] + data)


FIN, SYN, RST, PSH, ACK = 1, 2, 4, 8, 16


class Clock:
    """Capture time in microseconds, moved on by each packet."""

    def __init__(self, sec):
        self.us = sec * 1000000

    def tick(self, us=200):
        self.us += us
        return divmod(self.us, 1000000)


class Tcp:
    """One TCP connection written to a capture: segments are cut at mss;
    those whose (direction, index) is in lost are left out of the file
    (the sequence numbers still count them), as a capture that missed
    them would show."""

    def __init__(self, cap, clock, cip, cport, sip, sport, isn=(1000, 5000)):
        self.cap, self.clock = cap, clock
        self.ends = [(ip4(cip), cport), (ip4(sip), sport)]
        self.seq = list(isn)
        self.nseg = [0, 0]

    def packet(self, d, flags, data=b"", seq=None, show=True):
        (src, sp), (dst, dp) = self.ends[d], self.ends[1 - d]
        s = self.seq[d] if seq is None else seq
        fr = eth(d == 0, tcp4(src, dst, sp, dp, s, self.seq[1 - d], flags,
                              data))
        t = self.clock.tick()
        if show:
            self.cap.add(t, fr)

    def handshake(self):
        self.packet(0, SYN)
        self.seq[0] += 1
        self.packet(1, SYN | ACK)
        self.seq[1] += 1
        self.packet(0, ACK)

    def send(self, d, data, mss=1460, lost=()):
        """data from d (0 client, 1 server), acknowledged by the peer."""
        for off in range(0, len(data), mss):
            seg = data[off:off + mss]
            self.packet(d, PSH | ACK, seg, show=self.nseg[d] not in lost)
            self.nseg[d] += 1
            self.seq[d] += len(seg)
        self.packet(1 - d, ACK)

    def keepalive(self, d):
        """RFC 9293 3.8.4: one byte below the next sequence number."""
        self.packet(d, ACK, b"\0", seq=self.seq[d] - 1)
        self.packet(1 - d, ACK)

    def close(self):
        self.packet(0, FIN | ACK)
        self.seq[0] += 1
        self.packet(1, FIN | ACK)
        self.seq[1] += 1
        self.packet(0, ACK)


def dns_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_msg(qid, name, qtype, resp=False, rcode=0, answers=(), opt=None):
    """A DNS message; answers: (type, rdata) records owned by the qname
    (a pointer to it), TTL 300. opt: (ext_rcode, payload size) for an
    OPT record."""
    flags = 0x8180 | (rcode & 0xf) if resp else 0x0100
    ar = 1 if opt is not None else 0
    m = struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, ar)
    m += dns_name(name) + struct.pack("!HH", qtype, 1)
    for rtype, rdata in answers:
        m += struct.pack("!HHHIH", 0xc00c, rtype, 1, 300, len(rdata)) + rdata
    if opt is not None:
        ext, size = opt
        m += b"\0" + struct.pack("!HHBBHH", 41, size, ext, 0, 0, 0)
    return m


class Dns:
    """UDP DNS exchanges between one client and one server."""

    def __init__(self, cap, clock, cip="10.77.0.1", sip="10.77.0.2"):
        self.cap, self.clock = cap, clock
        self.c, self.s = ip4(cip), ip4(sip)
        self.port = 40000

    def ask(self, qid, name, qtype, rcode=0, answers=(), opt=None,
            answered=True):
        """A query and (answered) its response; opt: True or (extended
        rcode, size) for an OPT record (EDNS) both ways."""
        self.port += 1
        q = dns_msg(qid, name, qtype, opt=(0, 1232) if opt else None)
        self.cap.add(self.clock.tick(), eth(True, udp4(self.c, self.s,
                                                       self.port, 53, q)))
        if not answered:
            return
        if opt is True:
            opt = (0, 1232)
        r = dns_msg(qid, name, qtype, True, rcode, answers, opt=opt)
        self.cap.add(self.clock.tick(1500),
                     eth(False, udp4(self.s, self.c, 53, self.port, r)))


# ---- the captures --------------------------------------------------------

def time_2038(out):
    """Models tcpdump's tests/time_2038_overflow.pcap, time_2039.pcap,
    time_2106.pcap and time_2106_max.pcap: seconds at and after 2^31 in
    the file's unsigned 32-bit field; and tests/time_2106_overflow.pcapng
    (past 2^32, pcapng's 64-bit times)."""
    cap = Pcap(os.path.join(out, "time2038.pcap"))
    for n, sec in enumerate((2147483647, 2147483648, 2177452800, 4291747200,
                             4294967294)):
        d = Dns(cap, Clock(sec))
        d.port = 41000 + 10 * n
        d.ask(0x5930 + n, "www.example.org", 1,
              answers=[(1, ip4("192.0.2.%d" % (n + 1)))])
    cap.write()
    ng = PcapNg(os.path.join(out, "time2106.pcapng"))
    clock = Clock(4294967295)
    clock.us += 998000  # the answer crosses into second 2^32
    d = Dns(ng, clock)
    d.ask(0x6001, "www.example.org", 1, answers=[(1, ip4("192.0.2.9"))])
    d.ask(0x6002, "www.example.org", 28)
    ng.write()


def http_get(path, host="web", extra=""):
    return ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: synth\r\n%s\r\n"
            % (path, host, extra)).encode()


def http_resp(code, body=b"", chunked=False, reason=None):
    reason = reason or {200: "OK", 304: "Not Modified", 404: "Not Found",
                        204: "No Content"}.get(code, "X")
    head = "HTTP/1.1 %d %s\r\nServer: synth\r\n" % (code, reason)
    if code in (204, 304):
        return (head + "\r\n").encode()
    if chunked:
        data = b""
        for off in range(0, len(body), 1000):
            part = body[off:off + 1000]
            data += b"%x\r\n" % len(part) + part + b"\r\n"
        return (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + \
            data + b"0\r\n\r\n"
    return (head + "Content-Length: %d\r\n\r\n" % len(body)).encode() + body


def body(n, seed):
    return bytes((seed * 7 + i * 13) % 26 + 97 for i in range(n))


def http_gaps(out):
    """Segments missing from a capture. Models PcapPlusPlus
    Tests/ExamplesTest/pcap_examples/http-packets.pcap (a response's
    first segment lost; the connection's later exchanges must still be
    matched), Tests/Pcap++Test/PcapExamples/4KHttpRequests.pcap (client
    side only, requests after a lost one) and
    Tests/ExamplesTest/pcap_examples/many-protocols.pcap frames 1286 and
    2853 (a connection first seen through a one-byte TCP keep-alive)."""
    cap = Pcap(os.path.join(out, "http-gaps.pcap"))
    clock = Clock(1700000100)
    # A: keep-alive; the second response's first segment is lost.
    a = Tcp(cap, clock, "10.77.0.1", 40001, "10.77.0.2", 80)
    a.handshake()
    a.send(0, http_get("/a"))
    a.send(1, http_resp(200, body(3000, 1)))
    a.send(0, http_get("/b"))
    a.send(1, http_resp(200, body(5000, 2), chunked=True),
           lost={a.nseg[1]})
    a.send(0, http_get("/c"))
    a.send(1, http_resp(404, b"not here\n"))
    a.send(0, http_get("/d"))
    a.send(1, http_resp(200, body(700, 3)))
    a.close()
    # B: a response lost whole; the client's next request acknowledges
    # it, so the response after the hole answers the later request.
    b = Tcp(cap, clock, "10.77.0.1", 40002, "10.77.0.2", 80)
    b.handshake()
    b.send(0, http_get("/x"))
    b.send(1, http_resp(200, body(900, 4)), lost={b.nseg[1]})
    b.send(0, http_get("/y"))
    b.send(1, http_resp(200, body(800, 5)))
    b.send(0, http_get("/z"))
    b.send(1, http_resp(304))
    b.close()
    # C: only the client's side was captured; one request is lost whole
    # and one loses its second segment.
    c = Tcp(cap, clock, "10.77.0.1", 40003, "10.77.0.2", 8080)
    c.cap = Pcap(os.devnull)
    c.handshake()
    c.cap = cap
    long_cookie = "Cookie: s=%s\r\n" % ("c" * 1600)
    for n, extra in enumerate(["", "", "", long_cookie, "", ""]):
        req = http_get("/r%d" % n, "api", extra)
        lost = set()
        if n == 1:
            lost = {c.nseg[0]}
        elif n == 3:
            lost = {c.nseg[0] + 1}
        for off in range(0, len(req), 1460):
            c.packet(0, PSH | ACK, req[off:off + 1460],
                     show=c.nseg[0] not in lost)
            c.nseg[0] += 1
            c.seq[0] += len(req[off:off + 1460])
    # D: joined mid-stream: a keep-alive byte, its ACK, then a request.
    d = Tcp(cap, clock, "10.77.0.1", 40004, "10.77.0.2", 80,
            isn=(977128255, 2149533182))
    d.keepalive(0)
    d.keepalive(0)
    d.send(0, http_get("/ping?h=example"))
    d.send(1, http_resp(200, b"GIF89a\x01\x00\x01\x00"))
    cap.write()


def http_no_request(out):
    """Responses whose requests were not captured: the server's side
    only, joined mid-stream. Models PcapPlusPlus
    Tests/Pcap++Test/PcapExamples/650HttpResponses.pcap; and a request
    lost on a connection captured both ways."""
    cap = Pcap(os.path.join(out, "http-noreq.pcap"))
    clock = Clock(1700000200)
    for port, codes in ((40011, (200, 304, 404)), (40012, (200, 204))):
        t = Tcp(cap, clock, "10.77.0.1", port, "10.77.0.2", 80,
                isn=(5000 + port, 90000 + port))
        for n, code in enumerate(codes):
            t.seq[0] += 100  # a request the capture did not see
            t.packet(1, PSH | ACK, http_resp(code, body(300 + n, n),
                                             chunked=n == 1))
            t.seq[1] += len(http_resp(code, body(300 + n, n),
                                      chunked=n == 1))
    f = Tcp(cap, clock, "10.77.0.1", 40013, "10.77.0.2", 80)
    f.handshake()
    f.send(0, http_get("/f1"))
    f.send(1, http_resp(200, body(200, 8)))
    f.send(0, http_get("/f2"), lost={f.nseg[0]})
    f.send(1, http_resp(404, b"gone\n"))
    f.send(0, http_get("/f3"))
    f.send(1, http_resp(200, body(50, 9)))
    f.close()
    cap.write()


def long_strings(out):
    """Strings past the bounds that used to cut them silently: a DNS
    response whose answers (DNSSEC keys and signatures) run past 4 KiB
    of text, one with 40 addresses (past 32 records and 480 bytes),
    HTTP paths of 700 and 5,000 bytes (past 511 and 4,095) and a Host
    of 300. Models tcpdump tests/dnssec.pcap (ancount 3, two answers
    listed) and the long request URIs of PcapPlusPlus
    many-protocols.pcap."""
    cap = Pcap(os.path.join(out, "long-strings.pcap"))
    clock = Clock(1700000300)
    d = Dns(cap, clock)
    key = bytes((i * 37 + 11) % 256 for i in range(516))
    dnskey = [(48, struct.pack("!HBB", 257 if i == 0 else 256, 3, 8) + key)
              for i in range(8)]
    d.ask(0x7001, "example.org", 48, answers=dnskey, opt=True)
    many = [(1, ip4("192.0.2.%d" % (i + 1))) for i in range(40)]
    d.ask(0x7002, "many.example.org", 1, answers=many)
    t = Tcp(cap, clock, "10.77.0.1", 40021, "10.77.0.2", 80)
    t.handshake()
    for path, host in (("/q?" + "a" * 697, "web"),
                       ("/q?" + "b" * 4997, "web"),
                       ("/h", "h" * 296 + ".org")):
        t.send(0, http_get(path, host))
        t.send(1, http_resp(204))
    t.close()
    cap.write()


def dns_types(out):
    """Types and rcodes that printed as numbers, and the root name that
    printed as "". Models the SSHFP answers of tcpdump tests/dnssec.pcap;
    URI (RFC 7553), the root's NS, and rcodes up to the OPT extension's
    (RFC 6891 BADVERS, RFC 7873 BADCOOKIE)."""
    cap = Pcap(os.path.join(out, "dns-types.pcap"))
    d = Dns(cap, Clock(1700000400))
    fp = bytes(range(20))
    d.ask(0x8001, "host.example.org", 44,
          answers=[(44, b"\x01\x01" + fp), (44, b"\x04\x02" + fp + fp[:12])])
    d.ask(0x8002, "_http._tcp.example.org", 256,
          answers=[(256, struct.pack("!HH", 10, 1) +
                    b"https://www.example.org/")])
    d.ask(0x8003, ".", 2, answers=[(2, dns_name("a.root-servers.net"))])
    d.ask(0x8004, "example.org", 6, rcode=9)      # NOTAUTH
    d.ask(0x8005, "new.example.org", 1, rcode=6)  # YXDOMAIN
    d.ask(0x8006, "example.org", 1, rcode=0, opt=(1, 1232))   # BADVERS
    d.ask(0x8007, "example.org", 28, rcode=7, opt=(1, 1232))  # BADCOOKIE
    d.ask(0x8008, "example.org", 65535, rcode=4)  # a private type, NOTIMP
    cap.write()


def relink(kind):
    """An Ethernet/IPv4 frame (as the builders make them) re-framed: the
    IP packet inside another link or under more headers."""
    def ip(frame):
        return frame[14:]

    def nflog(frame):
        pkt = ip(frame)
        tlvs = struct.pack("<HH", 8, 1) + struct.pack("!HBB", 0x0800, 3, 0)
        tlvs += struct.pack("<HH", 4 + len(pkt), 9) + pkt
        tlvs += b"\0" * (-len(tlvs) % 4)
        return struct.pack("!BBH", 2, 0, 1) + tlvs

    def ppp(frame):
        return b"\xff\x03\x00\x21" + ip(frame)

    def pppoe_body(frame):
        body = b"\x00\x21" + ip(frame)
        return struct.pack("!BBHH", 0x11, 0, 0x1234, len(body)) + body

    def pppoe_eth(frame):
        return frame[:12] + b"\x88\x64" + pppoe_body(frame)

    def mpls(frame):
        labels = struct.pack("!I", (1000 << 12) | (0 << 9) | 64)
        labels += struct.pack("!I", (2000 << 12) | (0 << 9) | (1 << 8) | 64)
        return frame[:12] + b"\x88\x47" + labels + ip(frame)

    def qinq(frame):
        return (frame[:12] + b"\x88\xa8\x00\x64" + b"\x81\x00\x00\xc8" +
                frame[12:])

    return {"nflog": (239, nflog), "ppp": (50, ppp),
            "pppoe": (51, pppoe_body), "pppoe-eth": (1, pppoe_eth),
            "mpls": (1, mpls), "qinq": (1, qinq)}[kind]


def link_types(out):
    """The same DNS and HTTP exchanges over links and headers that were
    not read: Linux NFLOG (models tcpdump tests/nflog.pcap, which holds
    only responses), PPP in HDLC framing, PPPoE with and without its
    Ethernet, an MPLS label stack, and 802.1ad QinQ tags."""
    for n, kind in enumerate(("nflog", "ppp", "pppoe", "pppoe-eth", "mpls",
                              "qinq")):
        linktype, wrap = relink(kind)
        cap = Pcap(os.path.join(out, "link-%s.pcap" % kind), linktype, wrap)
        clock = Clock(1700000500 + 10 * n)
        d = Dns(cap, clock)
        d.ask(0x9000 + n, "%s.example.org" % kind.replace("-", ""), 1,
              answers=[(1, ip4("192.0.2.%d" % (n + 1)))])
        t = Tcp(cap, clock, "10.77.0.1", 40030 + n, "10.77.0.2", 80)
        t.handshake()
        t.send(0, http_get("/" + kind))
        t.send(1, http_resp(200, body(100, n)))
        t.close()
        cap.write()


# ---- fragments -----------------------------------------------------------

def frag4(pkt, cuts, ipid):
    """An IPv4 packet (20-byte header) cut into fragments at the payload
    offsets cuts (multiples of 8): the list of fragment packets."""
    pl = pkt[20:]
    bounds = [0] + list(cuts) + [len(pl)]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        mf = 0x2000 if b < len(pl) else 0
        h = pkt[:2] + struct.pack("!HHH", 20 + b - a, ipid, mf | (a // 8))
        h += pkt[8:10] + b"\0\0" + pkt[12:20]
        h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
        out.append(h + pl[a:b])
    return out


def ip6(s):
    return bytes.fromhex(s)


def udp6(src, dst, sport, dport, data):
    """A UDP datagram for IPv6 (its checksum over the pseudo-header)."""
    u = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ph = src + dst + struct.pack("!IxxxB", len(u), 17)
    return u[:6] + struct.pack("!H", csum(ph + u) or 0xffff) + u[8:]


def ipv6(src, dst, nh, payload):
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, 64) + src + \
        dst + payload


def frag6(src, dst, nh, payload, cuts, ident):
    """payload (of next header nh) in IPv6 fragments cut at cuts."""
    bounds = [0] + list(cuts) + [len(payload)]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        m = 1 if b < len(payload) else 0
        fh = struct.pack("!BBHI", nh, 0, a | m, ident)
        out.append(ipv6(src, dst, 44, fh + payload[a:b]))
    return out


C6 = ip6("fd00000000000000000000000000000a")
S6 = ip6("fd00000000000000000000000000000b")


def big_answer(n):
    """n A records (16 bytes each): a UDP answer past one MTU."""
    return [(1, ip4("198.51.%d.%d" % (i // 250, i % 250 + 1)))
            for i in range(n)]


def fragments(out):
    """IP fragments: DNS answers over UDP too large for one packet (IPv4
    and IPv6, fragments out of order), a fragmented HTTP request, an
    answer one of whose fragments never came, and an overlapping
    fragment with other bytes (dropped, RFC 5722). Models the fragmented
    DNS answers of tcpdump tests/ (e.g. ipv4-frag-*.pcap's UDP, the
    IPv6 fragments of ipv6-frag-*.pcap) and PcapPlusPlus
    Tests/Pcap++Test/PcapExamples/frag_http_req.pcap."""
    cap = Pcap(os.path.join(out, "frag.pcap"))
    clock = Clock(1700000600)
    c, sv = ip4("10.77.0.1"), ip4("10.77.0.2")
    # IPv4: question, then the answer's fragments last, first, middle.
    q = dns_msg(0xa001, "big.example.org", 1)
    cap.add(clock.tick(), eth(True, udp4(c, sv, 41001, 53, q)))
    r = dns_msg(0xa001, "big.example.org", 1, True, answers=big_answer(200))
    fr = frag4(udp4(sv, c, 53, 41001, r), (1480, 2960), 0x1111)
    for i in (2, 0, 1):
        cap.add(clock.tick(300), eth(False, fr[i]))
    # IPv6: the same, fragments in reverse.
    q = dns_msg(0xa002, "big6.example.org", 28)
    cap.add(clock.tick(), eth(True, ipv6(C6, S6, 17, udp6(C6, S6, 41002,
                                                          53, q)), 0x86dd))
    r = dns_msg(0xa002, "big6.example.org", 28, True,
                answers=big_answer(170))
    for f in reversed(frag6(S6, C6, 17, udp6(S6, C6, 53, 41002, r),
                            (1232, 2464), 0x22222222)):
        cap.add(clock.tick(300), eth(False, f, 0x86dd))
    # An HTTP request cut into two IPv4 fragments, its response whole.
    t = Tcp(cap, clock, "10.77.0.1", 40100, "10.77.0.2", 80)
    t.handshake()
    req = http_get("/fragmented", extra="X-Pad: %s\r\n" % ("p" * 1800))
    seg = tcp4(c, sv, 40100, 80, t.seq[0], t.seq[1], PSH | ACK, req)
    for f in frag4(seg, (1480,), 0x3333):
        cap.add(clock.tick(), eth(True, f))
    t.seq[0] += len(req)
    t.packet(1, ACK)
    t.send(1, http_resp(200, body(100, 3)))
    t.close()
    # An answer whose middle fragment never came: the question stays
    # unanswered, its fragments time out.
    q = dns_msg(0xa003, "lost.example.org", 1)
    cap.add(clock.tick(), eth(True, udp4(c, sv, 41003, 53, q)))
    r = dns_msg(0xa003, "lost.example.org", 1, True,
                answers=big_answer(200))
    fr = frag4(udp4(sv, c, 53, 41003, r), (1480, 2960), 0x4444)
    for i in (0, 2):
        cap.add(clock.tick(300), eth(False, fr[i]))
    # An answer with a fragment repeated with other bytes: dropped.
    q = dns_msg(0xa004, "overlap.example.org", 1)
    cap.add(clock.tick(), eth(True, udp4(c, sv, 41004, 53, q)))
    r = dns_msg(0xa004, "overlap.example.org", 1, True,
                answers=big_answer(120))
    fr = frag4(udp4(sv, c, 53, 41004, r), (1480,), 0x5555)
    bad = bytearray(fr[0])
    bad[-1] ^= 0xff
    for f in (fr[0], bytes(bad), fr[1]):
        cap.add(clock.tick(300), eth(False, f))
    # A small answer after them: still matched.
    d = Dns(cap, clock)
    d.port = 41010
    d.ask(0xa005, "small.example.org", 1, answers=[(1, ip4("192.0.2.5"))])
    cap.write()


def dns_tcp_gap(out):
    """DNS over TCP with a segment missing: an answer whose first
    segment was lost (its question stays unanswered; the next segment,
    the middle of that answer, is no message to start from), then the
    next exchange found again at the segment that starts it. Models the
    TCP DNS of tcpdump tests/dns_tcp.pcap with a segment taken out."""
    cap = Pcap(os.path.join(out, "dns-tcp-gap.pcap"))
    clock = Clock(1700000700)
    t = Tcp(cap, clock, "10.77.0.1", 40200, "10.77.0.2", 53)
    t.handshake()

    def framed(m):
        return struct.pack("!H", len(m)) + m

    t.send(0, framed(dns_msg(0xb001, "one.example.org", 1)))
    t.send(1, framed(dns_msg(0xb001, "one.example.org", 1, True,
                             answers=[(1, ip4("192.0.2.1"))])))
    t.send(0, framed(dns_msg(0xb002, "two.example.org", 1)))
    t.send(1, framed(dns_msg(0xb002, "two.example.org", 1, True,
                             answers=big_answer(60))), mss=400, lost=(1,))
    t.send(0, framed(dns_msg(0xb003, "three.example.org", 1)))
    t.send(1, framed(dns_msg(0xb003, "three.example.org", 1, True,
                             rcode=3)))
    t.send(0, framed(dns_msg(0xb004, "four.example.org", 28)))
    t.send(1, framed(dns_msg(0xb004, "four.example.org", 28, True,
                             answers=[(28, bytes(15) + b"\1")])))
    t.close()
    cap.write()


def icmp4(src, dst, typ, code, quoted):
    """An ICMP error from src to dst quoting a datagram (RFC 792)."""
    m = struct.pack("!BBHI", typ, code, 0, 0) + quoted
    return ipv4(src, dst, 1, m[:2] + struct.pack("!H", csum(m)) + m[4:])


def icmp6(src, dst, typ, code, quoted):
    """An ICMPv6 error (RFC 4443), its checksum over the pseudo-header."""
    m = struct.pack("!BBHI", typ, code, 0, 0) + quoted
    ph = src + dst + struct.pack("!IxxxB", len(m), 58)
    return ipv6(src, dst, 58, m[:2] + struct.pack("!H", csum(ph + m)) +
                m[4:])


def icmp_errors(out):
    """DNS queries answered by ICMP errors instead of DNS: port
    unreachable from the server over IPv4 and IPv6 (nothing listens on
    53: refused), a host unreachable from a router (not a refusal: the
    query stays unanswered), and an echo request and reply between. With
    several workers each error must reach the worker of the query it
    quotes. Models the port unreachables that answer dig when no DNS
    server listens (as tests/capture/test_icmp_unreachable.py makes
    live)."""
    cap = Pcap(os.path.join(out, "icmp-errors.pcap"))
    clock = Clock(1700000800)
    rtr = ip4("10.77.0.254")
    for i, cl in enumerate(("10.77.0.1", "10.77.0.3", "10.77.0.5")):
        c, sv = ip4(cl), ip4("10.77.0.2")
        q = udp4(c, sv, 41101 + i, 53,
                 dns_msg(0xc001 + i, "refused%d.example.org" % i, 1))
        cap.add(clock.tick(), eth(True, q))
        cap.add(clock.tick(), eth(False, icmp4(sv, c, 3, 3, q)))
    c, sv = ip4("10.77.0.1"), ip4("10.77.9.9")
    q = udp4(c, sv, 41110, 53, dns_msg(0xc010, "far.example.org", 1))
    cap.add(clock.tick(), eth(True, q))
    cap.add(clock.tick(), eth(False, icmp4(rtr, c, 3, 1, q)))
    echo = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1) + b"ping"
    echo = echo[:2] + struct.pack("!H", csum(echo)) + echo[4:]
    cap.add(clock.tick(), eth(True, ipv4(c, rtr, 1, echo)))
    reply = b"\0" + echo[1:2] + struct.pack("!H", csum(b"\0" + echo[1:2] +
                                                        b"\0\0" + echo[4:]))
    cap.add(clock.tick(), eth(False, ipv4(rtr, c, 1, reply + echo[4:])))
    u = udp6(C6, S6, 41120, 53, dns_msg(0xc020, "refused6.example.org", 28))
    q = ipv6(C6, S6, 17, u)
    cap.add(clock.tick(), eth(True, q, 0x86dd))
    cap.add(clock.tick(), eth(False, icmp6(S6, C6, 1, 4, q), 0x86dd))
    d = Dns(cap, clock)
    d.port = 41130
    d.ask(0xc030, "open.example.org", 1, answers=[(1, ip4("192.0.2.7"))])
    cap.write()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        HERE, "..", "data", "pcap")
    os.makedirs(out, exist_ok=True)
    time_2038(out)
    http_gaps(out)
    http_no_request(out)
    long_strings(out)
    dns_types(out)
    link_types(out)
    fragments(out)
    dns_tcp_gap(out)
    icmp_errors(out)


if __name__ == "__main__":
    main()
