"""Building blocks for the test captures the suite writes itself
(python3 stdlib only): the Internet checksum, an IPv4 header, and a
streaming pcap writer (microsecond timestamps, Ethernet link type)."""
import struct

PCAP_HEADER = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)


def csum(b):
    """RFC 1071 Internet checksum."""
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(src, dst, proto, payload, ipid=0):
    """An IPv4 packet (no options, DF set) around payload."""
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ipid,
                    0x4000, 64, proto, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


class PcapWriter:
    """Frames written as they come, each gap_us after the one before."""

    def __init__(self, path, start_us=1_700_000_000_000_000):
        self.f = open(path, "wb", buffering=1 << 20)
        self.f.write(PCAP_HEADER)
        self.t = start_us

    def add(self, frame, gap_us=1):
        self.t += gap_us
        self.f.write(struct.pack("<IIII", self.t // 1_000_000,
                                 self.t % 1_000_000, len(frame), len(frame)))
        self.f.write(frame)

    def close(self):
        self.f.close()
