/* Test driver for the Kube-API client: runs the live source against a
 * server with a stub sink that keeps (kind, namespace/name,
 * resourceVersion), and prints a canonical dump. Used by test_kube_*.py.
 *
 *   kubeclient_driver [--kubeconfig F] [--context C] [--cluster C]
 *                     [--user U] [-n NS] [--once] [--timeout MS]
 * Events also go through kn_objdecode_* into a real model, whose counts
 * per kind are printed as "MODEL kind count" lines with stats.
 * --once: list, print "OBJ kind ns/name rv" lines sorted, exit.
 * else: print "SYNCED" once listed, then answer stdin commands:
 *   dump   -> OBJ lines, then "END"
 *   stats  -> one "STATS k=v ..." line, then MODEL, KIND and a "GROUP
 *             gateway.networking.k8s.io VERSIONS|absent|unknown" line
 *   quit   -> exit */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "informer.h"
#include "k8snet/app.h"
#include "k8snet/live.h"
#include "k8snet/loop.h"
#include "k8snet/model.h"
#include "objdecode.h"

struct obj {
	char *key; /* "Kind ns/name" */
	char rv[64];
	bool seen;
};

struct store {
	struct obj *v;
	size_t n, cap;
	char relisting[16][64];
	int nrelisting;
};

static struct store st;
static struct kn_app app;
static bool printed_synced;
static char gw_api[128] = "unknown"; /* what discovery said */

static struct obj *
find(const char *key)
{
	size_t i;

	for (i = 0; i < st.n; i++)
		if (strcmp(st.v[i].key, key) == 0)
			return &st.v[i];
	return NULL;
}

static void
on_event(void *arg, enum informer_event ev, const char *kind, const cJSON *obj)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(md, "namespace");
	const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");
	const cJSON *rv =
		cJSON_GetObjectItemCaseSensitive(md, "resourceVersion");
	char key[600];
	struct obj *o;

	(void)arg;
	if (app.model != NULL) {
		char errbuf[KN_ERRBUF];
		enum kn_watch_event wev = ev == INFORMER_ADDED ? KN_EV_ADDED
					  : ev == INFORMER_MODIFIED
						  ? KN_EV_MODIFIED
						  : KN_EV_DELETED;

		if (kn_objdecode_apply(app.model, wev, kind, obj, errbuf) !=
		    KN_OK)
			fprintf(stderr, "decode %s: %s\n", kind, errbuf);
	}
	snprintf(key, sizeof(key), "%s %s/%s", kind,
		 cJSON_IsString(ns) ? ns->valuestring : "-",
		 cJSON_IsString(nm) ? nm->valuestring : "?");
	o = find(key);
	if (ev == INFORMER_DELETED) {
		if (o != NULL) {
			free(o->key);
			*o = st.v[--st.n];
		}
		return;
	}
	if (o == NULL) {
		if (st.n == st.cap) {
			st.cap = st.cap ? st.cap * 2 : 64;
			st.v = realloc(st.v, st.cap * sizeof(*st.v));
			if (st.v == NULL)
				abort();
		}
		o = &st.v[st.n++];
		o->key = strdup(key);
	}
	snprintf(o->rv, sizeof(o->rv), "%s",
		 cJSON_IsString(rv) ? rv->valuestring : "");
	o->seen = true;
}

static void
on_group(void *arg, const char *group, const char *versions)
{
	(void)arg;
	if (strcmp(group, KN_GW_GROUP) == 0)
		snprintf(gw_api, sizeof(gw_api), "%s",
			 versions != NULL ? versions : "absent");
}

static void
on_begin(void *arg, const char *kind)
{
	size_t i, kl = strlen(kind);

	(void)arg;
	if (app.model != NULL)
		kn_objdecode_list_begin(app.model, kind);
	for (i = 0; i < st.n; i++)
		if (strncmp(st.v[i].key, kind, kl) == 0 &&
		    st.v[i].key[kl] == ' ')
			st.v[i].seen = false;
}

static void
on_end(void *arg, const char *kind)
{
	size_t i = 0, kl = strlen(kind);

	(void)arg;
	if (app.model != NULL)
		kn_objdecode_list_end(app.model, kind);
	while (i < st.n) {
		if (strncmp(st.v[i].key, kind, kl) == 0 &&
		    st.v[i].key[kl] == ' ' && !st.v[i].seen) {
			free(st.v[i].key);
			st.v[i] = st.v[--st.n];
			continue;
		}
		i++;
	}
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(((const struct obj *)a)->key,
		      ((const struct obj *)b)->key);
}

static void
dump(void)
{
	size_t i;

	qsort(st.v, st.n, sizeof(*st.v), cmp);
	for (i = 0; i < st.n; i++)
		printf("OBJ %s %s\n", st.v[i].key, st.v[i].rv);
}

