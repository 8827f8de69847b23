/* The kubelet's network settings on a node: config.yaml (clusterDNS,
 * clusterDomain), kubeadm-flags.env, and the flags of the running kubelet
 * (/proc/PID/cmdline), including the legacy --network-plugin,
 * --cni-bin-dir and --cni-conf-dir. */
#ifndef K8SNET_KUBELET_H
#define K8SNET_KUBELET_H

#include <stdbool.h>
#include <stddef.h>

#include "k8snet/err.h"
#include "k8snet/ipaddr.h"

#define KN_KUBELET_MAX_DNS 4
#define KN_KUBELET_FILE_MAX (1u << 20)

/* Where a setting came from (bits of kn_kubelet.sources). */
enum {
	KN_KUBELET_FROM_CONFIG = 1,    /* /var/lib/kubelet/config.yaml */
	KN_KUBELET_FROM_FLAGS_ENV = 2, /* kubeadm-flags.env */
	KN_KUBELET_FROM_CMDLINE = 4,   /* the running kubelet */
};

struct kn_kubelet {
	char cluster_dns[KN_KUBELET_MAX_DNS][KN_IPSTR];
	size_t ncluster_dns;
	char cluster_domain[254];
	char config[256];	    /* --config, when given */
	char network_plugin[64];    /* legacy (kubelet < 1.24) */
	char cni_bin_dir[256];	    /* legacy */
	char cni_conf_dir[256];	    /* legacy */
	char runtime_endpoint[256]; /* --container-runtime-endpoint */
	char node_ip[128];	    /* --node-ip (may be a dual-stack pair) */
	int pid;		    /* the kubelet's pid, 0: not found */
	unsigned sources;
};

void kn_kubelet_init(struct kn_kubelet *k);

/* Pure: a KubeletConfiguration YAML document (libyaml): clusterDNS (list)
 * and clusterDomain. file names it in errors (may be NULL). */
enum kn_err kn_kubelet_parse_config(const char *buf, size_t len,
				    const char *file, struct kn_kubelet *k,
				    char *errbuf);

/* Pure: kubeadm-flags.env, KUBELET_KUBEADM_ARGS="--flag=value ..." (also
 * unquoted, and --flag value). Flags override what is already in k. */
enum kn_err kn_kubelet_parse_flags_env(const char *buf, size_t len,
				       struct kn_kubelet *k);

/* Pure: /proc/PID/cmdline (NUL-separated argv). */
enum kn_err kn_kubelet_parse_cmdline(const char *buf, size_t len,
				     struct kn_kubelet *k);

/* Everything under host_root ("/" or NULL: this host): the running
 * kubelet's command line (found by comm "kubelet" in host_root/proc), its
 * --config file or /var/lib/kubelet/config.yaml, and
 * /var/lib/kubelet/kubeadm-flags.env. Precedence as the kubelet: flags
 * over the config file. Missing files are not errors; KN_ERR_NOTFOUND
 * when none of the three was found; a file that does not parse is an
 * error naming it. */
enum kn_err kn_kubelet_read(const char *host_root, struct kn_kubelet *k,
			    char *errbuf);

#endif
