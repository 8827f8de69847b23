"""Two network namespaces joined by a veth, a tiny DNS responder and a
DNS client in them (python3 stdlib), for the capture fault tests."""
import os
import signal
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
from testlib import sh  # noqa: E402,F401

RESPONDER = r"""
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 53))
while True:
    q, peer = s.recvfrom(2048)
    if len(q) >= 12:
        s.sendto(q[:2] + bytes([q[2] | 0x80, 0x80]) + q[4:], peer)
"""

CLIENT = r"""
import socket, struct, sys
server, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
qn = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0"
for i in range(count):
    s.sendto(struct.pack(">HHHHHH", i & 0xffff, 0x0100, 1, 0, 0, 0) + qn +
             struct.pack(">HH", 1, 1), (server, 53))
    if count <= 100:
        try:
            s.recvfrom(2048)
        except OSError:
            pass
"""


class Pair:
    """Namespaces NAME-c and NAME-s, veth DEV-c/DEV-s, 10.NET.0.1/.2;
    a DNS responder on the server side. Root only."""

    def __init__(self, name, dev, net):
        self.c, self.s = name + "-c", name + "-s"
        self.cdev, self.sdev = dev + "-c", dev + "-s"
        self.cip, self.sip = "10.%d.0.1" % net, "10.%d.0.2" % net
        self.procs = []
        self.close()
        sh("ip", "netns", "add", self.c)
        sh("ip", "netns", "add", self.s)
        sh("ip", "link", "add", self.cdev, "netns", self.c, "type", "veth",
           "peer", "name", self.sdev, "netns", self.s)
        for ns, d, ip in ((self.c, self.cdev, self.cip),
                          (self.s, self.sdev, self.sip)):
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", d)
            sh("ip", "-n", ns, "link", "set", d, "up")
        self.spawn(self.s, [sys.executable, "-c", RESPONDER, self.sip])

    def spawn(self, ns, args):
        p = subprocess.Popen(["ip", "netns", "exec", ns] + args,
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL,
                             start_new_session=True)
        self.procs.append(p)
        return p

    def ask(self, name, count=1):
        """count queries for name from the client side (a flood, not
        waiting for answers, when count > 100)."""
        sh("ip", "netns", "exec", self.c, sys.executable, "-c", CLIENT,
           self.sip, name, str(count))

    def unplug(self):
        sh("ip", "-n", self.s, "link", "del", self.sdev)

    def close(self):
        for p in self.procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        self.procs = []
        sh("ip", "netns", "del", self.c, check=False)
        sh("ip", "netns", "del", self.s, check=False)


def wait_live(proc, log, read_text, timeout=10):
    """Until k8snet-top (proc, logging to log) captures live."""
    deadline = time.monotonic() + timeout
    while "capture: live on" not in read_text(log):
        assert proc.poll() is None and time.monotonic() < deadline, \
            read_text(log)
        time.sleep(0.05)


def need_root():
    if os.geteuid() != 0:
        print("skip: needs root (network namespaces)")
        sys.exit(77)


def pcap_records(path):
    """(count, complete) of a pcap file's records."""
    with open(path, "rb") as f:
        data = f.read()
    off, n = 24, 0
    while off + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, off + 8)[0]
        if off + 16 + caplen > len(data):
            return n, False
        off += 16 + caplen
        n += 1
    return n, off == len(data)