static void
stats(void)
{
	struct kn_kube_status s;
	int i;
	const struct informer *inf;

	kn_kube_live_status(&app, &s);
	printf("STATS conn=%d kinds=%d synced=%d forbidden=%d unavailable=%d "
	       "backoff=%d events=%llu relists=%llu errors=%llu "
	       "bookmarks=%llu oversized=%llu stalls=%llu requests=%llu "
	       "http2=%llu auth=%s insecure=%d\n",
	       (int)app.conn, s.kinds, s.synced, s.forbidden, s.unavailable,
	       s.backoff, (unsigned long long)s.events,
	       (unsigned long long)s.relists, (unsigned long long)s.errors,
	       (unsigned long long)s.bookmarks, (unsigned long long)s.oversized,
	       (unsigned long long)s.stalls, (unsigned long long)s.requests,
	       (unsigned long long)s.http2_responses, s.auth_mode,
	       (int)s.insecure);
	for (i = 0; i < KN_KIND__COUNT; i++)
		printf("MODEL %s %zu\n", kn_kind_name((enum kn_kind)i),
		       kn_model_count(app.model, (enum kn_kind)i));
	for (i = 0; (inf = kn_kube_live_informer(&app, i)) != NULL; i++)
		printf("KIND %s %s state=%d rv=%s error=%s\n",
		       informer_kind(inf), informer_plural(inf),
		       (int)informer_state(inf), informer_rv(inf),
		       informer_error(inf));
	printf("GROUP %s %s\n", KN_GW_GROUP, gw_api);
}

static void
on_stdin(int fd, short rev, void *arg)
{
	char line[256];
	ssize_t n;
	static char acc[1024];
	static size_t alen;
	char *nl;

	(void)rev;
	(void)arg;
	n = read(fd, line, sizeof(line));
	if (n <= 0) {
		kn_loop_remove_fd(app.loop, fd);
		kn_loop_stop(app.loop);
		return;
	}
	if (alen + (size_t)n >= sizeof(acc))
		alen = 0;
	memcpy(acc + alen, line, (size_t)n);
	alen += (size_t)n;
	while ((nl = memchr(acc, '\n', alen)) != NULL) {
		*nl = '\0';
		if (strcmp(acc, "dump") == 0) {
			dump();
			printf("END\n");
		} else if (strcmp(acc, "stats") == 0) {
			stats();
			printf("END\n");
		} else if (strcmp(acc, "quit") == 0) {
			kn_loop_stop(app.loop);
		}
		fflush(stdout);
		alen -= (size_t)(nl + 1 - acc);
		memmove(acc, nl + 1, alen);
	}
}

static void
on_turn(void *arg)
{
	struct kn_kube_status s;

	(void)arg;
	/* Between turns no decoded object is waiting to be put: where the
	 * model may sweep its strings, as the console's screen does. */
	kn_model_collect(app.model);
	if (printed_synced)
		return;
	kn_kube_live_status(&app, &s);
	if (!s.discovering &&
	    s.synced + s.forbidden + s.unavailable >= s.kinds) {
		printed_synced = true;
		printf("SYNCED\n");
		fflush(stdout);
	}
}

int
main(int argc, char **argv)
{
	struct informer_sink sink = {NULL,   on_event, on_begin,
				     on_end, NULL,     on_group};
	char errbuf[KN_ERRBUF];
	uint64_t timeout = 60000;
	enum kn_err e;
	int i, rc = 0;

	app.opts.progname = "kubeclient_driver";
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--once") == 0) {
			app.opts.once = true;
			continue;
		}
		if (v == NULL) {
			fprintf(stderr, "usage: see the file header\n");
			return 2;
		}
		if (strcmp(a, "--kubeconfig") == 0)
			app.opts.kubeconfig = v;
		else if (strcmp(a, "--context") == 0)
			app.opts.context = v;
		else if (strcmp(a, "--cluster") == 0)
			app.opts.cluster = v;
		else if (strcmp(a, "--user") == 0)
			app.opts.user = v;
		else if (strcmp(a, "-n") == 0)
			app.opts.namespace = v;
		else if (strcmp(a, "--timeout") == 0)
			timeout = strtoull(v, NULL, 10);
		else {
			fprintf(stderr, "unknown option %s\n", a);
			return 2;
		}
		i++;
	}
	app.loop = kn_loop_new();
	app.model = kn_model_new();
	e = kn_kube_live_open_sink(&app, &sink, errbuf);
	if (e != KN_OK) {
		fprintf(stderr, "error: %s\n", errbuf);
		kn_loop_free(app.loop);
		return 1;
	}
	if (app.insecure_tls)
		fprintf(stderr, "warning: insecure-skip-tls-verify\n");
	if (app.opts.once) {
		e = kn_kube_live_sync_once(&app, timeout, errbuf);
		if (e != KN_OK) {
			fprintf(stderr, "error: %s\n", errbuf);
			rc = 1;
		} else {
			dump();
			stats();
		}
	} else {
		kn_loop_add_fd(app.loop, 0, POLLIN, on_stdin, NULL);
		kn_loop_set_turn_hook(app.loop, on_turn, NULL);
		kn_loop_run(app.loop);
	}
	kn_kube_live_close(&app);
	kn_loop_free(app.loop);
	kn_model_free(app.model);
	for (i = 0; i < (int)st.n; i++)
		free(st.v[i].key);
	free(st.v);
	return rc;
}
