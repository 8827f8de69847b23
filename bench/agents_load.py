#!/usr/bin/env python3
"""Three node agents under load, read live through the test Kube-API.

Each "node" is a pair of network namespaces joined by a veth: tcpreplay
offers RATE packets/s of DNS in one (the DNS packets of
tests/data/pcap/eth.pcap, looped), a real `k8snet-top --agent -i IF -f ''`
captures in the other, its stdout the log of an agent pod that the test
Kube-API server (tests/integration/kubeapi) serves. Meanwhile
`k8snet-top --once --pane traffic --agents NS -o jsonl` follows the three
logs. Runs once per mode: failures in full (the default) and
`--agent-detail all` with the rate cap lifted.

Per agent: packets offered (tcpreplay), received and dropped by the
kernel (its --log line at exit), CPU over the replay (utime+stime from
/proc, % of one core), peak RSS (VmHWM), lines and bytes per second it
wrote. Through the server: lines and bytes per second its follow streams
sent (timestamps included, framing and TLS not). The console: CPU over
the replay and over its whole run per 1,000 lines, peak RSS, lines it
took against lines written, lost and duplicated lines, the backlog
sampled every half second (lines written but not yet sent by the server,
bytes the server wrote that the console had not read: Recv-Q and Send-Q
from ss), how long after the server read an agent's last line the
console took it (late_ms, from the console's last_line_age_s, so within
0.1 s; "-" when it never did), its CPU for 4 s before the replay (the
agents idle), the time it waited runnable for
a CPU (/proc schedstat) and its wakeups, and the methods it used.

Needs root, iproute2, tcpreplay (bench/agents_load.sh checks them).
    bench/agents_load.py BIN TAG [SECONDS]
TAG prefixes the namespaces (bench/agents_load.sh deletes them too);
env RATE (50000), MODES ("failures all"), AGENTS (3)."""
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration",
                                "kubeapi"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))
import harness  # noqa: E402
# processes in their own groups, ended whole and checked
from test_agents import end, procs, spawn  # noqa: E402

BIN = sys.argv[1]
TAG = sys.argv[2]
SECS = int(sys.argv[3]) if len(sys.argv) > 3 else 25
RATE = int(os.environ.get("RATE", "50000"))
MODES = os.environ.get("MODES", "failures all").split()
N = int(os.environ.get("AGENTS", "3"))
PCAP = os.path.join(HERE, "..", "tests", "data", "pcap", "eth.pcap")
NS = "k8snet-top"
AGENT = {"app.kubernetes.io/name": "k8snet-top"}
HZ = os.sysconf("SC_CLK_TCK")


class Stop(Exception):
    pass


def on_signal(sig, frame):
    raise Stop("signal %d" % sig)


def cns(i):
    return "%s-c%d" % (TAG, i)


def sns(i):
    return "%s-s%d" % (TAG, i)


def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def netns_del():
    for i in range(N):
        for ns in (cns(i), sns(i)):
            subprocess.run(["ip", "netns", "del", ns],
                           stderr=subprocess.DEVNULL)


def dns_pcap(src, dst):
    """The UDP and TCP port 53 packets of an Ethernet pcap."""
    with open(src, "rb") as f:
        data = f.read()
    magic = data[:4]
    end_ = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") \
        else ">"
    if struct.unpack(end_ + "I", data[20:24])[0] != 1:
        raise SystemExit("agents_load.py: %s is not Ethernet" % src)
    out, pos, kept = [data[:24]], 24, 0
    while pos + 16 <= len(data):
        incl = struct.unpack(end_ + "I", data[pos + 8:pos + 12])[0]
        pkt = data[pos + 16:pos + 16 + incl]
        rec = data[pos:pos + 16 + incl]
        pos += 16 + incl
        et = struct.unpack(">H", pkt[12:14])[0]
        if et == 0x0800:
            ihl = (pkt[14] & 15) * 4
            proto, l4 = pkt[23], 14 + ihl
        elif et == 0x86DD:
            proto, l4 = pkt[20], 54
        else:
            continue
        if proto not in (6, 17):
            continue
        sp, dp = struct.unpack(">HH", pkt[l4:l4 + 4])
        if 53 in (sp, dp):
            out.append(rec)
            kept += 1
    with open(dst, "wb") as f:
        f.write(b"".join(out))
    return kept


def ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    v = s[s.rindex(")") + 2:].split()
    return int(v[11]) + int(v[12])


def hwm(pid):
    with open("/proc/%d/status" % pid) as f:
        for ln in f:
            if ln.startswith("VmHWM:"):
                return int(ln.split()[1])
    return 0


