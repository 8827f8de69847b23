"""Pod logs for the test Kube-API server (server.py), as the kubelet and
the kube-apiserver serve them: GET /api/v1/namespaces/NS/pods/POD/log.

A pod's container log is fed from a file its process writes (an agent's
stdout): a tailer thread reads new complete lines every 20 ms and stamps
each with the time it read it, as the container runtime's log writer
stamps lines (RFC 3339 with nanoseconds). Query parameters:

  container   must name the pod's container (400 otherwise); default the
              first
  follow      stream new lines (chunked) until the container stops (the
              stream then ends cleanly), the pod is deleted, or a cut
  timestamps  prefix each line with its timestamp and a space
  sinceTime   RFC 3339; lines stamped at or after it. Like the
              kube-apiserver, which passes it on to the kubelet formatted
              as RFC 3339 without fractions, it is truncated to seconds,
              so a resumed stream repeats the lines of that second
  sinceSeconds  lines of the last N seconds (400 with sinceTime too)
  tailLines   only the last N lines before following
  limitBytes  stop after N bytes
  previous    the container's previous run (400 when there was none)

A pod that does not exist: 404 NotFound. A container that has not
started (no log yet): 400 "is waiting to start".

Control operations (apply_op in server.py):
  log_source  {namespace, pod, path, restart}: the container's log is
              read from path; restart: the container restarted (its
              lines become the previous run's, open streams end)
  log_append  {namespace, pod, lines}: lines written by the container
  log_end     {namespace, pod}: the container stopped (streams end)
  log_cut     {namespace, pod}: open follow streams are cut mid-stream
              (no terminating chunk: the client sees a transfer error)

GET /podlogs on the control port: per pod (NS/POD), the lines it wrote,
the stamp of the last, and the lines and bytes its follow streams sent.
"""

import datetime
import os
import socket
import threading
import time


