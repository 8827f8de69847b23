#!/usr/bin/env python3
"""Capture error messages are never cut: the advice when capture is not
permitted names the binary's whole path however deep it lies, and the
messages about a -r or -w path, a -f expression or a -i name carry them
whole (an expression too long for that is named by its length). Needs root for the not-permitted case (run again as nobody from
a copy of the binary in a deep folder); the others run as anyone."""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
from testlib import check, exit_code  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "k8snet-top")
ENV = dict(os.environ, KUBECONFIG="", HOME="/nonexistent")


def run(args, **kw):
    r = subprocess.run([BIN if not args[0].startswith("/") else args[0]] +
                       args[1:], capture_output=True, text=True, env=ENV,
                       timeout=60, **kw)
    return r.returncode, r.stderr


def deep_dir(base, total):
    """A folder path of about total bytes under base (255-byte names)."""
    path = base
    while len(path) < total:
        path = os.path.join(path, "d" * min(200, total - len(path)))
    return path


def not_permitted(work):
    """A copy of the binary 1,500 bytes deep, run as nobody on lo."""
    if os.geteuid() != 0:
        print("skip: not-permitted case needs root to run as nobody")
        return
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        print("skip: no user nobody")
        return
    d = deep_dir(work, 1500)
    os.makedirs(d)
    exe = os.path.join(d, "k8snet-top")
    shutil.copy(BIN, exe)
    p = work
    for part in os.path.relpath(exe, work).split(os.sep):
        os.chmod(p, 0o755)
        p = os.path.join(p, part)
    os.chmod(exe, 0o755)

    def as_nobody():
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)

    rc, err = run([exe, "--once", "--pane", "traffic", "-i", "lo",
                   "--duration", "1", "-o", "json"], preexec_fn=as_nobody)
    line = err.strip().splitlines()[-1] if err.strip() else ""
    check(rc == 1, f"not permitted: exit 1 ({rc})")
    check("capture not permitted" in line, "not permitted: says so")
    check(line.endswith("cap_net_raw,cap_net_admin=eip " + exe),
          f"not permitted: the advice ends with the whole {len(exe)}-byte "
          f"path of the binary (got {len(line)} bytes: ...{line[-60:]})")


def long_paths(work):
    missing = os.path.join(deep_dir(work, 3000), "missing.pcap")
    rc, err = run(["--once", "--pane", "traffic", "-r", missing])
    check(rc == 1 and missing in err,
          f"-r: the whole {len(missing)}-byte path in the message")
    src = os.path.join(os.environ.get("K8SNET_SRC", os.path.join(HERE, "..",
                                                                 "..")),
                       "tests", "data", "pcap", "eth.pcap")
    out = os.path.join(deep_dir(work, 2500), "no", "out.pcap")
    rc, err = run(["--once", "--pane", "traffic", "-r", src, "-w", out])
    check(rc == 1 and out in err,
          f"-w: the whole {len(out)}-byte path in the message")
    expr = " or ".join("host 10.0.%d.%d" % (i // 250, i % 250)
                       for i in range(120)) + " or port nonsense"
    rc, err = run(["--once", "--pane", "traffic", "-r", src, "-f", expr])
    check(rc == 1 and ("'%s': " % expr) in err,
          f"-f: the whole {len(expr)}-byte expression in the message")
    check("nonsense" in err.split(expr)[-1],
          "-f: libpcap's reason after the expression")
    rc, err = run(["--once", "--pane", "traffic", "-r", src, "-f",
                   "port nonsense or " + "x" * 5000])
    check(rc == 1 and "an expression of 5017 bytes" in err and
          "nonsense" in err.split("bytes)")[-1],
          "-f: an expression too long to repeat is named by its length")
    name = "x" * 40
    rc, err = run(["--once", "--pane", "traffic", "-i", name,
                   "--duration", "1"])
    last = err.strip().splitlines()[-1] if err.strip() else ""
    check(rc == 1 and ("-i %s: no such interface" % name) in last,
          f"-i: a name longer than IFNAMSIZ whole in the message ({last})")


def main():
    with tempfile.TemporaryDirectory(prefix="kn-errs-") as work:
        os.chmod(work, 0o755)
        long_paths(work)
        not_permitted(work)
    return exit_code()


if __name__ == "__main__":
    sys.exit(main())
