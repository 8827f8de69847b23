#!/bin/sh
# Live Kube-API at scale, against the project's test server over TLS:
#  1. start -> complete model: `k8snet-top --once --pane pods -o json`
#     (list everything, then print) beside a raw walk of the pod pages
#     (one keep-alive TLS connection, nothing parsed but the continue
#     token: the wire's and the server's time), best of BENCH_KUBE_RUNS
#     (3) each, taken in turns; then where the console's time went, from
#     the server's request log; then `kubectl get pods -A -o json` and
#     `kubectl get` of the same kinds (BENCH_KUBECTL=0 skips them: they
#     take minutes at 150,000 pods). BENCH_KUBE_BEFORE=BIN also times an
#     earlier build of the console in the same turns (before/after);
#  2. watch churn: the console (TUI in tmux) watching while the server
#     relabels BENCH_EVENTS_PER_S pods a second (default 1,000) for
#     BENCH_WINDOW_S seconds, BENCH_REPEAT times; per window the console's
#     CPU (utime+stime from /proc), the watch events the server really
#     wrote, and the console's RSS.
# Sizes as bench/model.sh (BENCH_NODES, BENCH_PODS ...); the generated
# snapshot is shared with it. BENCH_KUBE_LIST=0 skips part 1,
# BENCH_KUBE_CHURN=0 part 2; BENCH_PERF=FILE records the console
# with `perf record $BENCH_PERF_OPTS` (default -g; --call-graph dwarf gives
# whole stacks) during the first churn window.
set -eu
bin=${K8SNET_BIN:?}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
work=${BENCH_TMP:-${TMPDIR:-/tmp}/k8snet-bench}
nodes=${BENCH_NODES:-5000}; pods=${BENCH_PODS:-150000}
svcs=${BENCH_SERVICES:-20000}; ings=${BENCH_INGRESSES:-2000}
rate=${BENCH_EVENTS_PER_S:-1000}; window=${BENCH_WINDOW_S:-20}
repeat=${BENCH_REPEAT:-3}; list=${BENCH_KUBE_LIST:-1}; perf=${BENCH_PERF:-}
export BENCH_PERF_OPTS="${BENCH_PERF_OPTS:--g}"
export BENCH_KUBE_RUNS="${BENCH_KUBE_RUNS:-3}" BENCH_KUBECTL="${BENCH_KUBECTL:-1}"
export BENCH_KUBE_BEFORE="${BENCH_KUBE_BEFORE:-}"
export BENCH_KUBE_CHURN="${BENCH_KUBE_CHURN:-1}"
mkdir -p "$work"
big=$work/cluster-$nodes-$pods-$svcs-$ings.json
if [ ! -s "$big" ]; then
	echo "kube: generating $big"
	python3 "$here/gen_cluster.py" --nodes "$nodes" --pods "$pods" \
		--services "$svcs" --ingresses "$ings" -o "$big.tmp"
	mv "$big.tmp" "$big"
fi
exec python3 - "$bin" "$big" "$src" "$rate" "$window" "$repeat" "$list" \
	"$perf" <<'PY'
import http.client, json, os, re, resource, ssl, subprocess, sys, time
import urllib.parse
bin_, big, src, rate, window = sys.argv[1], sys.argv[2], sys.argv[3], \
    int(sys.argv[4]), float(sys.argv[5])
repeat, do_list, perf = int(sys.argv[6]), sys.argv[7] != "0", sys.argv[8]
sys.path.insert(0, os.path.join(src, "tests", "integration", "kubeapi"))
import harness

def timed(label, cmd, env):
    t = os.path.join(api.tmp, "time.txt")
    t0 = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-v", "-o", t] + cmd, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.monotonic() - t0
    tv = open(t).read().splitlines()
    rss = [l for l in tv if "Maximum resident" in l][0].split()[-1]
    cpu = sum(float(l.split()[-1]) for l in tv
              if "User time" in l or "System time" in l)
    ok = "ok" if r.returncode == 0 else f"FAILED ({r.stderr[-200:]!r})"
    print(f"kube: {label:<52} {wall:7.2f} s wall {cpu:7.2f} s CPU "
          f"{int(rss)/1024:7.1f} MB  {ok}", flush=True)
    return wall