def stamp(ns):
    s, frac = divmod(ns, 1_000_000_000)
    t = datetime.datetime.fromtimestamp(s, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%09dZ" % frac


def parse_time(s):
    """RFC 3339 to nanoseconds since the epoch, or None."""
    try:
        if s.endswith("Z"):
            s = s[:-1] + "+00:00"
        frac = 0
        if "." in s:
            head, rest = s.split(".", 1)
            digits = ""
            while rest and rest[0].isdigit():
                digits += rest[0]
                rest = rest[1:]
            frac = int((digits + "000000000")[:9])
            s = head + rest
        t = datetime.datetime.fromisoformat(s)
        if t.tzinfo is None:
            return None
        return int(t.timestamp()) * 1_000_000_000 + frac
    except ValueError:
        return None


class Run:
    """One run of a container: its lines and how it ended."""

    def __init__(self, path=None):
        self.lines = []     # (ns stamp, bytes without newline)
        self.path = path
        self.pos = 0
        self.partial = b""
        self.ended = False


class PodLogs:
    def __init__(self, store):
        self.st = store
        self.runs = {}      # (ns, pod) -> [Run, ...] (last is current)
        self.cut_gen = {}   # (ns, pod) -> bumped by log_cut
        self.lines_served = 0
        self.served = {}    # (ns, pod) -> [lines, bytes] sent to followers
        threading.Thread(target=self._tail, daemon=True).start()

    def _now(self):
        return time.time_ns()

    def _tail(self):
        while True:
            time.sleep(0.02)
            with self.st.lock:
                runs = [rs[-1] for rs in self.runs.values()
                        if rs and rs[-1].path and not rs[-1].ended]
            for r in runs:
                try:
                    with open(r.path, "rb") as f:
                        f.seek(r.pos)
                        data = f.read()
                except OSError:
                    continue
                if not data:
                    continue
                with self.st.lock:
                    r.pos += len(data)
                    data = r.partial + data
                    parts = data.split(b"\n")
                    r.partial = parts.pop()
                    now = self._now()
                    for p in parts:
                        # one nanosecond apart: the order is the time
                        if r.lines and now <= r.lines[-1][0]:
                            now = r.lines[-1][0] + 1
                        r.lines.append((now, p))
                    if parts:
                        self.st.lock.notify_all()

    def op(self, kind, op):
        key = (op.get("namespace", "default"), op["pod"])
        with self.st.lock:
            rs = self.runs.setdefault(key, [])
            if kind == "log_source":
                if rs and op.get("restart"):
                    rs[-1].ended = True
                if not rs or op.get("restart"):
                    rs.append(Run(op["path"]))
                else:
                    rs[-1].path = op["path"]
            elif kind == "log_append":
                if not rs:
                    rs.append(Run())
                now = self._now()
                for line in op.get("lines", []):
                    if rs[-1].lines and now <= rs[-1].lines[-1][0]:
                        now = rs[-1].lines[-1][0] + 1
                    rs[-1].lines.append((now, line.encode()))
            elif kind == "log_end":
                if rs:
                    rs[-1].ended = True
            elif kind == "log_cut":
                self.cut_gen[key] = self.cut_gen.get(key, 0) + 1
            self.st.lock.notify_all()
            return {"ok": True,
                    "lines": len(rs[-1].lines) if rs else 0}

    def counters(self):
        """Per pod: lines the container wrote (read from its file so
        far) and the stamp of the last (ns since the epoch, 0 before the
        first), and lines and bytes (timestamps included, chunk framing
        not) sent to followers."""
        with self.st.lock:
            out = {}
            for (ns, pod), rs in self.runs.items():
                s = self.served.get((ns, pod), [0, 0])
                last = [r.lines[-1][0] for r in rs if r.lines]
                out[ns + "/" + pod] = {
                    "lines": sum(len(r.lines) for r in rs),
                    "last_ns": last[-1] if last else 0,
                    "lines_served": s[0], "bytes_served": s[1]}
            return out

    def serve(self, h, ns, name, q, authkind):
        """Answer h (the request handler) for pod ns/name; returns the
        status recorded, None when recorded already."""
        st = self.st
        with st.lock:
            pod = st.objs.get(("pods", ns, name))
            ctrs = [c.get("name") for c in
                    (pod or {}).get("spec", {}).get("containers", [])]
            runs = list(self.runs.get((ns, name), []))
        if pod is None:
            h.send_status(404, "NotFound", f'pods "{name}" not found',
                          {"name": name, "kind": "pods"})
            return 404
        ctr = q.get("container") or (ctrs[0] if ctrs else "")
        if ctr not in ctrs:
            h.send_status(400, "BadRequest",
                          f"container {ctr} is not valid for pod {name}")
            return 400
        if "sinceTime" in q and "sinceSeconds" in q:
            h.send_status(400, "BadRequest",
                          "at most one of sinceTime or sinceSeconds may "
                          "be specified")
            return 400
        since = None
        if "sinceTime" in q:
            since = parse_time(q["sinceTime"])
            if since is None:
                h.send_status(400, "BadRequest",
                              f"invalid sinceTime {q['sinceTime']!r}")
                return 400
            since -= since % 1_000_000_000
        elif "sinceSeconds" in q:
            try:
                secs = int(q["sinceSeconds"])
                if secs < 1:
                    raise ValueError
            except ValueError:
                h.send_status(400, "BadRequest",
                              "sinceSeconds must be a positive integer")
                return 400
            since = self._now() - secs * 1_000_000_000
        previous = q.get("previous") in ("1", "true")
        if previous:
            if len(runs) < 2:
                h.send_status(400, "BadRequest",
                              f'previous terminated container "{ctr}" in '
                              f'pod "{name}" not found')
                return 400
            run = runs[-2]
        elif not runs:
            h.send_status(400, "BadRequest",
                          f'container "{ctr}" in pod "{name}" is waiting '
                          f'to start: ContainerCreating')
            return 400
        else:
            run = runs[-1]
        follow = q.get("follow") in ("1", "true") and not previous
        stamps = q.get("timestamps") in ("1", "true")
        try:
            tail = int(q["tailLines"]) if "tailLines" in q else None
            limit = int(q["limitBytes"]) if "limitBytes" in q else None
        except ValueError:
            h.send_status(400, "BadRequest",
                          "tailLines and limitBytes must be numbers")
            return 400

        def fmt(item):
            t, b = item
            return ((stamp(t).encode() + b" ") if stamps else b"") + b + b"\n"

        with st.lock:
            sel = [x for x in run.lines if since is None or x[0] >= since]
            if tail is not None:
                sel = sel[-tail:] if tail > 0 else []
            pos = len(run.lines)
            gen = self.cut_gen.get((ns, name), 0)
        h.record("GET", authkind, 200)
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        if not follow:
            body = b"".join(fmt(x) for x in sel)
            if limit is not None:
                body = body[:limit]
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return None
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        sent = 0
        out = [fmt(x) for x in sel]
        while True:
            if out:
                data = b"".join(out)
                if limit is not None:
                    data = data[:max(0, limit - sent)]
                if data:
                    h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    h.wfile.flush()
                    sent += len(data)
                with st.lock:
                    self.lines_served += len(out)
                    c = self.served.setdefault((ns, name), [0, 0])
                    c[0] += len(out)
                    c[1] += len(data)
                if limit is not None and sent >= limit:
                    h.wfile.write(b"0\r\n\r\n")
                    return None
            with st.lock:
                if (pos >= len(run.lines) and not run.ended and
                        self.cut_gen.get((ns, name), 0) == gen and
                        ("pods", ns, name) in st.objs and
                        not h.server.stopping):
                    st.lock.wait(0.2)
                cut = self.cut_gen.get((ns, name), 0) != gen
                new = run.lines[pos:]
                pos = len(run.lines)
                done = (run.ended or ("pods", ns, name) not in st.objs or
                        h.server.stopping)
            if cut:
                h.close_connection = True
                try:
                    h.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return None
            out = [fmt(x) for x in new]
            if done and not out:
                h.wfile.write(b"0\r\n\r\n")
                h.wfile.flush()
                return None
