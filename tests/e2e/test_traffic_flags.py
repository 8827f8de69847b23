#!/usr/bin/env python3
"""The Traffic pane's detail of a transaction says what the capture
missed or cut of it, as the JSON's flags do: a response whose request
was not captured (unmatched), an exchange with segments missing (gap),
a path or Host cut at its bound (path_cut, host_cut), DNS answers past
the text kept (answers_cut); a whole transaction shows none of it."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tuiharness import Session, expect_clean_exit, run  # noqa: E402

PCAPS = os.path.join(os.environ.get("K8SNET_SRC", os.path.join(
    HERE, "..", "..")), "tests", "data", "pcap")


def detail(pcap, pattern):
    """The detail screen of the first row matching pattern."""
    with Session(("-r", os.path.join(PCAPS, pcap), "--pane", "traffic"),
                 cols=140, rows=40) as s:
        s.wait_for("a:all")
        s.keys("/", pattern, "Enter")
        for tries in range(3):
            # on a slow (sanitizer) build the rows may still be loading
            s.keys("g", "Enter")
            try:
                scr = s.wait_for("Timing", timeout=5)
                break
            except AssertionError:
                if tries == 2:
                    raise
        s.keys("Escape")
        s.keys("q")
        expect_clean_exit(s)
    return scr


def test_unmatched():
    scr = detail("http-noreq.pcap", "304")
    assert "Request: not captured" in scr, scr
    assert "unmatched: a response whose request was not in the capture" \
        in scr, scr


def test_gap():
    scr = detail("http-gaps.pcap", "/b")
    assert "gap: segments of this exchange are missing" in scr, scr


def test_cuts():
    scr = detail("long-strings.pcap", "bbbbbbbb")
    assert "path_cut: the path is cut at 4095 bytes" in scr, scr
    assert "host_cut" not in scr, scr
    scr = detail("long-strings.pcap", "hhhhhhhh")
    assert "host_cut: the Host is cut at 255 bytes" in scr, scr
    scr = detail("long-strings.pcap", "DNSKEY")
    assert "answers_cut:" in scr and "answers listed" in scr, scr


def test_whole():
    scr = detail("eth.pcap", "GET")
    assert "Capture\n" not in scr and "unmatched" not in scr and \
        "gap:" not in scr, scr


if __name__ == "__main__":
    run([test_unmatched, test_gap, test_cuts, test_whole])