def sched(pid):
    """(seconds waited runnable for a CPU, voluntary context switches)"""
    with open("/proc/%d/schedstat" % pid) as f:
        wait = int(f.read().split()[1]) / 1e9
    with open("/proc/%d/status" % pid) as f:
        for ln in f:
            if ln.startswith("voluntary_ctxt_switches:"):
                return wait, int(ln.split()[1])
    return wait, 0


def load1():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


class Counter:
    """Complete lines and bytes of a growing file."""

    def __init__(self, path):
        self.path, self.pos, self.lines = path, 0, 0

    def update(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except FileNotFoundError:
            return self
        k = data.rfind(b"\n") + 1
        self.lines += data.count(b"\n", 0, k)
        self.pos += k
        return self


def in_flight(port):
    """Bytes written by the server but not yet read by the console: what
    waits in the console's sockets (Recv-Q of those connected to port)
    plus what the server's sockets hold back (their Send-Q)."""
    n = 0
    for side in ("dst", "src"):
        r = subprocess.run(["ss", "-tnH", "state", "established", side,
                            "127.0.0.1:%d" % port],
                           capture_output=True, text=True)
        for ln in r.stdout.splitlines():
            v = ln.split()
            if len(v) >= 2 and v[0].isdigit():
                n += int(v[0]) if side == "dst" else int(v[1])
    return n


def pod(i):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {
        "name": "agent-%d" % i, "namespace": NS, "uid": "a%d" % i,
        "labels": AGENT},
        "spec": {"nodeName": "node-%d" % i,
                 "containers": [{"name": "k8snet-top"}]},
        "status": {"phase": "Running"}}


def wait_for(pred, timeout, what):
    t = time.monotonic() + timeout
    while time.monotonic() < t:
        if pred():
            return
        time.sleep(0.1)
    raise SystemExit("agents_load.py: timed out waiting for " + what)


def run(mode, pcap, work):
    """One run: returns the figures as a dict."""
    d = os.path.join(work, mode)
    os.makedirs(d)
    api = harness.KubeAPI(workdir=os.path.join(d, "api"), seed=None,
                          args=["--token", "t=u"])
    try:
        return run_with(api, mode, pcap, d)
    finally:
        for p in procs:
            if p.poll() is None:
                end(p, signal.SIGKILL)
        api.stop()
        procs.clear()


