/* Kubelet network settings: KubeletConfiguration YAML (libyaml document
 * API; clusterDNS, clusterDomain), kubeadm-flags.env and the running
 * kubelet's command line. Inputs are capped at KN_KUBELET_FILE_MAX; flag
 * lists at KN_MAX_TOKENS tokens. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <yaml.h>

#include "k8snet/file.h"
#include "k8snet/kubelet.h"

#define KN_MAX_TOKENS 512

struct kn_tok {
	const char *s;
	size_t n;
};

void
kn_kubelet_init(struct kn_kubelet *k)
{
	memset(k, 0, sizeof(*k));
}

static void
kn_copyn(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
kn_add_dns(struct kn_kubelet *k, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || k->ncluster_dns >= KN_KUBELET_MAX_DNS)
		return;
	kn_copyn(k->cluster_dns[k->ncluster_dns++], KN_IPSTR, s, n);
}

/* ---- config.yaml ---- */

static const char *
kn_scalar(yaml_document_t *doc, yaml_node_t *n, size_t *len)
{
	(void)doc;
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	*len = n->data.scalar.length;
	return (const char *)n->data.scalar.value;
}

enum kn_err
kn_kubelet_parse_config(const char *buf, size_t len, const char *file,
			struct kn_kubelet *k, char *errbuf)
{
	const char *what = file ? file : "kubelet configuration";
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_pair_t *pair;
	enum kn_err e = KN_OK;

	if (len > KN_KUBELET_FILE_MAX)
		return kn_errf(errbuf, KN_ERR_LIMIT, "%s: larger than %u bytes",
			       what, KN_KUBELET_FILE_MAX);
	if (!yaml_parser_initialize(&parser))
		return kn_errf(errbuf, KN_ERR_NOMEM, "%s: out of memory", what);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		e = kn_errf(errbuf, KN_ERR_PARSE, "%s:%zu: %s", what,
			    parser.problem_mark.line + 1,
			    parser.problem ? parser.problem : "bad YAML");
		yaml_parser_delete(&parser);
		return e;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		e = kn_errf(errbuf, KN_ERR_PARSE, "%s: empty document", what);
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		e = kn_errf(errbuf, KN_ERR_PARSE, "%s: not a YAML mapping",
			    what);
		goto out;
	}
	for (pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *kn = yaml_document_get_node(&doc, pair->key);
		yaml_node_t *vn = yaml_document_get_node(&doc, pair->value);
		const char *key, *val;
		size_t kl, vl;

		key = kn_scalar(&doc, kn, &kl);
		if (key == NULL || vn == NULL)
			continue;
		if (kl == 13 && memcmp(key, "clusterDomain", 13) == 0) {
			val = kn_scalar(&doc, vn, &vl);
			if (val != NULL)
				kn_copyn(k->cluster_domain,
					 sizeof(k->cluster_domain), val, vl);
		} else if (kl == 10 && memcmp(key, "clusterDNS", 10) == 0 &&
			   vn->type == YAML_SEQUENCE_NODE) {
			yaml_node_item_t *it;

			k->ncluster_dns = 0;
			for (it = vn->data.sequence.items.start;
			     it < vn->data.sequence.items.top; it++) {
				val = kn_scalar(
					&doc, yaml_document_get_node(&doc, *it),
					&vl);
				if (val != NULL)
					kn_add_dns(k, val, vl);
			}
		}
	}
	k->sources |= KN_KUBELET_FROM_CONFIG;
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return e;
}

/* ---- flags ---- */

static bool
kn_flag_is(const struct kn_tok *t, const char *name, size_t *namelen)
{
	size_t n = strlen(name);

	if (t->n < n || memcmp(t->s, name, n) != 0)
		return false;
	if (t->n != n && t->s[n] != '=')
		return false;
	*namelen = n;
	return true;
}

