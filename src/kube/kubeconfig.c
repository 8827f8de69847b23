/* kubeconfig parsing (libyaml), merging and resolution as kubectl does.
 *
 * Follows client-go's clientcmd loading rules: named clusters, users and
 * contexts merge with the first file winning; relative paths resolve
 * against the defining file's folder (exec commands only when they contain
 * a '/'). Limits: files over KC_MAX_FILE are refused; at most 4096 entries
 * per list, 256 exec args/env; YAML aliases are not followed. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "k8snet/buf.h"
#include "k8snet/model.h"
#include "kubeconfig.h"

#define KC_MAX_ENTRIES 4096
#define KC_MAX_ARGS 256

struct kc_cluster {
	char *name;
	char *server, *ca_file, *tls_server_name, *proxy_url;
	struct kc_blob ca_data;
	bool insecure;
};

struct kc_user {
	char *name;
	char *cert_file, *key_file, *token, *token_file;
	char *username, *password, *oidc_id_token;
	struct kc_blob cert_data, key_data;
	struct kc_exec exec;
};

struct kc_context {
	char *name, *cluster, *user, *namespace;
};

struct kc_file {
	char *path;
	char *dir;
	char *current_context;
	struct kc_cluster *clusters;
	size_t nclusters;
	struct kc_user *users;
	size_t nusers;
	struct kc_context *contexts;
	size_t ncontexts;
};

/* --- small helpers ---------------------------------------------------- */

static void
kc_blob_release(struct kc_blob *b)
{
	if (b->data != NULL)
		memset(b->data, 0, b->len);
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

static void
kc_secret_free(char *s)
{
	if (s != NULL) {
		volatile char *p = s;

		while (*p != '\0')
			*p++ = '\0';
	}
	free(s);
}

static enum kn_err
kc_blob_copy(struct kc_blob *dst, const struct kc_blob *src)
{
	dst->data = NULL;
	dst->len = 0;
	if (src->data == NULL)
		return KN_OK;
	dst->data = malloc(src->len ? src->len : 1);
	if (dst->data == NULL)
		return KN_ERR_NOMEM;
	memcpy(dst->data, src->data, src->len);
	dst->len = src->len;
	return KN_OK;
}

static int
kc_b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

enum kn_err
kc_base64_decode(const char *s, size_t len, struct kc_blob *out)
{
	unsigned char *p;
	uint32_t acc = 0;
	size_t i, n = 0;
	int bits = 0, v;

	out->data = NULL;
	out->len = 0;
	p = malloc(len / 4 * 3 + 4);
	if (p == NULL)
		return KN_ERR_NOMEM;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '=')
			break;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		v = kc_b64val(c);
		if (v < 0) {
			free(p);
			return KN_ERR_PARSE;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			p[n++] = (unsigned char)(acc >> bits);
		}
	}
	out->data = p;
	out->len = n;
	return KN_OK;
}

enum kn_err
kc_read_file(const char *path, size_t max, char **out, size_t *len,
	     char *errbuf)
{
	struct kn_buf b;
	char chunk[8192];
	ssize_t n;
	int fd;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kn_errf(errbuf,
			       errno == ENOENT ? KN_ERR_NOTFOUND : KN_ERR_IO,
			       "%s: %s", path, strerror(errno));
	kn_buf_init(&b, max);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			kn_buf_release(&b);
			return kn_errf(errbuf, KN_ERR_IO, "%s: %s", path,
				       strerror(e));
		}
		if (n == 0)
			break;
		if (kn_buf_append(&b, chunk, (size_t)n) != KN_OK) {
			close(fd);
			kn_buf_release(&b);
			return kn_errf(errbuf, KN_ERR_LIMIT,
				       "%s: larger than %zu bytes", path, max);
		}
	}
	close(fd);
	if (b.data == NULL && kn_buf_append(&b, "", 0) != KN_OK)
		return kn_errf(errbuf, KN_ERR_NOMEM, "%s: out of memory", path);
	*out = b.data;
	*len = b.len;
	return KN_OK;
}

