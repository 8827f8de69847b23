#!/usr/bin/env python3
"""Write a pcap (Ethernet, IPv4) whose DNS names, HTTP paths, Host and
headers and TLS SNI hold ESC, CSI and OSC sequences, C1 controls, NUL,
the bidi override U+202E and invalid UTF-8: terminal-safety input for
the capture side. python3 stdlib only.

  gen-hostile-pcap.py OUT.pcap"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapgen import PcapWriter, ipv4  # noqa: E402

OSC_TITLE = b"\x1b]0;pwned\x07"
OSC2_ST = b"\x1b]2;pwned\x1b\\"
CSI_CLEAR = b"\x1b[2J\x1b[31m"
C1_CSI = b"\x9b31m\xc2\x9b"
BIDI = "\u202e".encode()
BAD_UTF8 = b"\xff\xfe\xc3"

CLI, SRV = bytes([10, 66, 0, 1]), bytes([10, 66, 0, 2])
MAC_C, MAC_S = b"\x02\x00\x00\x00\x00\x01", b"\x02\x00\x00\x00\x00\x02"


def frame(src, dst, proto, l4):
    macs = (MAC_S + MAC_C) if src == CLI else (MAC_C + MAC_S)
    return macs + b"\x08\x00" + ipv4(src, dst, proto, l4)


def udp(src, dst, sport, dport, data):
    return frame(src, dst, 17, struct.pack("!HHHH", sport, dport,
                                           8 + len(data), 0) + data)


def tcp(src, dst, sport, dport, seq, ack, flags, data=b""):
    return frame(src, dst, 6, struct.pack("!HHIIBBHHH", sport, dport, seq,
                                          ack, 5 << 4, flags, 65535, 0, 0)
                 + data)


def qname(labels):
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\0"


def dns(qid, labels, answer=None):
    q = qname(labels) + struct.pack("!HH", 1, 1)
    if answer is None:
        return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q
    rr = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 30, 4) + answer
    return struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + q + rr


def tcp_session(sport, dport, req, resp):
    """Handshake, one request and one response, then FIN both ways."""
    c, s = 1000, 5000
    out = [tcp(CLI, SRV, sport, dport, c, 0, 0x02),
           tcp(SRV, CLI, dport, sport, s, c + 1, 0x12),
           tcp(CLI, SRV, sport, dport, c + 1, s + 1, 0x10),
           tcp(CLI, SRV, sport, dport, c + 1, s + 1, 0x18, req)]
    c += 1 + len(req)
    if resp:
        out.append(tcp(SRV, CLI, dport, sport, s + 1, c, 0x18, resp))
    s += 1 + len(resp)
    out += [tcp(CLI, SRV, sport, dport, c, s, 0x11),
            tcp(SRV, CLI, dport, sport, s, c + 1, 0x11)]
    return out


def client_hello(sni):
    ext_sni = struct.pack("!HB H", len(sni) + 3, 0, len(sni)) + sni
    ext = struct.pack("!HH", 0, len(ext_sni)) + ext_sni
    body = (b"\x03\x03" + b"\x11" * 32 + b"\x00" + b"\x00\x02\x13\x01" +
            b"\x01\x00" + struct.pack("!H", len(ext)) + ext)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def packets():
    dns_names = [
        [b"osc" + OSC_TITLE, b"hostile", b"example"],
        [b"st" + OSC2_ST, b"hostile", b"example"],
        [b"csi" + CSI_CLEAR, b"hostile", b"example"],
        [b"c1" + C1_CSI, b"hostile", b"example"],
        [b"nul\x00x", b"hostile", b"example"],
        [b"bidi" + BIDI + b"gpj", b"hostile", b"example"],
        [b"bad" + BAD_UTF8, b"hostile", b"example"],
    ]
    out = []
    for i, labels in enumerate(dns_names):
        out.append(udp(CLI, SRV, 40000 + i, 53, dns(0x100 + i, labels)))
        out.append(udp(SRV, CLI, 53, 40000 + i,
                       dns(0x100 + i, labels, bytes([10, 96, 0, i]))))
    req = (b"GET /p" + OSC_TITLE + b"/" + CSI_CLEAR + BIDI + b"/" +
           BAD_UTF8 + b"/" + C1_CSI + b" HTTP/1.1\r\n"
           b"Host: host" + OSC2_ST + b".hostile.example\r\n"
           b"User-Agent: ua" + OSC_TITLE + b"\r\n"
           b"X-Evil: " + CSI_CLEAR + BIDI + BAD_UTF8 + b"\r\n\r\n")
    resp = (b"HTTP/1.1 200 OK" + OSC_TITLE + b"\r\n"
            b"Content-Length: 2\r\nX-Back: " + OSC2_ST + b"\r\n\r\nok")
    out += tcp_session(41000, 80, req, resp)
    out += tcp_session(41001, 443, client_hello(
        b"sni" + OSC_TITLE + CSI_CLEAR + BIDI + BAD_UTF8 +
        b".hostile.example"), b"")
    return out


def main():
    w = PcapWriter(sys.argv[1], start_us=1_700_000_000_000_000 - 100_000)
    for p in packets():
        w.add(p, gap_us=100_000)
    w.close()


if __name__ == "__main__":
    main()
