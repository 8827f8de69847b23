/* CNI configuration: parse .conf/.conflist (CNI SPEC.md "Network
 * configuration format"), pick the file as the kubelet does, list plugin
 * binaries, flannel's subnet.env, overlay backend from interface names. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "k8snet/file.h"
#include "k8snet/cniconf.h"

static void
kn_copy(char *dst, size_t dstlen, const char *src)
{
	size_t n;

	if (src == NULL) {
		dst[0] = '\0';
		return;
	}
	n = strnlen(src, dstlen - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *
kn_jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
kn_add_subnet(struct kn_cniconf *c, const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || c->nsubnets >= KN_CNI_MAX_SUBNETS)
		return;
	for (i = 0; i < c->nsubnets; i++)
		if (strcmp(c->subnets[i], s) == 0)
			return;
	kn_copy(c->subnets[c->nsubnets++], sizeof(c->subnets[0]), s);
}

/* host-local: "subnet", or "ranges": [[{"subnet": ...}, ...], ...];
 * calico-ipam: "ipv4_pools"/"ipv6_pools": [cidr ...]. */
static void
kn_ipam(struct kn_cniconf *c, const cJSON *ipam)
{
	static const char *const pools[] = {"ipv4_pools", "ipv6_pools"};
	const cJSON *ranges, *set, *r, *pool;
	size_t i;

	kn_add_subnet(c, kn_jstr(ipam, "subnet"));
	ranges = cJSON_GetObjectItemCaseSensitive(ipam, "ranges");
	if (cJSON_IsArray(ranges)) {
		cJSON_ArrayForEach(set, ranges)
		{
			if (!cJSON_IsArray(set))
				continue;
			cJSON_ArrayForEach(r, set)
			{
				if (cJSON_IsObject(r))
					kn_add_subnet(c, kn_jstr(r, "subnet"));
			}
		}
	}
	for (i = 0; i < 2; i++) {
		const cJSON *a =
			cJSON_GetObjectItemCaseSensitive(ipam, pools[i]);

		if (!cJSON_IsArray(a))
			continue;
		cJSON_ArrayForEach(pool, a)
		{
			if (cJSON_IsString(pool))
				kn_add_subnet(c, pool->valuestring);
		}
	}
}

static void
kn_plugin(struct kn_cniconf *c, const cJSON *pl)
{
	struct kn_cni_plugin *p;
	const cJSON *ipam, *mtu, *del;
	const char *s;

	if (!cJSON_IsObject(pl) || c->nplugins >= KN_CNI_MAX_PLUGINS)
		return;
	p = &c->plugins[c->nplugins++];
	kn_copy(p->type, sizeof(p->type), kn_jstr(pl, "type"));
	ipam = cJSON_GetObjectItemCaseSensitive(pl, "ipam");
	if (cJSON_IsObject(ipam)) {
		kn_copy(p->ipam_type, sizeof(p->ipam_type),
			kn_jstr(ipam, "type"));
		if (c->ipam_type[0] == '\0')
			kn_copy(c->ipam_type, sizeof(c->ipam_type),
				p->ipam_type);
		kn_ipam(c, ipam);
	}
	mtu = cJSON_GetObjectItemCaseSensitive(pl, "mtu");
	/* Calico writes "mtu": 0 for "auto-detect". */
	if (cJSON_IsNumber(mtu) && mtu->valuedouble > 0 &&
	    mtu->valuedouble < 1e6 && c->mtu == 0)
		c->mtu = (int)mtu->valuedouble;
	del = cJSON_GetObjectItemCaseSensitive(pl, "delegate");
	if (cJSON_IsObject(del)) {
		kn_copy(c->delegate, sizeof(c->delegate), kn_jstr(del, "type"));
		mtu = cJSON_GetObjectItemCaseSensitive(del, "mtu");
		if (cJSON_IsNumber(mtu) && mtu->valuedouble > 0 &&
		    mtu->valuedouble < 1e6 && c->mtu == 0)
			c->mtu = (int)mtu->valuedouble;
	}
	s = kn_jstr(pl, "backend");
	if (s != NULL && c->backend[0] == '\0')
		kn_copy(c->backend, sizeof(c->backend), s);
	/* Some plugins (calico) say the encapsulation in their own keys. */
	s = kn_jstr(pl, "encapsulation");
	if (s != NULL && c->backend[0] == '\0')
		kn_copy(c->backend, sizeof(c->backend), s);
}

enum kn_err
kn_cniconf_parse(const char *buf, size_t len, const char *file,
		 struct kn_cniconf *out, char *errbuf)
{
	const char *what = file ? file : "CNI configuration";
	const cJSON *plugins, *pl;
	cJSON *root;

