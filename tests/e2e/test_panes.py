#!/usr/bin/env python3
"""The cluster panes in tmux on --demo at 80x24 and 160x48: demo rows,
Enter opens a detail, Esc and q close it, / narrows, :ns shop narrows
every pane but Nodes (cluster-scoped), :ns of a namespace that does not
exist is refused, and l looks a name up on the DNS pane."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuiharness import Session, expect_clean_exit, run  # noqa: E402

SIZES = ((80, 24), (160, 48))

# pane key, a row the demo shows, filter text, what its detail shows
PANES = (
    ("1", "calico-node-0953b", "postgres-0", "Services selecting it"),
    ("2", "kube-dns", "10.96.120.14", "no ready endpoints"),
    ("3", "1.0.96.10.in-addr.arpa.", "_tcp-postgres", "Lookup"),
    ("4", "shop-api", "reviews", "service-missing (no such Service)"),
    ("5", "demo-worker2", "demo-worker2", "Ports (demo data"),
)


def test_rows_and_details():
    for cols, rows in SIZES:
        with Session(cols=cols, rows=rows) as s:
            s.wait_for("1 Pods")
            for key, row, pattern, detail in PANES:
                s.keys(key)
                s.wait_for(row)
                s.keys("/" + pattern, "Enter")
                s.wait_for('filter "%s"' % pattern)
                s.keys("Enter")
                s.wait_for(detail)
                s.keys("Escape")
                s.wait_for(detail, absent=True)
                s.keys("Enter")
                s.wait_for(detail)
                s.keys("q")  # leaves the view, not the program
                s.wait_for(detail, absent=True)
                s.wait_for('filter "%s"' % pattern)
                s.keys("Escape")
                s.wait_for('filter "%s"' % pattern, absent=True)
            s.keys("q")
            expect_clean_exit(s)


def test_filter_narrows():
    with Session() as s:
        s.wait_for("1 Pods")
        s.wait_for("coredns")
        s.keys("/postgres")
        s.wait_for("/postgres_")
        scr = s.wait_for("coredns", absent=True)
        assert "postgres-0" in scr and "postgres-1" in scr, scr
        s.keys("Escape")
        # every row again, around the selection (still on postgres-0)
        s.wait_for("82dde")  # a payments pod, cut in the middle
        s.keys("q")
        expect_clean_exit(s)


def test_namespace_narrows_every_pane():
    for cols, rows in SIZES:
        with Session(cols=cols, rows=rows) as s:
            s.wait_for("1 Pods")
            s.keys(":ns shop", "Enter")
            s.wait_for("ns:shop")
            s.wait_for("coredns", absent=True)
            s.wait_for("postgres-0")
            s.keys("2")
            scr = s.wait_for("CLUSTER-IP")
            assert "kube-dns" not in scr and "payments" in scr, scr
            s.keys("3")
            scr = s.wait_for("kube-dns.kube-system.svc", absent=True,
                             drawn="domain cluster.local")
            # The demo's live DNS rows sort first and can push the name
            # below an 80x24 screen: the filter finds it.
            s.keys("/", "cart.shop.svc", "Enter")
            s.wait_for("cart.shop.svc")
            s.keys("Escape")
            s.keys("4")
            s.wait_for("shop-api")
            # Nodes are cluster-scoped: every node stays, PODS counts
            # the namespace's pods (none on the control plane).
            s.keys("5")
            scr = s.wait_for("demo-worker2")
            assert "plane" in scr, scr  # demo-control-plane
            head = [l for l in scr.splitlines() if l.startswith("NAME")][0]
            ctl = [l for l in scr.splitlines() if l.startswith("demo-c")]
            if "PODS" in head:  # not at 80 columns
                end = head.index("PODS") + 4
                assert ctl and ctl[0][:end].endswith(" 0"), scr
            s.keys(":ns all", "Enter")
            s.wait_for("ns:all")
            s.wait_for("plane")
            s.keys("q")
            expect_clean_exit(s)


def test_unknown_namespace_refused():
    with Session(args=("--demo", "-n", "shop")) as s:
        s.wait_for("ns:shop")
        s.wait_for("postgres-0")
        s.keys(":ns nope", "Enter")
        s.wait_for("namespace nope does not exist (still showing shop)")
        scr = s.wait_for("postgres-0")
        assert "ns:shop" in scr and "ns:nope" not in scr, scr
        s.keys(":ns kube-system", "Enter")
        s.wait_for("ns:kube-system")
        s.wait_for("coredns")
        s.keys("q")
        expect_clean_exit(s)


def test_namespace_flag():
    with Session(args=("--demo", "-n", "kube-system")) as s:
        s.wait_for("ns:kube-system")
        scr = s.wait_for("coredns")
        assert "postgres-0" not in scr, scr
        s.keys("2")
        s.wait_for("kube-dns")
        s.keys("q")
        expect_clean_exit(s)


def test_dns_lookup():
    for cols, rows in SIZES:
        with Session(cols=cols, rows=rows) as s:
            s.wait_for("1 Pods")
            s.keys(":ns shop", "Enter", "3")
            s.wait_for("domain cluster.local")
            s.keys("l")
            s.wait_for("lookup: _")
            s.keys("cart", "Enter")
            s.wait_for("ClusterIP of Service shop/cart")
            s.wait_for("0 dots < ndots 5")
            s.keys("Escape")
            s.wait_for("domain cluster.local")
            s.keys("l", "postgres", "Enter")
            s.wait_for("ready endpoint of headless")
            s.keys("q")
            s.keys("l", "10.96.120.11", "Enter")
            s.wait_for("ClusterIP of Service shop/cart")
            s.keys("q")
            s.keys("l", "nothing.shop.svc.cluster.local.", "Enter")
            s.wait_for("no service 'nothing' in namespace 'shop'")
            s.keys("Escape")
            s.keys("l", "x")
            s.wait_for("lookup: x_")
            s.keys("Escape")
            s.wait_for("lookup: ", absent=True)
            s.keys("q")
            expect_clean_exit(s)


if __name__ == "__main__":
    run([test_rows_and_details, test_filter_narrows,
         test_namespace_narrows_every_pane, test_unknown_namespace_refused,
         test_namespace_flag,
         test_dns_lookup])
