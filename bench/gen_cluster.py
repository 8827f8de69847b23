#!/usr/bin/env python3
"""Write a realistic snapshot of a cluster of any size, as `kubectl get
-o json` of mixed kinds prints it (a v1 List; compact JSON, items carry
kind and apiVersion): Nodes, Namespaces, Pods from Deployments, Services
with EndpointSlices, Ingresses, IngressClass, CoreDNS and a CNI DaemonSet,
and optionally NetworkPolicies and the Gateway API (a GatewayClass,
Gateways, HTTPRoutes with weighted backends, ReferenceGrants).

  gen_cluster.py [--nodes N] [--pods N] [--services N] [--ingresses N]
                 [--namespaces N] [--policies N] [--gateways N]
                 [--httproutes N] [--gateway-only] [-o FILE]
--gateway-only writes the Gateway API objects alone, named as the same
sizes would name them, to load beside a cluster file (--snapshot twice).
Streams to FILE (default stdout); memory stays small at any size."""
import argparse
import json
import sys

p = argparse.ArgumentParser()
p.add_argument("--nodes", type=int, default=5000)
p.add_argument("--pods", type=int, default=150000)
p.add_argument("--services", type=int, default=20000)
p.add_argument("--ingresses", type=int, default=2000)
p.add_argument("--namespaces", type=int, default=400)
p.add_argument("--policies", type=int, default=0)
p.add_argument("--gateways", type=int, default=0)
p.add_argument("--httproutes", type=int, default=0)
p.add_argument("--gateway-only", action="store_true")
p.add_argument("-o", "--output", default="-")
a = p.parse_args()
out = sys.stdout if a.output == "-" else open(a.output, "w")
dumps = json.JSONEncoder(separators=(",", ":")).encode
TS = "2024-05-14T09:12:03Z"
rv = [1000]
first = [True]


def emit(obj):
    if a.gateway_only and not obj["apiVersion"].startswith(GW):
        return
    out.write(("" if first[0] else ",\n") + dumps(obj))
    first[0] = False


GW = "gateway.networking.k8s.io"


def uid(kind, i):
    return "%08x-%04x-4%03x-8%03x-%012x" % (hash(kind) & 0xffffffff, i & 0xffff, (i >> 16) & 0xfff, i % 4096, i * 2654435761 % (1 << 48))


def meta(kind, i, name, ns=None, labels=None, owners=None, ann=None):
    rv[0] += 1
    m = {"creationTimestamp": TS, "name": name, "resourceVersion": str(rv[0]), "uid": uid(kind, i)}
    if ns:
        m["namespace"] = ns
    if labels:
        m["labels"] = labels
    if ann:
        m["annotations"] = ann
    if owners:
        m["ownerReferences"] = owners
    return m


def ip4(base, i):
    return "%d.%d.%d.%d" % (base, (i >> 16) & 255, (i >> 8) & 255, i & 255)