/* dir + "/" + rel, or rel unchanged when absolute or empty. */
static char *
kc_resolve_path(const char *dir, const char *rel)
{
	size_t n;
	char *p;

	if (rel == NULL)
		return NULL;
	if (rel[0] == '/' || rel[0] == '\0' || dir == NULL)
		return strdup(rel);
	n = strlen(dir) + strlen(rel) + 2;
	p = malloc(n);
	if (p != NULL)
		snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

/* --- YAML document walking -------------------------------------------- */

struct kc_parse {
	yaml_document_t *doc;
	struct kc_file *f;
	char *errbuf;
	enum kn_err err;
};

static const char *
kc_scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

static yaml_node_t *
kc_get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = kc_scalar(yaml_document_get_node(d, p->key));

		if (k != NULL && strcmp(k, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

/* A string field: scalar, or absent. Empty strings count as unset. */
static bool
kc_str(struct kc_parse *ps, yaml_node_t *map, const char *key, char **out)
{
	yaml_node_t *n = kc_get(ps->doc, map, key);
	const char *s = kc_scalar(n);

	if (n != NULL && s == NULL && n->type != YAML_SCALAR_NODE) {
		ps->err = kn_errf(ps->errbuf, KN_ERR_PARSE,
				  "%s: line %lu: %s must be a string",
				  ps->f->path,
				  (unsigned long)n->start_mark.line + 1, key);
		return false;
	}
	if (s == NULL || s[0] == '\0' || strcmp(s, "null") == 0 ||
	    strcmp(s, "~") == 0)
		return true;
	free(*out);
	*out = strdup(s);
	if (*out == NULL) {
		ps->err = KN_ERR_NOMEM;
		return false;
	}
	return true;
}

static bool
kc_path(struct kc_parse *ps, yaml_node_t *map, const char *key, char **out)
{
	char *raw = NULL;

	if (!kc_str(ps, map, key, &raw))
		return false;
	if (raw != NULL) {
		free(*out);
		*out = kc_resolve_path(ps->f->dir, raw);
		free(raw);
		if (*out == NULL) {
			ps->err = KN_ERR_NOMEM;
			return false;
		}
	}
	return true;
}

static bool
kc_bool(struct kc_parse *ps, yaml_node_t *map, const char *key, bool *out)
{
	const char *s = kc_scalar(kc_get(ps->doc, map, key));

	if (s == NULL)
		return true;
	*out = strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	       strcmp(s, "TRUE") == 0 || strcmp(s, "yes") == 0;
	return true;
}

static bool
kc_b64(struct kc_parse *ps, yaml_node_t *map, const char *key,
       struct kc_blob *out)
{
	const char *s = kc_scalar(kc_get(ps->doc, map, key));
	enum kn_err e;

	if (s == NULL || s[0] == '\0')
		return true;
	kc_blob_release(out);
	e = kc_base64_decode(s, strlen(s), out);
	if (e != KN_OK) {
		ps->err = kn_errf(ps->errbuf, e, "%s: %s is not valid base64",
				  ps->f->path, key);
		return false;
	}
	return true;
}

/* Iterate a sequence of {name: X, KEY: {...}} entries. */
typedef bool (*kc_entry_cb)(struct kc_parse *ps, const char *name,
			    yaml_node_t *body);

static bool
kc_each(struct kc_parse *ps, yaml_node_t *root, const char *list,
	const char *bodykey, kc_entry_cb cb)
{
	yaml_node_t *seq = kc_get(ps->doc, root, list);
	yaml_node_item_t *it;
	size_t count = 0;

	if (seq == NULL || (seq->type == YAML_SCALAR_NODE &&
			    (kc_scalar(seq)[0] == '\0' ||
			     strcmp(kc_scalar(seq), "null") == 0)))
		return true;
	if (seq->type != YAML_SEQUENCE_NODE) {
		ps->err =
			kn_errf(ps->errbuf, KN_ERR_PARSE,
				"%s: line %lu: %s must be a list", ps->f->path,
				(unsigned long)seq->start_mark.line + 1, list);
		return false;
	}
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(ps->doc, *it);
		const char *name = kc_scalar(kc_get(ps->doc, e, "name"));

		if (++count > KC_MAX_ENTRIES) {
			ps->err = kn_errf(ps->errbuf, KN_ERR_LIMIT,
					  "%s: more than %d %s", ps->f->path,
					  KC_MAX_ENTRIES, list);
			return false;
		}
		if (name == NULL || name[0] == '\0') {
			ps->err = kn_errf(
				ps->errbuf, KN_ERR_PARSE,
				"%s: line %lu: an entry of %s has "
				"no name",
				ps->f->path,
				e ? (unsigned long)e->start_mark.line + 1 : 0UL,
				list);
			return false;
		}
		if (!cb(ps, name, kc_get(ps->doc, e, bodykey)))
			return false;
	}
	return true;
}

#define KC_GROW(arr, n)                                                        \
	do {                                                                   \
		void *np_ = realloc((arr), ((n) + 1) * sizeof(*(arr)));        \
		if (np_ == NULL) {                                             \
			ps->err = KN_ERR_NOMEM;                                \
			return false;                                          \
		}                                                              \
		(arr) = np_;                                                   \
		memset(&(arr)[(n)], 0, sizeof(*(arr)));                        \
	} while (0)

static bool
kc_on_cluster(struct kc_parse *ps, const char *name, yaml_node_t *b)
{
	struct kc_file *f = ps->f;
	struct kc_cluster *c;

	KC_GROW(f->clusters, f->nclusters);
	c = &f->clusters[f->nclusters++];
	c->name = strdup(name);
	if (c->name == NULL) {
		ps->err = KN_ERR_NOMEM;
		return false;
	}
	return kc_str(ps, b, "server", &c->server) &&
	       kc_path(ps, b, "certificate-authority", &c->ca_file) &&
	       kc_b64(ps, b, "certificate-authority-data", &c->ca_data) &&
	       kc_bool(ps, b, "insecure-skip-tls-verify", &c->insecure) &&
	       kc_str(ps, b, "tls-server-name", &c->tls_server_name) &&
	       kc_str(ps, b, "proxy-url", &c->proxy_url);
}

static bool
kc_on_exec(struct kc_parse *ps, yaml_node_t *x, struct kc_exec *e)
{
	yaml_node_t *n;
	yaml_node_item_t *it;
	char *cmd = NULL;

	if (!kc_str(ps, x, "command", &cmd))
		return false;
	/* client-go: a relative command with a separator is relative to the
	 * kubeconfig; a bare name is looked up in PATH. */
	if (cmd != NULL && strchr(cmd, '/') != NULL && cmd[0] != '/') {
		e->command = kc_resolve_path(ps->f->dir, cmd);
		free(cmd);
	} else {
		e->command = cmd;
	}
	if (!kc_str(ps, x, "apiVersion", &e->api_version) ||
	    !kc_str(ps, x, "installHint", &e->install_hint) ||
	    !kc_bool(ps, x, "provideClusterInfo", &e->provide_cluster_info))
		return false;
	n = kc_get(ps->doc, x, "args");
	if (n != NULL && n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			const char *s =
				kc_scalar(yaml_document_get_node(ps->doc, *it));

			if (e->nargs >= KC_MAX_ARGS)
				break;
			KC_GROW(e->args, e->nargs);
			e->args[e->nargs] = strdup(s ? s : "");
			if (e->args[e->nargs++] == NULL) {
				ps->err = KN_ERR_NOMEM;
				return false;
			}
		}
	}
	n = kc_get(ps->doc, x, "env");
	if (n != NULL && n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *v = yaml_document_get_node(ps->doc, *it);
			const char *k = kc_scalar(kc_get(ps->doc, v, "name"));
			const char *val =
				kc_scalar(kc_get(ps->doc, v, "value"));

			if (k == NULL || e->nenv >= KC_MAX_ARGS)
				continue;
			KC_GROW(e->env, e->nenv);
			e->env[e->nenv].name = strdup(k);
			e->env[e->nenv].value = strdup(val ? val : "");
			if (e->env[e->nenv++].value == NULL ||
			    e->env[e->nenv - 1].name == NULL) {
				ps->err = KN_ERR_NOMEM;
				return false;
			}
		}
	}
	return true;
}

