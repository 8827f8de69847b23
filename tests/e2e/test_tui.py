#!/usr/bin/env python3
"""The console in tmux: panes, help, filter and command prompts, resize,
resize storms and the too-small screen, quitting with the terminal
restored, odd TERMs, no UTF-8 locale, signals, --ascii, themes (an
unknown one is a usage error; root's are read before the capture drops
privileges)."""
import os
import re
import shutil
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuiharness import Session, expect_clean_exit, run  # noqa: E402

DATA = os.path.join(os.environ.get("K8SNET_SRC", "."), "tests", "data")
PANE_MARK = {  # a column only that pane has
    "1": "RESTARTS", "2": "CLUSTER-IP", "3": "SOURCE", "4": "INGRESS",
    "5": "INTERNAL-IP", "6": "LATENCY", "7": "EGRESS",
}


def test_panes_by_number_and_tab():
    with Session() as s:
        scr = s.wait_for("1 Pods")
        for t in ("2 Services", "3 DNS", "4 Ingress", "5 Nodes",
                  "6 Traffic", "7 Policies", "k8snet-top", "NAMESPACE"):
            assert t in scr, t
        for key in "2345671":
            s.keys(key)
            s.wait_for(PANE_MARK[key])
        s.keys("Tab")
        s.wait_for("CLUSTER-IP")
        s.keys("Tab")
        s.wait_for("SOURCE")
        s.keys("BTab", "BTab")
        s.wait_for("RESTARTS")
        s.keys("BTab")  # from the first pane to the last: Routes
        s.wait_for("WEIGHT")
        s.keys("BTab")
        s.wait_for("EGRESS")
        s.keys("BTab")
        s.wait_for("LATENCY")
        s.keys("q")
        expect_clean_exit(s)


def test_help_screen():
    with Session() as s:
        s.wait_for("1 Pods")
        s.keys("?")
        scr = s.wait_for("show the keys")
        assert "Global" in scr and "quit" in scr
        s.keys("Escape")
        s.wait_for("RESTARTS")
        s.keys("q")
        expect_clean_exit(s)


def test_filter_prompt():
    with Session() as s:
        s.wait_for("1 Pods")
        s.keys("/")
        s.wait_for("/_")
        s.keys("web")
        s.wait_for("/web_")
        s.keys("Enter")
        s.wait_for("/web_", absent=True)
        s.wait_for('filter "web"')  # kept on the status line
        s.keys("Escape")
        s.wait_for('filter "web"', absent=True)
        s.keys("q")
        expect_clean_exit(s)


def test_command_line():
    with Session() as s:
        s.wait_for("1 Pods")
        s.keys(":pane dns")
        s.wait_for(":pane dns_")
        s.keys("Enter")
        s.wait_for("SOURCE")
        s.keys(":ns shop", "Enter")
        s.wait_for("ns:shop")
        s.keys(":ns all", "Enter")
        s.wait_for("ns:all")
        s.keys(":bogus", "Enter")
        s.wait_for("unknown command 'bogus'")
        s.keys(":q", "Enter")
        expect_clean_exit(s)


def test_resize_too_small_and_back():
    with Session() as s:
        s.wait_for("1 Pods")
        s.resize(60, 20)
        s.wait_for("terminal too small (need 80x24, have 60x20)")
        s.resize(80, 24)
        s.wait_for("1 Pods")
        s.resize(160, 48)
        s.wait_for("6 Traffic")
        s.keys("F10")
        expect_clean_exit(s)


def test_large_terminal():
    with Session(cols=160, rows=48) as s:
        scr = s.wait_for("1 Pods")
        assert re.search(r"Pods \d+", scr) and "demo" in scr, scr
        assert "q quit" in scr.splitlines()[47], scr
        s.keys("q")
        expect_clean_exit(s)


def test_starts_too_small():
    with Session(cols=60, rows=20) as s:
        s.wait_for("have 60x20")
        s.keys("q")
        expect_clean_exit(s)


def test_odd_terms():
    for term in ("dumb", "no-such-terminal-xyz", "screen", "vt100", "xterm",
                 "tmux-256color"):
        with Session(env={"TERM": term}) as s:
            s.wait_for("1 Pods")
            s.keys("q")
            expect_clean_exit(s)


def test_no_utf8_locale():
    # Over SSH with LANG=C: no UTF-8, the screen still draws (in ASCII).
    for env in ({"LANG": "C", "LC_ALL": "C"}, {"LANG": "", "LC_ALL": ""}):
        with Session(("--demo", "--pane", "traffic"), env=env) as s:
            s.wait_for("a:all")
            scr = s.wait_for("NOERROR")
            assert scr.isascii(), scr
            s.keys("1")
            s.wait_for("RESTARTS")
            s.keys("q")
            expect_clean_exit(s)


def test_resize_storm():
    # Many resizes in a row, tiny to huge, while the demo traffic
    # arrives: still drawing, still answering keys, terminal restored.
    sizes = ((10, 3), (300, 100), (80, 24), (1, 1), (200, 50), (79, 23),
             (120, 30), (40, 100), (300, 5))
    with Session(("--demo", "--pane", "traffic"), cols=120, rows=30) as s:
        s.wait_for("kube-system/kube-dns")
        for i in range(120):
            s.resize(*sizes[i % len(sizes)])
        s.resize(120, 30)
        s.wait_for("a:all")
        s.keys("d")
        s.wait_for("QNAME")
        s.resize(10, 3)
        s.resize(120, 30)
        s.keys("h")
        s.wait_for("METHOD")
        s.keys("q")
        expect_clean_exit(s)


