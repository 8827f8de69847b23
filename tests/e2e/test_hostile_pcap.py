#!/usr/bin/env python3
"""Terminal safety on the capture side: a pcap (tests/tools/
gen-hostile-pcap.py) whose DNS names, HTTP path, Host and headers and TLS
SNI hold ESC, CSI, OSC, C1, NUL, U+202E and invalid UTF-8. --once json
and jsonl stay valid JSON with those bytes escaped; in the console the
Traffic pane's sub-views and a transaction's detail show them escaped,
no raw control byte reaches the screen and the title never changes."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tuiharness  # noqa: E402

BIN = os.environ["K8SNET_BIN"]
GEN = os.path.join(HERE, "..", "tools", "gen-hostile-pcap.py")
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\x00")


def check_text(what, text):
    for bad in RAW:
        assert bad not in text, "%s holds %r raw" % (what, bad)


def once(pcap):
    for fmt in ("json", "jsonl"):
        r = subprocess.run([BIN, "--once", "-r", pcap, "--pane", "traffic",
                            "-o", fmt], capture_output=True, timeout=60,
                           env=dict(os.environ, KUBECONFIG="",
                                    HOME=os.path.dirname(pcap)))
        assert r.returncode == 0, r.stderr
        out = r.stdout.decode("utf-8")  # valid UTF-8, or this raises
        check_text(fmt, out)
        docs = ([json.loads(out)] if fmt == "json" else
                [json.loads(line) for line in out.splitlines()])
        if fmt == "jsonl":
            kinds = sorted({d["type"] for d in docs})
            assert kinds == ["dns", "http", "tls"], kinds
            names = [d["qname"] for d in docs if d["type"] == "dns"]
            assert len(names) == 7, names
            # NUL cannot cut a name short: it shows as \000.
            assert "nul\\000x.hostile.example" in names, names
            assert "bad\\xff\\xfe\\xc3.hostile.example" in names, names
    print("ok   --once json and jsonl: valid, every byte escaped")


def console(pcap):
    with tuiharness.Session(("-r", pcap, "--pane", "traffic"), cols=200,
                            rows=40, env={"KUBECONFIG": "",
                                          "HOME": os.path.dirname(pcap)}
                            ) as s:
        title = s.value("#{pane_title}")
        s.wait_for("hostile.example")
        for key, mark in (("a", "REQUEST"), ("d", "QNAME"), ("h", "METHOD"),
                          ("l", "SNI"), ("n", "NAME"), ("o", "HTTP-OUT"),
                          ("v", "HTTP-IN"), ("b", "REQ/S")):
            s.keys(key)
            scr = s.wait_for(mark)
            check_text("sub-view " + key, scr)
            assert "k8snet-top" in scr.splitlines()[0], \
                "header gone: the screen was cleared"
            assert s.value("#{pane_title}") == title, "title changed"
        s.keys("d")
        s.wait_for("\\x1b]0;pwned")  # shown, escaped
        s.keys("h")
        scr = s.wait_for("METHOD")
        s.keys("g", "Enter")
        scr = s.wait_for("Request")
        check_text("http detail", scr)
        assert "\\x1b" in scr and "pwned" in scr, scr
        assert s.value("#{pane_title}") == title, "title changed"
        s.keys("Escape", "l", "g", "Enter")
        scr = s.wait_for("sni\\x1b")
        check_text("tls detail", scr)
        s.keys("Escape", "q")
        tuiharness.expect_clean_exit(s)
        assert s.value("#{pane_title}") == title, "title changed"
    print("ok   console: sub-views and details escaped, title unchanged")


def main():
    with tempfile.TemporaryDirectory(prefix="k8snet-hpcap-") as d:
        pcap = os.path.join(d, "hostile.pcap")
        subprocess.run([sys.executable, GEN, pcap], check=True)
        once(pcap)
        console(pcap)


if __name__ == "__main__":
    main()