static bool
kc_on_user(struct kc_parse *ps, const char *name, yaml_node_t *b)
{
	struct kc_file *f = ps->f;
	struct kc_user *u;
	yaml_node_t *x;

	KC_GROW(f->users, f->nusers);
	u = &f->users[f->nusers++];
	u->name = strdup(name);
	if (u->name == NULL) {
		ps->err = KN_ERR_NOMEM;
		return false;
	}
	if (!kc_path(ps, b, "client-certificate", &u->cert_file) ||
	    !kc_path(ps, b, "client-key", &u->key_file) ||
	    !kc_b64(ps, b, "client-certificate-data", &u->cert_data) ||
	    !kc_b64(ps, b, "client-key-data", &u->key_data) ||
	    !kc_str(ps, b, "token", &u->token) ||
	    !kc_path(ps, b, "tokenFile", &u->token_file) ||
	    !kc_str(ps, b, "username", &u->username) ||
	    !kc_str(ps, b, "password", &u->password))
		return false;
	x = kc_get(ps->doc, b, "exec");
	if (x != NULL && x->type == YAML_MAPPING_NODE &&
	    !kc_on_exec(ps, x, &u->exec))
		return false;
	x = kc_get(ps->doc, b, "auth-provider");
	if (x != NULL && x->type == YAML_MAPPING_NODE) {
		const char *pn = kc_scalar(kc_get(ps->doc, x, "name"));

		if (pn != NULL && strcmp(pn, "oidc") == 0 &&
		    !kc_str(ps, kc_get(ps->doc, x, "config"), "id-token",
			    &u->oidc_id_token))
			return false;
	}
	return true;
}

