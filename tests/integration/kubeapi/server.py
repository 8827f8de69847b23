#!/usr/bin/env python3
"""A small, faithful Kube-API server for the test suite (python3 stdlib only).

What it does, shaped like the real kube-apiserver:
  - TLS with a CA it makes (openssl CLI), client-certificate, bearer-token
    and basic authentication; Status objects for 401/403/404/405/410/429/500
  - discovery: /version, /api, /apis, /api/v1, /apis/GROUP[/VERSION]
  - list with pagination (limit, continue, resourceVersion in metadata),
    fieldSelector (metadata.name, metadata.namespace) and equality
    labelSelector; server-side Table output for kubectl (as=Table)
  - watch (?watch=1) with chunked transfer framing, resourceVersion,
    allowWatchBookmarks (BOOKMARK events), timeoutSeconds, and the ERROR
    event with a 410 Status when the resourceVersion is too old
  - scripted changes and fault injection through a control port (plain
    HTTP on loopback, never logged with the API requests): add, modify,
    delete objects, churn (relabel N pods in one batch, for benchmarks;
    /watches counts the events written), turnover (N new Job pods with
    their own label values and owner, the oldest deleted down to `keep`,
    for soak runs; see turnover.py), drop watches, compact history
    (410), 500/429 bursts with Retry-After, forbid a resource (403), hide
    a resource (404), serve the Gateway API in some versions or none
    (gateway_api {versions}; --gateway-api v1,v1beta1,v1alpha2 at start;
    without it gateway.networking.k8s.io answers 404 in discovery)
  - transport faults, each for the next `count` matching requests (`match`:
    a substring of the path; `watch`: true or false to pick watches or
    lists only; `continued`: true or false to pick list pages that carry
    a continue token, or first pages, only; `drop`: also cut the open
    watches so they reconnect; `continued` also applies to `fail`):
      slow      {rate, head}: the body goes out at `rate` bytes/s (headers
                and the first `head` bytes at once), until the client
                gives up
      cut       {how}: "mid_chunk" (default) stops a watch in the middle
                of its first chunk, or a list after half of the body its
                Content-Length announced, then closes; "bad_chunk" sends
                a chunk-size line that is not hex, then closes
      garbage   {body}: a list answered 200 with `body`, by default a
                list cut short inside its first object
      handshake {mode}: the next `count` connections get, instead of the
                TLS handshake, "plain" an HTTP/1.1 400 in clear text (a
                plain HTTP server on the port) or "close" a closed socket
      cert      {which}: "expired" serves a certificate from the test CA
                whose notAfter is in 2020 (for new connections; open
                watches are dropped unless drop is false), "valid" the
                good one again; --cert expired starts with it
    GET /faults on the control port counts the faults served, by kind;
    clear_faults clears these too. --rv-start N starts the
    resourceVersion counter at N (a restarted server whose history the
    clients' resourceVersions no longer reach)
  - pod logs (GET .../pods/POD/log: follow, timestamps, sinceTime,
    sinceSeconds, tailLines, limitBytes, previous, container) fed from
    files the test's processes write, with cuts and container restarts
    through the control port, GET /podlogs there counting what each
    pod wrote and what was sent; see podlogs.py
  - a request log: method, path, auth kind, status, user agent; anything but
    GET on an API path is refused with 405 and logged

Usage: server.py --dir WORKDIR [--seed LIST.json] [--port 0]
It writes WORKDIR/server.json ({"port", "control_port", "ca", ...}) and
prints one line "READY <json>" on stdout once it serves.
"""

import argparse
import base64
import bisect
import copy
import datetime
import json
import os
import random
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from podlogs import PodLogs
from turnover import turnover

# group, version, plural, kind, namespaced, short names
RESOURCES = [
    ("", "v1", "pods", "Pod", True, ["po"]),
    ("", "v1", "services", "Service", True, ["svc"]),
    ("", "v1", "endpoints", "Endpoints", True, ["ep"]),
    ("", "v1", "nodes", "Node", False, ["no"]),
    ("", "v1", "namespaces", "Namespace", False, ["ns"]),
    ("", "v1", "configmaps", "ConfigMap", True, ["cm"]),
    ("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", True, []),
    ("networking.k8s.io", "v1", "ingresses", "Ingress", True, ["ing"]),
    ("networking.k8s.io", "v1", "ingressclasses", "IngressClass", False, []),
    ("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", True,
     ["netpol"]),
    ("apps", "v1", "daemonsets", "DaemonSet", True, ["ds"]),
    ("apps", "v1", "deployments", "Deployment", True, ["deploy"]),
]

# The Gateway API (CRDs, so optional): each resource in every version the
# v1.2 CRDs serve it in, the preferred first. Served only with
# --gateway-api (or the gateway_api op); otherwise its group is absent
# and answers 404, as on a cluster without the CRDs.
GW = "gateway.networking.k8s.io"
GATEWAY_API = [
    (GW, "v1", "gatewayclasses", "GatewayClass", False, ["gc"]),
    (GW, "v1", "gateways", "Gateway", True, ["gtw"]),
    (GW, "v1", "httproutes", "HTTPRoute", True, []),
    (GW, "v1", "grpcroutes", "GRPCRoute", True, []),
    (GW, "v1beta1", "gatewayclasses", "GatewayClass", False, ["gc"]),
    (GW, "v1beta1", "gateways", "Gateway", True, ["gtw"]),
    (GW, "v1beta1", "httproutes", "HTTPRoute", True, []),
    (GW, "v1beta1", "referencegrants", "ReferenceGrant", True, ["refgrant"]),
    (GW, "v1alpha2", "grpcroutes", "GRPCRoute", True, []),
    (GW, "v1alpha2", "referencegrants", "ReferenceGrant", True,
     ["refgrant"]),
    (GW, "v1alpha2", "tlsroutes", "TLSRoute", True, []),
    (GW, "v1alpha2", "tcproutes", "TCPRoute", True, []),
    (GW, "v1alpha2", "udproutes", "UDPRoute", True, []),
]