def run_with(api, mode, pcap, d):
    extra = [] if mode == "failures" else [
        "--agent-detail", "all", "--agent-rate", "1000000"]
    api.op("add", objects=[pod(i) for i in range(N)])
    agents, outs = [], []
    for i in range(N):
        path = os.path.join(d, "agent-%d.log" % i)
        diag = path + ".diag"
        with open(path, "wb") as out:
            agents.append(spawn(["ip", "netns", "exec", sns(i), BIN,
                                 "--agent", "-i", "kld%ds" % i, "-f", "",
                                 "--log", diag] + extra, stdout=out,
                                env=dict(os.environ,
                                         NODE_NAME="node-%d" % i)))
        outs.append(path)
        api.op("log_source", namespace=NS, pod="agent-%d" % i, path=path)

    def live(i):
        try:
            with open(outs[i] + ".diag") as f:
                return "capture: live on" in f.read()
        except FileNotFoundError:
            return False
    wait_for(lambda: all(live(i) for i in range(N)), 30, "captures")

    kc = harness.write_kubeconfig(os.path.join(d, "kc"), api.server,
                                  {"token": "t"},
                                  {"certificate-authority": api.ca})
    cout = os.path.join(d, "console.jsonl")
    duration = SECS + 25
    with open(cout, "wb") as out:
        console = spawn([BIN, "--kubeconfig", kc, "--once", "--pane",
                         "traffic", "--agents", NS, "--duration",
                         str(duration), "-o", "jsonl", "--log",
                         os.path.join(d, "console.log")], stdout=out)
    c_start = time.monotonic()
    wait_for(lambda: sum(1 for e in api.log() if "/log?" in e["path"]) >= N,
             30, "the console's streams")
    time.sleep(1)
    i0, iw = ticks(console.pid), time.monotonic()
    time.sleep(4)
    idle = 100.0 * (ticks(console.pid) - i0) / HZ / (time.monotonic() - iw)
    cnt = [Counter(p).update() for p in outs]
    pl0 = api.podlogs()
    l0 = [c.lines for c in cnt]
    b0 = [c.pos for c in cnt]
    a0 = [ticks(p.pid) for p in agents]
    k0, s0 = ticks(console.pid), ticks(api.proc.pid)
    q0 = sched(console.pid)
    t0 = time.monotonic()
    replays = []
    for i in range(N):
        with open(os.path.join(d, "replay-%d" % i), "wb") as out:
            replays.append(spawn(
                ["ip", "netns", "exec", cns(i), "tcpreplay", "-q", "-i",
                 "kld%dc" % i, "--pps=%d" % RATE, "--loop=0",
                 "--limit=%d" % (RATE * SECS), "--preload-pcap", pcap],
                stdout=out))
    lag_lines, lag_s, rq_max = 0, 0.0, 0
    last, last_t = list(l0), t0
    while any(r.poll() is None for r in replays):
        time.sleep(0.5)
        now = time.monotonic()
        pl = api.podlogs()
        for i, c in enumerate(cnt):
            c.update()
            srv = pl.get("%s/agent-%d" % (NS, i), {})
            behind = c.lines - srv.get("lines_served", 0)
            rate = (c.lines - last[i]) / max(now - last_t, 1e-3)
            lag_lines = max(lag_lines, behind)
            if rate > 0:
                lag_s = max(lag_s, behind / rate)
            last[i] = c.lines
        last_t = now
        rq_max = max(rq_max, in_flight(api.info["port"]))
    t1 = time.monotonic()
    a1 = [ticks(p.pid) for p in agents]
    k1, s1 = ticks(console.pid), ticks(api.proc.pid)
    q1 = sched(console.pid)
    ld = load1()
    pl1 = api.podlogs()
    for c in cnt:
        c.update()
    l1 = [c.lines for c in cnt]
    b1 = [c.pos for c in cnt]
    rss = [hwm(p.pid) for p in agents]
    for p in agents:
        end(p)
    time.sleep(0.5)
    pl2 = api.podlogs()
    left = duration - (time.monotonic() - c_start)
    if left < 3:
        raise SystemExit("agents_load.py: the replay overran the "
                         "console's --duration")
    _, _, ru = os.wait4(console.pid, 0)
    c_end = time.time()
    console.returncode = 0
    w = t1 - t0

    got = {}
    with open(cout) as f:
        for ln in f:
            o = json.loads(ln)
            if o.get("type") == "agent":
                got[o["node"]] = o
    rows = []
    for i in range(N):
        c = Counter(outs[i]).update()
        with open(outs[i] + ".diag") as f:
            diag = f.read()
        rc = kd = "?"
        for ln in diag.splitlines():
            if "dropped by the kernel" in ln:
                ws = ln.replace(",", " ").split()
                rc = ws[ws.index("packets") - 1]
                kd = ws[ws.index("dropped") - 1]
        with open(os.path.join(d, "replay-%d" % i)) as f:
            rp = f.read()
        pps = "?"
        for ln in rp.splitlines():
            if "pps" in ln and "Rated" in ln:
                ws = ln.split()
                pps = ws[ws.index("pps,") - 1] if "pps," in ws else \
                    ws[ws.index("pps") - 1]
        g = got.get("node-%d" % i, {})
        srv0 = pl0.get("%s/agent-%d" % (NS, i), {})
        srv1 = pl1.get("%s/agent-%d" % (NS, i), {})
        last = pl2.get("%s/agent-%d" % (NS, i), {}).get("last_ns", 0) / 1e9
        age = g.get("last_line_age_s")
        rows.append({
            "node": "node-%d" % i, "offered": pps, "received": rc,
            "kdrop": kd, "cpu": 100.0 * (a1[i] - a0[i]) / HZ / w,
            "rss": rss[i], "lines_s": (l1[i] - l0[i]) / w,
            "bytes_s": (b1[i] - b0[i]) / w,
            "srv_lines_s": (srv1.get("lines_served", 0) -
                            srv0.get("lines_served", 0)) / w,
            "srv_bytes_s": (srv1.get("bytes_served", 0) -
                            srv0.get("bytes_served", 0)) / w,
            "written": c.lines, "took": g.get("lines"),
            "lost": g.get("lost_lines"), "dups": g.get("duplicates"),
            "bad": g.get("bad_lines"),
            "latency": None if age is None or g.get("lines") != c.lines
            else (c_end - age) - last})
    cpu_total = ru.ru_utime + ru.ru_stime
    took = sum(r["took"] or 0 for r in rows)
    methods = sorted({e["method"] for e in api.log()})
    return {"mode": mode, "window": w, "load": ld, "rows": rows,
            "console_cpu": 100.0 * (k1 - k0) / HZ / w,
            "console_idle": idle,
            "console_total": cpu_total, "console_took": took,
            "console_per_k": 100.0 * cpu_total / took * 1000 if took else 0,
            "console_rss": ru.ru_maxrss,
            "console_wait": 100.0 * (q1[0] - q0[0]) / w,
            "console_wakeups": (q1[1] - q0[1]) / w,
            "server_cpu": 100.0 * (s1 - s0) / HZ / w,
            "lag_lines": lag_lines, "lag_s": lag_s, "recvq": rq_max,
            "methods": methods}


