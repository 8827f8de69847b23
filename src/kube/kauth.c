/* Kube-API credentials: token files, exec credential plugins, OIDC.
 *
 * Exec plugins follow the client.authentication.k8s.io ExecCredential
 * contract (v1, v1beta1): KUBERNETES_EXEC_INFO in the environment, stdin
 * not a terminal (non-interactive), the status read from stdout (at most
 * KAUTH_MAX_EXEC_OUTPUT bytes) and cached until expirationTimestamp. Under
 * sudo the plugin runs as SUDO_USER with that user's HOME and PATH, since
 * it and its caches live in the user's environment. Its argv and
 * environment are built once, on the first run (before -Z drops root: the
 * user's PATH is read from /proc then), and are what the exec broker is
 * pinned to. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "k8snet/buf.h"
#include "k8snet/execbroker.h"
#include "kauth.h"
#include "sudoenv.h"

#define KAUTH_EXEC_TIMEOUT_MS 120000
#define KAUTH_EXPIRY_SLACK 10 /* seconds before expiry that count as due */

extern char **environ;

struct kauth {
	const struct kubeconfig *kc;
	char mode[64];
	/* token file */
	char *file_token;
	struct timespec file_mtime;
	off_t file_size;
	bool file_read;
	/* exec plugin */
	struct kauth_cred cred;
	bool have_cred;
	/* the plugin's argv and environment, built once while root */
	char **exec_argv, **exec_envp;
	struct kn_buf exec_envstore;
	/* header storage */
	char *bearer;
};

static void
kauth_wipe(char *s)
{
	if (s != NULL) {
		volatile char *p = s;

		while (*p != '\0')
			*p++ = '\0';
	}
	free(s);
}

static void
kauth_blob_wipe(struct kc_blob *b)
{
	if (b->data != NULL) {
		volatile unsigned char *p = b->data;
		size_t i;

		for (i = 0; i < b->len; i++)
			p[i] = 0;
	}
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

void
kauth_cred_release(struct kauth_cred *c)
{
	kauth_wipe(c->token);
	kauth_blob_wipe(&c->cert);
	kauth_blob_wipe(&c->key);
	memset(c, 0, sizeof(*c));
}

static int
kauth_digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
kauth_parse_rfc3339(const char *s, time_t *out)
{
	struct tm tm;
	int off = 0;
	size_t i;

	memset(&tm, 0, sizeof(tm));
	for (i = 0; i < 19; i++)
		if (s[i] == '\0')
			return false;
	if (s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
	    s[16] != ':')
		return false;
	tm.tm_year = kauth_digits(s, 4) - 1900;
	tm.tm_mon = kauth_digits(s + 5, 2) - 1;
	tm.tm_mday = kauth_digits(s + 8, 2);
	tm.tm_hour = kauth_digits(s + 11, 2);
	tm.tm_min = kauth_digits(s + 14, 2);
	tm.tm_sec = kauth_digits(s + 17, 2);
	if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour < 0 ||
	    tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 ||
	    tm.tm_sec < 0 || tm.tm_sec > 60)
		return false;
	s += 19;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		int h = kauth_digits(s + 1, 2), m;

		if (h < 0 || s[3] != ':')
			return false;
		m = kauth_digits(s + 4, 2);
		if (m < 0)
			return false;
		off = (h * 60 + m) * 60 * (*s == '-' ? -1 : 1);
		s += 6;
	} else {
		return false;
	}
	if (*s != '\0')
		return false;
	*out = timegm(&tm) - off;
	return true;
}

static enum kn_err
kauth_pem(const cJSON *status, const char *key, struct kc_blob *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(status, key);
	size_t n;

	if (!cJSON_IsString(v) || v->valuestring[0] == '\0')
		return KN_OK;
	n = strlen(v->valuestring);
	out->data = malloc(n + 1);
	if (out->data == NULL)
		return KN_ERR_NOMEM;
	memcpy(out->data, v->valuestring, n + 1);
	out->len = n;
	return KN_OK;
}