static void
kn_apply_args(const struct kn_tok *t, size_t n, struct kn_kubelet *k,
	      unsigned src)
{
	static const char *const names[] = {
		"--cluster-dns",
		"--cluster-domain",
		"--config",
		"--network-plugin",
		"--cni-bin-dir",
		"--cni-conf-dir",
		"--container-runtime-endpoint",
		"--node-ip",
	};
	size_t i, j, nl;

	for (i = 0; i < n; i++) {
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++)
			if (kn_flag_is(&t[i], names[j], &nl))
				break;
		if (j == sizeof(names) / sizeof(names[0]))
			continue;
		const char *v;
		size_t vl;

		if (t[i].n > nl) {
			v = t[i].s + nl + 1;
			vl = t[i].n - nl - 1;
		} else if (i + 1 < n &&
			   (t[i + 1].n == 0 || t[i + 1].s[0] != '-')) {
			/* pflag's "--flag value" form */
			i++;
			v = t[i].s;
			vl = t[i].n;
		} else {
			continue;
		}
		k->sources |= src;
		switch (j) {
		case 0: {
			size_t a = 0, b;

			k->ncluster_dns = 0;
			while (a <= vl) {
				for (b = a; b < vl && v[b] != ','; b++)
					;
				kn_add_dns(k, v + a, b - a);
				a = b + 1;
			}
			break;
		}
		case 1:
			kn_copyn(k->cluster_domain, sizeof(k->cluster_domain),
				 v, vl);
			break;
		case 2:
			kn_copyn(k->config, sizeof(k->config), v, vl);
			break;
		case 3:
			kn_copyn(k->network_plugin, sizeof(k->network_plugin),
				 v, vl);
			break;
		case 4:
			kn_copyn(k->cni_bin_dir, sizeof(k->cni_bin_dir), v, vl);
			break;
		case 5:
			kn_copyn(k->cni_conf_dir, sizeof(k->cni_conf_dir), v,
				 vl);
			break;
		case 6:
			kn_copyn(k->runtime_endpoint,
				 sizeof(k->runtime_endpoint), v, vl);
			break;
		default:
			kn_copyn(k->node_ip, sizeof(k->node_ip), v, vl);
			break;
		}
	}
}

enum kn_err
kn_kubelet_parse_flags_env(const char *buf, size_t len, struct kn_kubelet *k)
{
	const char *p = buf, *end = buf + len;

	if (len > KN_KUBELET_FILE_MAX)
		return KN_ERR_LIMIT;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *eq, *v, *ve;
		struct kn_tok t[KN_MAX_TOKENS];
		size_t n = 0;

		if (eol == NULL)
			eol = end;
		eq = memchr(p, '=', (size_t)(eol - p));
		if (eq == NULL || *p == '#') {
			p = eol + 1;
			continue;
		}
		v = eq + 1;
		ve = eol;
		if (ve > v && ve[-1] == '\r')
			ve--;
		if (ve - v >= 2 && (*v == '"' || *v == '\'') && ve[-1] == *v) {
			v++;
			ve--;
		}
		while (v < ve && n < KN_MAX_TOKENS) {
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			if (v >= ve)
				break;
			t[n].s = v;
			while (v < ve && *v != ' ' && *v != '\t')
				v++;
			t[n].n = (size_t)(v - t[n].s);
			n++;
		}
		kn_apply_args(t, n, k, KN_KUBELET_FROM_FLAGS_ENV);
		p = eol + 1;
	}
	return KN_OK;
}

enum kn_err
kn_kubelet_parse_cmdline(const char *buf, size_t len, struct kn_kubelet *k)
{
	struct kn_tok t[KN_MAX_TOKENS];
	const char *p = buf, *end = buf + len;
	size_t n = 0;

	if (len > KN_KUBELET_FILE_MAX)
		return KN_ERR_LIMIT;
	while (p < end && n < KN_MAX_TOKENS) {
		const char *z = memchr(p, '\0', (size_t)(end - p));

		if (z == NULL)
			z = end;
		t[n].s = p;
		t[n].n = (size_t)(z - p);
		n++;
		p = z + 1;
	}
	kn_apply_args(t, n, k, KN_KUBELET_FROM_CMDLINE);
	return KN_OK;
}

/* ---- readers ---- */

static const char *
kn_root(const char *root)
{
	return root == NULL || root[0] == '\0' || strcmp(root, "/") == 0 ? ""
									 : root;
}