def report(r):
    print("mode %s: %.1f s replay, load %s" % (r["mode"], r["window"],
                                               r["load"]))
    print("%-7s %8s %9s %6s %6s %7s %8s %10s %8s %10s %8s %8s %5s %5s %8s" %
          ("node", "offered", "received", "kdrop", "cpu%", "rss_kB",
           "lines/s", "bytes/s", "api_l/s", "api_B/s", "written", "took",
           "lost", "dups", "late_ms"))
    for x in r["rows"]:
        print("%-7s %8s %9s %6s %6.1f %7d %8.0f %10.0f %8.0f %10.0f %8d "
              "%8s %5s %5s %8s" % (
                  x["node"], x["offered"], x["received"], x["kdrop"],
                  x["cpu"], x["rss"], x["lines_s"], x["bytes_s"],
                  x["srv_lines_s"], x["srv_bytes_s"], x["written"],
                  x["took"], x["lost"], x["dups"],
                  "-" if x["latency"] is None else
                  "%.0f" % (1000 * x["latency"])))
    tot_l = sum(x["lines_s"] for x in r["rows"])
    tot_b = sum(x["srv_bytes_s"] for x in r["rows"])
    kept = all(x["took"] == x["written"] for x in r["rows"])
    print("console: %.1f%% of a core over the replay (%.0f lines/s in), "
          "%.2f s CPU in all for %d lines: %.2f%% per 1,000 lines/s; "
          "peak RSS %d kB; %s" % (
              r["console_cpu"], tot_l, r["console_total"],
              r["console_took"], r["console_per_k"], r["console_rss"],
              "took every line written" if kept else
              "DID NOT take every line written"))
    print("console: %.1f%% of a core for 4 s before the replay (agents "
          "idle); waited for a CPU %.1f%% of the replay, %.0f wakeups/s" % (
              r["console_idle"], r["console_wait"], r["console_wakeups"]))
    print("backlog: at most %d lines written but not yet sent by the server "
          "(%.2f s of lines), %d bytes sent but not yet read by the console" %
          (
              r["lag_lines"], r["lag_s"], r["recvq"]))
    print("API server: %.0f bytes/s to the console in all; its CPU %.1f%% "
          "of a core (python, the test server); methods %s" % (
              tot_b, r["server_cpu"], ",".join(r["methods"])))
    print()


def main():
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    work = tempfile.mkdtemp(prefix="knld-")
    os.chmod(work, 0o755)
    pcap = os.path.join(work, "dns.pcap")
    try:
        kept = dns_pcap(PCAP, pcap)
        every = subprocess.run([BIN, "--agent", "-r", pcap, "--agent-detail",
                                "all"], capture_output=True, text=True,
                               check=True).stdout.splitlines()
        txns = [json.loads(x) for x in every if '"k":"txn"' in x]
        fails = subprocess.run([BIN, "--agent", "-r", pcap],
                               capture_output=True, text=True,
                               check=True).stdout.splitlines()
        nfail = sum(1 for x in fails if '"k":"txn"' in x)
        print("capture: the %d DNS packets of %s (%d transactions, %d "
              "failing: %.0f%%), looped; %d agents at %d packets/s, %d s; "
              "%d CPUs" % (kept, os.path.basename(PCAP), len(txns), nfail,
                           100.0 * nfail / max(len(txns), 1), N, RATE, SECS,
                           os.cpu_count()))
        netns_del()
        for i in range(N):
            sh("ip", "netns", "add", cns(i))
            sh("ip", "netns", "add", sns(i))
            sh("ip", "link", "add", "kld%dc" % i, "netns", cns(i), "type",
               "veth", "peer", "name", "kld%ds" % i, "netns", sns(i))
            sh("ip", "-n", cns(i), "link", "set", "kld%dc" % i, "up")
            sh("ip", "-n", sns(i), "link", "set", "kld%ds" % i, "up")
        for mode in MODES:
            report(run(mode, pcap, work))
    except Stop as e:
        print("agents_load.py: stopped (%s)" % e, file=sys.stderr)
        return 1
    finally:
        for p in procs:
            if p.poll() is None:
                end(p, signal.SIGKILL)
        netns_del()
        subprocess.run(["rm", "-rf", work])
    return 0


if __name__ == "__main__":
    sys.exit(main())
