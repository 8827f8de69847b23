#!/usr/bin/env python3
"""HTTP/2 when the server offers it: nginx (TLS, h2) in front of the test
Kube-API server, as a real apiserver speaks h2. The console's lists and
all its watches must go over HTTP/2 and share one connection (nginx's
access log records the protocol and the connection of every request)."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "kubeapi"))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import harness  # noqa: E402
import tuiharness  # noqa: E402

TOKEN = "h2-token"


def main():
    if shutil.which("nginx") is None:
        print("skip: no nginx")
        return 77
    tmp = tempfile.mkdtemp(prefix="kube-h2-")
    os.chmod(tmp, 0o755)
    api = harness.KubeAPI(args=["--token", TOKEN])
    nginx = None
    try:
        port = harness.free_port()
        upstream = api.server.replace("https://", "")
        log = os.path.join(tmp, "access.log")
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 1; daemon off; pid {tmp}/nginx.pid;
error_log {tmp}/error.log; events {{ worker_connections 256; }}
http {{
  log_format h2 '$connection $server_protocol $request_method $request_uri';
  access_log {log} h2;
  server {{
    listen 127.0.0.1:{port} ssl http2;
    ssl_certificate {api.path("server.crt")};
    ssl_certificate_key {api.path("server.key")};
    location / {{
      proxy_pass https://{upstream};
      proxy_http_version 1.1;
      proxy_buffering off;
      proxy_read_timeout 1h;
      proxy_ssl_verify off;
    }}
  }}
}}
""")
        nginx = subprocess.Popen(["nginx", "-c", conf, "-p", tmp],
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        kc = harness.write_kubeconfig(
            os.path.join(tmp, "kc"), f"https://127.0.0.1:{port}",
            {"token": TOKEN}, {"certificate-authority": api.ca})
        pod = sorted(o["name"] for o in api.state()["items"]
                     if o["kind"] == "Pod")[0]
        with tuiharness.Session(args=("--kubeconfig", kc), cols=160,
                                rows=48, env={"HOME": tmp}) as s:
            s.wait_for(pod)
            # Every informer has listed and is watching by now.
            for _ in range(100):
                if os.path.exists(log) and sum(
                        "watch=" in l for l in open(log)) >= 5:
                    break
                time.sleep(0.1)
            s.keys("q")
            tuiharness.expect_clean_exit(s)
        lines = [l.split() for l in open(log) if l.strip()]
        assert lines, "nginx saw no requests"
        protos = {l[1] for l in lines}
        conns = {l[0] for l in lines}
        watches = [l for l in lines if "watch=" in l[3]]
        assert protos == {"HTTP/2.0"}, f"protocols {protos}"
        assert len(watches) >= 5, f"only {len(watches)} watches"
        assert len(conns) == 1, f"{len(conns)} connections for " \
            f"{len(lines)} requests"
        print(f"ok: {len(lines)} requests ({len(watches)} watches) over "
              f"HTTP/2 on one connection")
    finally:
        if nginx is not None:
            try:
                os.killpg(nginx.pid, 9)
            except ProcessLookupError:
                pass
            nginx.wait()
        api.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