EXPIRED_CONTINUE = (
    "The provided continue parameter is too old to display a consistent "
    "list result. You can start a new list without the continue parameter, "
    "or use the continue token in this response to retrieve the remainder "
    "of the results. Continuing with the provided token results in an "
    "inconsistent list - objects that were created, modified, or deleted "
    "between the time the first chunk was returned and now may show up in "
    "the list.")


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def status_obj(code, reason, message, details=None):
    s = {"kind": "Status", "apiVersion": "v1", "metadata": {},
         "status": "Failure", "message": message, "reason": reason,
         "code": code}
    if details is not None:
        s["details"] = details
    return s


class Resource:
    def __init__(self, group, version, plural, kind, namespaced, short):
        self.group, self.version, self.plural = group, version, plural
        self.kind, self.namespaced, self.short = kind, namespaced, short
        self.api_version = f"{group}/{version}" if group else version
        self.hidden = False      # answers 404, as on an older cluster
        self.forbidden = False   # answers 403

    def gr(self):
        return f"{self.plural}.{self.group}" if self.group else self.plural


class Event:
    """One history entry. Stored objects are never changed in place (put
    replaces them), so history shares them with the store, and the watch
    line is serialised once, on first use, for every plain watch."""
    __slots__ = ("rv", "plural", "typ", "obj", "_line")

    def __init__(self, rv, plural, typ, obj):
        self.rv, self.plural, self.typ, self.obj = rv, plural, typ, obj
        self._line = None

    def line(self):
        if self._line is None:
            self._line = json.dumps({"type": self.typ, "object": self.obj},
                                    separators=(",", ":")).encode() + b"\n"
        return self._line


class Store:
    """Objects, the resourceVersion counter, watch history and faults."""

    def __init__(self, history_cap=100000):
        self.lock = threading.Condition()
        self.resources = [Resource(*r) for r in RESOURCES + GATEWAY_API]
        self.by_kind = {}
        for r in self.resources:
            self.by_kind.setdefault(r.kind, r)  # the preferred version
        self.gateway_api([])
        self.objs = {}           # (plural, ns, name) -> object
        self.rv = 1000
        self.history = []        # Event, oldest first (rv ascending)
        self.history_rvs = []    # their rvs, to find a watch's position
        self.churn_pos = {}      # kind -> next object the churn op changes
        self.churn_keys = {}     # kind -> (objs_gen, sorted keys)
        self.objs_gen = 0        # bumped when an object is created/deleted
        self.history_cap = history_cap
        self.compacted = 0       # watch from rv < compacted: 410
        self.watch_gen = 0       # bumped to drop every open watch
        self.watch_410 = 0       # next N watches get an ERROR 410 event
        self.continue_410 = 0    # next N continue tokens are expired
        self.faults = []         # [{status, count, retry_after, match}]
        self.stream_faults = []  # [{mode, count, match, watch, ...}]
        self.handshake_faults = []  # modes, one per connection
        self.fault_hits = {}     # kind -> times served
        self.tls = None          # (SSLContext, dir) for the cert op
        self.bookmark_gen = 0
        self.log = []
        self.tokens = {}         # token -> user
        self.basic = {}          # user -> password
        self.open_watches = 0
        self.events_sent = 0     # watch events written, for benchmarks
        self.podlogs = PodLogs(self)

    def gateway_api(self, versions):
        """Serve the Gateway API in these versions (none: absent)."""
        for r in self.resources:
            if r.group == GW:
                r.hidden = r.version not in versions

    def resource(self, group, version, plural):
        for r in self.resources:
            if (r.group, r.version, r.plural) == (group, version, plural):
                return r
        return None

    def _bump(self):
        self.rv += 1
        return self.rv

    def _record(self, plural, typ, obj):
        self.history.append(Event(self.rv, plural, typ, obj))
        self.history_rvs.append(self.rv)
        self._trim_history()
        self.lock.notify_all()

    def _trim_history(self):
        if len(self.history) > self.history_cap:
            drop = len(self.history) - self.history_cap
            self.compacted = self.history[drop - 1].rv
            del self.history[:drop]
            del self.history_rvs[:drop]

    def clear_history(self):
        self.history.clear()
        self.history_rvs.clear()

    def since(self, rv, plural):
        """History events of plural after rv (caller holds the lock)."""
        i = bisect.bisect_right(self.history_rvs, rv)
        return [e for e in self.history[i:] if e.plural == plural]

    def churn(self, kind, count, label):
        """Relabel the next count objects of kind (cycling, in name
        order): label=N with N counting up. One MODIFIED event each, made
        without copying what does not change, all under one lock."""
        r = self.by_kind.get(kind)
        if r is None:
            raise ValueError(f"unknown kind {kind!r}")
        with self.lock:
            cached = self.churn_keys.get(kind)
            if cached is None or cached[0] != self.objs_gen:
                cached = (self.objs_gen,
                          sorted(k for k in self.objs if k[0] == r.plural))
                self.churn_keys[kind] = cached
            keys = cached[1]
            if not keys:
                return 0
            pos = self.churn_pos.get(kind, 0)
            for _ in range(count):
                key = keys[pos % len(keys)]
                pos += 1
                old = self.objs[key]
                md = dict(old["metadata"])
                md["labels"] = dict(md.get("labels") or {})
                md["labels"][label] = str(pos)
                md["resourceVersion"] = str(self._bump())
                obj = dict(old)
                obj["metadata"] = md
                self.objs[key] = obj
                self.history.append(Event(self.rv, r.plural, "MODIFIED",
                                          obj))
                self.history_rvs.append(self.rv)
            self.churn_pos[kind] = pos
            self._trim_history()
            self.lock.notify_all()
            return count

    def put(self, obj, typ=None):
        """Create or replace an object; returns the event type."""
        kind = obj.get("kind")
        r = self.by_kind.get(kind)
        if r is None:
            raise ValueError(f"unknown kind {kind!r}")
        md = obj.setdefault("metadata", {})
        if "name" not in md:
            raise ValueError("object without metadata.name")
        ns = md.get("namespace", "") if r.namespaced else ""
        if r.namespaced and not ns:
            ns = md["namespace"] = "default"
        if not r.namespaced:
            md.pop("namespace", None)
        obj["apiVersion"] = r.api_version
        key = (r.plural, ns, md["name"])
        with self.lock:
            old = self.objs.get(key)
            md["resourceVersion"] = str(self._bump())
            if old is None:
                self.objs_gen += 1
                md.setdefault("uid", str(uuid.uuid4()))
                md.setdefault("creationTimestamp", now_rfc3339())
            else:
                md["uid"] = old["metadata"]["uid"]
                md["creationTimestamp"] = old["metadata"].get(
                    "creationTimestamp", now_rfc3339())
            self.objs[key] = obj
            t = typ or ("MODIFIED" if old is not None else "ADDED")
            self._record(r.plural, t, obj)
            return t

    def delete(self, kind, ns, name):
        r = self.by_kind.get(kind)
        if r is None:
            raise ValueError(f"unknown kind {kind!r}")
        key = (r.plural, ns if r.namespaced else "", name)
        with self.lock:
            obj = self.objs.pop(key, None)
            if obj is None:
                return False
            self.objs_gen += 1
            obj = copy.deepcopy(obj)
            obj["metadata"]["resourceVersion"] = str(self._bump())
            self._record(r.plural, "DELETED", obj)
            return True

    def state(self):
        with self.lock:
            out = []
            for (plural, ns, name), o in sorted(self.objs.items()):
                out.append({"kind": o["kind"], "namespace": ns, "name": name,
                            "resourceVersion":
                            o["metadata"]["resourceVersion"]})
            return {"resourceVersion": str(self.rv), "items": out}