enum kn_err
kauth_parse_execcred(const char *json, size_t len, const char *want_api_version,
		     struct kauth_cred *out, char *errbuf)
{
	const cJSON *kind, *av, *status, *tok, *exp;
	cJSON *root;
	enum kn_err e = KN_OK;

	memset(out, 0, sizeof(*out));
	if (len > KAUTH_MAX_EXEC_OUTPUT)
		return kn_errf(errbuf, KN_ERR_LIMIT,
			       "ExecCredential larger than %u bytes",
			       KAUTH_MAX_EXEC_OUTPUT);
	root = cJSON_ParseWithLength(json, len);
	if (root == NULL || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return kn_errf(errbuf, KN_ERR_PARSE,
			       "output is not an ExecCredential JSON object");
	}
	kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
	av = cJSON_GetObjectItemCaseSensitive(root, "apiVersion");
	status = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (!cJSON_IsString(kind) ||
	    strcmp(kind->valuestring, "ExecCredential") != 0) {
		e = kn_errf(errbuf, KN_ERR_PARSE,
			    "output kind is not ExecCredential");
		goto out;
	}
	if (!cJSON_IsString(av) ||
	    (want_api_version != NULL &&
	     strcmp(av->valuestring, want_api_version) != 0) ||
	    (want_api_version == NULL &&
	     strcmp(av->valuestring, "client.authentication.k8s.io/v1") &&
	     strcmp(av->valuestring, "client.authentication.k8s.io/v1beta1"))) {
		e = kn_errf(errbuf, KN_ERR_PARSE,
			    "ExecCredential apiVersion %.80s, expected %s",
			    cJSON_IsString(av) ? av->valuestring : "(none)",
			    want_api_version
				    ? want_api_version
				    : "client.authentication.k8s.io/v1");
		goto out;
	}
	if (!cJSON_IsObject(status)) {
		e = kn_errf(errbuf, KN_ERR_PARSE,
			    "ExecCredential has no status");
		goto out;
	}
	tok = cJSON_GetObjectItemCaseSensitive(status, "token");
	if (cJSON_IsString(tok) && tok->valuestring[0] != '\0') {
		out->token = strdup(tok->valuestring);
		if (out->token == NULL) {
			e = KN_ERR_NOMEM;
			goto out;
		}
	}
	if (kauth_pem(status, "clientCertificateData", &out->cert) ||
	    kauth_pem(status, "clientKeyData", &out->key)) {
		e = KN_ERR_NOMEM;
		goto out;
	}
	if ((out->cert.data == NULL) != (out->key.data == NULL)) {
		e = kn_errf(errbuf, KN_ERR_PARSE,
			    "ExecCredential has a client certificate without "
			    "its key (or a key without a certificate)");
		goto out;
	}
	if (out->token == NULL && out->cert.data == NULL) {
		e = kn_errf(errbuf, KN_ERR_PARSE,
			    "ExecCredential status has neither token nor "
			    "client certificate");
		goto out;
	}
	exp = cJSON_GetObjectItemCaseSensitive(status, "expirationTimestamp");
	if (cJSON_IsString(exp) &&
	    !kauth_parse_rfc3339(exp->valuestring, &out->expires)) {
		e = kn_errf(errbuf, KN_ERR_PARSE,
			    "ExecCredential expirationTimestamp is not RFC "
			    "3339");
		goto out;
	}
out:
	cJSON_Delete(root);
	if (e != KN_OK)
		kauth_cred_release(out);
	return e;
}

/* --- runtime ---------------------------------------------------------- */