out.write('{"apiVersion":"v1","items":[\n')
nodes = []
for n in range(a.nodes):
    name = "node-%05d" % n
    nodes.append(name)
    labels = {"kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
              "node.kubernetes.io/instance-type": "m5.2xlarge", "topology.kubernetes.io/zone": "zone-%d" % (n % 3)}
    if n < 3:
        labels["node-role.kubernetes.io/control-plane"] = ""
    emit({"apiVersion": "v1", "kind": "Node", "metadata": meta("Node", n, name, labels=labels),
          "spec": {"podCIDR": "10.%d.%d.0/24" % (64 + n // 256, n % 256), "podCIDRs": ["10.%d.%d.0/24" % (64 + n // 256, n % 256)]},
          "status": {"addresses": [{"address": ip4(172, 0x100000 + n), "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
                     "allocatable": {"cpu": "8", "memory": "32Gi", "pods": "110"}, "capacity": {"cpu": "8", "memory": "32Gi", "pods": "110"},
                     "conditions": [{"lastHeartbeatTime": TS, "lastTransitionTime": TS, "message": "kubelet is posting ready status",
                                     "reason": "KubeletReady", "status": "True", "type": "Ready"}],
                     "nodeInfo": {"containerRuntimeVersion": "containerd://1.7.13", "kernelVersion": "6.1.0", "kubeletVersion": "v1.29.2",
                                  "osImage": "Ubuntu 22.04.4 LTS", "architecture": "amd64", "operatingSystem": "linux"}}})
nss = ["team-%03d" % i for i in range(a.namespaces)]
for i, ns in enumerate(nss + ["kube-system", "default"]):
    emit({"apiVersion": "v1", "kind": "Namespace", "metadata": meta("Namespace", i, ns, labels={"kubernetes.io/metadata.name": ns}),
          "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
emit({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("ConfigMap", 0, "coredns", "kube-system"),
      "data": {"Corefile": ".:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n    }\n    forward . /etc/resolv.conf\n    cache 30\n}\n"}})
emit({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta("DaemonSet", 0, "calico-node", "kube-system", {"k8s-app": "calico-node"}),
      "spec": {"selector": {"matchLabels": {"k8s-app": "calico-node"}}, "template": {"spec": {"containers": [{"image": "docker.io/calico/node:v3.27.2", "name": "calico-node"}]}}},
      "status": {"desiredNumberScheduled": a.nodes, "numberReady": a.nodes}})
emit({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": meta("IngressClass", 0, "nginx", ann={"ingressclass.kubernetes.io/is-default-class": "true"}),
      "spec": {"controller": "k8s.io/ingress-nginx"}})

# Deployments: one per service; pods spread over them.
nsvc = max(1, a.services)
pod_i = 0
svc_pods = [[] for _ in range(nsvc)]
for s in range(nsvc):
    count = a.pods // nsvc + (1 if s < a.pods % nsvc else 0)
    ns = nss[s % len(nss)]
    app = "app-%05d" % s
    h = "%010x" % (s * 7919 % (1 << 40))
    for k in range(count):
        i = pod_i
        pod_i += 1
        name = "%s-%s-%05x" % (app, h[:9], (i * 2654435761) & 0xfffff)
        node = nodes[i % len(nodes)]
        ip = ip4(10, 0x400000 + i)
        ready = (i % 97) != 0
        svc_pods[s].append((name, ip, node, ready))
        emit({"apiVersion": "v1", "kind": "Pod",
              "metadata": meta("Pod", i, name, ns, {"app": app, "pod-template-hash": h[:9], "team": ns},
                               [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True, "kind": "ReplicaSet",
                                 "name": "%s-%s" % (app, h[:9]), "uid": uid("ReplicaSet", s)}]),
              "spec": {"containers": [{"image": "registry.example.com/%s/%s:1.%d.0" % (ns, app, s % 20), "imagePullPolicy": "IfNotPresent", "name": "app",
                                       "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}, {"containerPort": 9090, "name": "metrics", "protocol": "TCP"}],
                                       "resources": {"limits": {"memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
                                       "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
                       "dnsPolicy": "ClusterFirst", "nodeName": node, "restartPolicy": "Always", "schedulerName": "default-scheduler",
                       "serviceAccountName": "default", "terminationGracePeriodSeconds": 30,
                       "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300}]},
              "status": {"conditions": [{"lastProbeTime": None, "lastTransitionTime": TS, "status": "True", "type": "Initialized"},
                                        {"lastProbeTime": None, "lastTransitionTime": TS, "status": "True" if ready else "False", "type": "Ready"},
                                        {"lastProbeTime": None, "lastTransitionTime": TS, "status": "True" if ready else "False", "type": "ContainersReady"},
                                        {"lastProbeTime": None, "lastTransitionTime": TS, "status": "True", "type": "PodScheduled"}],
                         "containerStatuses": [{"containerID": "containerd://%064x" % i, "image": "registry.example.com/%s/%s:1.%d.0" % (ns, app, s % 20),
                                                "imageID": "", "lastState": {}, "name": "app", "ready": ready, "restartCount": 0 if ready else 7,
                                                "started": ready, "state": {"running": {"startedAt": TS}} if ready else
                                                {"waiting": {"reason": "CrashLoopBackOff"}}}],
                         "hostIP": ip4(172, 0x100000 + i % len(nodes)), "phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}],
                         "qosClass": "Burstable", "startTime": TS}})
for s in range(nsvc):
    ns = nss[s % len(nss)]
    app = "app-%05d" % s
    cip = ip4(10, 0x600000 + s)
    emit({"apiVersion": "v1", "kind": "Service", "metadata": meta("Service", s, app, ns, {"app": app}),
          "spec": {"clusterIP": cip, "clusterIPs": [cip], "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                   "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}, {"name": "metrics", "port": 9090, "protocol": "TCP", "targetPort": 9090}],
                   "selector": {"app": app}, "sessionAffinity": "None", "type": "ClusterIP"},
          "status": {"loadBalancer": {}}})
    pods = svc_pods[s]
    for c in range(0, max(1, len(pods)), 100):
        chunk = pods[c:c + 100]
        emit({"addressType": "IPv4", "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
              "endpoints": [{"addresses": [ip], "conditions": {"ready": r, "serving": r, "terminating": False}, "nodeName": node,
                             "targetRef": {"kind": "Pod", "name": name, "namespace": ns, "uid": uid("Pod", 0)}} for name, ip, node, r in chunk],
              "metadata": meta("EndpointSlice", s, "%s-%05x" % (app, c + s), ns,
                               {"endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io", "kubernetes.io/service-name": app}),
              "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "metrics", "port": 9090, "protocol": "TCP"}]})
for g in range(a.ingresses):
    s = (g * 10) % nsvc
    ns = nss[s % len(nss)]
    paths = [{"backend": {"service": {"name": "app-%05d" % s, "port": {"name": "http"}}}, "path": "/", "pathType": "Prefix"},
             {"backend": {"service": {"name": "app-%05d" % s, "port": {"number": 9090}}}, "path": "/metrics", "pathType": "Exact"}]
    host = "app-%05d.%s.example.com" % (s, ns)
    emit({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta("Ingress", g, "ing-%05d" % g, ns),
          "spec": {"ingressClassName": "nginx", "rules": [{"host": host, "http": {"paths": paths}}], "tls": [{"hosts": [host], "secretName": "tls-%d" % g}]},
          "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.%d" % (g % 250 + 1)}]}}})
# NetworkPolicies, spread over the namespaces, of the four shapes seen
# most: a default deny that keeps DNS, app-to-app on a named port, a
# namespace selector with a port range, and egress to the internet.
for q in range(a.policies):
    k = q % len(nss)
    ns = nss[k]
    shape = (q // len(nss)) % 4
    s = ((q // len(nss)) * len(nss) + k) % nsvc
    app, peer = "app-%05d" % s, "app-%05d" % ((s + len(nss)) % nsvc)
    dns = {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                   "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
           "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}
    if shape == 0:
        spec = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"], "egress": [dns]}
    elif shape == 1:
        spec = {"podSelector": {"matchLabels": {"app": app}},
                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": peer}}}], "ports": [{"port": "http"}]}]}
    elif shape == 2:
        spec = {"podSelector": {"matchLabels": {"app": app}},
                "ingress": [{"from": [{"namespaceSelector": {"matchExpressions": [
                    {"key": "kubernetes.io/metadata.name", "operator": "In",
                     "values": [nss[(k + 1) % len(nss)], nss[(k + 2) % len(nss)]]}]}}],
                    "ports": [{"protocol": "TCP", "port": 8080, "endPort": 8090}]}]}
    else:
        spec = {"podSelector": {"matchLabels": {"app": app}}, "policyTypes": ["Egress"],
                "egress": [dns, {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "172.16.0.0/12"]}}],
                                 "ports": [{"port": 443}]}]}
    emit({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
          "metadata": meta("NetworkPolicy", q, "np-%05d" % q, ns), "spec": spec})
# The Gateway API: one GatewayClass of Envoy Gateway, Gateways spread
# over the namespaces (HTTP for all namespaces, HTTPS for their own), and
# HTTPRoutes of two rules each: a 90/10 canary between two services of
# the route's namespace, and an exact path with a method and a header.
# One route in ten reaches a service of the next namespace, allowed by a
# ReferenceGrant there for half of them.
CTL = "gateway.envoyproxy.io/gatewayclass-controller"
ok = lambda t: {"lastTransitionTime": TS, "message": "", "observedGeneration": 1,  # noqa
                "reason": t, "status": "True", "type": t}
if a.gateways > 0:
    emit({"apiVersion": GW + "/v1", "kind": "GatewayClass", "metadata": meta("GatewayClass", 0, "eg"),
          "spec": {"controllerName": CTL}, "status": {"conditions": [ok("Accepted")]}})
for g in range(a.gateways):
    ns = nss[g % len(nss)]
    emit({"apiVersion": GW + "/v1", "kind": "Gateway", "metadata": meta("Gateway", g, "gw-%04d" % g, ns),
          "spec": {"gatewayClassName": "eg", "listeners": [
              {"name": "http", "port": 80, "protocol": "HTTP", "allowedRoutes": {"namespaces": {"from": "All"}}},
              {"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "*.%s.example.com" % ns,
               "tls": {"certificateRefs": [{"kind": "Secret", "name": "wildcard-%04d" % g}]}}]},
          "status": {"addresses": [{"type": "IPAddress", "value": "203.0.114.%d" % (g % 250 + 1)}],
                     "conditions": [ok("Accepted"), ok("Programmed")],
                     "listeners": [{"name": l, "attachedRoutes": 0, "conditions": [ok("Accepted"), ok("Programmed")],
                                    "supportedKinds": [{"group": GW, "kind": "HTTPRoute"}]} for l in ("http", "https")]}})
for r in range(a.httproutes if a.gateways > 0 else 0):
    k = r % len(nss)
    ns = nss[k]
    g = r % a.gateways
    gns = nss[g % len(nss)]
    section = "https" if gns == ns else "http"
    j = r // len(nss)
    s1 = (k + len(nss) * (2 * j)) % nsvc
    s2 = (k + len(nss) * (2 * j + 1)) % nsvc
    parent = {"group": GW, "kind": "Gateway", "name": "gw-%04d" % g, "namespace": gns, "sectionName": section}
    be = [{"group": "", "kind": "Service", "name": "app-%05d" % s1, "port": 80, "weight": 90},
          {"group": "", "kind": "Service", "name": "app-%05d" % s2, "port": 80, "weight": 10}]
    api_be = {"group": "", "kind": "Service", "name": "app-%05d" % s1, "port": 9090, "weight": 1}
    if r % 10 == 9:
        other = nss[(k + 1) % len(nss)]
        api_be = {"group": "", "kind": "Service", "name": "app-%05d" % ((s1 + 1) % nsvc), "namespace": other,
                  "port": 9090, "weight": 1}
        if r % 20 == 19:
            emit({"apiVersion": GW + "/v1beta1", "kind": "ReferenceGrant",
                  "metadata": meta("ReferenceGrant", r, "from-%s-%05d" % (ns, r), other),
                  "spec": {"from": [{"group": GW, "kind": "HTTPRoute", "namespace": ns}],
                           "to": [{"group": "", "kind": "Service", "name": api_be["name"]}]}})
    emit({"apiVersion": GW + "/v1", "kind": "HTTPRoute", "metadata": meta("HTTPRoute", r, "route-%05d" % r, ns),
          "spec": {"parentRefs": [parent], "hostnames": ["r%05d.%s.example.com" % (r, ns)],
                   "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "backendRefs": be},
                             {"matches": [{"path": {"type": "Exact", "value": "/api/v1/items"}, "method": "GET",
                                           "headers": [{"name": "x-tenant", "value": ns}]}],
                              "filters": [{"type": "RequestHeaderModifier",
                                           "requestHeaderModifier": {"set": [{"name": "x-route", "value": "r%05d" % r}]}}],
                              "backendRefs": [api_be]}]},
          "status": {"parents": [{"parentRef": parent, "controllerName": CTL,
                                  "conditions": [ok("Accepted"), ok("ResolvedRefs")]}]}})
out.write('\n],"kind":"List","metadata":{"resourceVersion":""}}\n')
out.close()