def raw_walk():
    """GET every page of pods on one keep-alive TLS connection, reading
    each body whole and nothing of it but the continue token."""
    u = urllib.parse.urlsplit(api.server)
    ctx = ssl.create_default_context(cafile=api.ca)
    tok = re.compile(rb'"continue":"([^"]*)"')
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    c = http.client.HTTPSConnection(u.hostname, u.port, context=ctx)
    cont, pages, size = None, 0, 0
    while True:
        path = "/api/v1/pods?limit=500"
        if cont:
            path += "&continue=" + urllib.parse.quote(cont, safe="")
        c.request("GET", path, headers={"Authorization": "Bearer bench",
                                        "Accept": "application/json"})
        body = c.getresponse().read()
        pages, size = pages + 1, size + len(body)
        m = tok.search(body, 0, 4096)
        cont = m.group(1).decode() if m else None
        if not cont:
            break
    c.close()
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
    print(f"kube: {f'raw walk of the pod pages ({pages}, {size>>20} MB)':<52}"
          f" {wall:7.2f} s wall {cpu:7.2f} s CPU", flush=True)
    return wall

def where(label):
    """Where a console run's time went, from the server's request log:
    per kind, the server making its pages ("make": from reading the
    request to the body made), the time between a page handed to the
    socket and the request for the next ("waits": the server idle on
    this kind, the client's time), and the connections used."""
    log = [e for e in api.log() if "limit=" in e["path"] and
           "watch=" not in e["path"]]
    if not log:
        return
    t0 = min(e["start"] for e in log)
    kinds = {}
    for e in log:
        kinds.setdefault(e["path"].split("?")[0], []).append(e)
    for path, es in sorted(kinds.items(), key=lambda kv: -len(kv[1]))[:3]:
        es.sort(key=lambda e: e["start"])
        make = sum(e["ready"] - e["start"] for e in es)
        waits = sum(max(0.0, b["start"] - a["end"])
                    for a, b in zip(es, es[1:]))
        print(f"kube:   {label}: {path}: {len(es)} pages, "
              f"{sum(e['bytes'] for e in es) >> 20} MB, "
              f"{es[0]['start'] - t0:.2f}-{es[-1]['end'] - t0:.2f} s; "
              f"server making pages {make:.2f} s, waiting for the client "
              f"{waits:.2f} s; {len(set(e['conn'] for e in es))} "
              f"connections", flush=True)
    print(f"kube:   {label}: every list ({len(log)} pages of "
          f"{len(kinds)} kinds) done "
          f"{max(e['end'] for e in log) - t0:.2f} s after the first "
          f"request", flush=True)

def console(label, binary, kc, env):
    api.op("clear_log")
    w = timed(label, [binary, "--kubeconfig", kc, "--once", "--pane",
                      "pods", "-o", "json", "--request-timeout", "10m"], env)
    return w

def list_all(kc, env):
    runs = int(os.environ["BENCH_KUBE_RUNS"])
    before = os.environ["BENCH_KUBE_BEFORE"]
    walks, consoles, befores = [], [], []
    for i in range(runs):
        walks.append(raw_walk())
        if before:
            befores.append(console("k8snet-top (before) --once --pane pods",
                                   before, kc, env))
            if i == runs - 1:
                where("before")
        consoles.append(console("k8snet-top --once --pane pods -o json",
                                bin_, kc, env))
        if i == runs - 1:
            where("console")
    w, k = min(walks), min(consoles)
    print(f"kube: best of {runs}: raw walk {w:.2f} s, console {k:.2f} s: "
          f"{k / w:.2f} x the raw walk", flush=True)
    if before:
        b = min(befores)
        print(f"kube: best of {runs}: before {b:.2f} s: {b / w:.2f} x the "
              f"raw walk", flush=True)
    if os.environ["BENCH_KUBECTL"] == "0":
        return
    c = timed("kubectl get pods -A -o json",
              ["kubectl", "--kubeconfig", kc, "get", "pods", "-A",
               "-o", "json", "--request-timeout", "10m"], env)
    print(f"kube: k8snet-top/kubectl time ratio {k/c:.2f}")
    # The console lists every kind it reads; kubectl for the same set:
    kinds = ("pods,services,endpointslices.discovery.k8s.io,nodes,"
             "namespaces,ingresses.networking.k8s.io,daemonsets.apps,"
             "ingressclasses.networking.k8s.io")
    a = timed("kubectl get <every kind the console reads> -A -o json",
              ["kubectl", "--kubeconfig", kc, "get", kinds, "-A",
               "-o", "json", "--request-timeout", "10m"], env)
    print(f"kube: k8snet-top/kubectl (same kinds) time ratio {k/a:.2f}")