static int
kn_find_kubelet(const char *root)
{
	char path[PATH_MAX], comm[32];
	struct dirent *de;
	int pid = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/proc", root);
	d = opendir(path);
	if (d == NULL)
		return 0;
	while (pid == 0 && (de = readdir(d)) != NULL) {
		ssize_t r;
		char *e;
		long v;
		int fd;

		v = strtol(de->d_name, &e, 10);
		if (e == de->d_name || *e != '\0' || v <= 0 || v > INT_MAX)
			continue;
		snprintf(path, sizeof(path), "%s/proc/%s/comm", root,
			 de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		r = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (r <= 0)
			continue;
		comm[r] = '\0';
		if (strcmp(comm, "kubelet\n") == 0 ||
		    strcmp(comm, "kubelet") == 0)
			pid = (int)v;
	}
	closedir(d);
	return pid;
}

enum kn_err
kn_kubelet_read(const char *host_root, struct kn_kubelet *k, char *errbuf)
{
	const char *root = kn_root(host_root);
	struct kn_kubelet flags;
	char path[PATH_MAX];
	enum kn_err e;
	char *buf;
	size_t len;
	bool any = false;

	/* Flags first, into a side struct: they name the config file, and
	 * then override what it says. */
	kn_kubelet_init(&flags);
	flags.pid = kn_find_kubelet(root);
	if (flags.pid > 0) {
		snprintf(path, sizeof(path), "%s/proc/%d/cmdline", root,
			 flags.pid);
		if (kn_file_read(path, KN_KUBELET_FILE_MAX, &buf, &len,
				 errbuf) == KN_OK) {
			kn_kubelet_parse_cmdline(buf, len, &flags);
			free(buf);
			any = true;
		}
	}
	snprintf(path, sizeof(path), "%s/var/lib/kubelet/kubeadm-flags.env",
		 root);
	e = kn_file_read(path, KN_KUBELET_FILE_MAX, &buf, &len, errbuf);
	if (e == KN_OK) {
		struct kn_kubelet env;

		kn_kubelet_init(&env);
		kn_kubelet_parse_flags_env(buf, len, &env);
		free(buf);
		any = true;
		/* The command line wins; the env file fills what it lacks. */
		if (flags.ncluster_dns == 0) {
			memcpy(flags.cluster_dns, env.cluster_dns,
			       sizeof(env.cluster_dns));
			flags.ncluster_dns = env.ncluster_dns;
		}
#define KN_FILL(f)                                                             \
	do {                                                                   \
		if (flags.f[0] == '\0')                                        \
			memcpy(flags.f, env.f, sizeof(flags.f));               \
	} while (0)
		KN_FILL(cluster_domain);
		KN_FILL(config);
		KN_FILL(network_plugin);
		KN_FILL(cni_bin_dir);
		KN_FILL(cni_conf_dir);
		KN_FILL(runtime_endpoint);
		KN_FILL(node_ip);
#undef KN_FILL
		flags.sources |= env.sources | KN_KUBELET_FROM_FLAGS_ENV;
	} else if (e != KN_ERR_NOTFOUND) {
		return e;
	}
	kn_kubelet_init(k);
	snprintf(path, sizeof(path), "%s%s", root,
		 flags.config[0] ? flags.config
				 : "/var/lib/kubelet/config.yaml");
	e = kn_file_read(path, KN_KUBELET_FILE_MAX, &buf, &len, errbuf);
	if (e == KN_OK) {
		e = kn_kubelet_parse_config(buf, len, path, k, errbuf);
		free(buf);
		if (e != KN_OK)
			return e;
		any = true;
	} else if (e != KN_ERR_NOTFOUND) {
		return e;
	}
	if (flags.ncluster_dns > 0) {
		memcpy(k->cluster_dns, flags.cluster_dns,
		       sizeof(k->cluster_dns));
		k->ncluster_dns = flags.ncluster_dns;
	}
	if (flags.cluster_domain[0])
		memcpy(k->cluster_domain, flags.cluster_domain,
		       sizeof(k->cluster_domain));
	memcpy(k->config, flags.config, sizeof(k->config));
	memcpy(k->network_plugin, flags.network_plugin,
	       sizeof(k->network_plugin));
	memcpy(k->cni_bin_dir, flags.cni_bin_dir, sizeof(k->cni_bin_dir));
	memcpy(k->cni_conf_dir, flags.cni_conf_dir, sizeof(k->cni_conf_dir));
	memcpy(k->runtime_endpoint, flags.runtime_endpoint,
	       sizeof(k->runtime_endpoint));
	memcpy(k->node_ip, flags.node_ip, sizeof(k->node_ip));
	k->pid = flags.pid;
	k->sources |= flags.sources;
	if (!any)
		return kn_errf(errbuf, KN_ERR_NOTFOUND,
			       "%s/var/lib/kubelet: no kubelet configuration "
			       "and no running kubelet",
			       root);
	return KN_OK;
}
