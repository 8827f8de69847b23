#!/usr/bin/env python3
"""Column layout at 100 and 80 columns on --demo: status words, IP
addresses and CIDRs are never cut, names and paths are cut from the
middle so their distinguishing end stays, and the namespace does not
take the width the names need."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuiharness import Session, expect_clean_exit, run  # noqa: E402

ELL = "\u2026"
# an address (or CIDR) with an ellipsis inside or right after it
CUT_IP = re.compile(r"\b\d{1,3}(\.\d{1,3}){1,3}\.?" + ELL)


def no_cut_ip(scr):
    assert not CUT_IP.search(scr), scr


def shown(scr, text):
    """text is on screen whole, or cut in the middle keeping at least
    two characters of its end."""
    for tok in scr.split():
        if tok == text:
            return True
        if ELL in tok:
            head, tail = tok.split(ELL, 1)
            if len(tail) >= 2 and text.startswith(head) and \
                    text.endswith(tail):
                return True
    return False


def test_ingress_status_and_paths():
    for cols in (100, 80):
        with Session(cols=cols, rows=30) as s:
            s.wait_for("1 Pods")
            s.keys("4")
            scr = s.wait_for("no-endpoints")
            for word in ("port-missing", "service-missing", "no-endpoints"):
                assert word in scr, (word, scr)
            assert "port-mis" + ELL not in scr, scr
            # /api/cart, /api/catalog, /api/checkout stay apart by their
            # ends: cut in the middle, never to a common "/api/c..."
            assert "/api/c" + ELL not in scr, scr
            for path in ("/api/cart", "/api/catalog", "/api/checkout"):
                assert shown(scr, path), (path, scr)
            s.keys("q")
            expect_clean_exit(s)


def test_addresses_whole_names_keep_their_end():
    with Session(cols=100, rows=30) as s:
        s.wait_for("1 Pods")
        scr = s.wait_for("RESTARTS")
        no_cut_ip(scr)
        # pods' names keep the hash that tells them apart
        for end in ("8390c", "7101b", "8xk2p", "qz7wm"):
            assert end in scr, (end, scr)
        # local-path-storage and envoy-gateway-system are cut too: the
        # namespace yields width
        head = [l for l in scr.splitlines() if l.startswith("NAMESPACE")][0]
        assert head.index("NAME ") < 20, head
        s.keys("2")
        scr = s.wait_for("CLUSTER-IP")
        assert "10.96.133.201" in scr, scr
        no_cut_ip(scr)
        s.keys("5")
        scr = s.wait_for("POD-CIDR")
        assert "10.244.0.0/24" in scr, scr
        no_cut_ip(scr)
        s.keys("q")
        expect_clean_exit(s)


if __name__ == "__main__":
    run([test_ingress_status_and_paths,
         test_addresses_whole_names_keep_their_end])