def churn(kc, env):
    # Watch churn with the console running in tmux.
    sock = f"kbench{os.getpid()}"
    subprocess.run(["tmux", "-L", sock, "new-session", "-d", "-x", "160",
                    "-y", "48", bin_, "--kubeconfig", kc], env=env,
                   check=True)
    try:
        churn_windows(sock)
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"])

def churn_windows(sock):
    pid = int(subprocess.run(["tmux", "-L", sock, "display", "-p",
                              "#{pane_pid}"], capture_output=True,
                             text=True).stdout)
    # wait until synced (the header says so), then let it settle
    t0 = time.monotonic()
    for _ in range(1200):
        time.sleep(1)
        scr = subprocess.run(["tmux", "-L", sock, "capture-pane", "-p"],
                             capture_output=True, text=True).stdout
        if "synced" in scr.splitlines()[0] if scr else False:
            break
    print(f"kube: console {pid} synced in {time.monotonic()-t0:.0f} s",
          flush=True)
    time.sleep(3)
    hz = os.sysconf("SC_CLK_TCK")
    def cpu_ticks():
        st = open(f"/proc/{pid}/stat").read().split()
        return int(st[13]) + int(st[14])
    def rss_mb():
        return int([l for l in open(f"/proc/{pid}/status")
                    if l.startswith("VmRSS")][0].split()[1]) / 1024
    idle0 = cpu_ticks(); time.sleep(5); idle = (cpu_ticks() - idle0) / hz / 5
    print(f"kube: console synced, idle: {idle*100:.1f}% of a core, RSS "
          f"{rss_mb():.1f} MB", flush=True)
    for run in range(repeat):
        rec = None
        if perf and run == 0:
            rec = subprocess.Popen(["perf", "record"] +
                                   os.environ["BENCH_PERF_OPTS"].split() +
                                   ["-o", perf, "-p", str(pid)],
                                   stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            time.sleep(1)
        ev0 = api_events()
        c0 = cpu_ticks(); t0 = time.monotonic()
        sent = 0
        while time.monotonic() - t0 < window:
            api.op("churn", kind="Pod", count=rate // 10)
            sent += rate // 10
            time.sleep(max(0, t0 + sent / rate - time.monotonic()))
        # the last batch is on its way: count it and its CPU in the window
        el = time.monotonic() - t0
        time.sleep(0.5)
        used = (cpu_ticks() - c0) / hz / el
        got = api_events() - ev0
        if rec is not None:
            rec.send_signal(2)
            rec.wait()
        print(f"kube: churn {run+1}/{repeat}: {got/el:.0f} watch events/s "
              f"written ({sent/el:.0f}/s asked): console {used*100:.1f}% "
              f"of a core ({used/(got/el)*1e6:.0f} us/event), RSS "
              f"{rss_mb():.1f} MB", flush=True)

def api_events():
    return api.open_watches_info()["events_sent"]

print(f"kube: starting the test server seeded with {os.path.getsize(big)>>20} MB")
t0 = time.monotonic()
api = harness.KubeAPI(seed=big, args=["--token", "bench"])
print(f"kube: server ready in {time.monotonic()-t0:.1f} s", flush=True)
try:
    tmp = api.tmp
    kc = harness.write_kubeconfig(os.path.join(tmp, "kc"), api.server,
                                  {"token": "bench"},
                                  {"certificate-authority": api.ca})
    env = dict(os.environ, HOME=tmp)
    env.pop("KUBECONFIG", None)
    if do_list:
        list_all(kc, env)
    if os.environ["BENCH_KUBE_CHURN"] != "0":
        churn(kc, env)
finally:
    api.cleanup()
PY
