#!/usr/bin/env python3
"""-w onto a full disk (a 64 KiB tmpfs in a private mount namespace): the
error names the file and "No space left on device", decoding goes on and
--once still prints its whole report with exit status 1, and the partial
file holds whole records only (tcpdump reads it without complaint). The
file is created 0600 whatever the umask, and as root under sudo belongs
to SUDO_UID/SUDO_GID. From -r and from a live capture. Root only (exit
77 otherwise)."""
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import nspair  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "")
SRC = os.environ.get("K8SNET_SRC", os.path.join(HERE, "..", ".."))
NOBODY = 65534


def full_disk(work, cmd):
    """Run cmd (a list) with work/mnt a 64 KiB tmpfs, umask 022 and sudo's
    variables naming nobody; the file it wrote is copied to work/out.pcap
    and its owner and mode to work/stat."""
    q = " ".join(shlex.quote(c) for c in cmd)
    script = ("mount -t tmpfs -o size=64k k8snet-full mnt && umask 022 && "
              "SUDO_UID=%d SUDO_GID=%d %s >out 2>err; echo $? >rc; "
              "stat -c '%%u:%%g %%a' mnt/out.pcap >stat; "
              "cp mnt/out.pcap out.pcap" % (NOBODY, NOBODY, q))
    os.makedirs(os.path.join(work, "mnt"), exist_ok=True)
    return subprocess.Popen(["unshare", "-m", "--propagation", "private",
                             "sh", "-c", script], cwd=work)


def read(work, name):
    with open(os.path.join(work, name), encoding="utf-8",
              errors="replace") as f:
        return f.read()


def check(work, what):
    rc = int(read(work, "rc"))
    err = read(work, "err")
    assert rc == 1, (what, rc, err)
    assert "mnt/out.pcap: No space left on device" in err, (what, err)
    rep = json.loads(read(work, "out"))
    assert read(work, "stat").split() == ["%d:%d" % (NOBODY, NOBODY),
                                          "600"], read(work, "stat")
    n, whole = nspair.pcap_records(os.path.join(work, "out.pcap"))
    assert whole and n > 0, (what, n, whole)
    td = subprocess.run(["tcpdump", "-nr", os.path.join(work, "out.pcap")],
                        capture_output=True, text=True)
    assert td.returncode == 0 and "truncated" not in td.stderr, td.stderr
    assert td.stdout.strip(), "tcpdump read no packet"
    assert rep["packets"]["total"] > n, (rep["packets"], n)
    print("ok   %s: exit 1, %r; %d whole records kept of %d packets "
          "decoded; 0600 %s" % (what, err.strip().splitlines()[-1], n,
                                rep["packets"]["total"],
                                read(work, "stat").split()[0]))
    return rep


def from_file(work):
    with open(os.path.join(SRC, "tests", "data", "pcap", "eth.pcap"),
              "rb") as f:
        data = f.read()
    big = os.path.join(work, "big.pcap")
    with open(big, "wb") as f:  # 20 rounds: about 470 KB
        f.write(data[:24] + data[24:] * 20)
    full_disk(work, [BIN, "--once", "-r", big, "-w", "mnt/out.pcap",
                     "--pane", "traffic", "-o", "json"]).wait(60)
    rep = check(work, "-r")
    ref = subprocess.run([BIN, "--once", "-r", big, "--pane", "traffic",
                          "-o", "json"], capture_output=True, text=True)
    # Everything was decoded although the file stopped early.
    assert json.loads(ref.stdout)["packets"] == rep["packets"]


def live(work):
    pair = nspair.Pair("knfull", "kf", 83)
    try:
        log = os.path.join(work, "log")
        p = full_disk(work, ["ip", "netns", "exec", pair.s, BIN, "--once",
                             "-i", pair.sdev, "--duration", "4", "-w",
                             "mnt/out.pcap", "--pane", "traffic", "-o",
                             "json", "--log", log])
        deadline = time.monotonic() + 15
        while not (os.path.exists(log) and
                   "capture: live on" in read(work, "log")):
            assert p.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        pair.ask("full.example", 3000)  # about 500 KB both ways
        p.wait(30)
    finally:
        pair.close()
    rep = check(work, "live")
    assert rep["dns"]["queries"] > 0, rep["dns"]


def main():
    nspair.need_root()
    if not shutil.which("tcpdump") or not shutil.which("unshare"):
        print("skip: needs tcpdump and unshare")
        sys.exit(77)
    os.environ.update(HOME=tempfile.gettempdir(), KUBECONFIG="")
    for t in (from_file, live):
        work = tempfile.mkdtemp(prefix="k8snet-full-")
        try:
            t(work)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
