"""Helpers shared by the Python tests in tests/e2e, tests/integration and
tests/capture (python3 stdlib): the ok/FAIL bookkeeping of tests that go
on after a failed check, running a command, and reading a file that may
not be written yet. A test imports it after

    sys.path.insert(0, os.path.join(os.path.dirname(
        os.path.abspath(__file__)), ".."))
"""
import subprocess

FAILS = []


def check(cond, what):
    """Print "ok: WHAT" or "FAIL: WHAT" and remember a failure."""
    if cond:
        print(f"ok: {what}")
    else:
        print(f"FAIL: {what}")
        FAILS.append(what)
    return cond


def exit_code():
    """0 when every check passed, else 1 after listing the failures."""
    if FAILS:
        print(f"{len(FAILS)} failed: {FAILS}")
        return 1
    return 0


def sh(*args, check=True, **kw):
    """Run a command (no shell) and capture its output as text."""
    return subprocess.run(args, check=check, capture_output=True, text=True,
                          **kw)


def read_text(path):
    """The file's text, "" while it does not exist; bad UTF-8 replaced."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def wait_port(netns, ip, port, proto="t"):
    """Wait until something in network namespace netns listens on ip:port
    (proto "t" TCP, "u" UDP), at most 10 s."""
    import time
    for _ in range(200):
        out = sh("ip", "netns", "exec", netns, "ss", "-l%snH" % proto).stdout
        if "%s:%d" % (ip, port) in out:
            return
        time.sleep(0.05)
    raise AssertionError("nothing listens on %s:%d" % (ip, port))