def match_fields(obj, sel):
    if not sel:
        return True
    md = obj.get("metadata", {})
    for term in sel.split(","):
        term = term.strip()
        if not term:
            continue
        neg = "!=" in term
        k, _, v = term.partition("!=" if neg else "=")
        v = v.lstrip("=")
        if k == "metadata.name":
            have = md.get("name", "")
        elif k == "metadata.namespace":
            have = md.get("namespace", "")
        elif k == "spec.nodeName":
            have = obj.get("spec", {}).get("nodeName", "")
        else:
            return False
        if (have == v) == neg:
            return False
    return True


def match_labels(obj, sel):
    if not sel:
        return True
    labels = obj.get("metadata", {}).get("labels", {}) or {}
    for term in sel.split(","):
        term = term.strip()
        if not term:
            continue
        if "!=" in term:
            k, v = term.split("!=", 1)
            if labels.get(k) == v:
                return False
        elif "=" in term:
            k, v = term.split("=", 1)
            if labels.get(k) != v.lstrip("="):
                return False
        elif labels.get(term) is None:
            return False
    return True


def age(ts):
    try:
        t = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
    except (TypeError, ValueError):
        return "<unknown>"
    s = int((datetime.datetime.now(datetime.timezone.utc) - t)
            .total_seconds())
    if s < 120:
        return f"{max(s, 0)}s"
    if s < 7200:
        return f"{s // 60}m"
    if s < 172800:
        return f"{s // 3600}h"
    return f"{s // 86400}d"


def table_columns(kind):
    if kind == "Pod":
        return [("Name", "string", "name", 0), ("Ready", "string", "", 0),
                ("Status", "string", "", 0), ("Restarts", "string", "", 0),
                ("Age", "string", "", 0), ("IP", "string", "", 1),
                ("Node", "string", "", 1)]
    return [("Name", "string", "name", 0), ("Created At", "date", "", 0)]


def table_cells(obj):
    md = obj.get("metadata", {})
    if obj.get("kind") == "Pod":
        st = obj.get("status", {}) or {}
        cs = st.get("containerStatuses", []) or []
        ready = sum(1 for c in cs if c.get("ready"))
        total = len((obj.get("spec", {}) or {}).get("containers", []) or
                    cs)
        restarts = sum(int(c.get("restartCount", 0)) for c in cs)
        return [md.get("name", ""), f"{ready}/{total}",
                st.get("phase", "Unknown"), str(restarts),
                age(md.get("creationTimestamp")), st.get("podIP", "<none>"),
                (obj.get("spec", {}) or {}).get("nodeName", "<none>")]
    return [md.get("name", ""), md.get("creationTimestamp", "")]


def to_table(kind, objs, rv, include, cont=None):
    rows = []
    for o in objs:
        row = {"cells": table_cells(o)}
        if include == "Object":
            row["object"] = o
        elif include != "None":
            row["object"] = {"kind": "PartialObjectMetadata",
                             "apiVersion": "meta.k8s.io/v1",
                             "metadata": o.get("metadata", {})}
        rows.append(row)
    md = {"resourceVersion": rv}
    if cont:
        md["continue"] = cont
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": md,
            "columnDefinitions": [
                {"name": n, "type": t, "format": f, "description": "",
                 "priority": p} for n, t, f, p in table_columns(kind)],
            "rows": rows}


def fault_matches(f, path, q):
    """Whether fault f applies to a request for path with query q."""
    if f.get("match") and f["match"] not in path:
        return False
    if (f.get("watch") is not None and
            f["watch"] != (q.get("watch") in ("1", "true"))):
        return False
    return (f.get("continued") is None or
            f["continued"] == bool(q.get("continue")))


