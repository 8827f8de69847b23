#!/usr/bin/env python3
"""Write a folder of manifests for bench/manifests.sh: FILES files in
NS namespace folders, each file one application as teams write them --
a Deployment (2 replicas, a named port), its Service (targetPort by
name), an Ingress to it and a ConfigMap -- so 4 objects a file; every
tenth file adds a NetworkPolicy that allows DNS. One file in 500 is
broken on purpose (a selector that matches nothing) so --check has
findings to report."""
import argparse, os

p = argparse.ArgumentParser()
p.add_argument("--files", type=int, default=5000)
p.add_argument("--namespaces", type=int, default=50)
p.add_argument("-o", "--out", required=True)
a = p.parse_args()

APP = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels: &labels
    app: {name}
    team: {ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - name: app
        image: registry.example.invalid/{name}:1.0
        ports:
        - name: http
          containerPort: 8080
        env:
        - name: LOG_LEVEL
          value: info
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
spec:
  selector:
    app: {sel}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
spec:
  ingressClassName: nginx
  rules:
  - host: {name}.{ns}.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: {name}
            port:
              name: http
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-config
  namespace: {ns}
data:
  app.properties: |
    name={name}
    replicas=2
"""

POLICY = """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}-egress
  namespace: {ns}
spec:
  podSelector:
    matchLabels:
      app: {name}
  policyTypes: [Egress]
  egress:
  - ports:
    - port: 53
      protocol: UDP
  - to:
    - podSelector: {{}}
"""

os.makedirs(a.out, exist_ok=True)
for i in range(a.files):
    ns = "team-%03d" % (i % a.namespaces)
    name = "app-%05d" % i
    d = os.path.join(a.out, ns)
    os.makedirs(d, exist_ok=True)
    sel = name if i % 500 != 7 else name + "-typo"
    text = APP.format(name=name, ns=ns, sel=sel)
    if i % 10 == 0:
        text += POLICY.format(name=name, ns=ns)
    with open(os.path.join(d, name + ".yaml"), "w") as f:
        f.write(text)
