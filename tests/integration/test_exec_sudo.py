#!/usr/bin/env python3
"""Exec credential plugins under the real sudo, and after -Z.

A throwaway user whose plugin lives only in a bin folder on that user's
own PATH (not a system folder, not one of the default fallbacks) starts
k8snet-top with sudo. Checks: the plugin is found through the user's PATH
(read from the user's shell up the parent chain) and runs with the user's
uid and HOME; with a live capture on lo and -Z nobody, after the server
rotates the token (a 401), the plugin runs again as that user through the
broker while the console itself is uid nobody. Needs root, useradd and
sudo; skips (77) without them."""

import base64
import os
import pwd
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "kubeapi"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import harness  # noqa: E402
from testlib import check, exit_code  # noqa: E402

BIN = os.environ.get("K8SNET_BIN", "")


def wait_until(fn, timeout=40):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.1)
    return fn()


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def k8snet_procs():
    """(pid, argv, ppid) of every running k8snet-top."""
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if not argv or not argv[0].endswith(b"k8snet-top"):
            continue
        ppid = [l.split()[1] for l in read(f"/proc/{d}/status").splitlines()
                if l.startswith("PPid:")]
        yield int(d), argv, int(ppid[0]) if ppid else 0


def consoles(cfg):
    """pid -> ppid of the k8snet-top processes started with cfg."""
    return {pid: ppid for pid, argv, ppid in k8snet_procs()
            if cfg.encode() in argv}


def started_in(tmp):
    """pids of the k8snet-top processes whose arguments name files in
    tmp (the console and its broker)."""
    return [pid for pid, argv, _ in k8snet_procs()
            if any(a.startswith(tmp.encode()) for a in argv)]


def end_consoles(tmp, closed):
    """The tmux server's end hangs up the terminal: the console (uid
    nobody, on sudo's pty, so no SIGHUP may reach it) and its broker must
    end by themselves, without spinning. A test that stopped early
    (closed False) only ends what is left. Whatever is left is stopped,
    so the test never leaves a process behind."""
    if wait_until(lambda: not started_in(tmp), timeout=10):
        if closed:
            check(True, "console and broker ended by themselves after "
                  "the terminal closed")
        return
    left = started_in(tmp)
    spun = [p for p in left if cpu_busy(p)]
    check(not closed, f"console and broker ended by themselves after the "
          f"terminal closed: still running {left}, spinning {spun}")
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in started_in(tmp):
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        if wait_until(lambda: not started_in(tmp), timeout=5):
            break
    check(not started_in(tmp), "no console left running")


def cpu_busy(pid):
    """Whether pid used more than half a CPU over the next second."""
    def ticks():
        st = read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
        return int(st[11]) + int(st[12]) if len(st) > 12 else 0
    t0 = ticks()
    time.sleep(1)
    return ticks() - t0 > os.sysconf("SC_CLK_TCK") // 2


def uid_of(pid):
    for l in read(f"/proc/{pid}/status").splitlines():
        if l.startswith("Uid:"):
            return int(l.split()[1])
    return -1


