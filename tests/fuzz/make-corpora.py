#!/usr/bin/env python3
"""Seed the decoder fuzz corpora from the test pcaps (tests/data/pcap):
packets for layers, DNS messages, HTTP heads, TLS hellos, and segment
records of whole TCP connections for the reassembly target, and the
IP packets of captures with fragments for the fragment reassembly. Up to 40
seeds a corpus from the captures of real traffic, then up to 25 more
from the synthetic ones (lost segments, long strings, rare types)."""
import glob, hashlib, os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
pcapdir = os.path.join(here, "..", "data", "pcap")
# pcap linktype -> enum kn_link
LINKS = {1: 0, 113: 1, 276: 2, 101: 3, 239: 8, 50: 9, 51: 10}


def packets(path):
    d = open(path, "rb").read()
    magic = struct.unpack("<I", d[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    link = struct.unpack(e + "I", d[20:24])[0]
    off = 24
    while off + 16 <= len(d):
        _, _, incl, _ = struct.unpack(e + "IIII", d[off:off + 16])
        yield link, d[off + 16:off + 16 + incl]
        off += 16 + incl


def l3(link, b):
    if link == 1:
        t, o = struct.unpack(">H", b[12:14])[0], 14
        while t == 0x8100:
            t, o = struct.unpack(">H", b[o + 2:o + 4])[0], o + 4
        return b[o:]
    if link == 113:
        return b[16:]
    if link == 276:
        return b[20:]
    return b


def l4(ip):
    if not ip:
        return None
    if ip[0] >> 4 == 4:
        h = (ip[0] & 15) * 4
        return ip[9], ip[12:16], ip[16:20], ip[h:struct.unpack(">H", ip[2:4])[0]]
    if ip[0] >> 4 == 6:
        return ip[6], ip[8:24], ip[24:40], ip[40:]
    return None


def synthetic():
    """The captures make-synthetic.py writes (tests/data/pcap/SOURCES):
    they hold what the real ones lack (lost segments, keep-alives, long
    strings, rare types), so they may add seeds past the real ones'."""
    names, on = set(), False
    for line in open(os.path.join(pcapdir, "SOURCES")):
        if line.startswith("Synthetic"):
            on = True
        elif on and line.startswith("  ") and not line.startswith("   "):
            names.add(line.split()[0])
    return names


SYNTH = synthetic()
EXTRA = 0  # seeds the current capture may add past a corpus's limit


def save(name, data, limit):
    d = os.path.join(here, "corpus", name)
    os.makedirs(d, exist_ok=True)
    if len(os.listdir(d)) >= limit + EXTRA:
        return
    open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb").write(data)


conns = {}
for path in sorted(glob.glob(os.path.join(pcapdir, "*.pcap")),
                   key=lambda p: (os.path.basename(p) in SYNTH, p)):
    EXTRA = 25 if os.path.basename(path) in SYNTH else 0
    for i, (link, b) in enumerate(packets(path)):
        if link in LINKS:
            # the first packets of each link and header the real
            # captures lack (link-*.pcap), whatever the corpus holds
            new_link = os.path.basename(path).startswith("link-") and i < 2
            save("layers", bytes([LINKS[link]]) + b,
                 10 ** 6 if new_link else 40)
        t = l4(l3(link, b))
        if t is None:
            continue
        proto, src, dst, seg = t
        if proto == 17 and len(seg) >= 8:
            sp, dp = struct.unpack(">HH", seg[:4])
            if 53 in (sp, dp):
                save("dns", seg[8:], 40)
        if proto == 6 and len(seg) >= 20:
            sp, dp, seq = struct.unpack(">HHI", seg[:8])
            flags = seg[13]
            pl = seg[(seg[12] >> 4) * 4:]
            if pl[:4] in (b"GET ", b"POST", b"HEAD", b"HTTP"):
                save("http", pl, 40)
            if pl[:1] == b"\x16":
                save("sni", pl, 10)
            if 53 in (sp, dp) and len(pl) > 2:
                save("dns", pl[2:], 40)
            key = (path, min((src, sp), (dst, dp)), max((src, sp), (dst, dp)))
            conns.setdefault(key, []).append((src, sp, dst, dp, seq, flags & 0x1f, pl))

# reasm: the IP packets of each capture with fragments in one seed
# (2-byte length, a time step byte, the packet), as fuzz_reasm.c reads.
for path in sorted(glob.glob(os.path.join(pcapdir, "*.pcap"))):
    ips = [l3(link, b) for link, b in packets(path) if link in LINKS]
    frag = [ip for ip in ips if ip and (
        (ip[0] >> 4 == 4 and struct.unpack(">H", ip[6:8])[0] & 0x3fff) or
        (ip[0] >> 4 == 6 and ip[6] == 44))]
    if frag:
        save("reasm", b"".join(struct.pack(">HB", len(ip), 1) + ip
                               for ip in ips), 40)
        save("reasm", b"".join(struct.pack(">HB", len(ip), 0) + ip
                               for ip in reversed(frag)), 40)

n = 0
for key, segs in conns.items():
    EXTRA = 25 if os.path.basename(key[0]) in SYNTH else 0
    c = segs[0]
    client = (c[0], c[1])
    port = c[3] if c[5] & 2 else min(c[1], c[3])
    pidx = {80: 0, 53: 1, 443: 2, 8443: 2}.get(port, 0)
    out = bytearray([0, pidx])
    last = {}
    for src, sp, dst, dp, seq, flags, pl in segs:
        d = 0 if (src, sp) == client else 1
        delta = 0 if d not in last else (seq - last[d]) & 0xffff
        for i in range(0, max(len(pl), 1), 255):
            chunk = pl[i:i + 255]
            out += bytes([flags, d]) + struct.pack(">H", delta if i == 0 else 0) + bytes([len(chunk)]) + chunk
        last[d] = seq + len(pl)
    save("tcp", bytes(out[:60000]), 40)
    n += 1
print("corpora written")