	memset(out, 0, sizeof(*out));
	if (file != NULL) {
		const char *base = strrchr(file, '/');

		kn_copy(out->file, sizeof(out->file), base ? base + 1 : file);
	}
	if (len > KN_CNI_FILE_MAX)
		return kn_errf(errbuf, KN_ERR_LIMIT, "%s: larger than %u bytes",
			       what, KN_CNI_FILE_MAX);
	root = cJSON_ParseWithLength(buf, len);
	if (root == NULL)
		return kn_errf(errbuf, KN_ERR_PARSE, "%s: not valid JSON",
			       what);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return kn_errf(errbuf, KN_ERR_PARSE, "%s: not a JSON object",
			       what);
	}
	kn_copy(out->name, sizeof(out->name), kn_jstr(root, "name"));
	kn_copy(out->cni_version, sizeof(out->cni_version),
		kn_jstr(root, "cniVersion"));
	plugins = cJSON_GetObjectItemCaseSensitive(root, "plugins");
	if (cJSON_IsArray(plugins)) {
		out->conflist = true;
		cJSON_ArrayForEach(pl, plugins)
		{
			kn_plugin(out, pl);
		}
	} else if (kn_jstr(root, "type") != NULL) {
		kn_plugin(out, root);
	} else {
		cJSON_Delete(root);
		return kn_errf(errbuf, KN_ERR_PARSE,
			       "%s: neither a \"plugins\" list nor a \"type\"",
			       what);
	}
	cJSON_Delete(root);
	kn_copy(out->detected, sizeof(out->detected), kn_cni_detect(out));
	return KN_OK;
}

static bool
kn_has_type(const struct kn_cniconf *c, const char *type)
{
	size_t i;

	for (i = 0; i < c->nplugins; i++)
		if (strcmp(c->plugins[i].type, type) == 0)
			return true;
	return false;
}

const char *
kn_cni_detect(const struct kn_cniconf *c)
{
	static const struct {
		const char *type, *name;
	} map[] = {
		{"cilium-cni", "cilium"},
		{"weave-net", "weave"},
		{"weave-plugin-2.8.1", "weave"},
		{"antrea", "antrea"},
		{"kube-router", "kube-router"},
		{"aws-cni", "aws-vpc-cni"},
		{"azure-vnet", "azure-cni"},
		{"ovn-k8s-cni-overlay", "ovn-kubernetes"},
		{"calico", "calico"},
		{"flannel", "flannel"},
	};
	size_t i;

	/* Canal: calico's policy plugin with flannel networking. */
	if (kn_has_type(c, "calico") &&
	    (kn_has_type(c, "flannel") || strcmp(c->name, "canal") == 0))
		return "canal";
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (kn_has_type(c, map[i].type))
			return map[i].name;
	/* kindnet and kube-router write plain ptp/bridge chains under their
	 * own network names. */
	if (strcmp(c->name, "kindnet") == 0)
		return "kindnet";
	if (strcmp(c->name, "kubernetes") == 0 && kn_has_type(c, "bridge"))
		return "kube-router";
	if (kn_has_type(c, "bridge"))
		return "bridge";
	return "";
}

static bool
kn_is_slash(const char *root)
{
	return root == NULL || root[0] == '\0' || strcmp(root, "/") == 0;
}

static const char *
kn_root(const char *root)
{
	return kn_is_slash(root) ? "" : root;
}

static bool
kn_ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

enum kn_err
kn_cniconf_read(const char *host_root, const char *conf_dir,
		struct kn_cniconf *out, char *errbuf)
{
	char dir[PATH_MAX], path[PATH_MAX + 256], best[256] = "";
	struct dirent *de;
	enum kn_err e;
	char *buf;
	size_t len;
	DIR *d;

	memset(out, 0, sizeof(*out));
	snprintf(dir, sizeof(dir), "%s%s", kn_root(host_root),
		 conf_dir ? conf_dir : "/etc/cni/net.d");
	d = opendir(dir);
	if (d == NULL) {
		int err = errno;

		return kn_errf(errbuf,
			       err == ENOENT   ? KN_ERR_NOTFOUND
			       : err == EACCES ? KN_ERR_PERM
					       : KN_ERR_IO,
			       "%s: %s", dir, strerror(err));
	}
	/* libcni ConfFiles: these extensions, then sorted by name. */
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(best))
			continue;
		if (!kn_ends_with(de->d_name, ".conf") &&
		    !kn_ends_with(de->d_name, ".conflist") &&
		    !kn_ends_with(de->d_name, ".json"))
			continue;
		if (best[0] == '\0' || strcmp(de->d_name, best) < 0)
			kn_copy(best, sizeof(best), de->d_name);
	}
	closedir(d);
	if (best[0] == '\0')
		return kn_errf(errbuf, KN_ERR_NOTFOUND,
			       "%s: no .conf, .conflist or .json file", dir);
	snprintf(path, sizeof(path), "%s/%s", dir, best);
	e = kn_file_read(path, KN_CNI_FILE_MAX, &buf, &len, errbuf);
	if (e != KN_OK)
		return e;
	e = kn_cniconf_parse(buf, len, path, out, errbuf);
	free(buf);
	kn_copy(out->file, sizeof(out->file), best);
	return e;
}

