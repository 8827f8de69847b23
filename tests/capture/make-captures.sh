#!/bin/sh
# Make the test captures from real traffic: two network namespaces joined
# by a veth (and a VXLAN link over it), dnsmasq serving a cluster.local
# zone, nginx, and dig/curl/getent/python clients. Writes OUTDIR/*.pcap
# (default tests/data/pcap). Needs root, iproute2, dnsmasq, nginx,
# tcpdump, dig, curl, python3. Touches only the namespaces it creates.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../data/pcap}
mkdir -p "$out"; out=$(cd "$out" && pwd)
[ "$(id -u)" = 0 ] || { echo "make-captures: needs root" >&2; exit 77; }
# Names of our own: two runs at once (two checkouts) must not share them.
C=kncap-cli-$$; S=kncap-srv-$$
work=$(mktemp -d)
cleanup() {
	for p in "$work"/*.pid; do [ -e "$p" ] && kill "$(cat "$p")" 2>/dev/null; done
	# and whatever else still runs in our namespaces
	for ns in $C $S; do
		ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	ip netns del $C 2>/dev/null || true
	ip netns del $S 2>/dev/null || true
	rm -rf /etc/netns/$C "$work"
}
trap cleanup EXIT INT TERM
cleanup 2>/dev/null || true; work=$(mktemp -d)

ip netns add $C; ip netns add $S
ip link add kn-c netns $C type veth peer name kn-s netns $S
for ns in $C $S; do ip -n $ns link set lo up; done
ip -n $C addr add 10.77.0.1/24 dev kn-c
ip -n $S addr add 10.77.0.2/24 dev kn-s
ip -n $C addr add fd77::1/64 dev kn-c nodad
ip -n $S addr add fd77::2/64 dev kn-s nodad
ip -n $C link set kn-c up; ip -n $S link set kn-s up
# VXLAN between the namespaces (pod network 10.88.0.0/24 over the veth)
ip -n $C link add vx0 type vxlan id 42 local 10.77.0.1 remote 10.77.0.2 dstport 4789 dev kn-c
ip -n $S link add vx0 type vxlan id 42 local 10.77.0.2 remote 10.77.0.1 dstport 4789 dev kn-s
ip -n $C addr add 10.88.0.1/24 dev vx0; ip -n $S addr add 10.88.0.2/24 dev vx0
ip -n $C link set vx0 up; ip -n $S link set vx0 up

mkdir -p /etc/netns/$C
printf 'nameserver 10.77.0.2\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n' > /etc/netns/$C/resolv.conf

ip netns exec $S dnsmasq --keep-in-foreground --no-resolv --no-hosts \
	--bind-interfaces --listen-address=10.77.0.2 --listen-address=fd77::2 \
	--listen-address=10.88.0.2 --except-interface=lo --user=root \
	--pid-file="$work/dnsmasq.pidfile" --log-facility=/dev/null \
	--local=/cluster.local/ --local=/example.com/ \
	--host-record=web.default.svc.cluster.local,10.96.0.20,fd00::20 \
	--host-record=db.shop.svc.cluster.local,10.96.1.5 \
	--host-record=example.com,93.184.216.34 \
	--cname=alias.default.svc.cluster.local,web.default.svc.cluster.local \
	--srv-host=_http._tcp.web.default.svc.cluster.local,web.default.svc.cluster.local,80,0,5 \
	--ptr-record=20.0.96.10.in-addr.arpa,web.default.svc.cluster.local \
	--txt-record=info.default.svc.cluster.local,"hello world" &
echo $! > "$work/dnsmasq.pid"

big=$(head -c 3000 /dev/zero | tr '\0' 'b')
chmod 755 "$work"; mkdir -p "$work/www"; head -c 20000 /dev/zero | tr '\0' 'x' > "$work/www/big.txt"
cat > "$work/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $work/nginx.pidfile;
error_log /dev/null;
events { worker_connections 64; }
http {
	access_log off;
	keepalive_requests 100;
	server {
		listen 10.77.0.2:80; listen [fd77::2]:80; listen 10.88.0.2:80;
		root $work/www;
		location = / { return 200 "ok\n"; }
		location = /error { return 500 "boom\n"; }
		location = /redirect { return 301 /; }
		location = /empty { return 204; }
		location = /bighead { add_header X-Big $big; return 200 "big header\n"; }
		location = /big.txt { gzip on; gzip_min_length 1; gzip_types text/plain; }
	}
}
NGX
ip netns exec $S nginx -c "$work/nginx.conf" -p "$work" &
echo $! > "$work/nginx.pid"
# TLS: any listener will do, the ClientHello is what is captured.
ip netns exec $S python3 -c '
import socket
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", 8443)); s.listen(8)
while True:
    c,_=s.accept(); c.recv(65536); c.close()' &
echo $! > "$work/tls.pid"
sleep 1

cli() { ip netns exec $C "$@"; }
dns_traffic() { # $1 server address
	srv=$1
	cli dig +tries=1 +time=2 @"$srv" web.default.svc.cluster.local A >/dev/null
	cli dig +tries=1 +time=2 @"$srv" web.default.svc.cluster.local AAAA >/dev/null
	cli dig +tries=1 +time=2 @"$srv" _http._tcp.web.default.svc.cluster.local SRV >/dev/null
	cli dig +tries=1 +time=2 @"$srv" -x 10.96.0.20 >/dev/null
	cli dig +tries=1 +time=2 @"$srv" alias.default.svc.cluster.local A >/dev/null
	cli dig +tries=1 +time=2 @"$srv" info.default.svc.cluster.local TXT >/dev/null
	cli dig +tries=1 +time=2 @"$srv" missing.default.svc.cluster.local A >/dev/null
	cli dig +tries=1 +time=2 +tcp @"$srv" db.shop.svc.cluster.local A >/dev/null
	cli dig +tries=1 +time=2 +tcp @"$srv" nothere.shop.svc.cluster.local A >/dev/null
}
http_traffic() { # $1 host part of the URL
	h=$1
	cli curl -s -o /dev/null "http://$h/" "http://$h/error" "http://$h/redirect" \
		"http://$h/missing" "http://$h/empty" || true
	cli curl -s -o /dev/null -I "http://$h/" || true
	cli curl -s -o /dev/null -H 'Accept-Encoding: gzip' "http://$h/big.txt" || true
	cli curl -s -o /dev/null "http://$h/bighead" || true
	cli curl -s -o /dev/null -H "X-Big-Request: $big" "http://$h/" || true
	cli curl -s -o /dev/null -d 'name=value&x=1' "http://$h/error" || true
}
pipeline() { # two requests in one segment (HTTP/1.1 pipelining)
	cli python3 -c '
import socket,sys
s=socket.create_connection((sys.argv[1],80))
s.sendall(b"GET /redirect HTTP/1.1\r\nHost: web\r\n\r\nGET /missing HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n")
while s.recv(65536): pass' "$1"
}
capture() { # name ns iface [tcpdump options]
	name=$1; ns=$2; ifc=$3; shift 3
	ip netns exec "$ns" tcpdump -U -s 0 -i "$ifc" "$@" -w "$out/$name.pcap" \
		2>/dev/null &
	echo $! > "$work/tcpdump.pid"
	sleep 1
}
stop_capture() {
	sleep 1; kill "$(cat "$work/tcpdump.pid")"; wait "$(cat "$work/tcpdump.pid")" 2>/dev/null || true
	rm -f "$work/tcpdump.pid"
}

# 1. Ethernet on the veth: DNS (UDP, TCP), search expansion, HTTP, TLS
capture eth $S kn-s
dns_traffic 10.77.0.2
cli getent ahostsv4 example.com >/dev/null || true
http_traffic 10.77.0.2
pipeline 10.77.0.2
cli curl -sk --max-time 2 -o /dev/null --http1.1 --resolve web.default.svc.cluster.local:8443:10.77.0.2 \
	https://web.default.svc.cluster.local:8443/ || true
stop_capture

# 2. Linux cooked v2 (-i any) and v1
capture cooked $S any
dns_traffic 10.77.0.2
http_traffic 10.77.0.2
stop_capture
capture cooked1 $S any -y LINUX_SLL
dns_traffic 10.77.0.2
cli curl -s -o /dev/null "http://10.77.0.2/" "http://10.77.0.2/error" || true
stop_capture

# 3. IPv6
capture ipv6 $S kn-s
dns_traffic fd77::2
http_traffic '[fd77::2]'
stop_capture

# 4. VXLAN: the outer view on the veth
capture vxlan $S kn-s
dns_traffic 10.88.0.2
http_traffic 10.88.0.2
stop_capture
echo "make-captures: wrote $(ls "$out"/*.pcap | wc -l) captures to $out"