class FaultWriter:
    """Stands in for a handler's wfile to spoil one response: the header
    block goes out as is, then the body trickles at `rate` bytes/s (slow),
    or stops in the middle of its first chunk or write (cut), or starts
    with a chunk-size line that is not hex (bad_chunk); a cut closes the
    connection and ends the handler."""

    def __init__(self, handler, fault):
        self.h, self.f, self.raw = handler, fault, handler.wfile
        self.in_body = False
        self.chunked = False

    @property
    def closed(self):
        return self.raw.closed

    def flush(self):
        self.raw.flush()

    def close(self):
        self.raw.close()

    def write(self, data):
        data = bytes(data)
        if not self.in_body:
            self.in_body = True
            self.chunked = b"transfer-encoding: chunked" in data.lower()
            return self.raw.write(data)
        if not data:
            return 0
        if self.f["mode"] == "slow":
            delay = 1.0 / max(float(self.f.get("rate") or 1), 0.01)
            head = int(self.f.get("head") or 0)
            if head > 0 and not getattr(self, "head_sent", False):
                self.head_sent = True
                self.raw.write(data[:head])
                self.raw.flush()
                data = data[head:]
            for i in range(len(data)):
                if self.h.server.stopping:
                    raise ConnectionAbortedError("server stopping")
                self.raw.write(data[i:i + 1])
                self.raw.flush()
                time.sleep(delay)
            return len(data)
        eol = data.find(b"\r\n")
        if self.chunked and eol > 0 and self.f["mode"] == "bad_chunk":
            out = b"zz" + data[eol:]
        elif self.chunked and eol > 0:
            size = int(data[:eol], 16)
            out = data[:eol + 2 + max(size // 2, 1)]
        else:
            out = data[:max(len(data) // 2, 1)]
        self.raw.write(out)
        self.raw.flush()
        self.h.close_connection = True
        try:
            self.h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        raise ConnectionResetError("injected fault: response cut")


TRUNCATED_LIST = (b'{"kind":"PodList","apiVersion":"v1","metadata":'
                  b'{"resourceVersion":"1"},"items":[{"metadata":'
                  b'{"name":"cut-he')


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kubeapi-test"
    sys_version = ""

    def log_message(self, fmt, *args):
        pass

    # --- plumbing -------------------------------------------------------

    @property
    def store(self):
        return self.server.store

    def auth(self):
        """Returns (kind, user); kind is cert, token, basic or none."""
        h = self.headers.get("Authorization", "")
        if h.startswith("Bearer "):
            user = self.store.tokens.get(h[7:].strip())
            return ("token", user)
        if h.startswith("Basic "):
            try:
                u, _, p = base64.b64decode(h[6:].strip()).decode().partition(
                    ":")
            except (ValueError, UnicodeDecodeError):
                return ("basic", None)
            ok = self.store.basic.get(u) == p and u != ""
            return ("basic", u if ok else None)
        try:
            cert = self.connection.getpeercert()
        except (ValueError, AttributeError):
            cert = None
        if cert:
            for rdn in cert.get("subject", ()):
                for k, v in rdn:
                    if k == "commonName":
                        return ("cert", v)
            return ("cert", None)
        return ("none", None)

    def record(self, method, kind, status):
        # Times (time.monotonic(), seconds): "start" the request was read,
        # "ready" its body was made (the server's own work), "end" the body
        # was handed to the socket; "conn" tells connections apart.
        now = time.monotonic()
        e = {"method": method, "path": self.path, "auth": kind,
             "status": status,
             "userAgent": self.headers.get("User-Agent", ""),
             "accept": self.headers.get("Accept", ""),
             "acceptEncoding": self.headers.get("Accept-Encoding", ""),
             "start": getattr(self, "t_start", now),
             "ready": getattr(self, "t_ready", None) or now, "end": now,
             "bytes": getattr(self, "sent", 0),
             "conn": self.client_address[1]}
        with self.store.lock:
            self.store.log.append(e)

    def send_json(self, code, obj, extra=None):
        body = json.dumps(obj, separators=(",", ":")).encode()
        self.t_ready, self.sent = time.monotonic(), len(body)
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache, private")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def send_status(self, code, reason, message, details=None, extra=None):
        self.send_json(code, status_obj(code, reason, message, details),
                       extra)

    # --- methods --------------------------------------------------------

    def refuse(self):
        kind, _ = self.auth()
        length = int(self.headers.get("Content-Length", "0") or 0)
        if 0 < length < (1 << 20):
            self.rfile.read(length)
        self.record(self.command, kind, 405)
        self.send_status(405, "MethodNotAllowed",
                         f"the server does not allow this method on the "
                         f"requested resource ({self.command} is refused by "
                         f"this read-only test server)",
                         extra={"Connection": "close"})
        self.close_connection = True

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = refuse

    def do_GET(self):
        self.t_start, self.t_ready, self.sent = time.monotonic(), None, 0
        u = urllib.parse.urlsplit(self.path)
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(
            u.query, keep_blank_values=True).items()}
        parts = [p for p in u.path.split("/") if p]
        kind, user = self.auth()
        if parts in (["version"], ["healthz"], ["livez"], ["readyz"]):
            self.record("GET", kind, 200)
            if parts == ["version"]:
                self.send_json(200, {"major": "1", "minor": "30",
                                     "gitVersion": "v1.30.0-k8snet-test",
                                     "platform": "linux/amd64"})
            else:
                body = b"ok"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(body)
            return
        if user is None:
            self.record("GET", kind, 401)
            self.send_status(401, "Unauthorized", "Unauthorized")
            return
        if self.stream_fault(u.path, q, kind):
            return
        fault = self.take_fault(u.path, q)
        if fault is not None:
            code, retry = fault
            self.record("GET", kind, code)
            extra = {}
            if retry is not None:
                extra["Retry-After"] = str(retry)
            if code == 429:
                self.send_status(429, "TooManyRequests",
                                 "Too many requests, please try again later.",
                                 {"retryAfterSeconds": retry or 1}, extra)
            else:
                self.send_status(code, "InternalError",
                                 "Internal error occurred: injected fault",
                                 {"causes": [{"message": "injected fault"}]},
                                 extra)
            return
        try:
            code = self.route(parts, q, user, kind)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError,
                OSError):
            self.close_connection = True
            return
        if code is not None:
            self.record("GET", kind, code)

    def stream_fault(self, path, q, authkind):
        """The next slow/cut/garbage fault matching this request: garbage
        is answered here (True); the others wrap wfile (False)."""
        if not (path.startswith("/api/") or path.startswith("/apis/")):
            return False
        is_watch = q.get("watch") in ("1", "true")
        st = self.store
        with st.lock:
            for f in st.stream_faults:
                if f["count"] <= 0 or not fault_matches(f, path, q):
                    continue
                if f["mode"] == "garbage" and is_watch:
                    continue
                f["count"] -= 1
                st.fault_hits[f["mode"]] = st.fault_hits.get(
                    f["mode"], 0) + 1
                break
            else:
                return False
        if f["mode"] != "garbage":
            self.wfile = FaultWriter(self, f)
            return False
        body = f.get("body")
        body = body.encode() if body is not None else TRUNCATED_LIST
        self.record("GET", authkind, 200)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return True

    def take_fault(self, path, q):
        if not (path.startswith("/api/") or path.startswith("/apis/")):
            return None
        with self.store.lock:
            for f in self.store.faults:
                if f["count"] <= 0 or not fault_matches(f, path, q):
                    continue
                f["count"] -= 1
                return f["status"], f.get("retry_after")
        return None

    # --- discovery ------------------------------------------------------

    def route(self, parts, q, user, authkind):
        st = self.store
        if parts == ["api"]:
            self.send_json(200, {"kind": "APIVersions", "versions": ["v1"],
                                 "serverAddressByClientCIDRs": [
                                     {"clientCIDR": "0.0.0.0/0",
                                      "serverAddress": "127.0.0.1:6443"}]})
            return 200
        if parts == ["apis"]:
            self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1",
                                 "groups": [self.group_obj(g)
                                            for g in self.groups()]})
            return 200
        if parts == ["api", "v1"]:
            self.send_json(200, self.resource_list("", "v1"))
            return 200
        if len(parts) == 2 and parts[0] == "apis":
            if parts[1] not in self.groups():
                return self.not_found()
            self.send_json(200, dict(self.group_obj(parts[1]),
                                     kind="APIGroup", apiVersion="v1"))
            return 200
        if len(parts) == 3 and parts[0] == "apis":
            if parts[2] not in self.groups().get(parts[1], []):
                return self.not_found()
            self.send_json(200, self.resource_list(parts[1], parts[2]))
            return 200
        # resource paths
        if parts[:2] == ["api", "v1"]:
            group, version, rest = "", "v1", parts[2:]
        elif len(parts) >= 3 and parts[0] == "apis":
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            return self.not_found()
        ns = None
        if len(rest) >= 3 and rest[0] == "namespaces":
            ns, rest = rest[1], rest[2:]
        if (group, version) == ("", "v1") and ns is not None and \
                len(rest) == 3 and rest[0] == "pods" and rest[2] == "log":
            return st.podlogs.serve(self, ns, rest[1], q, authkind)
        if not rest or len(rest) > 2:
            return self.not_found()
        r = st.resource(group, version, rest[0])
        if r is None or r.hidden or (ns is not None and not r.namespaced):
            return self.not_found()
        name = rest[1] if len(rest) == 2 else None
        watch = q.get("watch") in ("1", "true")
        verb = "watch" if watch else ("get" if name else "list")
        if r.forbidden:
            scope = (f'in the namespace "{ns}"' if ns is not None
                     else "at the cluster scope")
            msg = (f'{r.gr()} is forbidden: User "{user}" cannot {verb} '
                   f'resource "{r.plural}" in API group "{r.group}" {scope}')
            self.send_status(403, "Forbidden", msg,
                             {"kind": r.plural, "group": r.group}
                             if r.group else {"kind": r.plural})
            return 403
        if name is not None and not watch:
            with st.lock:
                o = st.objs.get((r.plural, ns or "", name))
                o = copy.deepcopy(o) if o is not None else None
            if o is None:
                self.send_status(404, "NotFound",
                                 f'{r.gr()} "{name}" not found',
                                 {"name": name, "group": r.group,
                                  "kind": r.plural} if r.group else
                                 {"name": name, "kind": r.plural})
                return 404
            self.send_json(200, o)
            return 200
        if watch:
            fs = q.get("fieldSelector", "")
            if name is not None:
                fs = ",".join(x for x in (fs, f"metadata.name={name}") if x)
            self.record("GET", authkind, 200)
            self.watch(r, ns, q, fs)
            return None
        return self.list(r, ns, q)

    def groups(self):
        """group -> its versions with a resource served, preferred first.
        A group whose resources are all hidden is not there."""
        out = {}
        for r in self.store.resources:
            if r.group and not r.hidden:
                vs = out.setdefault(r.group, [])
                if r.version not in vs:
                    vs.append(r.version)
        return out

    def group_obj(self, g):
        gvs = [{"groupVersion": f"{g}/{v}", "version": v}
               for v in self.groups()[g]]
        return {"name": g, "versions": gvs, "preferredVersion": gvs[0]}

    def resource_list(self, group, version):
        res = []
        for r in self.store.resources:
            if r.group != group or r.version != version or r.hidden:
                continue
            res.append({"name": r.plural, "singularName": r.kind.lower(),
                        "namespaced": r.namespaced, "kind": r.kind,
                        "verbs": ["get", "list", "watch"],
                        "shortNames": r.short})
        return {"kind": "APIResourceList", "apiVersion": "v1",
                "groupVersion": f"{group}/{version}" if group else version,
                "resources": res}

    def not_found(self):
        self.send_status(404, "NotFound",
                         "the server could not find the requested resource",
                         {})
        return 404

    def wants_table(self):
        return "as=Table" in self.headers.get("Accept", "")

    # --- list -----------------------------------------------------------

    def sorted_kind(self, plural):
        """Objects of one resource sorted by (namespace, name), with their
        keys, cached until the store changes (its resourceVersion moves):
        a page of a large list then costs its own size, not the store's."""
        st = self.store
        cache = st.__dict__.setdefault("_sorted", {})
        hit = cache.get(plural)
        if hit is not None and hit[0] == st.rv:
            return hit[1], hit[2]
        objs = [o for (pl, _, _), o in st.objs.items() if pl == plural]
        objs.sort(key=lambda o: (o["metadata"].get("namespace", ""),
                                 o["metadata"]["name"]))
        keys = [(o["metadata"].get("namespace", ""), o["metadata"]["name"])
                for o in objs]
        cache[plural] = (st.rv, objs, keys)
        return objs, keys

    def selected(self, r, ns, q, fs=None, start=None, limit=0, paged=False):
        fs = q.get("fieldSelector", "") if fs is None else fs
        ls = q.get("labelSelector", "")
        if paged and ns is None and not fs and not ls:
            objs, keys = self.sorted_kind(r.plural)
            i = bisect.bisect_right(keys, start) if start is not None else 0
            # one more than the page, so the caller sees there is more
            end = len(objs) if limit <= 0 else min(len(objs), i + limit + 1)
            return objs[i:end], len(objs) - i
        out = []
        for (plural, ons, _), o in self.store.objs.items():
            if plural != r.plural or (ns is not None and ons != ns):
                continue
            if match_fields(o, fs) and match_labels(o, ls):
                out.append(o)
        out.sort(key=lambda o: (o["metadata"].get("namespace", ""),
                                o["metadata"]["name"]))
        return out

    def list(self, r, ns, q):
        st = self.store
        try:
            limit = int(q.get("limit", "0") or 0)
        except ValueError:
            self.send_status(400, "BadRequest", "invalid limit")
            return 400
        start = None
        with st.lock:
            list_rv = st.rv
            if q.get("continue"):
                try:
                    tok = json.loads(base64.urlsafe_b64decode(
                        q["continue"].encode()))
                    tok_rv, start = int(tok["rv"]), tuple(tok["start"])
                except (ValueError, KeyError, TypeError):
                    self.send_status(400, "BadRequest",
                                     "continue key is not valid")
                    return 400
                if st.continue_410 > 0 or tok_rv < st.compacted:
                    if st.continue_410 > 0:
                        st.continue_410 -= 1
                    self.send_status(410, "Expired", EXPIRED_CONTINUE)
                    return 410
                list_rv = tok_rv
            items = self.selected(r, ns, q, start=start, limit=limit,
                                  paged=True)
            total = None
            if isinstance(items, tuple):
                items, total = items
            elif start is not None:
                items = [o for o in items
                         if (o["metadata"].get("namespace", ""),
                             o["metadata"]["name"]) > start]
            if total is None:
                total = len(items)
            cont, remaining = None, 0
            if limit > 0 and total > limit:
                remaining = total - limit
                items = items[:limit]
                last = items[-1]["metadata"]
                cont = base64.urlsafe_b64encode(json.dumps(
                    {"rv": list_rv, "start": [last.get("namespace", ""),
                                              last["name"]]}).encode()
                ).decode()
            items = copy.deepcopy(items)
        if self.wants_table():
            self.send_json(200, to_table(r.kind, items, str(list_rv),
                                         q.get("includeObject", "Metadata"),
                                         cont))
            return 200
        for o in items:
            o.pop("kind", None)
            o.pop("apiVersion", None)
        md = {"resourceVersion": str(list_rv)}
        if cont:
            md["continue"] = cont
            md["remainingItemCount"] = remaining
        self.send_json(200, {"kind": r.kind + "List",
                             "apiVersion": r.api_version, "metadata": md,
                             "items": items})
        return 200

    # --- watch ----------------------------------------------------------

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def event(self, typ, obj, r, table, include):
        self.chunk(self.event_line(typ, obj, r, table, include))

    @staticmethod
    def event_line(typ, obj, r, table, include):
        if table and typ in ("ADDED", "MODIFIED", "DELETED"):
            obj = to_table(r.kind, [obj], obj["metadata"]["resourceVersion"],
                           include)
        return json.dumps({"type": typ, "object": obj},
                          separators=(",", ":")).encode() + b"\n"

    def watch(self, r, ns, q, fs):
        st = self.store
        table = self.wants_table()
        include = q.get("includeObject", "Metadata")
        bookmarks = q.get("allowWatchBookmarks") in ("1", "true")
        try:
            timeout = float(q.get("timeoutSeconds", "0") or 0)
        except ValueError:
            timeout = 0
        deadline = time.monotonic() + timeout if timeout > 0 else None
        rv_s = q.get("resourceVersion", "")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache, private")
        self.end_headers()
        self.wfile.flush()
        with st.lock:
            gen, bgen = st.watch_gen, st.bookmark_gen
            st.open_watches += 1
            expired = False
            if st.watch_410 > 0:
                st.watch_410 -= 1
                expired = True
            pending = []
            if rv_s in ("", "0"):
                for o in self.selected(r, ns, q, fs):
                    pending.append(("ADDED", copy.deepcopy(o)))
                pos_rv = st.rv
            else:
                try:
                    pos_rv = int(rv_s)
                except ValueError:
                    pos_rv = -1
                if pos_rv < st.compacted or pos_rv > st.rv:
                    expired = expired or pos_rv < st.compacted
                    if pos_rv > st.rv:
                        pos_rv = st.rv
        try:
            if expired:
                self.event("ERROR", status_obj(
                    410, "Expired",
                    f"too old resource version: {rv_s} ({st.compacted})"),
                    r, False, include)
                self.chunk(b"")
                return
            for typ, o in pending:
                self.event(typ, o, r, table, include)
            last_bookmark = time.monotonic()
            while True:
                with st.lock:
                    evs = st.since(pos_rv, r.plural)
                    new_rv = st.rv
                    if not evs and new_rv == pos_rv:
                        st.lock.wait(0.2)
                    dropped = st.watch_gen != gen
                    want_bm = st.bookmark_gen != bgen
                    bgen = st.bookmark_gen
                    interval = self.server.bookmark_interval
                if dropped:
                    # Abrupt: no terminating chunk, the client sees the
                    # stream cut mid-transfer.
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                out = []
                for e in evs:
                    t, o = e.typ, e.obj
                    md = o.get("metadata", {})
                    ons = md.get("namespace", "")
                    if ns is not None and ons != ns:
                        continue
                    if t != "DELETED" and not (match_fields(o, fs) and
                                               match_labels(
                                                   o, q.get("labelSelector",
                                                            ""))):
                        continue
                    if t == "DELETED" and not match_fields(o, fs):
                        continue
                    out.append(self.event_line(t, o, r, table, include)
                               if table else e.line())
                # Everything pending goes out in one write and one flush,
                # as the kube-apiserver flushes only when its queue is
                # empty; a line is still one chunk.
                if out:
                    self.wfile.write(b"".join(b"%x\r\n%s\r\n" % (len(x), x)
                                              for x in out))
                    self.wfile.flush()
                    with st.lock:
                        st.events_sent += len(out)
                pos_rv = max(pos_rv, new_rv)
                nowm = time.monotonic()
                if bookmarks and (want_bm or (
                        interval > 0 and nowm - last_bookmark >= interval)):
                    self.event("BOOKMARK", {
                        "kind": r.kind, "apiVersion": r.api_version,
                        "metadata": {"resourceVersion": str(pos_rv)}},
                        r, False, include)
                    last_bookmark = nowm
                if deadline is not None and nowm >= deadline:
                    self.chunk(b"")
                    return
                if self.server.stopping:
                    return
        finally:
            with st.lock:
                st.open_watches -= 1


class APIServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver listens with a backlog of 5: a client opening a dozen
    # connections at once (one per kind over HTTP/1.1) had the rest of
    # its SYNs dropped and resent after TCP's 1 s timeout.
    request_queue_size = 128

    def finish_request(self, request, client_address):
        st = self.store
        with st.lock:
            mode = (st.handshake_faults.pop(0) if st.handshake_faults
                    else None)
            if mode is not None:
                st.fault_hits["handshake"] = st.fault_hits.get(
                    "handshake", 0) + 1
        if mode is None:
            super().finish_request(request, client_address)
            return
        # The TLS socket has not shaken hands yet: talk on its descriptor.
        raw = socket.socket(fileno=os.dup(request.fileno()))
        try:
            raw.settimeout(10)
            raw.recv(65536)  # the ClientHello
            if mode == "plain":
                raw.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Type: "
                            b"text/plain; charset=utf-8\r\nConnection: "
                            b"close\r\n\r\n400 Bad Request")
            raw.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        finally:
            raw.close()

    def handle_error(self, request, client_address):
        # TLS handshakes refused by a client with the wrong CA, resets:
        # expected in the tests, not worth a traceback.
        pass


class ControlHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        st = self.server.store
        if self.path == "/log":
            with st.lock:
                self.reply(200, list(st.log))
        elif self.path == "/state":
            self.reply(200, st.state())
        elif self.path == "/faults":
            with st.lock:
                self.reply(200, dict(st.fault_hits))
        elif self.path == "/watches":
            with st.lock:
                self.reply(200, {"open": st.open_watches,
                                 "events_sent": st.events_sent})
        elif self.path == "/podlogs":
            self.reply(200, st.podlogs.counters())
        else:
            self.reply(404, {"error": "unknown"})

    def do_POST(self):
        st = self.server.store
        n = int(self.headers.get("Content-Length", "0") or 0)
        try:
            op = json.loads(self.rfile.read(n) or b"{}")
            self.reply(200, apply_op(st, op))
        except (ValueError, KeyError, TypeError) as e:
            self.reply(400, {"error": str(e)})


