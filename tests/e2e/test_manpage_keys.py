#!/usr/bin/env python3
"""The manual page's KEYS section names every global key the console's
help screen (?) lists.  The help screen is read from k8snet-top --demo
under tmux; exit 77 when tmux is missing."""
import os
import re
import shutil
import subprocess
import sys
import time

BIN = os.environ.get("K8SNET_BIN", "")
SRC = os.environ.get("K8SNET_SRC",
                     os.path.join(os.path.dirname(__file__), "..", ".."))
TIMEOUT = float(os.environ.get("K8SNET_TUI_TIMEOUT", "10"))
PAGE = os.path.join(SRC, "docs", "k8snet-top.1")


def tmux(sock, *args, check=True):
    return subprocess.run(("tmux", "-L", sock, "-f", "/dev/null") + args,
                          check=check, capture_output=True,
                          text=True).stdout


def wait_for(sock, text):
    """Poll the pane until text shows; return the screen."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        screen = tmux(sock, "capture-pane", "-p", "-t", "t", check=False)
        if text in screen:
            return screen
        if time.monotonic() > deadline:
            raise AssertionError("no %r on screen; it shows:\n%s"
                                 % (text, screen))
        time.sleep(0.05)


def help_screen():
    sock = "k8snet-mankeys-%d" % os.getpid()
    tmux(sock, "new-session", "-d", "-s", "t", "-x", "160", "-y", "60",
         "%s --demo" % BIN)
    path = tmux(sock, "display-message", "-p", "#{socket_path}",
                check=False).strip()
    try:
        wait_for(sock, "1 Pods")
        tmux(sock, "send-keys", "-t", "t", "-l", "?")
        screen = wait_for(sock, "Keys  (Esc: back)")
        # the global section ends at its blank line, which follows the
        # last key; wait until the next section shows too
        wait_for(sock, "Tables")
        screen = tmux(sock, "capture-pane", "-p", "-t", "t")
        tmux(sock, "send-keys", "-t", "t", "q", check=False)
        return screen
    finally:
        tmux(sock, "kill-server", check=False)
        if path and os.path.exists(path):
            os.unlink(path)


def global_keys(screen):
    """Key names of the help screen's Global section: one line per action,
    "  KEYS             text", keys split by spaces (src/ui/screen.c)."""
    lines = screen.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == "Global")
    keys = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        m = re.match(r"\s+(\S+(?: \S+)*?)\s{2,}\S", line)
        assert m, "cannot read help line %r" % line
        keys.extend(m.group(1).split())
    assert keys, "empty Global section:\n" + screen
    return keys


def keys_section(path):
    """The KEYS section of the page as plain words."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^\.SH KEYS\s*$(.*?)^\.SH ", text, re.M | re.S)
    assert m, "%s has no KEYS section" % path
    lines = []
    for line in m.group(1).splitlines():
        # .BR a b c: the arguments in alternating fonts, not spaced
        r = re.match(r"\.(BR|RB|BI|IB|IR|RI)\s+(.*)", line)
        if r:
            line = "".join(a.strip('"') for a in
                           re.findall(r'"[^"]*"|\S+', r.group(2)))
        lines.append(re.sub(r"^\.\w+", " ", line))         # requests
    body = "\n".join(lines)
    body = re.sub(r"\\f[BIRP]|\\f\(\w\w", "", body)     # fonts
    body = body.replace("\\-", "-").replace("\\(em", " ")
    body = body.replace("\\&", "").replace('"', " ")
    return set(re.split(r"[\s,;()]+", body)) - {""}


def spellings(key):
    """How the page may write a key the help names with kn_key_name."""
    out = {key}
    if key == "S-Tab":
        out |= {"Shift-Tab", "BackTab"}
    m = re.fullmatch(r"C-(.)", key)
    if m:
        c = m.group(1)
        out |= {"Ctrl-" + c.upper(), "Ctrl-" + c.lower(),
                "Ctrl+" + c.upper(), "^" + c.upper()}
    return out


def on_page(key, words):
    if spellings(key) & words:
        return True
    if key.isdigit():   # 1-6 as a range
        for w in words:
            m = re.fullmatch(r"(\d)-(\d)", w)
            if m and int(m.group(1)) <= int(key) <= int(m.group(2)):
                return True
    return False


def main():
    if not BIN:
        print("K8SNET_BIN is not set")
        return 2
    if shutil.which("tmux") is None:
        print("tmux missing: skipped")
        return 77
    words = keys_section(PAGE)
    keys = global_keys(help_screen())
    missing = [k for k in keys if not on_page(k, words)]
    for k in missing:
        print("man page KEYS lacks %s (help screen lists it)" % k)
    print("global keys: %s" % " ".join(keys))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