struct kauth *
kauth_new(const struct kubeconfig *kc)
{
	struct kauth *a = calloc(1, sizeof(*a));
	const char *cmd, *base;

	if (a == NULL)
		return NULL;
	a->kc = kc;
	if (kc->exec.command != NULL) {
		cmd = kc->exec.command;
		base = strrchr(cmd, '/');
		snprintf(a->mode, sizeof(a->mode), "exec:%s",
			 base ? base + 1 : cmd);
	} else if (kc->token_file != NULL) {
		snprintf(a->mode, sizeof(a->mode), "token-file");
	} else if (kc->token != NULL) {
		snprintf(a->mode, sizeof(a->mode), "token");
	} else if (kc->oidc_id_token != NULL) {
		snprintf(a->mode, sizeof(a->mode), "oidc");
	} else if (kc->cert_data.data != NULL || kc->cert_file != NULL) {
		snprintf(a->mode, sizeof(a->mode), "client-cert");
	} else if (kc->username != NULL) {
		snprintf(a->mode, sizeof(a->mode), "basic");
	} else {
		snprintf(a->mode, sizeof(a->mode), "anonymous");
	}
	return a;
}

void
kauth_free(struct kauth *a)
{
	if (a == NULL)
		return;
	kauth_wipe(a->file_token);
	kauth_wipe(a->bearer);
	kauth_cred_release(&a->cred);
	free(a->exec_argv);
	free(a->exec_envp);
	kn_buf_release(&a->exec_envstore);
	free(a);
}

const char *
kauth_mode(const struct kauth *a)
{
	return a->mode;
}

bool
kauth_can_refresh(const struct kauth *a)
{
	return a->kc->exec.command != NULL || a->kc->token_file != NULL;
}

/* Re-read the token file when its mtime or size changed (projected
 * service account tokens rotate in place). */
static enum kn_err
kauth_token_file(struct kauth *a, bool force, char *errbuf)
{
	struct stat st;
	char *text = NULL;
	size_t len;
	enum kn_err e;

	if (stat(a->kc->token_file, &st) != 0)
		return kn_errf(errbuf, KN_ERR_IO,
			       "tokenFile %s (user \"%s\"): %s",
			       a->kc->token_file,
			       a->kc->user_name ? a->kc->user_name : "-",
			       strerror(errno));
	if (a->file_read && !force &&
	    st.st_mtim.tv_sec == a->file_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == a->file_mtime.tv_nsec &&
	    st.st_size == a->file_size)
		return KN_OK;
	e = kc_read_file(a->kc->token_file, 64 * 1024, &text, &len, errbuf);
	if (e != KN_OK)
		return e;
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' ||
			   text[len - 1] == ' '))
		text[--len] = '\0';
	if (len == 0) {
		free(text);
		return kn_errf(errbuf, KN_ERR_PARSE, "tokenFile %s is empty",
			       a->kc->token_file);
	}
	kauth_wipe(a->file_token);
	a->file_token = text;
	a->file_mtime = st.st_mtim;
	a->file_size = st.st_size;
	a->file_read = true;
	return KN_OK;
}

