#!/usr/bin/env python3
"""The console's terminal goes away: it must stop by itself, write out
its -w capture whole and exit, never spin. Each case runs the console
(--demo with -w) on a pty in a session of its own, then:

- closes the pty's master while the pty is not the console's controlling
  terminal: no SIGHUP comes, only a hang-up on stdin (what sudo's pty
  gives when sudo goes);
- closes the master of its controlling terminal: the kernel's SIGHUP;
- sends SIGTERM; and SIGPIPE, which the console must survive while its
  terminal is still there.

Checks the exit within a few seconds, the CPU it used meanwhile, the
status, the log line, and that the -w file ends on a whole record."""
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from testlib import check, exit_code, read_text  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "k8snet-top")


def cpu_ticks(pid):
    """utime + stime of pid, in clock ticks (None once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            st = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(st[11]) + int(st[12])


def pcap_whole(path):
    """(records, whole): whether the file is a pcap that ends on a record
    boundary."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return 0, False
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off, n = 24, 0
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        off += 16 + incl
        n += 1
    return n, off == len(data)


class Console:
    def __init__(self, work, name, ctty):
        self.log = os.path.join(work, name + ".log")
        self.pcap = os.path.join(work, name + ".pcap")
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", 30, 100, 0, 0))

        def child():
            os.setsid()
            if ctty:
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.p = subprocess.Popen(
            [BIN, "--demo", "-w", self.pcap, "--log", self.log],
            stdin=slave, stdout=slave, stderr=slave, preexec_fn=child,
            close_fds=True,
            env=dict(os.environ, TERM="xterm", HOME=work, KUBECONFIG=""))
        os.close(slave)
        self.screen = bytearray()
        self.stop = False
        self.reader = threading.Thread(target=self.drain, daemon=True)
        self.reader.start()

    def drain(self):
        """Read the screen, so the console never blocks on a full pty.
        Never blocked in read: a read under way would keep the master
        open past os.close."""
        while not self.stop:
            r, _, _ = select.select([self.master], [], [], 0.1)
            if not r:
                continue
            try:
                b = os.read(self.master, 65536)
            except OSError:
                return
            if not b:
                return
            self.screen += b

    def wait_drawn(self):
        end = time.monotonic() + 15
        while time.monotonic() < end and self.p.poll() is None:
            if len(self.screen) > 500 and \
                    os.path.exists(self.pcap) and os.path.getsize(self.pcap):
                time.sleep(0.5)
                return True
            time.sleep(0.05)
        return False

    def stop_reading(self):
        self.stop = True
        self.reader.join()

    def hang_up(self):
        self.stop_reading()
        os.close(self.master)
        self.master = -1

    def wait_exit(self, seconds):
        """(status, cpu ticks used while stopping) or (None, ticks)."""
        t0 = cpu_ticks(self.p.pid) or 0
        last = t0
        try:
            rc = self.p.wait(seconds)
        except subprocess.TimeoutExpired:
            rc = None
            last = cpu_ticks(self.p.pid) or last
        return rc, last - t0

    def end(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        self.stop_reading()
        if self.master >= 0:
            os.close(self.master)


def case(work, name, ctty, act, want_rc, want_log):
    c = Console(work, name, ctty)
    try:
        if not check(c.wait_drawn(), f"{name}: console drew its screen"):
            return
        act(c)
        rc, ticks = c.wait_exit(5)
        check(rc is not None, f"{name}: console exited by itself within 5 s")
        hz = os.sysconf("SC_CLK_TCK")
        check(ticks < hz, f"{name}: no spin while stopping ({ticks} ticks)")
        check(rc == want_rc, f"{name}: exit status {rc}, want {want_rc}")
        log = read_text(c.log)
        check(want_log in log, f"{name}: log says '{want_log}'")
        n, whole = pcap_whole(c.pcap)
        check(n > 0 and whole,
              f"{name}: -w file has {n} packets and ends on a whole record")
    finally:
        c.end()


def sigpipe_case(work):
    """A SIGPIPE with the terminal still there (a socket's, say) is not
    the end; SIGTERM then is."""
    c = Console(work, "sigpipe", False)
    try:
        if not check(c.wait_drawn(), "sigpipe: console drew its screen"):
            return
        os.kill(c.p.pid, signal.SIGPIPE)
        time.sleep(1)
        check(c.p.poll() is None, "sigpipe: a stray SIGPIPE is survived")
        os.kill(c.p.pid, signal.SIGTERM)
        rc, _ = c.wait_exit(5)
        check(rc == 128 + signal.SIGTERM, f"sigpipe: then SIGTERM ends it "
              f"({rc})")
    finally:
        c.end()


def main():
    with tempfile.TemporaryDirectory(prefix="kn-hangup-") as work:
        os.chmod(work, 0o755)
        case(work, "no-ctty", False, Console.hang_up, 128 + signal.SIGHUP,
             "the terminal closed")
        case(work, "ctty", True, Console.hang_up, 128 + signal.SIGHUP,
             "stopping")
        case(work, "sigterm", False,
             lambda c: os.kill(c.p.pid, signal.SIGTERM),
             128 + signal.SIGTERM, "SIGTERM: stopping")
        sigpipe_case(work)
    return exit_code()


if __name__ == "__main__":
    sys.exit(main())