static bool
kc_on_context(struct kc_parse *ps, const char *name, yaml_node_t *b)
{
	struct kc_file *f = ps->f;
	struct kc_context *c;

	KC_GROW(f->contexts, f->ncontexts);
	c = &f->contexts[f->ncontexts++];
	c->name = strdup(name);
	if (c->name == NULL) {
		ps->err = KN_ERR_NOMEM;
		return false;
	}
	return kc_str(ps, b, "cluster", &c->cluster) &&
	       kc_str(ps, b, "user", &c->user) &&
	       kc_str(ps, b, "namespace", &c->namespace);
}

static void
kc_exec_release(struct kc_exec *e)
{
	size_t i;

	free(e->command);
	for (i = 0; i < e->nargs; i++)
		free(e->args[i]);
	free(e->args);
	for (i = 0; i < e->nenv; i++) {
		free(e->env[i].name);
		kc_secret_free(e->env[i].value);
	}
	free(e->env);
	free(e->api_version);
	free(e->install_hint);
	memset(e, 0, sizeof(*e));
}

void
kc_file_free(struct kc_file *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nclusters; i++) {
		struct kc_cluster *c = &f->clusters[i];

		free(c->name);
		free(c->server);
		free(c->ca_file);
		free(c->tls_server_name);
		free(c->proxy_url);
		kc_blob_release(&c->ca_data);
	}
	for (i = 0; i < f->nusers; i++) {
		struct kc_user *u = &f->users[i];

		free(u->name);
		free(u->cert_file);
		free(u->key_file);
		kc_secret_free(u->token);
		free(u->token_file);
		free(u->username);
		kc_secret_free(u->password);
		kc_secret_free(u->oidc_id_token);
		kc_blob_release(&u->cert_data);
		kc_blob_release(&u->key_data);
		kc_exec_release(&u->exec);
	}
	for (i = 0; i < f->ncontexts; i++) {
		free(f->contexts[i].name);
		free(f->contexts[i].cluster);
		free(f->contexts[i].user);
		free(f->contexts[i].namespace);
	}
	free(f->clusters);
	free(f->users);
	free(f->contexts);
	free(f->current_context);
	free(f->path);
	free(f->dir);
	free(f);
}

enum kn_err
kc_file_parse(const char *text, size_t len, const char *path,
	      struct kc_file **out, char *errbuf)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct kc_parse ps;
	struct kc_file *f;
	yaml_node_t *root;
	const char *slash;

	*out = NULL;
	if (len > KC_MAX_FILE)
		return kn_errf(errbuf, KN_ERR_LIMIT,
			       "%s: larger than %u "
			       "bytes",
			       path, KC_MAX_FILE);
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return KN_ERR_NOMEM;
	f->path = strdup(path);
	slash = strrchr(path, '/');
	f->dir = slash == NULL	 ? strdup(".")
		 : slash == path ? strdup("/")
				 : strndup(path, (size_t)(slash - path));
	if (f->path == NULL || f->dir == NULL) {
		kc_file_free(f);
		return KN_ERR_NOMEM;
	}
	if (!yaml_parser_initialize(&parser)) {
		kc_file_free(f);
		return KN_ERR_NOMEM;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		kn_errf(errbuf, KN_ERR_PARSE, "%s: line %lu: %s", path,
			(unsigned long)parser.problem_mark.line + 1,
			parser.problem ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		kc_file_free(f);
		return KN_ERR_PARSE;
	}
	yaml_parser_delete(&parser);
	ps.doc = &doc;
	ps.f = f;
	ps.errbuf = errbuf;
	ps.err = KN_OK;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		/* an empty file is an empty config, as for kubectl */
		yaml_document_delete(&doc);
		*out = f;
		return KN_OK;
	}
	if (root->type != YAML_MAPPING_NODE) {
		yaml_document_delete(&doc);
		kc_file_free(f);
		return kn_errf(errbuf, KN_ERR_PARSE,
			       "%s: not a kubeconfig (expected a mapping with "
			       "clusters, users, contexts)",
			       path);
	}
	if (kc_str(&ps, root, "current-context", &f->current_context) &&
	    kc_each(&ps, root, "clusters", "cluster", kc_on_cluster) &&
	    kc_each(&ps, root, "users", "user", kc_on_user) &&
	    kc_each(&ps, root, "contexts", "context", kc_on_context)) {
		yaml_document_delete(&doc);
		*out = f;
		return KN_OK;
	}
	yaml_document_delete(&doc);
	kc_file_free(f);
	if (ps.err == KN_ERR_NOMEM)
		kn_errf(errbuf, KN_ERR_NOMEM, "%s: out of memory", path);
	return ps.err;
}

