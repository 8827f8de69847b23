#!/usr/bin/env python3
"""Habits k9s and htop users bring, in tmux: Left/Right scroll the
columns and Ctrl-w shows them whole; :ns and :ctx without a name list
what to choose from, 0 shows every namespace; Tab completes the command
line, Up and Down recall earlier commands; Shift and a letter sort by
a column, <, > and F6 choose it from a list; y shows the object as YAML
and d describes it; Y copies a value to the clipboard with OSC 52; htop's
function keys, a hint for an unknown key, the pane's keys first in ?;
t on an ingress path shows both legs of its requests."""
import os
import sys
import tempfile

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


def test_namespace_picker_and_zero():
    with Session() as s:
        s.wait_for("1 Pods")
        s.keys(":ns", "Enter")
        scr = s.wait_for("Namespace to show")
        assert "kube-system" in scr and "ingress-nginx" in scr, scr
        s.keys("/", "shop", "Enter")
        s.wait_for('filter "shop": 1 of')
        s.keys("Enter")
        scr = s.wait_for("ns:shop")
        assert "kube-system" not in scr, scr
        s.keys("0")
        s.wait_for("ns:all")
        s.wait_for("kube-system")
        # Esc leaves the list without choosing.
        s.keys(":ns", "Enter")
        s.wait_for("Namespace to show")
        s.keys("Escape")
        s.wait_for("Namespace to show", absent=True)
        s.wait_for("ns:all")
        s.keys("q")
        expect_clean_exit(s)


KUBECONFIG = """apiVersion: v1
kind: Config
current-context: alpha
clusters:
- name: nowhere
  cluster: {server: "https://127.0.0.1:9"}
users:
- name: u
  user: {token: not-a-secret}
contexts:
- name: alpha
  context: {cluster: nowhere, user: u}
- name: beta
  context: {cluster: nowhere, user: u}
"""


def test_context_picker():
    # A live source whose server refuses: the console runs and retries;
    # :ctx lists the kubeconfig's contexts and switches.
    with tempfile.TemporaryDirectory(prefix="k8snet-ctx-") as d:
        kc = os.path.join(d, "config")
        with open(kc, "w") as f:
            f.write(KUBECONFIG)
        with Session(("--kubeconfig", kc)) as s:
            s.wait_for("not connected")
            s.keys(":ctx", "Enter")
            scr = s.wait_for("Context of the kubeconfig")
            assert "beta" in scr, scr
            alpha = next(ln for ln in scr.splitlines()
                         if ln.startswith("alpha"))
            assert "(in use)" in alpha, scr
            s.keys("j", "Enter")
            s.wait_for("ctx:beta")
            s.keys("q")
            expect_clean_exit(s)


def test_tab_completes_the_command_line():
    with Session() as s:
        s.wait_for("1 Pods")
        s.keys(":", "n", "Tab")
        s.wait_for("ns  namespace  nodes")  # several: listed
        s.keys("s", "Tab")
        s.wait_for(":ns _")
        s.keys("kube-", "Tab")
        s.wait_for("kube-node-lease  kube-public  kube-system")
        s.keys("sy", "Tab")
        s.wait_for(":ns kube-system_")
        s.keys("Enter")
        s.wait_for("ns:kube-system")
        s.keys(":", "pa", "Tab", "tr", "Tab")
        s.wait_for(":pane traffic_")
        s.keys("Enter")
        s.wait_for("LATENCY")
        s.keys(":", "zz", "Tab")
        s.wait_for("nothing starts with 'zz'")
        s.keys("Escape", "q")
        expect_clean_exit(s)


def test_command_history():
    with Session() as s:
        s.wait_for("1 Pods")
        s.keys(":ns shop", "Enter")
        s.wait_for("ns:shop")
        s.keys(":pane dns", "Enter")
        s.wait_for("SOURCE")
        s.keys(":ns all", "Enter")
        s.wait_for("ns:all")
        s.keys(":", "Up")
        s.wait_for(":ns all_")
        s.keys("Up", "Up")
        s.wait_for(":ns shop_")
        s.keys("Up")  # the oldest stays
        s.wait_for(":ns shop_")
        s.keys("Down")
        s.wait_for(":pane dns_")
        s.keys("Down", "Down")  # back to the line being typed
        s.wait_for(":_")
        s.keys("Up", "Up", "Up", "Enter")
        s.wait_for("ns:shop")
        s.keys("q")
        expect_clean_exit(s)


