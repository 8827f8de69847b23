#!/usr/bin/env python3
"""Credentials never leak: with every kind of credential (token, basic
password, client key data, exec plugin token, OIDC id-token) the console's
stdout, stderr, --log file, error messages for
refused credentials, and the TUI screen are searched for the secrets.
Also checks that the process is not dumpable (no core file can hold them)."""
import base64
import json
import os
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "kubeapi"))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness  # noqa: E402
import tuiharness  # noqa: E402

BIN = os.environ["K8SNET_BIN"]
SECRETS = {
    "token": "sekret-token-6f1e2d",
    "password": "sekret-password-9a8b",
    "exec": "sekret-exec-token-4c3d",
    "oidc": "sekret-oidc-id-token-7e6f",
}
captured = []


def run(args, env=None):
    e = dict(os.environ)
    e.pop("KUBECONFIG", None)
    e.update(env or {})
    r = subprocess.run([BIN] + args, capture_output=True, text=True,
                       timeout=120, env=e)
    captured.append((" ".join(args), r.stdout + r.stderr))
    return r


def main():
    tmp = tempfile.mkdtemp(prefix="secrets-")
    api = harness.KubeAPI(args=["--token", SECRETS["token"],
                                "--token", SECRETS["exec"],
                                "--token", SECRETS["oidc"],
                                "--basic", "erin:" + SECRETS["password"]])
    with open(api.path("client.key"), "rb") as f:
        keypem = f.read()
    key_b64 = base64.b64encode(keypem).decode()
    # The PEM body lines of the private key are secrets too.
    key_lines = [l for l in keypem.decode().splitlines()
                 if l and not l.startswith("-----")]
    try:
        ca = {"certificate-authority": api.ca}
        plugin = os.path.join(tmp, "plugin")
        with open(plugin, "w") as f:
            f.write("#!/bin/sh\n"
                    'echo \'{"apiVersion":"client.authentication.k8s.io/v1",'
                    '"kind":"ExecCredential","status":{"token":"'
                    + SECRETS["exec"] + '"}}\'\n')
        os.chmod(plugin, stat.S_IRWXU)
        users = {
            "token": {"token": SECRETS["token"]},
            "basic": {"username": "erin", "password": SECRETS["password"]},
            "certdata": {"client-certificate-data": base64.b64encode(
                open(api.path("client.crt"), "rb").read()).decode(),
                "client-key-data": key_b64},
            "exec": {"exec": {"apiVersion":
                              "client.authentication.k8s.io/v1",
                              "command": plugin}},
            "oidc": {"auth-provider": {"name": "oidc", "config": {
                "id-token": SECRETS["oidc"], "idp-issuer-url": "https://x"}}},
        }
        for name, user in users.items():
            kc = harness.write_kubeconfig(os.path.join(tmp, name + ".yaml"),
                                          api.server, user, ca)
            log = os.path.join(tmp, name + ".log")
            for pane in ("pods", "services"):
                r = run(["--kubeconfig", kc, "--log", log, "--once",
                         "--pane", pane, "-o", "json"])
                assert r.returncode == 0, (name, r.stderr)
            with open(log) as f:
                captured.append((name + ".log", f.read()))
        # Refused credentials: the error must not echo them.
        api.op("tokens", tokens={})
        api.op("basic", users={})
        for name in ("token", "basic", "exec", "oidc"):
            kc = os.path.join(tmp, name + ".yaml")
            r = run(["--kubeconfig", kc, "--once", "--pane", "pods"])
            assert r.returncode == 1, (name, r.returncode, r.stderr)
        # The TUI while refused (retrying) and its status line.
        api.op("tokens", tokens={SECRETS["token"]: "u"})
        with tuiharness.Session(args=("--kubeconfig",
                                      os.path.join(tmp, "token.yaml"),
                                      "--log", os.path.join(tmp, "tui.log")),
                                cols=160, rows=48, env={"HOME": tmp}) as s:
            s.wait_for("Pods")
            # No core file can hold the credentials: the console sets its
            # core size limit to 0 (and itself not dumpable).
            sh = s.pid()
            kids = open(f"/proc/{sh}/task/{sh}/children").read().split()
            pids = [p for p in kids
                    if open(f"/proc/{p}/comm").read().strip() == "k8snet-top"]
            assert pids, "console process not found"
            limits = open(f"/proc/{pids[0]}/limits").read()
            core = [l for l in limits.splitlines()
                    if l.startswith("Max core file size")][0].split()
            assert core[4] == "0" and core[5] == "0", core
            captured.append(("screen", s.screen()))
            for key in "23456":
                s.keys(key)
                captured.append(("screen" + key, s.screen()))
            s.keys("q")
            tuiharness.expect_clean_exit(s)
            captured.append(("tui stderr", s.stderr()))
        with open(os.path.join(tmp, "tui.log")) as f:
            captured.append(("tui.log", f.read()))
    finally:
        api.cleanup()
    needles = list(SECRETS.values()) + [key_b64[:40]] + key_lines
    leaks = [(where, n[:12]) for where, text in captured
             for n in needles if n in text]
    assert not leaks, f"credentials leaked: {leaks}"
    print(f"ok: {len(captured)} outputs, logs and screens hold none of "
          f"{len(needles)} secrets")


if __name__ == "__main__":
    main()
