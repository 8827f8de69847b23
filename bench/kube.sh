#!/bin/sh
# Live Kube-API at scale, against the project's test server over TLS:
#  1. start -> complete model: `k8snet-top --once --pane pods -o json`
#     (list everything, then print) next to `kubectl get pods -A -o json`
#     on the same server; wall time and peak RSS;
#  2. watch churn: the console (TUI in tmux) watching while the server
#     relabels BENCH_EVENTS_PER_S pods a second (default 1,000) for
#     BENCH_WINDOW_S seconds, BENCH_REPEAT times; per window the console's
#     CPU (utime+stime from /proc), the watch events the server really
#     wrote, and the console's RSS.
# Sizes as bench/model.sh (BENCH_NODES, BENCH_PODS ...); the generated
# snapshot is shared with it. BENCH_KUBE_LIST=0 skips part 1 (its kubectl
# runs take minutes at 150,000 pods); BENCH_PERF=FILE records the console
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
import json, os, subprocess, sys, time
bin_, big, src, rate, window = sys.argv[1], sys.argv[2], sys.argv[3], \
    int(sys.argv[4]), float(sys.argv[5])
repeat, do_list, perf = int(sys.argv[6]), sys.argv[7] != "0", sys.argv[8]
sys.path.insert(0, os.path.join(src, "tests", "integration", "kubeapi"))
import harness

def timed(label, cmd, env):
    t = "/tmp/k8snet-bench-time.txt"
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

def list_all(kc, env):
    k = timed("k8snet-top --once --pane pods -o json",
              [bin_, "--kubeconfig", kc, "--once", "--pane", "pods",
               "-o", "json", "--request-timeout", "10m"], env)
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
    churn(kc, env)
finally:
    api.cleanup()
PY