/* --- merge and resolve ------------------------------------------------ */

static const struct kc_context *
kc_find_context(struct kc_file *const *fs, size_t n, const char *name,
		const struct kc_file **from)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < fs[i]->ncontexts; j++)
			if (strcmp(fs[i]->contexts[j].name, name) == 0) {
				*from = fs[i];
				return &fs[i]->contexts[j];
			}
	return NULL;
}

static const struct kc_cluster *
kc_find_cluster(struct kc_file *const *fs, size_t n, const char *name)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < fs[i]->nclusters; j++)
			if (strcmp(fs[i]->clusters[j].name, name) == 0)
				return &fs[i]->clusters[j];
	return NULL;
}

static const struct kc_user *
kc_find_user(struct kc_file *const *fs, size_t n, const char *name,
	     const struct kc_file **from)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < fs[i]->nusers; j++)
			if (strcmp(fs[i]->users[j].name, name) == 0) {
				*from = fs[i];
				return &fs[i]->users[j];
			}
	return NULL;
}

/* "a.yaml:b.yaml" for messages. */
static void
kc_files_str(struct kc_file *const *fs, size_t n, struct kn_buf *b)
{
	size_t i;

	for (i = 0; i < n; i++)
		kn_buf_printf(b, "%s%s", i ? ":" : "", fs[i]->path);
	if (n == 0)
		kn_buf_puts(b, "(no kubeconfig)");
}

/* The context names of fs in order, those shadowed by an earlier file
 * left out. */
static void
kc_context_names(struct kc_file *const *fs, size_t n, struct kn_strs *names)
{
	const struct kc_file *from;
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < fs[i]->ncontexts; j++)
			if (kc_find_context(fs, n, fs[i]->contexts[j].name,
					    &from) == &fs[i]->contexts[j])
				kn_strs_add(names, fs[i]->contexts[j].name);
}

static void
kc_contexts_str(struct kc_file *const *fs, size_t n, struct kn_buf *b)
{
	struct kn_strs names = {0};
	size_t i;

	kc_context_names(fs, n, &names);
	for (i = 0; i < names.n; i++)
		kn_buf_printf(b, "%s%s", i ? ", " : "", names.v[i]);
	if (names.n == 0)
		kn_buf_puts(b, "none");
	kn_strs_clear(&names);
}

static enum kn_err
kc_dup_into(char **dst, const char *src)
{
	*dst = NULL;
	if (src == NULL)
		return KN_OK;
	*dst = strdup(src);
	return *dst != NULL ? KN_OK : KN_ERR_NOMEM;
}

static enum kn_err
kc_copy_exec(struct kc_exec *d, const struct kc_exec *s)
{
	size_t i;

	memset(d, 0, sizeof(*d));
	if (s->command == NULL)
		return KN_OK;
	if (kc_dup_into(&d->command, s->command) ||
	    kc_dup_into(&d->api_version, s->api_version) ||
	    kc_dup_into(&d->install_hint, s->install_hint))
		return KN_ERR_NOMEM;
	d->provide_cluster_info = s->provide_cluster_info;
	d->args = calloc(s->nargs + 1, sizeof(char *));
	d->env = calloc(s->nenv + 1, sizeof(struct kc_env));
	if (d->args == NULL || d->env == NULL)
		return KN_ERR_NOMEM;
	for (i = 0; i < s->nargs; i++, d->nargs++)
		if (kc_dup_into(&d->args[i], s->args[i]))
			return KN_ERR_NOMEM;
	for (i = 0; i < s->nenv; i++, d->nenv++)
		if (kc_dup_into(&d->env[i].name, s->env[i].name) ||
		    kc_dup_into(&d->env[i].value, s->env[i].value))
			return KN_ERR_NOMEM;
	return KN_OK;
}