def sorted_by(scr):
    """The title the sort arrow follows."""
    row = titles(scr)
    for arrow in ("\u25b2", "\u25bc"):
        if arrow in row:
            return row[:row.index(arrow)].split()[-1]
    return None


def test_sort_by_named_column():
    with Session(cols=100, rows=60) as s:
        s.wait_for("1 Pods")
        s.keys("N")  # NAMESPACE is sorted: the next N column
        scr = s.wait_for("sorted by NAME")
        assert sorted_by(scr) == "NAME", scr
        s.keys("R")
        scr = s.wait_for("sorted by READY")
        assert sorted_by(scr) == "READY", scr
        s.keys("R")
        s.wait_for("sorted by RESTARTS")
        s.keys("F6")
        scr = s.wait_for("Sort by (Enter sorts")
        assert "sorted, ascending" in next(
            ln for ln in scr.splitlines() if ln.startswith("RESTARTS")), scr
        s.keys("End", "Enter")
        scr = s.wait_for("sorted by NODE")
        assert sorted_by(scr) == "NODE", scr
        s.keys("<")
        s.wait_for("Sort by (Enter sorts")
        s.keys("Enter")  # the sorted column: reversed
        s.wait_for("sorted by NODE, reversed")
        s.keys(">")
        s.wait_for("Sort by (Enter sorts")
        s.keys("Escape")
        s.wait_for("Sort by (Enter sorts", absent=True)
        # ? lists the letters of the pane's columns.
        s.keys("?")
        scr = s.wait_for("Sort by column (Shift")
        assert "NAMESPACE, NAME, NODE" in scr, scr
        s.keys("Escape", "q")
        expect_clean_exit(s)


def test_yaml_and_describe():
    with Session(rows=40) as s:
        s.wait_for("1 Pods")
        s.keys("2", "/", "checkout", "Enter")
        s.wait_for('filter "checkout": 1 of')
        s.keys("y")
        scr = s.wait_for("Service shop/checkout as YAML")
        for text in ("the fields k8snet-top keeps", "apiVersion: v1",
                     "kind: Service", "  name: checkout", "  ports:"):
            assert text in scr, (text, scr)
        s.keys("Escape")
        s.wait_for("kind: Service", absent=True, drawn="CLUSTER-IP")
        s.keys("d")
        scr = s.wait_for("Service shop/checkout")
        assert "Endpoints" in scr, scr
        s.keys("Escape", "4", "/", "api/checkout", "Enter", "y")
        scr = s.wait_for("kind: Ingress")
        assert "networking.k8s.io/v1" in scr and "pathType" in scr, scr
        # Routes: the route as YAML, d its chain as describe shows it.
        s.keys("Escape", "8", "/", "legacy-shop", "Enter")
        s.wait_for('filter "legacy-shop": 1 of')
        s.keys("y")
        scr = s.wait_for("HTTPRoute shop/legacy-shop as YAML")
        for text in ("apiVersion: gateway.networking.k8s.io/v1",
                     "kind: HTTPRoute", "  parentRefs:",
                     "  - shop.example.org", "      value: /",
                     "    backendRefs:", "  - name: frontend"):
            assert text in scr, (text, scr)
        s.keys("Escape")
        s.wait_for("kind: HTTPRoute", absent=True, drawn="GATEWAY")
        s.keys("d")
        scr = s.wait_for("class eg -> controller")
        assert "legacy-shop" in scr, scr
        # The Traffic pane keeps d for its DNS list.
        s.keys("Escape", "6", "d")
        s.wait_for("QNAME")
        s.keys("q")
        expect_clean_exit(s)