def main():
    if os.geteuid() != 0 or not BIN or shutil.which("sudo") is None or \
            shutil.which("useradd") is None or shutil.which("tmux") is None:
        print("skip: needs root, sudo, useradd and tmux")
        return 77
    user = f"knsudo{os.getpid() % 100000}"
    r = subprocess.run(["useradd", "-m", "-s", "/bin/sh", user],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(f"skip: useradd: {r.stderr.strip()}")
        return 77
    sudoers = f"/etc/sudoers.d/k8snet-test-{user}"
    tmp = tempfile.mkdtemp(prefix="exec-sudo-")
    api = None
    sock = f"k8snet-sudo-{os.getpid()}"
    closed = False
    try:
        with open(sudoers, "w") as f:
            f.write(f"{user} ALL=(root) NOPASSWD: ALL\n")
        os.chmod(sudoers, 0o440)
        api = harness.KubeAPI(tmp, args=["--token", "tok-1=carol"])
        run(user, tmp, api, sock)
        closed = True
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"],
                       capture_output=True)
        end_consoles(tmp, closed)
        if api is not None:
            api.stop()
        if os.path.exists(sudoers):
            os.unlink(sudoers)
        subprocess.run(["userdel", "-r", user], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return exit_code()


def run(user, tmp, api, sock):
    pw = pwd.getpwnam(user)
    home = pw.pw_dir
    mybin = os.path.join(home, "tools", "k8s-bin")
    os.makedirs(mybin)
    plugin = os.path.join(mybin, "k8snet-test-cred")
    with open(plugin, "w") as f:
        f.write('#!/bin/sh\n'
                'echo "$(id -u) $HOME" >> "$HOME/runs"\n'
                'printf \'{"apiVersion": "client.authentication.k8s.io/v1",'
                ' "kind": "ExecCredential", "status": {"token": "%s"}}\\n\''
                ' "$(cat "$HOME/token")"\n')
    with open(os.path.join(home, "token"), "w") as f:
        f.write("tok-1\n")
    for dirpath, dirs, files in os.walk(os.path.join(home, "tools")):
        for p in [dirpath] + [os.path.join(dirpath, n) for n in files]:
            os.chown(p, pw.pw_uid, pw.pw_gid)
    os.chmod(plugin, 0o755)
    os.chown(os.path.join(home, "token"), pw.pw_uid, pw.pw_gid)
    with open(api.ca, "rb") as f:
        ca = base64.b64encode(f.read()).decode()
    cfg = harness.write_kubeconfig(
        os.path.join(tmp, "kubeconfig"), api.server,
        {"exec": {"apiVersion": "client.authentication.k8s.io/v1",
                  "command": "k8snet-test-cred",
                  "interactiveMode": "Never"}},
        {"certificate-authority-data": ca})
    os.chmod(tmp, 0o755)
    os.chmod(cfg, 0o644)
    runs = os.path.join(home, "runs")
    want = f"{pw.pw_uid} {home}"

    def as_user(args):
        inner = ("PATH=$HOME/tools/k8s-bin:$PATH; export PATH; sudo " +
                 " ".join(shlex.quote(a) for a in [BIN] + args) +
                 "; echo exit-status=$?")
        return ["su", "-", user, "-c", inner]

    # 1. --once under sudo: the plugin is found on the user's PATH and
    # runs as the user with the user's HOME.
    log1 = os.path.join(tmp, "once.log")
    r = subprocess.run(as_user(["--kubeconfig", cfg, "--once", "--log",
                                log1]),
                       capture_output=True, text=True, timeout=60)
    check("exit-status=0" in r.stdout,
          "sudo k8snet-top --once with the user's plugin: "
          + r.stderr.strip()[-300:])
    check(read(runs).splitlines() == [want],
          f"plugin ran once as uid {pw.pw_uid} with HOME {home}: "
          f"{read(runs)!r}")
    check(f"PATH of {user} from process" in read(log1) and
          "tools/k8s-bin" in read(log1),
          "log says the PATH came from the user's process")
    os.unlink(runs)

    # 2. The console with a capture on lo and -Z nobody: the rerun after a
    # 401 goes through the broker and still runs as the user.
    log2 = os.path.join(tmp, "console.log")
    cmd = " ".join(shlex.quote(a) for a in as_user(
        ["--kubeconfig", cfg, "-i", "lo", "-Z", "nobody", "--log", log2]))
    subprocess.run(["tmux", "-L", sock, "-f", "/dev/null", "new-session",
                    "-d", "-x", "100", "-y", "30", "sh", "-c",
                    cmd + "; exec sleep 600"], check=True)
    check(wait_until(lambda: "dropped privileges to nobody" in read(log2)),
          "console dropped privileges to nobody")
    check("broker process keeps running it as " + user in read(log2),
          "broker started for the user's plugin")
    procs = wait_until(lambda: len(consoles(cfg)) == 2 and consoles(cfg))
    main_pid = [p for p, pp in procs.items() if pp not in procs] \
        if procs else []
    broker = [p for p, pp in procs.items() if pp in procs] if procs else []
    check(len(main_pid) == 1 and uid_of(main_pid[0]) == 65534,
          f"console runs as uid nobody: {procs}")
    check(len(broker) == 1 and uid_of(broker[0]) == pw.pw_uid,
          "broker runs as the invoking user, not root")
    if broker:
        fds = sorted(os.listdir(f"/proc/{broker[0]}/fd"), key=int)
        check(fds == ["0", "1", "2", "3"],
              f"broker holds only its socket and /dev/null: {fds}")
    check(read(runs).splitlines() == [want], "first run as the user")
    with open(os.path.join(home, "token"), "w") as f:
        f.write("tok-2\n")
    api.op("tokens", tokens={"tok-2": "carol"})
    api.op("drop_watches")
    lines = wait_until(lambda: len(read(runs).splitlines()) >= 2 and
                       read(runs).splitlines())
    check(lines == [want, want],
          f"after the 401 the plugin ran again as the user: {lines}")
    check(len(main_pid) == 1 and uid_of(main_pid[0]) == 65534,
          "console still uid nobody")


if __name__ == "__main__":
    sys.exit(main())
