/* Node networking as the node's files tell it: the CNI configuration the
 * kubelet picks from /etc/cni/net.d, the plugins in /opt/cni/bin, flannel's
 * subnet.env, and the overlay backend from interface names. */
#ifndef K8SNET_CNICONF_H
#define K8SNET_CNICONF_H

#include <stdbool.h>
#include <stddef.h>

#include "k8snet/err.h"

#define KN_CNI_MAX_PLUGINS 16
#define KN_CNI_MAX_SUBNETS 8
#define KN_CNI_MAX_BINS 128
/* A conf file larger than this is rejected. */
#define KN_CNI_FILE_MAX (1u << 20)

struct kn_cni_plugin {
	char type[64];	    /* "calico", "flannel", "portmap", ... */
	char ipam_type[64]; /* "" when the plugin has no ipam */
};

struct kn_cniconf {
	char file[256]; /* base name of the file read ("" for a
			 * buffer) */
	bool conflist;	/* a .conflist ("plugins" array) */
	char name[128]; /* network name */
	char cni_version[32];
	struct kn_cni_plugin plugins[KN_CNI_MAX_PLUGINS];
	size_t nplugins;
	char ipam_type[64]; /* of the first plugin with ipam */
	char subnets[KN_CNI_MAX_SUBNETS][64]; /* ipam subnet, ranges, pools */
	size_t nsubnets;
	int mtu;	   /* 0: not said */
	char delegate[64]; /* flannel's delegate type, if given */
	char backend[32];  /* overlay: "vxlan", "ipip", ... or "" */
	char detected[32]; /* kn_cni_detect() of this file, or "" */
};

/* Pure: parse a CNI network configuration (.conf) or list (.conflist)
 * with cJSON. file names it in errors (may be NULL). KN_ERR_PARSE with the
 * file and reason in errbuf; KN_ERR_LIMIT past KN_CNI_FILE_MAX. Extra
 * plugins, subnets beyond the caps and over-long strings are cut. */
enum kn_err kn_cniconf_parse(const char *buf, size_t len, const char *file,
			     struct kn_cniconf *out, char *errbuf);

/* The plugin name from a chain of types: "canal" (calico + flannel),
 * "calico", "flannel", "cilium", "weave", "antrea", "kube-router",
 * "aws-vpc-cni", "azure-cni", "ovn-kubernetes", "kindnet", "bridge", or ""
 * when none is recognised. Static string. */
const char *kn_cni_detect(const struct kn_cniconf *c);

/* The file the kubelet (and containerd/CRI-O) would load: the first by
 * name of *.conf, *.conflist, *.json in host_root/conf_dir (conf_dir NULL:
 * /etc/cni/net.d). Reads and parses it into out. KN_ERR_NOTFOUND when the
 * folder has none; errors name the folder or file. */
enum kn_err kn_cniconf_read(const char *host_root, const char *conf_dir,
			    struct kn_cniconf *out, char *errbuf);

/* Plugin binaries in host_root/bin_dir (NULL: /opt/cni/bin), sorted. */
struct kn_cni_bins {
	char names[KN_CNI_MAX_BINS][64];
	size_t n;
	bool truncated;
};
enum kn_err kn_cni_bins_read(const char *host_root, const char *bin_dir,
			     struct kn_cni_bins *out, char *errbuf);

/* Pure: flannel's /run/flannel/subnet.env (FLANNEL_NETWORK, _SUBNET,
 * _MTU, _IPMASQ) merged into c: subnets added, mtu set when c has none. */
enum kn_err kn_flannel_env_parse(const char *buf, size_t len,
				 struct kn_cniconf *c);
/* Reads host_root/run/flannel/subnet.env into c (KN_ERR_NOTFOUND if
 * absent). */
enum kn_err kn_flannel_env_read(const char *host_root, struct kn_cniconf *c,
				char *errbuf);

/* Pure: the overlay backend from the node's interface names: flannel.1,
 * vxlan.calico, cilium_vxlan -> "vxlan"; tunl0 -> "ipip"; cilium_geneve,
 * genev_sys_6081 -> "geneve"; flannel-wg, wireguard.cali, cilium_wg0 ->
 * "wireguard"; else "". Static string. */
const char *kn_cni_backend_from_ifaces(const char *const *names, size_t n);
/* Same from this host's interfaces (if_nameindex). */
const char *kn_cni_backend_local(void);

#endif
