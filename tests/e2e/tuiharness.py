"""Drive k8snet-top inside tmux: start at a fixed size, send keys, read the
screen, and wait for text (polling with a timeout, never fixed sleeps).

Each session runs on its own tmux server (-L NAME) so tests never share
state, and the server is killed when the session closes.
"""
import os
import shlex
import signal
import subprocess
import tempfile
import time

BIN = os.environ.get("K8SNET_BIN", "")
TIMEOUT = float(os.environ.get("K8SNET_TUI_TIMEOUT", "10"))
_count = 0


def _running(pid):
    """Is pid a live process (not gone, not a zombie)?"""
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return False
    return st[st.rindex(")") + 2:].split()[0] != "Z"


class Session:
    """One k8snet-top under tmux. The binary runs in a small shell script
    that, when it exits, prints its status and the terminal modes, so the
    test can check the terminal was restored."""

    def __init__(self, args=("--demo",), cols=80, rows=24, env=None):
        global _count
        _count += 1
        self.sock = "k8snet-e2e-%d-%d" % (os.getpid(), _count)
        self.tmp = tempfile.TemporaryDirectory(prefix="k8snet-e2e-")
        self.errfile = os.path.join(self.tmp.name, "stderr")
        envs = " ".join("%s=%s" % (k, shlex.quote(v))
                        for k, v in (env or {}).items())
        cmd = "%s %s %s 2>%s" % (
            ("env " + envs) if envs else "", shlex.quote(BIN),
            " ".join(shlex.quote(a) for a in args),
            shlex.quote(self.errfile))
        script = (cmd + '; echo "exit-status=$?"; '
                  'echo "modes: $(stty -a | tr " ;" "\\n\\n" | '
                  'grep -E "^-?(icanon|echo)$" | tr "\\n" " ")"; '
                  "exec sleep 600")
        self.tmux("new-session", "-d", "-x", str(cols), "-y", str(rows),
                  "-s", "t", "sh", "-c", script)
        # The screen before the last keys() or mark(): what an absent=
        # wait compares with.
        self.before = None

    def tmux(self, *args, check=True):
        return subprocess.run(("tmux", "-L", self.sock, "-f", "/dev/null")
                              + args, check=check, capture_output=True,
                              text=True).stdout

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "t")

    def mark(self):
        """Take the screen as it is now as the one a later
        wait_for(..., absent=True) must see replaced, for a change that
        does not come from keys() (which marks by itself)."""
        self.before = self.screen()

    def keys(self, *keys):
        """tmux key names ("Tab", "Escape", "BTab") or literal text."""
        self.mark()
        for k in keys:
            if k in ("Tab", "BTab", "Escape", "Enter", "BSpace", "F1",
                     "F3", "F6", "F10", "Up", "Down", "Left", "Right",
                     "PageUp", "PageDown", "Home", "End", "C-c", "C-l",
                     "C-w"):
                self.tmux("send-keys", "-t", "t", k)
            else:
                self.tmux("send-keys", "-t", "t", "-l", k)

    def wait_for(self, text, timeout=TIMEOUT, absent=False, drawn=None):
        """Poll the screen until text shows, or with absent, until it is
        gone from a screen known to be the new one: one that shows drawn
        (text of the screen the keys lead to), or without drawn, one
        without text when text was on the screen before the last keys()
        or mark(). Text that was not there before proves nothing by its
        absence (the keys may not have been handled yet): without drawn
        that is an error of the test."""
        if absent and drawn is None and (self.before is None or
                                         text not in self.before):
            raise AssertionError(
                "wait_for(%r, absent=True): it was not on the screen before "
                "the last keys() or mark(), so its absence would not show "
                "that a new screen was drawn; pass drawn=TEXT of the new "
                "screen. The screen before:\n%s" % (text, self.before))
        deadline = time.monotonic() + timeout
        while True:
            s = self.screen()
            if not absent and text in s:
                return s
            if absent and text not in s and (drawn is None or drawn in s):
                return s
            if time.monotonic() > deadline:
                if absent and text not in s:
                    raise AssertionError("%r gone but no %r on screen; it "
                                         "shows:\n%s" % (text, drawn, s))
                raise AssertionError("%s %r on screen; it shows:\n%s" % (
                    "still" if absent else "no", text, s))
            time.sleep(0.05)

    def resize(self, cols, rows):
        self.tmux("resize-window", "-t", "t", "-x", str(cols), "-y",
                  str(rows))

    def value(self, fmt):
        return self.tmux("display-message", "-p", "-t", "t", fmt).strip()

    def pid(self):
        return int(self.value("#{pane_pid}"))

    def stderr(self):
        with open(self.errfile, encoding="utf-8", errors="replace") as f:
            return f.read()

    def k8snet_pids(self):
        """pids of the k8snet-top processes running in this session's
        pane (its session id is the pane's shell), zombies left out."""
        try:
            sid = int(self.value("#{pane_pid}"))
        except ValueError:  # the server is gone
            return []
        out = []
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % d) as f:
                    st = f.read()
            except OSError:
                continue
            comm = st[st.index("(") + 1:st.rindex(")")]
            state, _, _, session = st[st.rindex(")") + 2:].split()[:4]
            if comm == "k8snet-top" and state != "Z" and int(session) == sid:
                out.append(int(d))
        return out

    def close(self):
        """Kill the tmux server, then check that every k8snet-top the
        session started has ended (SIGHUP from the closed terminal); one
        still running after a few seconds is killed and fails the test."""
        pids = self.k8snet_pids()
        self.tmux("kill-server", check=False)
        self.tmp.cleanup()
        deadline = time.monotonic() + 5
        while True:
            left = [p for p in pids if _running(p)]
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        for p in left:
            os.kill(p, signal.SIGKILL)
        if left:
            raise AssertionError("k8snet-top still running after its "
                                 "terminal closed: pids %s" % left)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def expect_clean_exit(s, status=0):
    """The console left: exit status, alternate screen off, modes back."""
    screen = s.wait_for("exit-status=")
    assert ("exit-status=%d" % status) in screen, screen
    s.wait_for("modes:")
    assert s.value("#{alternate_on}") == "0", "alternate screen still on"
    assert s.value("#{cursor_flag}") == "1", "cursor still hidden"
    modes = s.wait_for("modes: ").split("modes: ")[1].split()
    assert "icanon" in modes and "echo" in modes, modes


def run(tests):
    """Run test functions; print one line each; exit 1 on any failure,
    77 (skipped) without tmux."""
    import shutil
    import sys
    import traceback
    if shutil.which("tmux") is None:
        print("skip: tmux missing")
        sys.exit(77)
    if not BIN or not os.access(BIN, os.X_OK):
        print("K8SNET_BIN is not set to the k8snet-top binary")
        sys.exit(1)
    failed = 0
    for t in tests:
        try:
            t()
            print("ok   %s" % t.__name__)
        except Exception:  # report every failure, then go on
            failed += 1
            print("FAIL %s" % t.__name__)
            traceback.print_exc()
    sys.exit(1 if failed else 0)
