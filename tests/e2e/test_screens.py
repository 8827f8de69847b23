#!/usr/bin/env python3
"""Every pane of --demo at 80x24 and 100x30, in C.UTF-8 and in the C
locale, as tests/tools/screens.py prints them: a heading per pane, no
escape text, no address or status word cut, the footer keeps "? help"
and "q quit", and the tab bar names every pane."""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import screens  # noqa: E402
from tuiharness import BIN, run  # noqa: E402

STATUS = ("NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", "no answer",
          "refused", "Running", "ClusterIP", "NodePort", "ExternalName",
          "service-missing", "port-missing", "no-endpoints",
          "no-matching-listener", "ref-not-permitted", "gateway-missing",
          "not-accepted", "class-not-accepted", "True", "False")
CUT_IP = re.compile(r"\b\d{1,3}\.\d{1,3}\.[\d.]*[~\u2026]")
TABS = ("1 Pods", "2 Services", "3 DNS", "4 Ingress", "5 Nodes",
        "6 Traffic", "7 Policies", "8 Routes")


def check(cols, rows, locale):
    got = screens.screens(BIN, cols, rows, locale)
    assert len(got) == 8, got
    ell = "\u2026" if "UTF-8" in locale else "~"
    for i, (head, text) in enumerate(got, 1):
        assert head.startswith("=== pane %d %s  %dx%d  %s" % (
            i, screens.PANES[i - 1], cols, rows, locale)), head
        lines = text.split("\n")
        where = "%s\n%s" % (head, text)
        assert len(lines) == rows, where
        assert "? help" in lines[-1] and "q quit" in lines[-1], where
        for t in TABS:
            assert t in lines[1], (t, where)
        if screens.PANES[i - 1] == "Traffic":
            # whether the list follows is never pushed off by the views
            assert lines[2].rstrip().endswith("follow demo"), where
        assert "\x1b" not in text and "\\x1b" not in text, where
        assert "^[" not in text and "\\e[" not in text, where
        if ell == "~":
            assert "\u2026" not in text and text.isascii(), where
        assert not CUT_IP.search(text), (CUT_IP.search(text), where)
        # a cell cut at its end: a word, the ellipsis, then a space
        for stem in re.findall(r"(?<![\w/.:-])([\w-]{4,})%s(?=\s|$)" %
                               re.escape(ell), text, re.M):
            for st in STATUS:
                assert not (st.startswith(stem) and stem != st), (
                    stem, st, where)


def test_80x24_utf8():
    check(80, 24, "C.UTF-8")


def test_80x24_c():
    check(80, 24, "C")


def test_100x30_utf8():
    check(100, 30, "C.UTF-8")


def test_100x30_c():
    check(100, 30, "C")


if __name__ == "__main__":
    run([test_80x24_utf8, test_80x24_c, test_100x30_utf8, test_100x30_c])