/* KUBERNETES_EXEC_INFO: the ExecCredential spec the plugin may read. */
static char *
kauth_exec_info(const struct kubeconfig *kc)
{
	const char *av = kc->exec.api_version
				 ? kc->exec.api_version
				 : "client.authentication.k8s.io/v1";
	cJSON *root = cJSON_CreateObject(), *spec, *cl;
	char *s;

	if (root == NULL)
		return NULL;
	cJSON_AddStringToObject(root, "kind", "ExecCredential");
	cJSON_AddStringToObject(root, "apiVersion", av);
	spec = cJSON_AddObjectToObject(root, "spec");
	cJSON_AddBoolToObject(spec, "interactive", false);
	if (kc->exec.provide_cluster_info) {
		cl = cJSON_AddObjectToObject(spec, "cluster");
		cJSON_AddStringToObject(cl, "server", kc->server);
		if (kc->tls_server_name != NULL)
			cJSON_AddStringToObject(cl, "tls-server-name",
						kc->tls_server_name);
		if (kc->insecure)
			cJSON_AddBoolToObject(cl, "insecure-skip-tls-verify",
					      true);
		if (kc->proxy_url != NULL)
			cJSON_AddStringToObject(cl, "proxy-url", kc->proxy_url);
		if (kc->ca_data.data != NULL) {
			/* base64 of the PEM, as in a kubeconfig */
			static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
						  "abcdefghijklmnopqrstuvwxyz"
						  "0123456789+/";
			struct kn_buf b;
			const unsigned char *p = kc->ca_data.data;
			size_t i, n = kc->ca_data.len;

			kn_buf_init(&b, 0);
			for (i = 0; i + 2 < n; i += 3) {
				char q[4] = {tbl[p[i] >> 2],
					     tbl[((p[i] & 3) << 4) |
						 (p[i + 1] >> 4)],
					     tbl[((p[i + 1] & 15) << 2) |
						 (p[i + 2] >> 6)],
					     tbl[p[i + 2] & 63]};

				kn_buf_append(&b, q, 4);
			}
			if (n - i == 1) {
				char q[4] = {tbl[p[i] >> 2],
					     tbl[(p[i] & 3) << 4], '=', '='};

				kn_buf_append(&b, q, 4);
			} else if (n - i == 2) {
				char q[4] = {tbl[p[i] >> 2],
					     tbl[((p[i] & 3) << 4) |
						 (p[i + 1] >> 4)],
					     tbl[(p[i + 1] & 15) << 2], '='};

				kn_buf_append(&b, q, 4);
			}
			cJSON_AddStringToObject(cl,
						"certificate-authority-data",
						b.data ? b.data : "");
			kn_buf_release(&b);
		}
	}
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

/* Build the plugin's environment: ours; under sudo HOME/USER/LOGNAME of
 * SUDO_USER and that user's PATH (sudoenv); the exec env entries;
 * KUBERNETES_EXEC_INFO. Strings are "K=V" owned by *store. */
static char **
kauth_exec_env(const struct kubeconfig *kc, const struct sudoenv_user *pw,
	       const char *info, struct kn_buf *store)
{
	size_t n = 0, cap, i, j, k = 0, *offs;
	char **envp;

	for (i = 0; environ[i] != NULL; i++)
		n++;
	cap = n + kc->exec.nenv + 8;
	envp = calloc(cap, sizeof(char *));
	/* offsets first; pointers fixed up once the buffer stops moving */
	offs = calloc(cap, sizeof(size_t));
	if (envp == NULL || offs == NULL) {
		free(envp);
		free(offs);
		return NULL;
	}
	kn_buf_init(store, 0);
#define KAUTH_ADD(...)                                                         \
	do {                                                                   \
		offs[k++] = store->len;                                        \
		kn_buf_printf(store, __VA_ARGS__);                             \
		kn_buf_append(store, "", 1);                                   \
	} while (0)
	for (i = 0; environ[i] != NULL; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t klen = eq ? (size_t)(eq - environ[i]) : 0;
		bool skip = false;

		if (eq == NULL)
			continue;
		if (strncmp(environ[i], "KUBERNETES_EXEC_INFO=", 21) == 0)
			skip = true;
		if (pw != NULL &&
		    ((klen == 4 && !strncmp(environ[i], "HOME", 4)) ||
		     (klen == 4 && !strncmp(environ[i], "USER", 4)) ||
		     (klen == 4 && !strncmp(environ[i], "PATH", 4)) ||
		     (klen == 7 && !strncmp(environ[i], "LOGNAME", 7))))
			skip = true;
		for (j = 0; j < kc->exec.nenv; j++)
			if (strlen(kc->exec.env[j].name) == klen &&
			    !strncmp(environ[i], kc->exec.env[j].name, klen))
				skip = true;
		if (!skip)
			KAUTH_ADD("%s", environ[i]);
	}
	if (pw != NULL) {
		KAUTH_ADD("HOME=%s", pw->home);
		KAUTH_ADD("USER=%s", pw->name);
		KAUTH_ADD("LOGNAME=%s", pw->name);
		KAUTH_ADD("PATH=%s", pw->path);
	}
	for (j = 0; j < kc->exec.nenv; j++)
		KAUTH_ADD("%s=%s", kc->exec.env[j].name, kc->exec.env[j].value);
	KAUTH_ADD("KUBERNETES_EXEC_INFO=%s", info);
#undef KAUTH_ADD
	if (store->data == NULL) {
		free(offs);
		free(envp);
		return NULL;
	}
	for (i = 0; i < k; i++)
		envp[i] = store->data + offs[i];
	envp[k] = NULL;
	free(offs);
	return envp;
}

enum kn_err
kauth_exec_request(struct kauth *a, struct execbroker_req *req)
{
	const struct kubeconfig *kc = a->kc;
	char *info;
	size_t i;

	if (kc->exec.command == NULL)
		return KN_ERR_NOTFOUND;
	if (a->exec_argv == NULL) {
		info = kauth_exec_info(kc);
		a->exec_argv = calloc(kc->exec.nargs + 2, sizeof(char *));
		if (info == NULL || a->exec_argv == NULL) {
			free(info);
			free(a->exec_argv);
			a->exec_argv = NULL;
			return KN_ERR_NOMEM;
		}
		a->exec_argv[0] = kc->exec.command;
		for (i = 0; i < kc->exec.nargs; i++)
			a->exec_argv[i + 1] = kc->exec.args[i];
		a->exec_envp = kauth_exec_env(kc, sudoenv_user(), info,
					      &a->exec_envstore);
		free(info);
		if (a->exec_envp == NULL) {
			free(a->exec_argv);
			a->exec_argv = NULL;
			return KN_ERR_NOMEM;
		}
	}
	req->argv = a->exec_argv;
	req->envp = a->exec_envp;
	req->timeout_ms = KAUTH_EXEC_TIMEOUT_MS;
	req->max_out = KAUTH_MAX_EXEC_OUTPUT;
	return KN_OK;
}

/* Run the plugin (execbroker: here or through the broker); its stdout
 * into out, the errors naming the plugin and the kubeconfig user. */
static enum kn_err
kauth_run_exec(struct kauth *a, struct kn_buf *out, char *errbuf)
{
	const struct kubeconfig *kc = a->kc;
	const char *user = kc->user_name ? kc->user_name : "-";
	const char *origin = kc->user_origin ? kc->user_origin : "-";
	struct execbroker_req req;
	struct execbroker_res res;
	char rerr[KN_ERRBUF], *nl;
	enum kn_err e;

	if (kauth_exec_request(a, &req) != KN_OK)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	e = execbroker_run(&req, out, &res, rerr);
	if (e != KN_OK)
		return kn_errf(errbuf, e,
			       "exec plugin %s (user \"%s\" in "
			       "%s): %s",
			       kc->exec.command, user, origin, rerr);
	switch (res.how) {
	case EXECBROKER_TIMEOUT:
		return kn_errf(errbuf, KN_ERR_AGAIN,
			       "exec plugin %s (user \"%s\" in %s) did not "
			       "finish in %d s",
			       kc->exec.command, user, origin,
			       KAUTH_EXEC_TIMEOUT_MS / 1000);
	case EXECBROKER_TOOBIG:
		return kn_errf(errbuf, KN_ERR_LIMIT,
			       "exec plugin %s: output larger than %u bytes",
			       kc->exec.command, KAUTH_MAX_EXEC_OUTPUT);
	case EXECBROKER_NOEXEC:
		return kn_errf(
			errbuf, KN_ERR_NOTFOUND,
			"exec plugin \"%s\" (user \"%s\" in %s): %s%s%s",
			kc->exec.command, user, origin, strerror(res.err),
			kc->exec.install_hint ? ". " : "",
			kc->exec.install_hint ? kc->exec.install_hint : "");
	case EXECBROKER_EXITED:
		break;
	}
	if (WIFEXITED(res.status) && WEXITSTATUS(res.status) == 0)
		return KN_OK;
	nl = strchr(res.errtext, '\n');
	if (nl != NULL)
		*nl = '\0';
	return kn_errf(errbuf, KN_ERR_PERM,
		       "exec plugin %s (user \"%s\" in %s) failed (status "
		       "%d)%s%s",
		       kc->exec.command, user, origin,
		       WIFEXITED(res.status) ? WEXITSTATUS(res.status) : -1,
		       res.errtext[0] ? ": " : "", res.errtext);
}

static enum kn_err
kauth_exec(struct kauth *a, char *errbuf)
{
	struct kn_buf out;
	char perr[KN_ERRBUF];
	enum kn_err e;

	kn_buf_init(&out, KAUTH_MAX_EXEC_OUTPUT);
	e = kauth_run_exec(a, &out, errbuf);
	if (e == KN_OK) {
		kauth_cred_release(&a->cred);
		a->have_cred = false;
		e = kauth_parse_execcred(out.data ? out.data : "", out.len,
					 a->kc->exec.api_version, &a->cred,
					 perr);
		if (e != KN_OK)
			kn_errf(errbuf, e,
				"exec plugin %s (user \"%s\" in "
				"%s): %s",
				a->kc->exec.command,
				a->kc->user_name ? a->kc->user_name : "-",
				a->kc->user_origin ? a->kc->user_origin : "-",
				perr);
		else
			a->have_cred = true;
	}
	if (out.data != NULL)
		memset(out.data, 0, out.len);
	kn_buf_release(&out);
	return e;
}

static enum kn_err
kauth_set_bearer(struct kauth *a, const char *tok)
{
	size_t n = strlen(tok) + 1;

	if (a->bearer != NULL && strcmp(a->bearer, tok) == 0)
		return KN_OK;
	kauth_wipe(a->bearer);
	a->bearer = malloc(n);
	if (a->bearer == NULL)
		return KN_ERR_NOMEM;
	memcpy(a->bearer, tok, n);
	return KN_OK;
}

enum kn_err
kauth_current(struct kauth *a, bool refresh, struct kauth_view *v, char *errbuf)
{
	const struct kubeconfig *kc = a->kc;
	enum kn_err e;

	memset(v, 0, sizeof(*v));
	if (kc->cert_data.data != NULL) {
		v->cert = &kc->cert_data;
		v->key = &kc->key_data;
	} else if (kc->cert_file != NULL) {
		v->cert_file = kc->cert_file;
		v->key_file = kc->key_file;
	}
	if (kc->exec.command != NULL) {
		if (refresh || !a->have_cred ||
		    (a->cred.expires != 0 &&
		     time(NULL) + KAUTH_EXPIRY_SLACK >= a->cred.expires)) {
			e = kauth_exec(a, errbuf);
			if (e != KN_OK)
				return e;
		}
		if (a->cred.token != NULL) {
			e = kauth_set_bearer(a, a->cred.token);
			if (e != KN_OK)
				return e;
			v->bearer = a->bearer;
		}
		if (a->cred.cert.data != NULL) {
			v->cert = &a->cred.cert;
			v->key = &a->cred.key;
			v->cert_file = v->key_file = NULL;
		}
		return KN_OK;
	}
	if (kc->token_file != NULL) {
		e = kauth_token_file(a, refresh, errbuf);
		if (e != KN_OK)
			return e;
		v->bearer = a->file_token;
		return KN_OK;
	}
	if (kc->token != NULL) {
		v->bearer = kc->token;
		return KN_OK;
	}
	if (kc->oidc_id_token != NULL) {
		v->bearer = kc->oidc_id_token;
		return KN_OK;
	}
	if (kc->username != NULL) {
		v->username = kc->username;
		v->password = kc->password ? kc->password : "";
	}
	return KN_OK;
}