def test_sigterm_restores_terminal():
    with Session() as s:
        s.wait_for("1 Pods")
        shell = s.pid()
        out = os.popen("pgrep -P %d" % shell).read().split()
        assert out, "no child process"
        os.kill(int(out[0]), signal.SIGTERM)
        expect_clean_exit(s, 128 + signal.SIGTERM)


def test_ascii_only():
    with Session(args=("--demo", "--ascii")) as s:
        scr = s.wait_for("1 Pods")
        assert scr.isascii(), scr
        s.keys("q")
        expect_clean_exit(s)


def test_bad_theme_still_starts():
    bad = os.path.join(os.environ.get("K8SNET_SRC", "."), "tests", "data",
                       "themes", "bad_color.yaml")
    # From a folder whose path alone is wider than the terminal, the
    # status line still names the file, the line and the cause.
    with tempfile.TemporaryDirectory() as tmp:
        deep = os.path.join(tmp, "a-theme-folder-whose-path-is-wider-than-"
                            "an-eighty-column-terminal-on-its-own")
        os.mkdir(deep)
        shutil.copy(bad, deep)
        for theme in (bad, os.path.join(deep, "bad_color.yaml")):
            with Session(args=("--demo", "--theme", theme)) as s:
                scr = s.wait_for("1 Pods")
                # on the status line
                assert "bad_color.yaml:5: role 'warning'" in scr, scr
                s.keys("q")
                expect_clean_exit(s)
                assert theme + ":5: role 'warning': bad colour" in \
                    s.stderr(), s.stderr()


def test_unknown_theme_is_usage_error():
    for theme in ("nope", "/nonexistent/theme.yaml"):
        with Session(args=("--demo", "--theme", theme)) as s:
            expect_clean_exit(s, 2)
            assert theme in s.stderr(), s.stderr()


def test_capture_as_root_reads_theme_first():
    # Root captures, then drops to nobody: the themes in root's private
    # home are read before that, and no missing file is an error.
    if os.geteuid() != 0:
        print("skip: not root (capture and privilege drop)")
        return
    home = tempfile.mkdtemp(prefix="k8snet-home-")
    try:
        os.chmod(home, 0o700)
        themes = os.path.join(home, ".config", "k8snet-top", "themes")
        os.makedirs(themes)
        shutil.copy(os.path.join(DATA, "themes", "good.yaml"),
                    os.path.join(themes, "mine.yaml"))
        snap = os.path.join(DATA, "snapshots", "pods.json")
        for theme in ((), ("--theme", "mine")):
            with Session(args=("-i", "lo", "--snapshot", snap) + theme,
                         env={"HOME": home, "XDG_CONFIG_HOME": ""}) as s:
                s.wait_for("6 Traffic")
                s.keys("q")
                expect_clean_exit(s)
                err = s.stderr()
                assert "error" not in err and "denied" not in err, err
    finally:
        shutil.rmtree(home)


def test_footer_keeps_help_and_quit():
    """At 80 columns every pane's footer ends with ? help and q quit,
    after the pane's own keys."""
    with Session(cols=80, rows=24) as s:
        s.wait_for("1 Pods")
        for key, own in (("1", None), ("6", "p pause"), ("7", "c can"),
                         ("8", None)):
            s.keys(key)
            time.sleep(0.3)
            foot = s.screen().rstrip("\n").splitlines()[-1]
            assert "? help" in foot and "q quit" in foot, (key, foot)
            assert own is None or own in foot, (key, foot)
        s.keys("q")
        expect_clean_exit(s)


def test_long_snapshot_path_keeps_namespace():
    """A snapshot's long path gives up its start in the header; the
    namespace and the counts stay."""
    d = tempfile.mkdtemp()
    try:
        deep = os.path.join(d, "a-very-long-folder-name-for-saved-snapshots",
                            "and-one-more-level-of-folders")
        os.makedirs(deep)
        path = os.path.join(deep, "cluster-2026-12-02.json")
        shutil.copy(os.path.join(DATA, "snapshots", "pods.json"), path)
        with Session(("--snapshot", path), cols=80, rows=24) as s:
            scr = s.wait_for("ns:all")
            head = scr.splitlines()[0]
            assert "ns:all " in head and "Pods " in head, head
            assert "12-02.json" in head, head
            s.keys("q")
            expect_clean_exit(s)
    finally:
        shutil.rmtree(d)


def test_no_color_and_themes():
    with Session(args=("--demo", "--theme", "light"),
                 env={"NO_COLOR": "1"}) as s:
        s.wait_for("1 Pods")
        s.keys(":theme monochrome", "Enter")
        s.wait_for("theme monochrome")
        s.keys("q")
        expect_clean_exit(s)


if __name__ == "__main__":
    run([test_panes_by_number_and_tab, test_help_screen, test_filter_prompt,
         test_footer_keeps_help_and_quit,
         test_long_snapshot_path_keeps_namespace,
         test_command_line, test_resize_too_small_and_back,
         test_resize_storm, test_no_utf8_locale,
         test_large_terminal, test_starts_too_small, test_odd_terms,
         test_sigterm_restores_terminal, test_ascii_only,
         test_bad_theme_still_starts, test_unknown_theme_is_usage_error,
         test_capture_as_root_reads_theme_first, test_no_color_and_themes])
