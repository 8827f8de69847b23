#!/usr/bin/env python3
"""Habits k9s and htop users bring, in tmux: Left/Right scroll the
columns and Ctrl-w shows them whole."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuiharness import Session, expect_clean_exit, run  # noqa: E402

LONG_POD = "ingress-nginx-controller-8202cc84fe-7101b"


def titles(scr):
    """The table's title row (under the header and the tabs)."""
    return scr.splitlines()[2]


def test_columns_scroll_and_wide():
    with Session() as s:
        scr = s.wait_for("1 Pods")
        assert titles(scr).startswith("NAMESPACE"), scr
        assert LONG_POD not in scr, scr  # cut to fit 80 columns
        s.keys("Right")
        scr = s.wait_for("from column NAME, 2 of 7")
        assert titles(scr).startswith("NAME "), scr
        s.keys("Right", "Right", "Right", "Right", "Right", "Right")
        scr = s.wait_for("every column from here on is shown whole")
        assert "demo-control-plane" in scr, scr  # NODE whole now
        s.keys("Left", "Left", "Left", "Left", "Left", "Left", "Left")
        s.wait_for("at the first column")
        s.keys("C-w")
        scr = s.wait_for(LONG_POD)
        assert "wide: every column at its full width" in scr, scr
        assert titles(scr).startswith("NAMESPACE"), scr
        s.keys("C-w")
        s.wait_for("columns fit the screen")
        s.wait_for(LONG_POD, absent=True)
        # The Traffic pane's lists scroll the same way.
        s.keys("6")
        s.wait_for("LATENCY")
        s.keys("Right")
        scr = s.wait_for("from column TYPE")
        row = next(ln for ln in scr.splitlines() if "LATENCY" in ln)
        assert row.startswith("TYPE") and "TIME" not in row, scr
        s.keys("q")
        expect_clean_exit(s)


if __name__ == "__main__":
    run([test_columns_scroll_and_wide])
