#!/usr/bin/env python3
"""The console (in tmux) shows why the Kube-API fails, as --once does:
the header's state and a banner naming the server and the cause (refused,
timed out, TLS not trusted, certificate expired, 401 with verb and
resource, 403 with what to grant); it keeps retrying with backoff and
says when it is connected again; quit without ever connecting, the
last error is printed on the terminal. Against the project's test
Kube-API server."""
import os
import shutil
import socket
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "kubeapi"))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness  # noqa: E402
from tuiharness import Session, expect_clean_exit, run  # noqa: E402

TOKEN = "api-errors-token"
SERVER_ARGS = ["--token", TOKEN, "--bookmark-interval", "0.5"]
TMP = tempfile.mkdtemp(prefix="console-api-errors-")


def console(cfg, *extra):
    return Session(args=("--kubeconfig", cfg, "--request-timeout", "3s")
                   + extra, cols=120, rows=30, env={"HOME": TMP})


def kubeconfig(name, server, user=None, ca=None):
    return harness.write_kubeconfig(
        os.path.join(TMP, name), server, user or {"token": TOKEN},
        {"certificate-authority": ca} if ca else {})


def never_connected(s, *needles):
    """q, then the last error on the terminal (exit 0: the user quit)."""
    s.keys("q")
    expect_clean_exit(s)
    err = s.stderr()
    assert "never connected to the Kube-API" in err, err
    for n in needles:
        assert n in err, (n, err)


def test_refused():
    server = "https://127.0.0.1:%d" % harness.free_port()
    with console(kubeconfig("refused", server)) as s:
        scr = s.wait_for("Connection refused")
        assert "not connected" in scr and server in scr, scr
        s.wait_for("Kube-API, 2 attempts failed")  # retried
        assert "no pods yet: waiting for the Kube-API" in s.screen()
        never_connected(s, server, "Connection refused")


def test_timed_out():
    # A port that accepts connections (the kernel's backlog) and never
    # says a word: the TLS handshake waits until --request-timeout.
    lsn = socket.socket()
    lsn.bind(("127.0.0.1", 0))
    lsn.listen(64)
    server = "https://127.0.0.1:%d" % lsn.getsockname()[1]
    try:
        with console(kubeconfig("silent", server)) as s:
            scr = s.wait_for("timed out")
            assert server in scr and "not connected" in scr, scr
            never_connected(s, server, "timed out")
    finally:
        lsn.close()


def test_tls_untrusted_and_expired():
    cfg = kubeconfig("otherca", API.server, ca=API.path("other-ca.crt"))
    with console(cfg) as s:
        scr = s.wait_for("not trusted")
        assert API.server in scr and "not connected" in scr, scr
        never_connected(s, "not trusted", API.server)
    API.op("cert", which="expired")
    try:
        with console(kubeconfig("good", API.server, ca=API.ca)) as s:
            scr = s.wait_for("certificate has expired")
            assert API.server in scr, scr
            never_connected(s, "has expired")
    finally:
        API.op("cert", which="valid")


def test_unauthorized():
    cfg = kubeconfig("badtoken", API.server, {"token": "wrong"}, API.ca)
    with console(cfg) as s:
        scr = s.wait_for("credentials refused")
        assert "HTTP 401" in scr and "(list " in scr, scr
        assert API.server in scr, scr
        never_connected(s, "401")


def test_forbidden_kind():
    API.op("forbid", resource="networkpolicies")
    try:
        with console(kubeconfig("good", API.server, ca=API.ca)) as s:
            scr = s.wait_for("1 kind forbidden")
            assert "HTTP 403" in scr and "cannot list" in scr, scr
            assert "networkpolicies" in scr and "grant get, list" in scr
            s.wait_for("synced")
            s.keys("q")
            expect_clean_exit(s)
            assert "never connected" not in s.stderr(), s.stderr()
    finally:
        API.op("allow", resource="networkpolicies")


def test_recovers():
    """Connected, the server goes away (refused) and comes back on the
    same port: reconnecting, then 'connected again' and synced."""
    global API
    with console(kubeconfig("good", API.server, ca=API.ca)) as s:
        s.wait_for("synced")
        port = API.info["port"]
        API.kill()
        s.wait_for("reconnecting")
        scr = s.wait_for("Connection refused")
        assert API.server in scr, scr
        API = harness.KubeAPI(WORK, args=SERVER_ARGS + ["--port", str(port)])
        s.wait_for("connected again", timeout=40)
        scr = s.wait_for("synced")
        assert "Kube-API," not in scr, scr  # the banner is gone
        s.keys("q")
        expect_clean_exit(s)
        assert "never connected" not in s.stderr(), s.stderr()


WORK = os.path.join(TMP, "api")
API = None


def main():
    global API
    API = harness.KubeAPI(WORK, args=SERVER_ARGS)
    try:
        run([test_refused, test_timed_out, test_tls_untrusted_and_expired,
             test_unauthorized, test_forbidden_kind, test_recovers])
    finally:
        API.stop()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