enum kn_err
kubeconfig_resolve(struct kc_file *const *fs, size_t n,
		   const struct kubeconfig_overrides *ov,
		   struct kubeconfig *out, char *errbuf)
{
	const struct kc_context *ctx = NULL;
	const struct kc_cluster *cl;
	const struct kc_user *us = NULL;
	const struct kc_file *cfrom = NULL, *ufrom = NULL;
	const char *ctxname = ov->context, *clname = NULL, *uname = NULL;
	struct kn_buf files, names;
	enum kn_err e = KN_OK;
	size_t i;

	memset(out, 0, sizeof(*out));
	kn_buf_init(&files, 4096);
	kn_buf_init(&names, 2048);
	kc_files_str(fs, n, &files);
	if (ctxname == NULL)
		for (i = 0; i < n && ctxname == NULL; i++)
			ctxname = fs[i]->current_context;
	if (ctxname != NULL) {
		ctx = kc_find_context(fs, n, ctxname, &cfrom);
		if (ctx == NULL) {
			kc_contexts_str(fs, n, &names);
			e = kn_errf(errbuf, KN_ERR_NOTFOUND,
				    "%s: context \"%s\" not found (contexts: "
				    "%s)",
				    files.data, ctxname, names.data);
			goto out;
		}
		clname = ctx->cluster;
		uname = ctx->user;
	}
	if (ov->cluster != NULL)
		clname = ov->cluster;
	if (ov->user != NULL)
		uname = ov->user;
	if (ctx == NULL && (clname == NULL || ov->cluster == NULL)) {
		kc_contexts_str(fs, n, &names);
		e = kn_errf(errbuf, KN_ERR_NOTFOUND,
			    "%s: no current-context and no --context given "
			    "(contexts: %s)",
			    files.data, names.data);
		goto out;
	}
	if (clname == NULL) {
		e = kn_errf(errbuf, KN_ERR_NOTFOUND,
			    "%s: context \"%s\" names no cluster", files.data,
			    ctxname);
		goto out;
	}
	cl = kc_find_cluster(fs, n, clname);
	if (cl == NULL) {
		e = kn_errf(errbuf, KN_ERR_NOTFOUND,
			    "%s: cluster \"%s\" (context \"%s\") not found",
			    files.data, clname, ctxname ? ctxname : "-");
		goto out;
	}
	if (cl->server == NULL) {
		e = kn_errf(errbuf, KN_ERR_NOTFOUND,
			    "%s: cluster \"%s\" (context \"%s\") has no "
			    "server",
			    files.data, clname, ctxname ? ctxname : "-");
		goto out;
	}
	if (uname != NULL) {
		us = kc_find_user(fs, n, uname, &ufrom);
		if (us == NULL) {
			e = kn_errf(errbuf, KN_ERR_NOTFOUND,
				    "%s: user \"%s\" (context \"%s\") not "
				    "found",
				    files.data, uname, ctxname ? ctxname : "-");
			goto out;
		}
	}
	if (kc_dup_into(&out->origin, files.data) ||
	    kc_dup_into(&out->context, ctxname) ||
	    kc_dup_into(&out->cluster_name, clname) ||
	    kc_dup_into(&out->user_name, uname) ||
	    kc_dup_into(&out->namespace, ov->namespace ? ov->namespace
					 : ctx	       ? ctx->namespace
						       : NULL) ||
	    kc_dup_into(&out->server, cl->server) ||
	    kc_dup_into(&out->ca_file, cl->ca_file) ||
	    kc_blob_copy(&out->ca_data, &cl->ca_data) ||
	    kc_dup_into(&out->tls_server_name, cl->tls_server_name) ||
	    kc_dup_into(&out->proxy_url, cl->proxy_url))
		goto nomem;
	out->insecure = cl->insecure;
	if (us != NULL &&
	    (kc_dup_into(&out->cert_file, us->cert_file) ||
	     kc_dup_into(&out->key_file, us->key_file) ||
	     kc_blob_copy(&out->cert_data, &us->cert_data) ||
	     kc_blob_copy(&out->key_data, &us->key_data) ||
	     kc_dup_into(&out->token, us->token) ||
	     kc_dup_into(&out->token_file, us->token_file) ||
	     kc_dup_into(&out->username, us->username) ||
	     kc_dup_into(&out->password, us->password) ||
	     kc_dup_into(&out->oidc_id_token, us->oidc_id_token) ||
	     kc_copy_exec(&out->exec, &us->exec) ||
	     kc_dup_into(&out->user_origin, ufrom->path)))
		goto nomem;
	if (out->namespace == NULL && kc_dup_into(&out->namespace, NULL))
		goto nomem;
	(void)cfrom;
	goto out;
nomem:
	kubeconfig_release(out);
	e = kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
out:
	kn_buf_release(&files);
	kn_buf_release(&names);
	return e;
}

