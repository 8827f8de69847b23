#!/bin/sh
# Live Kube-API at scale, against the project's test server over TLS:
#  1. start -> complete model: `k8snet-top --once --pane pods -o json`
#     (list everything, then print) next to `kubectl get pods -A -o json`
#     on the same server; wall time and peak RSS;
#  2. watch churn: the console (TUI in tmux) watching while the server
#     applies ~1,000 pod updates/s; CPU of the console over the window.
# Sizes as bench/model.sh (BENCH_NODES, BENCH_PODS ...); the generated
# snapshot is shared with it.
set -eu
bin=${K8SNET_BIN:?}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
work=${BENCH_TMP:-${TMPDIR:-/tmp}/k8snet-bench}
nodes=${BENCH_NODES:-5000}; pods=${BENCH_PODS:-150000}
svcs=${BENCH_SERVICES:-20000}; ings=${BENCH_INGRESSES:-2000}
rate=${BENCH_EVENTS_PER_S:-1000}; window=${BENCH_WINDOW_S:-20}
mkdir -p "$work"
big=$work/cluster-$nodes-$pods-$svcs-$ings.json
if [ ! -s "$big" ]; then
	echo "kube: generating $big"
	python3 "$here/gen_cluster.py" --nodes "$nodes" --pods "$pods" \
		--services "$svcs" --ingresses "$ings" -o "$big.tmp"
	mv "$big.tmp" "$big"
fi
exec python3 - "$bin" "$big" "$src" "$rate" "$window" <<'PY'
import json, os, subprocess, sys, time
bin_, big, src, rate, window = sys.argv[1], sys.argv[2], sys.argv[3], \
    int(sys.argv[4]), float(sys.argv[5])
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
          f"{int(rss)/1024:7.1f} MB  {ok}")
    return wall

print(f"kube: starting the test server seeded with {os.path.getsize(big)>>20} MB")
t0 = time.monotonic()
api = harness.KubeAPI(seed=big, args=["--token", "bench"])
print(f"kube: server ready in {time.monotonic()-t0:.1f} s")
try:
    tmp = api.tmp
    kc = harness.write_kubeconfig(os.path.join(tmp, "kc"), api.server,
                                  {"token": "bench"},
                                  {"certificate-authority": api.ca})
    env = dict(os.environ, HOME=tmp)
    env.pop("KUBECONFIG", None)
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
    # Watch churn with the console running in tmux.
    sock = f"kbench{os.getpid()}"
    subprocess.run(["tmux", "-L", sock, "new-session", "-d", "-x", "160",
                    "-y", "48", bin_, "--kubeconfig", kc], env=env,
                   check=True)
    pid = int(subprocess.run(["tmux", "-L", sock, "display", "-p",
                              "#{pane_pid}"], capture_output=True,
                             text=True).stdout)
    # wait until synced (the header says so), then let it settle
    for _ in range(1200):
        time.sleep(1)
        scr = subprocess.run(["tmux", "-L", sock, "capture-pane", "-p"],
                             capture_output=True, text=True).stdout
        if "synced" in scr.splitlines()[0] if scr else False:
            break
    time.sleep(3)
    pods = [o for o in json.load(open(big))["items"]
            if o.get("kind") == "Pod"][:2000]
    hz = os.sysconf("SC_CLK_TCK")
    def cpu_ticks():
        st = open(f"/proc/{pid}/stat").read().split()
        return int(st[13]) + int(st[14])
    idle0 = cpu_ticks(); time.sleep(5); idle = (cpu_ticks() - idle0) / hz / 5
    sent = 0
    c0 = cpu_ticks(); t0 = time.monotonic()
    i = 0
    while time.monotonic() - t0 < window:
        batch = []
        for _ in range(rate // 10):
            p = pods[i % len(pods)]; i += 1
            p.setdefault("metadata", {}).setdefault("labels", {})["churn"] = str(i)
            batch.append(p)
        api.op("modify", objects=batch)
        sent += len(batch)
        time.sleep(max(0, t0 + sent / rate - time.monotonic()))
    el = time.monotonic() - t0
    used = (cpu_ticks() - c0) / hz / el
    rss = [l for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")][0].split()[1]
    print(f"kube: console idle CPU {idle*100:.1f}% of a core; under "
          f"{sent/el:.0f} watch events/s: {used*100:.1f}% of a core, RSS "
          f"{int(rss)/1024:.1f} MB")
    subprocess.run(["tmux", "-L", sock, "kill-server"])
finally:
    api.cleanup()
PY
