#!/usr/bin/env python3
"""The Nodes pane on --demo: a compact column per known port with the
canned states (glyphs, letters with --ascii or without a UTF-8 locale),
the NodePorts column, the legend below the table, the port list in the
detail view, and the probe key's feedback."""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuiharness import Session, expect_clean_exit, run  # noqa: E402

PORTS = ("6443", "2379", "2380", "10250", "10257", "10259", "10256", "NP")


def shows_name(cell, name):
    """cell is name, or name cut in the middle ("demo-c\u2026-plane",
    "~" without UTF-8)."""
    for cut in ("\u2026", "~"):
        if cut in cell:
            head, tail = cell.split(cut, 1)
            return name.startswith(head) and name.endswith(tail)
    return cell == name


def row(screen, name):
    for line in screen.splitlines():
        if line.split(" ")[0] and shows_name(line.split(" ")[0], name):
            return line
    raise AssertionError("no row %s in:\n%s" % (name, screen))


def cell(screen, name, col):
    """The text under column title col in the row of node name."""
    head = [ln for ln in screen.splitlines() if ln.startswith("NAME")][0]
    at = head.index(" " + col + " ") + 1 if (" " + col + " ") in head \
        else head.index(" " + col) + 1
    return row(screen, name)[at:at + len(col)].strip()


def test_port_columns():
    with Session(cols=80, rows=24) as s:
        s.wait_for("1 Pods")
        s.keys("5")
        scr = s.wait_for("10256")
        head = [ln for ln in scr.splitlines() if ln.startswith("NAME")][0]
        for title in PORTS:
            assert title in head, (title, head)
        assert cell(scr, "demo-worker2", "10250") == "\u2715", scr
        assert cell(scr, "demo-worker2", "10256") == "\u25cf", scr
        assert cell(scr, "demo-worker", "10250") == "\u25cf", scr
        # A worker has no API server port: the cell stays empty.
        assert cell(scr, "demo-worker", "6443") == "", scr
        s.keys("p")
        s.wait_for("demo-worker2")
        s.keys("q")
        expect_clean_exit(s)


def test_ascii_letters_and_nodeports():
    with Session(args=("--demo", "--ascii", "--probe", "nodeports"),
                 cols=100, rows=24) as s:
        s.wait_for("1 Pods")
        s.keys("5")
        scr = s.wait_for("10256")
        assert cell(scr, "demo-worker2", "10250") == "f", scr
        assert cell(scr, "demo-control-plane", "6443") == "o", scr
        assert "2/2" in row(scr, "demo-worker2"), scr
        s.keys("q")
        expect_clean_exit(s)


def test_no_utf8_locale_letters():
    # Without UTF-8 (LANG=C over SSH) the port states are the --ascii
    # letters, in the cells and in the detail, never escaped code points.
    with Session(env={"LANG": "C", "LC_ALL": "C"}, cols=100, rows=40) as s:
        s.wait_for("1 Pods")
        s.keys("5")
        scr = s.wait_for("10256")
        assert "\\u" not in scr, scr
        assert cell(scr, "demo-worker2", "10250") == "f", scr
        assert cell(scr, "demo-control-plane", "6443") == "o", scr
        s.keys("G", "Enter")
        scr = s.wait_for("Ports (demo data")
        assert "\\u" not in scr and scr.isascii(), scr
        assert "10250 f filtered" in scr, scr
        s.keys("q")
        s.wait_for("NAME")
        s.keys("q")
        expect_clean_exit(s)


def test_legend_and_probe_feedback():
    # What the port columns are, how a cell reads (NP's "-" is "not
    # probed") and, after p, what the key did and the checks' result.
    with Session(cols=80, rows=24) as s:
        s.wait_for("1 Pods")
        s.keys("5")
        scr = s.wait_for("10256 kube-proxy health")
        for text in ("6443 API server", "2379 2380 etcd", "10250 kubelet",
                     "NP NodePorts open/probed", "- not probed",
                     "\u2715 filtered"):
            assert text in scr, (text, scr)
        s.keys("p")
        s.wait_for("the canned port checks are renewed")
        s.wait_for("9 open, 0 closed, 1 filtered (demo data)")
        s.keys("q")
        expect_clean_exit(s)
    with Session(args=("--demo", "--probe", "none"), cols=80,
                 rows=24) as s:
        s.wait_for("1 Pods")
        s.keys("5")
        s.wait_for("port checks: off (--probe none)")
        s.keys("p")
        s.wait_for("port checks are off (--probe none)")
        s.keys("q")
        expect_clean_exit(s)


def test_detail_lists_ports():
    with Session(cols=80, rows=40) as s:
        s.wait_for("1 Pods")
        s.keys("5")
        s.wait_for("10256")
        s.keys("G", "Enter")
        scr = s.wait_for("Ports (demo data")
        assert "10250" in scr and "filtered" in scr and "kubelet" in scr, scr
        assert "10256" in scr and "open" in scr and "kube-proxy-health" in scr, scr
        assert "ms" in scr, scr
        s.keys("q")
        s.wait_for("NAME")
        s.keys("q")
        expect_clean_exit(s)


if __name__ == "__main__":
    if shutil.which("tmux") is None:
        print("skip: tmux not installed")
        sys.exit(77)
    run([test_port_columns, test_ascii_letters_and_nodeports,
         test_no_utf8_locale_letters, test_legend_and_probe_feedback,
         test_detail_lists_ports])
