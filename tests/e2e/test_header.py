#!/usr/bin/env python3
"""The header at 80 columns in tmux: a long snapshot path is cut in its
middle with the console's ellipsis ("…" in UTF-8, "~" in the C locale,
as table cells), so its root and the file's name stay; the counts and
the connection state stay visible; every pane's key shows on the tab
bar."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuiharness import Session, expect_clean_exit, run  # noqa: E402

SRC = os.environ.get("K8SNET_SRC", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", ".."))
NAME = "prod-eu-west-1-snapshot.json"


def header_of(locale, ellipsis):
    with tempfile.TemporaryDirectory(prefix="k8snet-header-") as tmp:
        d = os.path.join(tmp, "archive", "clusters", "europe-west",
                         "production", "2026-12-02")
        os.makedirs(d)
        path = os.path.join(d, NAME)
        shutil.copy(os.path.join(SRC, "src", "embed", "demo-cluster.json"),
                    path)
        with Session(args=("--snapshot", path), cols=80, rows=24,
                     env={"LANG": locale, "LC_ALL": locale}) as s:
            scr = s.wait_for("Pods 29")
            head, tabs = scr.split("\n")[:2]
            assert len(path) > 80, path
            # the path's root, the cut, the end of the file's name
            assert head.startswith(" k8snet-top  /%s" % ellipsis), head
            assert "-1-snapshot.json  ns:all " in head, head
            for text in ("Pods 29", "Services 13", "offline"):
                assert text in head, (text, head)
            for i, title in enumerate(("Pods", "Services", "DNS",
                                       "Ingress", "Nodes", "Traffic",
                                       "Policies", "Routes"), 1):
                assert "%d %s" % (i, title) in tabs, (i, tabs)
            s.keys("q")
            expect_clean_exit(s)


def test_long_path_utf8():
    header_of("C.UTF-8", "\u2026")


def test_long_path_ascii():
    header_of("C", "~")


if __name__ == "__main__":
    run([test_long_path_utf8, test_long_path_ascii])