void
kubeconfig_release(struct kubeconfig *kc)
{
	free(kc->origin);
	free(kc->context);
	free(kc->cluster_name);
	free(kc->user_name);
	free(kc->namespace);
	free(kc->server);
	free(kc->ca_file);
	kc_blob_release(&kc->ca_data);
	free(kc->tls_server_name);
	free(kc->proxy_url);
	free(kc->cert_file);
	free(kc->key_file);
	kc_blob_release(&kc->cert_data);
	kc_blob_release(&kc->key_data);
	kc_secret_free(kc->token);
	free(kc->token_file);
	free(kc->username);
	kc_secret_free(kc->password);
	kc_exec_release(&kc->exec);
	kc_secret_free(kc->oidc_id_token);
	free(kc->user_origin);
	memset(kc, 0, sizeof(*kc));
}

/* --- loading from the environment ------------------------------------- */

static enum kn_err
kc_load_file(const char *path, struct kc_file **out, char *errbuf)
{
	enum kn_err e;
	size_t len;
	char *text;

	e = kc_read_file(path, KC_MAX_FILE, &text, &len, errbuf);
	if (e != KN_OK)
		return e;
	e = kc_file_parse(text, len, path, out, errbuf);
	free(text);
	return e;
}

static void
kc_trim_nl(char *s)
{
	size_t n = strlen(s);

	while (n > 0 &&
	       (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* KUBERNETES_SERVICE_HOST and _PORT are set in every pod. */
static bool
kc_in_pod(void)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");

	return host != NULL && host[0] != '\0' && port != NULL &&
	       port[0] != '\0';
}

enum kn_err
kubeconfig_incluster(const char *sa_dir, const struct kubeconfig_overrides *ov,
		     struct kubeconfig *out, char *errbuf)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	char path[PATH_MAX], url[512];
	char *ns = NULL;
	size_t len;
	enum kn_err e;

	memset(out, 0, sizeof(*out));
	if (!kc_in_pod())
		return kn_errf(errbuf, KN_ERR_NOTFOUND,
			       "no kubeconfig (--kubeconfig, $KUBECONFIG, "
			       "~/.kube/config) and not running in a pod "
			       "(KUBERNETES_SERVICE_HOST unset)");
	snprintf(url, sizeof(url),
		 strchr(host, ':') ? "https://[%s]:%s" : "https://%s:%s", host,
		 port);
	snprintf(path, sizeof(path), "%s/token", sa_dir);
	if (access(path, R_OK) != 0)
		return kn_errf(errbuf, KN_ERR_NOTFOUND, "in-cluster: %s: %s",
			       path, strerror(errno));
	out->origin = strdup("in-cluster");
	out->server = strdup(url);
	out->token_file = strdup(path);
	snprintf(path, sizeof(path), "%s/ca.crt", sa_dir);
	out->ca_file = strdup(path);
	snprintf(path, sizeof(path), "%s/namespace", sa_dir);
	if (ov->namespace != NULL) {
		out->namespace = strdup(ov->namespace);
	} else if (kc_read_file(path, 256, &ns, &len, errbuf) == KN_OK) {
		kc_trim_nl(ns);
		out->namespace = ns;
	}
	if (out->origin == NULL || out->server == NULL ||
	    out->token_file == NULL || out->ca_file == NULL) {
		kubeconfig_release(out);
		return KN_ERR_NOMEM;
	}
	e = KN_OK;
	return e;
}

/* Append ", path" (or the first path) to the list in buf. */
static void
kc_note(char *buf, size_t n, const char *path)
{
	size_t l = strlen(buf);

	snprintf(buf + l, n - l, "%s%s", l ? ", " : "", path);
}

/* No kubeconfig and no pod: say which files were looked for. */
static enum kn_err
kc_none(const char *env, const char *home_cfg, const char *missing,
	size_t nmissing, char *errbuf)
{
	char what[1200];

	if (env != NULL && env[0] != '\0')
		snprintf(what, sizeof(what),
			 "$KUBECONFIG names %s%s, which %s not exist", missing,
			 nmissing > 4 ? " ..." : "",
			 nmissing > 1 ? "do" : "does");
	else if (home_cfg[0] != '\0')
		snprintf(what, sizeof(what),
			 "%s does not exist and $KUBECONFIG is not set",
			 home_cfg);
	else
		snprintf(what, sizeof(what),
			 "neither $KUBECONFIG nor $HOME is set");
	return kn_errf(errbuf, KN_ERR_NOTFOUND,
		       "no kubeconfig (give --kubeconfig FILE, or try --demo "
		       "for the built-in demo cluster): %s, and this is not "
		       "a pod (KUBERNETES_SERVICE_HOST unset)",
		       what);
}

/* kubeconfig_load, or with names, the contexts it would choose from. */
static enum kn_err
kc_load(const struct kubeconfig_overrides *ov, struct kubeconfig *out,
	struct kn_strs *names, char *errbuf)
{
	struct kc_file *files[64];
	size_t n = 0, i;
	const char *env = getenv("KUBECONFIG");
	char home_cfg[PATH_MAX] = "", missing[1024] = "";
	size_t nmissing = 0;
	enum kn_err e = KN_OK;

	memset(out, 0, sizeof(*out));
	if (ov->kubeconfig != NULL) {
		e = kc_load_file(ov->kubeconfig, &files[0], errbuf);
		if (e == KN_ERR_NOTFOUND)
			return kn_errf(errbuf, e,
				       "--kubeconfig %s: no such file (try "
				       "--demo for the built-in demo cluster)",
				       ov->kubeconfig);
		if (e != KN_OK)
			return e;
		n = 1;
	} else if (env != NULL && env[0] != '\0') {
		char *copy = strdup(env), *save = NULL, *p;

		if (copy == NULL)
			return KN_ERR_NOMEM;
		for (p = strtok_r(copy, ":", &save); p != NULL && n < 64;
		     p = strtok_r(NULL, ":", &save)) {
			bool dup = false;

			for (i = 0; i < n; i++)
				if (strcmp(files[i]->path, p) == 0)
					dup = true;
			if (dup)
				continue;
			e = kc_load_file(p, &files[n], errbuf);
			if (e == KN_ERR_NOTFOUND) {
				/* kubectl skips missing files */
				if (nmissing++ < 4)
					kc_note(missing, sizeof(missing), p);
				continue;
			}
			if (e != KN_OK)
				break;
			n++;
		}
		free(copy);
		if (e == KN_ERR_NOTFOUND)
			e = KN_OK;
		if (e != KN_OK)
			goto out;
	} else {
		const char *home = getenv("HOME");

		if (home != NULL && home[0] != '\0') {
			snprintf(home_cfg, sizeof(home_cfg), "%s/.kube/config",
				 home);
			e = kc_load_file(home_cfg, &files[0], errbuf);
			if (e == KN_OK)
				n = 1;
			else if (e != KN_ERR_NOTFOUND)
				return e;
			e = KN_OK;
		}
	}
	if (n == 0 && !kc_in_pod())
		return kc_none(env, home_cfg, missing, nmissing, errbuf);
	if (n == 0 && names != NULL)
		return KN_OK; /* in a pod: no contexts */
	if (n == 0)
		return kubeconfig_incluster(KC_SA_DIR, ov, out, errbuf);
	if (names != NULL)
		kc_context_names(files, n, names);
	else
		e = kubeconfig_resolve(files, n, ov, out, errbuf);
out:
	for (i = 0; i < n; i++)
		kc_file_free(files[i]);
	return e;
}

enum kn_err
kubeconfig_load(const struct kubeconfig_overrides *ov, struct kubeconfig *out,
		char *errbuf)
{
	return kc_load(ov, out, NULL, errbuf);
}

enum kn_err
kubeconfig_contexts(const struct kubeconfig_overrides *ov,
		    struct kn_strs *names, char *errbuf)
{
	struct kubeconfig unused;

	return kc_load(ov, &unused, names, errbuf);
}