def test_copy_to_clipboard():
    with Session(cols=100) as s:
        s.wait_for("1 Pods")
        s.keys("/", "frontend-5b408af5e0-1711a", "Enter", "Y")
        scr = s.wait_for("Copy to the clipboard")
        assert "shop/frontend-5b408af5e0-1711a" in scr, scr
        assert "10.244.1.10" in scr, scr
        # tmux's default set-clipboard (external) keeps OSC 52 from
        # programs: not copied, and the value is shown instead.
        s.keys("Enter")
        s.wait_for("(not copied to the clipboard: tmux's set-clipboard "
                   "is external")
        s.tmux("set-option", "-s", "set-clipboard", "on")
        s.keys("Y")
        s.wait_for("Copy to the clipboard")
        s.keys("End", "Up", "Enter")  # the IP, before NODE
        s.wait_for("copied 10.244.1.10 to the clipboard")
        assert s.tmux("show-buffer") == "10.244.1.10", s.tmux("show-buffer")
        s.keys("Y", "Enter")
        s.wait_for("copied shop/frontend-5b408af5e0-1711a to the")
        assert s.tmux("show-buffer") == "shop/frontend-5b408af5e0-1711a"
        s.keys("q")
        expect_clean_exit(s)


def test_function_keys_and_unknown_key():
    with Session(rows=40) as s:
        s.wait_for("1 Pods")
        s.keys("x")
        scr = s.wait_for("unknown key x: ? for help")
        assert scr.splitlines()[-1].strip().startswith("unknown key x"), scr
        s.wait_for("unknown key x", absent=True, drawn="q quit")
        s.keys("F1")
        scr = s.wait_for("Keys  (Esc: back)")
        # The pane's own keys come first: the Pods pane's are y and d.
        body = [ln.strip() for ln in scr.splitlines()]
        assert body.index("Objects (panes of cluster objects)") < \
            body.index("Global"), scr
        s.keys("F1")
        s.wait_for("Keys  (Esc: back)", absent=True)
        s.keys("7", "?")
        scr = s.wait_for("Keys  (Esc: back)")
        body = [ln.strip() for ln in scr.splitlines()]
        assert body[4] == "Policies pane", scr
        s.keys("Escape", "F3")
        s.wait_for("/_")
        s.keys("web", "Enter")
        s.wait_for('filter "web"')
        s.keys("F6")
        s.wait_for("Sort by (Enter sorts")
        s.keys("Escape", "F10")
        expect_clean_exit(s)


def test_ingress_traffic_both_legs():
    # The demo's checkout: the client's request to the ingress controller
    # gets 502, because the controller's own request upstream to
    # shop/checkout got 503. t on the ingress path shows both.
    with Session(cols=120, rows=30) as s:
        s.wait_for("1 Pods")
        s.keys("4", "/", "/api/checkout", "Enter")
        s.wait_for('filter "/api/checkout": 1 of')
        s.keys("t")
        s.wait_for("both legs: requests to shop.example.com at the "
                   "ingress and to shop/checkout upstream")
        s.wait_for("shop.example.com|shop/checkout")
        scr = s.wait_for(" 503 ", timeout=30)
        scr = s.wait_for(" 502 ", timeout=30)
        rows = [ln for ln in scr.splitlines() if " http " in ln]
        leg1 = [ln for ln in rows if " 502 " in ln]
        leg2 = [ln for ln in rows if " 503 " in ln]
        assert leg1 and leg2, scr
        assert "ingress-nginx/" in leg1[0] and "shop.example.com" in \
            leg1[0], scr  # the client's request, at the controller
        assert "shop/checkout" in leg2[0] and \
            leg2[0].index("ingress-nginx/") < leg2[0].index(
                "shop/checkout"), scr  # the controller's, upstream
        s.keys("q")
        expect_clean_exit(s)


if __name__ == "__main__":
    run([test_columns_scroll_and_wide, test_namespace_picker_and_zero,
         test_context_picker, test_tab_completes_the_command_line,
         test_command_history, test_sort_by_named_column,
         test_yaml_and_describe, test_copy_to_clipboard,
         test_function_keys_and_unknown_key,
         test_ingress_traffic_both_legs])
