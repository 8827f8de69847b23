#!/usr/bin/env python3
"""Print every pane (keys 1-8) of `k8snet-top --demo` as plain text, as
tmux shows it at a size and in a locale, each screen headed by a line
naming the pane, the size and the locale. For reviewing the layout by eye
and in tests (tests/e2e/test_screens.py).

usage: screens.py BINARY COLSxROWS LOCALE
       screens.py build/k8snet-top 80x24 C.UTF-8
       screens.py build/k8snet-top 100x30 C

The binary runs on a tmux server of its own, with LANG and LC_ALL set to
LOCALE and TERM=xterm-256color, and is ended (and checked to have ended)
before the script exits.
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import tuiharness  # noqa: E402

PANES = ("Pods", "Services", "DNS", "Ingress", "Nodes", "Traffic",
         "Policies", "Routes")
SETTLE = 0.4  # seconds without change, or the Traffic pane's next frame


def settle(s, timeout=5.0):
    """The screen once it has stopped changing (the Traffic pane redraws
    as the demo replays: then the screen after timeout)."""
    last, since = s.screen(), time.monotonic()
    deadline = since + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = s.screen()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= SETTLE:
            break
    return last


def screens(binary, cols, rows, locale):
    """[(heading, screen text)] for panes 1-8."""
    tuiharness.BIN = binary
    out = []
    env = {"LANG": locale, "LC_ALL": locale, "TERM": "xterm-256color"}
    with tuiharness.Session(cols=cols, rows=rows, env=env) as s:
        s.wait_for("1 Pods")
        for i, title in enumerate(PANES, 1):
            before = s.screen()
            s.keys(str(i))
            deadline = time.monotonic() + 5
            while s.screen() == before and time.monotonic() < deadline:
                time.sleep(0.05)
            out.append(("=== pane %d %s  %dx%d  %s ===" % (
                i, title, cols, rows, locale), settle(s).rstrip("\n")))
        s.keys("q")
        tuiharness.expect_clean_exit(s)
    return out


def main(argv):
    if len(argv) != 4 or "x" not in argv[2]:
        sys.stderr.write(__doc__)
        return 2
    try:
        cols, rows = (int(v) for v in argv[2].split("x", 1))
    except ValueError:
        sys.stderr.write("screens.py: size %r is not COLSxROWS\n" % argv[2])
        return 2
    for head, text in screens(os.path.abspath(argv[1]), cols, rows, argv[3]):
        print(head)
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
