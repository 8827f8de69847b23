#!/usr/bin/env python3
"""Terminal safety with hostile API objects: names, labels, hosts and paths
holding ESC, CSI, OSC (title change), C1 CSI, NUL, bidi overrides and
invalid UTF-8 appear escaped on screen and in every output; the terminal's
title is never changed and the screen never cleared by them; JSON stays
valid."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tuiharness  # noqa: E402

BIN = os.environ["K8SNET_BIN"]
SRC = os.environ["K8SNET_SRC"]
SNAP = os.path.join(SRC, "tests", "data", "hostile", "api-objects.json")
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def main():
    for pane in ("pods", "services", "dns", "ingress", "nodes"):
        for fmt in ("table", "wide", "json", "jsonl"):
            r = subprocess.run([BIN, "--snapshot", SNAP, "--once", "--pane",
                                pane, "-o", fmt], capture_output=True,
                               timeout=60)
            assert r.returncode == 0, r.stderr
            out = r.stdout.decode("utf-8")  # valid UTF-8, or this raises
            for bad in RAW:
                assert bad not in out, f"{pane}/{fmt} holds {bad!r} raw"
            if fmt == "json":
                json.loads(out)
            elif fmt == "jsonl":
                for line in out.splitlines():
                    json.loads(line)
    print("ok: every --once output escapes the hostile strings")
    with tuiharness.Session(args=("--snapshot", SNAP), cols=200,
                            rows=50) as s:
        s.wait_for("Pods")
        s.wait_for("\\x1b]0;pwned")   # shown, escaped
        for key in "12345":
            s.keys(key)
            s.wait_for("NAME")
            screen = s.screen()
            assert "k8snet-top" in screen.splitlines()[0], \
                "header gone: the screen was cleared"
            for bad in RAW:
                assert bad not in screen, f"pane {key}: raw {bad!r}"
            title = s.value("#{pane_title}")
            assert "pwned" not in title, f"title changed to {title!r}"
        # Detail views too.
        s.keys("1")
        s.wait_for("pod-ev")
        s.keys("Enter")
        s.wait_for("\\x1b")
        assert "pwned" not in s.value("#{pane_title}")
        s.keys("Escape", "q")
        tuiharness.expect_clean_exit(s)
    print("ok: console panes and details show the hostile strings escaped")


if __name__ == "__main__":
    main()
