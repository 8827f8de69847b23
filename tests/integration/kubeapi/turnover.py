"""Pod turnover for soak runs (the server's "turnover" control op): count
new pods, each a Job's with its own controller-uid, job-name and owner
(the strings a watch delivers once and never again), and the oldest
deleted so that at most keep of them live. One ADDED and one DELETED
event each, all under one lock, without a request per pod."""
import collections


def _pod(seq, ns):
    job = "soak-job-%d" % seq
    uid = "%08x-1c2d-4e5f-8a9b-%012x" % (seq & 0xffffffff, seq)
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": job + "-x7k2p", "namespace": ns, "uid": "p-" + uid,
            "resourceVersion": "0",
            "labels": {"app": "soak",
                       "batch.kubernetes.io/controller-uid": uid,
                       "batch.kubernetes.io/job-name": job,
                       "controller-uid": uid, "job-name": job},
            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job",
                                 "name": job, "uid": uid,
                                 "controller": True}]},
        "spec": {"nodeName": "node-%d" % (seq % 3),
                 "containers": [{"name": "main", "image": "busybox"}]},
        "status": {"phase": "Running",
                   "podIP": "10.%d.%d.%d" % (100 + (seq >> 16) % 100,
                                             (seq >> 8) & 255, seq & 255),
                   "hostIP": "192.168.0.%d" % (seq % 3 + 10),
                   "conditions": [{"type": "Ready", "status": "True"}],
                   "containerStatuses": [{"name": "main", "ready": True,
                                          "restartCount": 0}]}}


def turnover(st, count, keep, ns="soak"):
    """Add count pods and delete down to keep; returns pods added so far.
    st is the server's store (its lock, objs, _bump and _record)."""
    r = st.by_kind["Pod"]
    with st.lock:
        live = getattr(st, "turnover_live", None)
        if live is None:
            live = st.turnover_live = collections.deque()
            st.turnover_seq = 0
        for _ in range(count):
            st.turnover_seq += 1
            obj = _pod(st.turnover_seq, ns)
            obj["metadata"]["resourceVersion"] = str(st._bump())
            key = (r.plural, ns, obj["metadata"]["name"])
            st.objs[key] = obj
            st.objs_gen += 1
            st._record(r.plural, "ADDED", obj)
            live.append(key)
            while len(live) > keep:
                old = st.objs.pop(live.popleft(), None)
                if old is None:
                    continue
                gone = dict(old)
                gone["metadata"] = dict(old["metadata"])
                gone["metadata"]["resourceVersion"] = str(st._bump())
                st._record(r.plural, "DELETED", gone)
        return st.turnover_seq