def apply_op(st, op):
    """One scripted change or fault; see the module docstring."""
    kind = op.get("op")
    if kind in ("add", "modify", "put"):
        objs = op.get("objects") or [op["object"]]
        for o in objs:
            st.put(copy.deepcopy(o))
    elif kind == "churn":
        n = st.churn(op.get("kind", "Pod"), int(op.get("count", 1)),
                     op.get("label", "churn"))
        return {"ok": True, "count": n, "resourceVersion": str(st.rv)}
    elif kind == "turnover":
        n = turnover(st, int(op.get("count", 1)), int(op.get("keep", 100)),
                     op.get("namespace", "soak"))
        return {"ok": True, "added": n, "resourceVersion": str(st.rv)}
    elif kind == "delete":
        found = st.delete(op["kind"], op.get("namespace", ""), op["name"])
        return {"ok": found, "resourceVersion": str(st.rv)}
    elif kind == "drop_watches":
        with st.lock:
            st.watch_gen += 1
            st.lock.notify_all()
    elif kind == "compact":
        # Forget history: a watch from any earlier resourceVersion and any
        # outstanding continue token now gets 410 Gone.
        with st.lock:
            st.compacted = st.rv
            st.clear_history()
            if op.get("drop", True):
                st.watch_gen += 1
            st.lock.notify_all()
    elif kind == "expire_watches":
        with st.lock:
            st.watch_410 += int(op.get("count", 1))
            if op.get("drop", True):
                st.watch_gen += 1
            st.lock.notify_all()
    elif kind == "expire_continue":
        with st.lock:
            st.continue_410 += int(op.get("count", 1))
    elif kind == "fail":
        with st.lock:
            st.faults.append({"status": int(op.get("status", 500)),
                              "count": int(op.get("count", 1)),
                              "retry_after": op.get("retry_after"),
                              "match": op.get("match"),
                              "watch": op.get("watch"),
                              "continued": op.get("continued")})
            if op.get("drop", False):
                st.watch_gen += 1
                st.lock.notify_all()
    elif kind in ("slow", "cut", "garbage"):
        f = {"mode": kind, "count": int(op.get("count", 1)),
             "match": op.get("match"), "watch": op.get("watch"),
             "continued": op.get("continued"),
             "rate": op.get("rate", 1), "head": op.get("head"),
             "body": op.get("body")}
        if kind == "cut" and op.get("how", "mid_chunk") == "bad_chunk":
            f["mode"] = "bad_chunk"
        with st.lock:
            st.stream_faults.append(f)
            if op.get("drop", False):
                st.watch_gen += 1
                st.lock.notify_all()
    elif kind == "handshake":
        mode = op.get("mode", "plain")
        if mode not in ("plain", "close"):
            raise ValueError(f"handshake mode {mode!r}")
        with st.lock:
            st.handshake_faults += [mode] * int(op.get("count", 1))
    elif kind == "cert":
        ctx, d = st.tls
        crt = (expired_cert(d) if op.get("which") == "expired" else
               os.path.join(d, "server.crt"))
        ctx.load_cert_chain(crt, os.path.join(d, "server.key"))
        if op.get("drop", True):
            with st.lock:
                st.watch_gen += 1
                st.lock.notify_all()
    elif kind == "clear_faults":
        with st.lock:
            st.faults.clear()
            st.stream_faults.clear()
            st.handshake_faults.clear()
            st.watch_410 = st.continue_410 = 0
    elif kind == "gateway_api":
        with st.lock:
            st.gateway_api(op.get("versions", []))
    elif kind in ("forbid", "hide", "allow"):
        for r in st.resources:
            if r.plural == op["resource"]:
                if kind == "forbid":
                    r.forbidden = True
                elif kind == "hide":
                    r.hidden = True
                else:
                    r.forbidden = r.hidden = False
    elif kind == "bookmark":
        with st.lock:
            st.bookmark_gen += 1
            st.lock.notify_all()
    elif kind == "tokens":
        with st.lock:
            st.tokens = dict(op.get("tokens", {}))
    elif kind == "basic":
        with st.lock:
            st.basic = dict(op.get("users", {}))
    elif kind in ("log_source", "log_append", "log_end", "log_cut"):
        return st.podlogs.op(kind, op)
    elif kind == "clear_log":
        with st.lock:
            st.log.clear()
    else:
        raise ValueError(f"unknown op {kind!r}")
    return {"ok": True, "resourceVersion": str(st.rv)}


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_pki(d):
    """CA, server and client certificates (EC P-256), and a second CA that
    signed nothing the server uses (for the wrong-CA test)."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
          "-nodes"]
    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", *ec, "-keyout", f"{ca}.key", "-out",
                f"{ca}.crt", "-days", "3650", "-subj", f"/CN=k8snet-test-{ca}",
                cwd=d)
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost,"
                "DNS:kubernetes.test.local\nextendedKeyUsage=serverAuth\n")
    with open(os.path.join(d, "client.ext"), "w") as f:
        f.write("extendedKeyUsage=clientAuth\n")
    for who, subj, ext in (("server", "/CN=kube-apiserver", "server.ext"),
                           ("client", "/O=system:masters/CN=test-admin",
                            "client.ext")):
        openssl("req", "-new", *ec, "-keyout", f"{who}.key", "-out",
                f"{who}.csr", "-subj", subj, cwd=d)
        openssl("x509", "-req", "-in", f"{who}.csr", "-CA", "ca.crt",
                "-CAkey", "ca.key", "-CAcreateserial", "-out", f"{who}.crt",
                "-days", "3650", "-extfile", ext, cwd=d)


def expired_cert(d):
    """server-expired.crt: the server's key and names, signed by the test
    CA, valid on 1 January 2020 only. `openssl ca` sets the dates (the
    x509 command of OpenSSL 3.0 cannot)."""
    out = os.path.join(d, "server-expired.crt")
    if os.path.exists(out):
        return out
    with open(os.path.join(d, "expired-ca.cnf"), "w") as f:
        f.write("[ca]\ndefault_ca = expired\n[expired]\n"
                "database = expired-index.txt\nnew_certs_dir = .\n"
                "serial = expired-serial\ndefault_md = sha256\n"
                "policy = any\nunique_subject = no\n"
                "[any]\ncommonName = supplied\n")
    with open(os.path.join(d, "expired-index.txt"), "w"):
        pass
    with open(os.path.join(d, "expired-serial"), "w") as f:
        f.write("1000\n")
    openssl("ca", "-batch", "-config", "expired-ca.cnf", "-cert", "ca.crt",
            "-keyfile", "ca.key", "-in", "server.csr", "-out",
            "server-expired.crt.tmp", "-startdate", "20200101000000Z",
            "-enddate", "20200102000000Z", "-extfile", "server.ext",
            "-notext", cwd=d)
    os.replace(out + ".tmp", out)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--seed")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token", action="append", default=[],
                    help="TOKEN[=USER] accepted as a bearer token")
    ap.add_argument("--basic", action="append", default=[],
                    help="USER:PASSWORD accepted for basic auth")
    ap.add_argument("--bookmark-interval", type=float, default=0,
                    help="seconds between BOOKMARK events (0: on demand)")
    ap.add_argument("--hide", action="append", default=[],
                    help="resource plural to answer with 404")
    ap.add_argument("--gateway-api", default="",
                    help="serve the Gateway API in these versions "
                    "(v1,v1beta1,v1alpha2); default: not installed")
    ap.add_argument("--history", type=int, default=100000)
    ap.add_argument("--rv-start", type=int, default=0,
                    help="first resourceVersion (as after a restart)")
    ap.add_argument("--cert", choices=("valid", "expired"), default="valid",
                    help="serve an expired certificate from the start")
    a = ap.parse_args()

    os.makedirs(a.dir, exist_ok=True)
    if not os.path.exists(os.path.join(a.dir, "ca.crt")):
        make_pki(a.dir)
    st = Store(a.history)
    st.rv = max(st.rv, a.rv_start)
    st.gateway_api([v for v in a.gateway_api.split(",") if v])
    for t in a.token:
        tok, _, user = t.partition("=")
        st.tokens[tok] = user or "token-user"
    for b in a.basic:
        u, _, p = b.partition(":")
        st.basic[u] = p
    for h in a.hide:
        for r in st.resources:
            if r.plural == h:
                r.hidden = True
    if a.seed:
        with open(a.seed) as f:
            for o in json.load(f).get("items", []):
                st.put(o)
    st.clear_history()
    st.compacted = st.rv

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(expired_cert(a.dir) if a.cert == "expired" else
                        os.path.join(a.dir, "server.crt"),
                        os.path.join(a.dir, "server.key"))
    st.tls = (ctx, a.dir)
    # Full handshakes only: a resumed session would skip the certificate
    # the cert op just changed.
    ctx.options |= ssl.OP_NO_TICKET
    ctx.num_tickets = 0
    ctx.load_verify_locations(os.path.join(a.dir, "ca.crt"))
    ctx.verify_mode = ssl.CERT_OPTIONAL
    ctx.set_alpn_protocols(["http/1.1"])

    srv = APIServer(("127.0.0.1", a.port), Handler)
    srv.store = st
    srv.stopping = False
    srv.bookmark_interval = a.bookmark_interval
    # The handshake runs in the request's thread, not in accept().
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True,
                                 do_handshake_on_connect=False)
    ctl = ThreadingHTTPServer(("127.0.0.1", 0), ControlHandler)
    ctl.daemon_threads = True
    ctl.store = st
    info = {"port": srv.server_address[1],
            "control_port": ctl.server_address[1],
            "server": f"https://127.0.0.1:{srv.server_address[1]}",
            "dir": os.path.abspath(a.dir), "pid": os.getpid()}
    tmp = os.path.join(a.dir, "server.json.tmp")
    with open(tmp, "w") as f:
        json.dump(info, f)
    os.replace(tmp, os.path.join(a.dir, "server.json"))
    threading.Thread(target=ctl.serve_forever, daemon=True).start()
    print("READY " + json.dumps(info), flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        srv.stopping = True


if __name__ == "__main__":
    random.seed()
    main()