static int
kn_cmp_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

enum kn_err
kn_cni_bins_read(const char *host_root, const char *bin_dir,
		 struct kn_cni_bins *out, char *errbuf)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;

	memset(out, 0, sizeof(*out));
	snprintf(dir, sizeof(dir), "%s%s", kn_root(host_root),
		 bin_dir ? bin_dir : "/opt/cni/bin");
	d = opendir(dir);
	if (d == NULL) {
		int err = errno;

		return kn_errf(errbuf,
			       err == ENOENT ? KN_ERR_NOTFOUND : KN_ERR_IO,
			       "%s: %s", dir, strerror(err));
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (out->n >= KN_CNI_MAX_BINS) {
			out->truncated = true;
			break;
		}
		kn_copy(out->names[out->n++], sizeof(out->names[0]),
			de->d_name);
	}
	closedir(d);
	qsort(out->names, out->n, sizeof(out->names[0]), kn_cmp_name);
	return KN_OK;
}

enum kn_err
kn_flannel_env_parse(const char *buf, size_t len, struct kn_cniconf *c)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *eq;
		char val[64];
		size_t kl, vl;

		if (eol == NULL)
			eol = end;
		eq = memchr(p, '=', (size_t)(eol - p));
		if (eq == NULL) {
			p = eol + 1;
			continue;
		}
		kl = (size_t)(eq - p);
		vl = (size_t)(eol - eq - 1);
		if (vl > 0 && eq[vl] == '\r')
			vl--;
		if (vl >= sizeof(val))
			vl = sizeof(val) - 1;
		memcpy(val, eq + 1, vl);
		val[vl] = '\0';
		if ((kl == 15 && memcmp(p, "FLANNEL_NETWORK", 15) == 0) ||
		    (kl == 14 && memcmp(p, "FLANNEL_SUBNET", 14) == 0) ||
		    (kl == 20 && memcmp(p, "FLANNEL_IPV6_NETWORK", 20) == 0) ||
		    (kl == 19 && memcmp(p, "FLANNEL_IPV6_SUBNET", 19) == 0))
			kn_add_subnet(c, val);
		else if (kl == 11 && memcmp(p, "FLANNEL_MTU", 11) == 0 &&
			 c->mtu == 0) {
			char *e;
			long m = strtol(val, &e, 10);

			if (e != val && *e == '\0' && m > 0 && m < 1000000)
				c->mtu = (int)m;
		}
		p = eol + 1;
	}
	return KN_OK;
}

enum kn_err
kn_flannel_env_read(const char *host_root, struct kn_cniconf *c, char *errbuf)
{
	char path[PATH_MAX];
	enum kn_err e;
	char *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/run/flannel/subnet.env",
		 kn_root(host_root));
	e = kn_file_read(path, 65536, &buf, &len, errbuf);
	if (e != KN_OK)
		return e;
	e = kn_flannel_env_parse(buf, len, c);
	free(buf);
	return e;
}

const char *
kn_cni_backend_from_ifaces(const char *const *names, size_t n)
{
	static const struct {
		const char *ifname, *backend;
	} map[] = {
		{"flannel.1", "vxlan"},	      {"vxlan.calico", "vxlan"},
		{"cilium_vxlan", "vxlan"},    {"cilium_geneve", "geneve"},
		{"genev_sys_6081", "geneve"}, {"tunl0", "ipip"},
		{"flannel-wg", "wireguard"},  {"wireguard.cali", "wireguard"},
		{"cilium_wg0", "wireguard"},
	};
	size_t i, j;

	/* Map order is preference: a node with both tunl0 (present whenever
	 * the ipip module is loaded) and vxlan.calico uses vxlan. */
	for (j = 0; j < sizeof(map) / sizeof(map[0]); j++)
		for (i = 0; i < n; i++)
			if (names[i] != NULL &&
			    strcmp(names[i], map[j].ifname) == 0)
				return map[j].backend;
	return "";
}

const char *
kn_cni_backend_local(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	const char *names[256];
	const char *b;
	size_t n = 0;

	if (ifs == NULL)
		return "";
	for (i = ifs; i->if_index != 0 && n < 256; i++)
		names[n++] = i->if_name;
	b = kn_cni_backend_from_ifaces(names, n);
	if_freenameindex(ifs);
	return b;
}
