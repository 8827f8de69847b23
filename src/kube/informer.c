/* Informer state machine (client-go reflector semantics):
 *
 *   IDLE -> LISTING (pages of INFORMER_PAGE, continue tokens)
 *        -> WATCHING from the list's resourceVersion, bookmarks on
 *   watch ends cleanly / is cut   -> WATCHING again from the last rv
 *   ERROR event 410 / HTTP 410    -> LISTING (relist; immediate the first
 *                                    time, with backoff when repeated)
 *   oversized event line          -> LISTING (the event was lost)
 *   no event line for the stall window (bookmarks come every minute)
 *                                 -> BACKOFF -> WATCHING again
 *   429/5xx/network               -> BACKOFF (jitter, Retry-After) -> retry
 *   401                           -> refresh credentials once, retry
 *   403                           -> FORBIDDEN (retried at the max backoff)
 *   404                           -> UNAVAILABLE (not retried)
 *
 * A list page is held whole (at most INFORMER_MAX_PAGE_BYTES), parsed,
 * delivered and freed; a page that is not JSON fails the list (and
 * --once, as kubectl does). The next page is asked for as soon as this
 * one's continue token is known, from the first bytes of its metadata
 * (listpage.c) or else before its items are delivered, so that the
 * server makes it while this one arrives and is decoded; pages are still
 * handled one at a time and in order, and an error on one drops the page
 * asked ahead. Watch events are framed line by line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "informer.h"
#include "jsonarena.h"
#include "k8snet/buf.h"
#include "listpage.h"
#include "watch.h"

#define INFORMER_WATCH_TIMEOUT_MIN 300
#define INFORMER_LIST_TIMEOUT_MS 120000L
/* HTTP/2 stream weights (watches keep the default, 16): the page being
 * read goes first, the page asked ahead is being made by the server and
 * needs little of the connection until it becomes current. */
#define INFORMER_WEIGHT_PAGE 64
#define INFORMER_WEIGHT_AHEAD 4

struct informer_key {
	char *key; /* "namespace/name" */
	bool seen;
};

/* One list page request: the current page, or the next one asked for
 * ahead of it. */
struct informer_page {
	struct informer *inf;
	struct khttp_req *req; /* in flight */
	struct kn_buf body;
	char *cont;   /* ahead: the continue token it asked with */
	bool done;    /* ahead: finished first; res holds how */
	bool scanned; /* the early continue scan is over */
	struct khttp_result res;
};

struct informer {
	struct khttp *http;
	struct kn_loop *loop;
	struct informer_spec spec;
	char *s_group, *s_version, *s_plural, *s_kind, *s_ns, *s_fs, *s_ls;
	struct informer_sink sink;
	enum informer_state state;
	bool synced;	 /* first full list delivered */
	bool in_relist;	 /* list_begin sent, list_end pending */
	bool watch_mode; /* current request is a watch */
	bool list_after_backoff;
	bool auth_retried;
	bool need_relist;  /* set from inside the write callback */
	bool hard_error;   /* last failure was not a transient one */
	unsigned failures; /* consecutive (the backoff's exponent) */
	unsigned failed;   /* attempts failed since the last success */
	unsigned gone;	   /* consecutive 410s */
	char rv[64];
	char *cont;	       /* token of the current page (NULL: first) */
	struct khttp_req *req; /* the watch */
	struct informer_page pages[2];
	unsigned cur;	      /* pages[cur] is the current page */
	uint64_t ahead_timer; /* asks for the page ahead (out of curl) */
	char ahead_tok[2048]; /* ... with this token */
	struct watch_framer framer;
	uint64_t timer;
	uint64_t stall_timer; /* watch stall check */
	uint64_t progress_ms; /* last complete watch line (or watch start) */
	uint64_t retry_at;
	char error[KN_ERRBUF];
	struct informer_stats stats;
	struct informer_key *keys;
	size_t nkeys, capkeys;
};

static void informer_list(struct informer *inf);
static void informer_watch(struct informer *inf);

uint64_t
informer_backoff_ms(unsigned n, double rnd, int retry_after)
{
	uint64_t d = INFORMER_BACKOFF_MIN_MS;
	unsigned i;

	for (i = 1; i < n && d < INFORMER_BACKOFF_MAX_MS; i++)
		d *= 2;
	if (d > INFORMER_BACKOFF_MAX_MS)
		d = INFORMER_BACKOFF_MAX_MS;
	if (rnd < 0)
		rnd = 0;
	if (rnd > 1)
		rnd = 1;
	d = d / 2 + (uint64_t)((double)(d / 2) * rnd);
	if (retry_after >= 0 && (uint64_t)retry_after * 1000 > d)
		d = (uint64_t)retry_after * 1000;
	return d;
}

void
informer_path(const struct informer_spec *spec, bool watch, const char *rv,
	      const char *cont, unsigned timeout_s, char *out, size_t n)
{
	char ns[300] = "", esc[2048];
	struct kn_buf b;

	kn_buf_init(&b, 0);
	if (spec->group == NULL || spec->group[0] == '\0')
		kn_buf_printf(&b, "/api/%s", spec->version);
	else
		kn_buf_printf(&b, "/apis/%s/%s", spec->group, spec->version);
	if (spec->namespaced && spec->namespace != NULL) {
		khttp_query_escape(spec->namespace, ns, sizeof(ns));
		kn_buf_printf(&b, "/namespaces/%s", ns);
	}
	kn_buf_printf(&b, "/%s?", spec->plural);
	if (watch) {
		kn_buf_printf(&b,
			      "watch=1&allowWatchBookmarks=true"
			      "&timeoutSeconds=%u",
			      timeout_s);
		if (rv != NULL && rv[0] != '\0') {
			khttp_query_escape(rv, esc, sizeof(esc));
			kn_buf_printf(&b, "&resourceVersion=%s", esc);
		}
	} else {
		kn_buf_printf(&b, "limit=%d", INFORMER_PAGE);
		if (cont != NULL) {
			khttp_query_escape(cont, esc, sizeof(esc));
			kn_buf_printf(&b, "&continue=%s", esc);
		}
	}
	if (spec->field_selector != NULL) {
		khttp_query_escape(spec->field_selector, esc, sizeof(esc));
		kn_buf_printf(&b, "&fieldSelector=%s", esc);
	}
	if (spec->label_selector != NULL) {
		khttp_query_escape(spec->label_selector, esc, sizeof(esc));
		kn_buf_printf(&b, "&labelSelector=%s", esc);
	}
	snprintf(out, n, "%s", b.data ? b.data : "");
	kn_buf_release(&b);
}

static char *
informer_dup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

struct informer *
informer_new(struct khttp *http, struct kn_loop *loop,
	     const struct informer_spec *spec, const struct informer_sink *sink)
{
	struct informer *inf = calloc(1, sizeof(*inf));
	int i;

	if (inf == NULL)
		return NULL;
	inf->http = http;
	inf->loop = loop;
	inf->spec = *spec;
	inf->s_group = informer_dup(spec->group ? spec->group : "");
	inf->s_version = informer_dup(spec->version);
	inf->s_plural = informer_dup(spec->plural);
	inf->s_kind = informer_dup(spec->kind);
	inf->s_ns = informer_dup(spec->namespace);
	inf->s_fs = informer_dup(spec->field_selector);
	inf->s_ls = informer_dup(spec->label_selector);
	inf->spec.group = inf->s_group;
	inf->spec.version = inf->s_version;
	inf->spec.plural = inf->s_plural;
	inf->spec.kind = inf->s_kind;
	inf->spec.namespace = inf->s_ns;
	inf->spec.field_selector = inf->s_fs;
	inf->spec.label_selector = inf->s_ls;
	inf->sink = *sink;
	for (i = 0; i < 2; i++) {
		inf->pages[i].inf = inf;
		kn_buf_init(&inf->pages[i].body, INFORMER_MAX_PAGE_BYTES);
	}
	watch_framer_init(&inf->framer, WATCH_MAX_LINE);
	return inf;
}

static void
informer_page_reset(struct informer_page *pg)
{
	if (pg->req != NULL) {
		khttp_cancel(pg->req);
		pg->req = NULL;
	}
	kn_buf_release(&pg->body);
	free(pg->cont);
	pg->cont = NULL;
	pg->done = false;
	pg->scanned = false;
}

static struct informer_page *
informer_ahead(struct informer *inf)
{
	return &inf->pages[inf->cur ^ 1];
}

/* Forget the page asked ahead (and one about to be). */
static void
informer_drop_ahead(struct informer *inf)
{
	if (inf->ahead_timer != 0) {
		kn_loop_cancel_timer(inf->loop, inf->ahead_timer);
		inf->ahead_timer = 0;
	}
	informer_page_reset(informer_ahead(inf));
}

static void
informer_stop_io(struct informer *inf)
{
	if (inf->req != NULL) {
		khttp_cancel(inf->req);
		inf->req = NULL;
	}
	informer_drop_ahead(inf);
	informer_page_reset(&inf->pages[inf->cur]);
	if (inf->timer != 0) {
		kn_loop_cancel_timer(inf->loop, inf->timer);
		inf->timer = 0;
	}
	if (inf->stall_timer != 0) {
		kn_loop_cancel_timer(inf->loop, inf->stall_timer);
		inf->stall_timer = 0;
	}
}

void
informer_free(struct informer *inf)
{
	size_t i;

	if (inf == NULL)
		return;
	informer_stop_io(inf);
	watch_framer_release(&inf->framer);
	for (i = 0; i < inf->nkeys; i++)
		free(inf->keys[i].key);
	free(inf->keys);
	free(inf->cont);
	free(inf->s_group);
	free(inf->s_version);
	free(inf->s_plural);
	free(inf->s_kind);
	free(inf->s_ns);
	free(inf->s_fs);
	free(inf->s_ls);
	free(inf);
}

enum informer_state
informer_state(const struct informer *inf)
{
	return inf->state;
}

bool
informer_synced(const struct informer *inf)
{
	return inf->synced;
}

bool
informer_settled(const struct informer *inf)
{
	return inf->synced || inf->state == INFORMER_FORBIDDEN ||
	       inf->state == INFORMER_UNAVAILABLE;
}

const char *
informer_kind(const struct informer *inf)
{
	return inf->spec.kind;
}

const char *
informer_plural(const struct informer *inf)
{
	return inf->spec.plural;
}

const char *
informer_rv(const struct informer *inf)
{
	return inf->rv;
}

const char *
informer_error(const struct informer *inf)
{
	return inf->error;
}

const struct informer_stats *
informer_stats(const struct informer *inf)
{
	return &inf->stats;
}

unsigned
informer_failed(const struct informer *inf)
{
	return inf->failed;
}

bool
informer_hard_error(const struct informer *inf)
{
	return inf->hard_error && inf->state == INFORMER_BACKOFF;
}

uint64_t
informer_retry_in(const struct informer *inf)
{
	uint64_t now = kn_now_ms();

	if (inf->state != INFORMER_BACKOFF || inf->retry_at <= now)
		return 0;
	return inf->retry_at - now;
}

static void
informer_set_state(struct informer *inf, enum informer_state st,
		   const char *msg)
{
	inf->state = st;
	if (msg != NULL)
		kn_errf(inf->error, KN_OK, "%s", msg);
	if (inf->sink.on_state != NULL)
		inf->sink.on_state(inf->sink.arg, inf, msg);
}

/* --- own relist key set (several informers share one kind) ------------ */

static void
informer_obj_key(const cJSON *obj, char *out, size_t n)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(md, "namespace");
	const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");

	snprintf(out, n, "%s/%s", cJSON_IsString(ns) ? ns->valuestring : "",
		 cJSON_IsString(nm) ? nm->valuestring : "");
}

static struct informer_key *
informer_key_find(struct informer *inf, const char *key)
{
	size_t i;

	for (i = 0; i < inf->nkeys; i++)
		if (strcmp(inf->keys[i].key, key) == 0)
			return &inf->keys[i];
	return NULL;
}

static void
informer_key_track(struct informer *inf, enum informer_event ev,
		   const cJSON *obj)
{
	struct informer_key *k;
	char key[512];

	informer_obj_key(obj, key, sizeof(key));
	k = informer_key_find(inf, key);
	if (ev == INFORMER_DELETED) {
		if (k != NULL) {
			free(k->key);
			*k = inf->keys[--inf->nkeys];
		}
		return;
	}
	if (k != NULL) {
		k->seen = true;
		return;
	}
	if (inf->nkeys == inf->capkeys) {
		size_t nc = inf->capkeys ? inf->capkeys * 2 : 8;
		void *p = realloc(inf->keys, nc * sizeof(*inf->keys));

		if (p == NULL)
			return;
		inf->keys = p;
		inf->capkeys = nc;
	}
	inf->keys[inf->nkeys].key = strdup(key);
	if (inf->keys[inf->nkeys].key == NULL)
		return;
	inf->keys[inf->nkeys++].seen = true;
}

/* End of an own relist: objects known before and not listed now are
 * reported deleted, with a minimal object carrying namespace and name. */
static void
informer_key_sweep(struct informer *inf)
{
	size_t i = 0;

	while (i < inf->nkeys) {
		struct informer_key *k = &inf->keys[i];
		cJSON *obj, *md;
		char *slash;

		if (k->seen) {
			i++;
			continue;
		}
		obj = cJSON_CreateObject();
		md = cJSON_AddObjectToObject(obj, "metadata");
		slash = strchr(k->key, '/');
		if (slash != NULL) {
			*slash = '\0';
			if (k->key[0] != '\0')
				cJSON_AddStringToObject(md, "namespace",
							k->key);
			cJSON_AddStringToObject(md, "name", slash + 1);
		}
		if (inf->sink.on_event != NULL && md != NULL)
			inf->sink.on_event(inf->sink.arg, INFORMER_DELETED,
					   inf->spec.kind, obj);
		cJSON_Delete(obj);
		free(k->key);
		*k = inf->keys[--inf->nkeys];
	}
}

static void
informer_deliver(struct informer *inf, enum informer_event ev, const cJSON *obj)
{
	inf->stats.events++;
	inf->stats.last_event_ms = kn_now_ms();
	if (inf->spec.own_relist)
		informer_key_track(inf, ev, obj);
	if (inf->sink.on_event != NULL)
		inf->sink.on_event(inf->sink.arg, ev, inf->spec.kind, obj);
}

/* --- retry scheduling ------------------------------------------------- */

static void
informer_timer_cb(void *arg)
{
	struct informer *inf = arg;

	inf->timer = 0;
	if (inf->list_after_backoff || inf->rv[0] == '\0')
		informer_list(inf);
	else
		informer_watch(inf);
}

static void
informer_retry(struct informer *inf, bool relist, uint64_t delay_ms,
	       enum informer_state st, const char *msg)
{
	inf->failed++;
	inf->list_after_backoff = relist;
	if (inf->timer != 0)
		kn_loop_cancel_timer(inf->loop, inf->timer);
	inf->retry_at = kn_now_ms() + delay_ms;
	inf->timer = kn_loop_add_timer(inf->loop, delay_ms, false,
				       informer_timer_cb, inf);
	informer_set_state(inf, st, msg);
}

static void
informer_fail(struct informer *inf, bool relist, int retry_after,
	      const char *msg)
{
	double rnd = (double)rand() / ((double)RAND_MAX + 1.0);

	inf->stats.errors++;
	inf->failures++;
	informer_retry(inf, relist,
		       informer_backoff_ms(inf->failures, rnd, retry_after),
		       INFORMER_BACKOFF, msg);
}

/* Common handling of a non-2xx or failed transfer. */
static bool
informer_is_hard(const struct khttp_result *r)
{
	switch (r->curl) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

static void
informer_http_error(struct informer *inf, const struct khttp_result *r,
		    bool relist)
{
	char errbuf[KN_ERRBUF], msg[KN_ERRBUF + 64];

	inf->hard_error = r->status == 0 && informer_is_hard(r);

	if (r->status == 410) {
		/* Expired continue token or resourceVersion: start over. */
		inf->gone++;
		inf->rv[0] = '\0';
		free(inf->cont);
		inf->cont = NULL;
		inf->stats.relists++;
		if (inf->gone <= 1) {
			informer_list(inf);
			return;
		}
		informer_fail(inf, true, -1, r->message);
		return;
	}
	if (r->status == 401) {
		if (!inf->auth_retried || r->auth_stale) {
			inf->auth_retried = true;
			if (!r->auth_stale &&
			    khttp_refresh_auth(inf->http, errbuf) != KN_OK) {
				inf->stats.errors++;
				inf->hard_error = true;
				informer_retry(inf, relist,
					       INFORMER_BACKOFF_MAX_MS,
					       INFORMER_BACKOFF, errbuf);
				return;
			}
			if (relist)
				informer_list(inf);
			else
				informer_watch(inf);
			return;
		}
		snprintf(msg, sizeof(msg), "%s (%s %s): credentials refused",
			 r->message, inf->watch_mode ? "watch" : "list",
			 inf->spec.plural);
		inf->stats.errors++;
		inf->hard_error = true;
		inf->auth_retried = false;
		informer_retry(inf, relist, INFORMER_BACKOFF_MAX_MS,
			       INFORMER_BACKOFF, msg);
		return;
	}
	if (r->status == 403) {
		/* what and the remedy first: the server's text is long */
		snprintf(msg, sizeof(msg),
			 "%s %s forbidden (grant get, list, watch on %s): %s",
			 inf->watch_mode ? "watch" : "list", inf->spec.plural,
			 inf->spec.plural, r->message);
		inf->stats.errors++;
		informer_retry(inf, relist, INFORMER_BACKOFF_MAX_MS,
			       INFORMER_FORBIDDEN, msg);
		return;
	}
	if (r->status == 404) {
		snprintf(msg, sizeof(msg),
			 "%s%s%s/%s not served by this "
			 "cluster",
			 inf->spec.group, inf->spec.group[0] ? "/" : "",
			 inf->spec.version, inf->spec.plural);
		informer_set_state(inf, INFORMER_UNAVAILABLE, msg);
		return;
	}
	informer_fail(inf, relist, r->retry_after, r->message);
}

/* --- LIST ------------------------------------------------------------- */

static void informer_list_done(struct informer *inf,
			       const struct khttp_result *r);
static bool informer_page_data(void *arg, const char *p, size_t n);
static void informer_page_done(void *arg, const struct khttp_result *r);

/* Ask for the page after the current one, with its token. On failure
 * nothing is asked: the current page's end asks again, and reports. */
static void
informer_ask_ahead(struct informer *inf, const char *tok)
{
	struct informer_page *ah = informer_ahead(inf);
	char path[4096], errbuf[KN_ERRBUF];

	if (ah->req != NULL || ah->done)
		return;
	informer_page_reset(ah);
	ah->cont = strdup(tok);
	if (ah->cont == NULL)
		return;
	informer_path(&inf->spec, false, NULL, tok, 0, path, sizeof(path));
	ah->req = khttp_get(inf->http, path, INFORMER_LIST_TIMEOUT_MS,
			    informer_page_data, informer_page_done, ah, errbuf);
	if (ah->req == NULL)
		informer_page_reset(ah);
	else
		khttp_set_weight(ah->req, INFORMER_WEIGHT_AHEAD);
}

/* libcurl refuses new transfers from inside its callbacks: the page
 * ahead is asked for from a timer that runs at the end of this turn. */
static void
informer_ahead_cb(void *arg)
{
	struct informer *inf = arg;

	inf->ahead_timer = 0;
	if (!inf->watch_mode && inf->pages[inf->cur].req != NULL)
		informer_ask_ahead(inf, inf->ahead_tok);
}

/* Look for the continue token in what has arrived of the current page. */
static void
informer_scan(struct informer *inf)
{
	struct informer_page *pg = &inf->pages[inf->cur];
	enum listpage_scan r;

	if (pg->scanned)
		return;
	r = listpage_continue(pg->body.data, pg->body.len, inf->ahead_tok,
			      sizeof(inf->ahead_tok));
	if (r == LISTPAGE_MORE)
		return;
	pg->scanned = true;
	if (r == LISTPAGE_FOUND && inf->ahead_timer == 0)
		inf->ahead_timer = kn_loop_add_timer(inf->loop, 0, false,
						     informer_ahead_cb, inf);
}

static bool
informer_page_data(void *arg, const char *p, size_t n)
{
	struct informer_page *pg = arg;
	struct informer *inf = pg->inf;

	if (kn_buf_append(&pg->body, p, n) != KN_OK)
		return false;
	if (pg == &inf->pages[inf->cur] && !pg->scanned)
		informer_scan(inf);
	return true;
}

static void
informer_page_done(void *arg, const struct khttp_result *r)
{
	struct informer_page *pg = arg;
	struct informer *inf = pg->inf;

	pg->req = NULL;
	if (pg != &inf->pages[inf->cur]) {
		/* ahead of the current page: handled after it, in order */
		pg->done = true;
		pg->res = *r;
		return;
	}
	informer_list_done(inf, r);
}

/* The current page was handled and named a next one: make the page
 * asked ahead current (ask for it now if none was). */
static void
informer_next_page(struct informer *inf)
{
	struct informer_page *ah = informer_ahead(inf);
	struct khttp_result res;

	if (ah->req == NULL && !ah->done) {
		informer_list(inf);
		return;
	}
	free(ah->cont);
	ah->cont = NULL;
	inf->pages[inf->cur].scanned = false;
	inf->cur ^= 1;
	khttp_set_weight(ah->req, INFORMER_WEIGHT_PAGE);
	if (ah->done) {
		res = ah->res;
		ah->done = false;
		informer_list_done(inf, &res);
		return;
	}
	informer_scan(inf);
}

/* A page that fails to parse at its end, or inside a string that runs to
 * the end unterminated (cJSON points just past the opening quote), was
 * cut short rather than garbled. */
static bool
informer_cut_short(const char *p, size_t len, size_t at)
{
	if (p == NULL || at >= len)
		return true;
	return at > 0 && p[at - 1] == '"' &&
	       memchr(p + at, '"', len - at) == NULL;
}

static void
informer_list_done(struct informer *inf, const struct khttp_result *r)
{
	struct informer_page *pg = &inf->pages[inf->cur], *ah;
	struct kn_buf *page = &pg->body;
	const cJSON *md, *items, *it, *cont, *rv;
	const char *end = NULL;
	bool more;
	cJSON *root;
	char msg[KN_ERRBUF];

	/* a token seen but not yet asked with: asked below, or not at all */
	if (inf->ahead_timer != 0) {
		kn_loop_cancel_timer(inf->loop, inf->ahead_timer);
		inf->ahead_timer = 0;
	}
	if (r->aborted) {
		snprintf(msg, sizeof(msg), "%s: list page larger than %u MB",
			 inf->spec.plural, INFORMER_MAX_PAGE_BYTES >> 20);
		informer_drop_ahead(inf);
		kn_buf_release(page);
		informer_fail(inf, true, -1, msg);
		return;
	}
	if (r->curl != CURLE_OK || r->status < 200 || r->status >= 300) {
		informer_drop_ahead(inf);
		kn_buf_release(page);
		informer_http_error(inf, r, true);
		return;
	}
	/* A page is parsed, delivered and dropped whole: its nodes come from
	 * the arena (half of listing was malloc and free of them). */
	root = kn_json_arena_parse(page->data ? page->data : "", page->len,
				   &end);
	items = cJSON_GetObjectItemCaseSensitive(root, "items");
	md = cJSON_GetObjectItemCaseSensitive(root, "metadata");
	if (root == NULL || !(cJSON_IsArray(items) || cJSON_IsNull(items))) {
		size_t at = root == NULL && end != NULL && page->data
				    ? (size_t)(end - page->data)
				    : 0;

		if (root == NULL &&
		    informer_cut_short(page->data, page->len, at))
			snprintf(msg, sizeof(msg),
				 "%s: list page of %zu "
				 "bytes is cut short (its JSON does not end)",
				 inf->spec.plural, page->len);
		else if (root == NULL)
			snprintf(msg, sizeof(msg),
				 "%s: list page is not "
				 "valid JSON (error at byte %zu of %zu)",
				 inf->spec.plural, at, page->len);
		else
			snprintf(msg, sizeof(msg),
				 "%s: list response is "
				 "not a Kubernetes list (no \"items\" array)",
				 inf->spec.plural);
		kn_json_arena_drop();
		informer_drop_ahead(inf);
		kn_buf_release(page);
		inf->stats.decode_errors++;
		/* waiting will not fix a server that sends this: --once
		 * stops here; the console retries with backoff */
		inf->hard_error = true;
		informer_fail(inf, true, -1, msg);
		return;
	}
	kn_buf_release(page);
	inf->auth_retried = false;
	inf->hard_error = false;
	cont = cJSON_GetObjectItemCaseSensitive(md, "continue");
	rv = cJSON_GetObjectItemCaseSensitive(md, "resourceVersion");
	more = cJSON_IsString(cont) && cont->valuestring[0] != '\0';
	/* The page asked ahead must be the one the parsed page names; if
	 * none was, ask now, before decoding this one. */
	ah = informer_ahead(inf);
	if ((ah->req != NULL || ah->done) &&
	    (!more || strcmp(ah->cont, cont->valuestring) != 0))
		informer_drop_ahead(inf);
	if (more)
		informer_ask_ahead(inf, cont->valuestring);
	if (!inf->in_relist) {
		inf->in_relist = true;
		if (inf->spec.own_relist) {
			size_t i;

			for (i = 0; i < inf->nkeys; i++)
				inf->keys[i].seen = false;
		} else if (inf->sink.on_list_begin != NULL) {
			inf->sink.on_list_begin(inf->sink.arg, inf->spec.kind);
		}
	}
	cJSON_ArrayForEach(it, items)
	{
		if (cJSON_IsObject(it))
			informer_deliver(inf, INFORMER_ADDED, it);
		else
			inf->stats.decode_errors++;
	}
	free(inf->cont);
	inf->cont = NULL;
	if (more) {
		inf->cont = strdup(cont->valuestring);
		kn_json_arena_drop();
		informer_next_page(inf);
		return;
	}
	snprintf(inf->rv, sizeof(inf->rv), "%s",
		 cJSON_IsString(rv) ? rv->valuestring : "");
	kn_json_arena_drop();
	/* the list is over: its blocks go back to malloc */
	kn_json_arena_trim();
	inf->in_relist = false;
	if (inf->spec.own_relist)
		informer_key_sweep(inf);
	else if (inf->sink.on_list_end != NULL)
		inf->sink.on_list_end(inf->sink.arg, inf->spec.kind);
	inf->stats.lists++;
	inf->synced = true;
	inf->failures = inf->failed = 0;
	if (inf->spec.once) {
		informer_set_state(inf, INFORMER_SYNCED_ONCE, NULL);
		return;
	}
	informer_watch(inf);
}

static void
informer_list(struct informer *inf)
{
	struct informer_page *pg;
	char path[4096], errbuf[KN_ERRBUF];

	informer_stop_io(inf);
	inf->watch_mode = false;
	inf->cur = 0;
	pg = &inf->pages[0];
	informer_path(&inf->spec, false, NULL, inf->cont, 0, path,
		      sizeof(path));
	pg->req = khttp_get(inf->http, path, INFORMER_LIST_TIMEOUT_MS,
			    informer_page_data, informer_page_done, pg, errbuf);
	if (pg->req == NULL) {
		/* no request could be made: credentials (exec plugin) */
		inf->hard_error = true;
		informer_fail(inf, true, -1, errbuf);
		return;
	}
	khttp_set_weight(pg->req, INFORMER_WEIGHT_PAGE);
	if (inf->state != INFORMER_LISTING)
		informer_set_state(inf, INFORMER_LISTING, NULL);
}

/* --- WATCH ------------------------------------------------------------ */

static bool
informer_line(void *arg, const char *line, size_t len)
{
	struct informer *inf = arg;
	struct watch_event ev;
	const char *rv;
	int code;

	inf->progress_ms = kn_now_ms();
	if (watch_event_parse(line, len, &ev) != KN_OK) {
		inf->stats.decode_errors++;
		return true;
	}
	switch (ev.type) {
	case WATCH_ADDED:
	case WATCH_MODIFIED:
	case WATCH_DELETED:
		informer_deliver(inf,
				 ev.type == WATCH_ADDED	     ? INFORMER_ADDED
				 : ev.type == WATCH_MODIFIED ? INFORMER_MODIFIED
							     : INFORMER_DELETED,
				 ev.object);
		/* every event moves the resourceVersion, as a bookmark */
		__attribute__((fallthrough));
	case WATCH_BOOKMARK:
		if (ev.type == WATCH_BOOKMARK)
			inf->stats.bookmarks++;
		rv = watch_object_rv(ev.object);
		if (rv != NULL)
			snprintf(inf->rv, sizeof(inf->rv), "%s", rv);
		inf->gone = 0;
		inf->failures = 0;
		break;
	case WATCH_ERROR:
		code = watch_status_code(ev.object);
		inf->stats.errors++;
		if (code == 410) {
			inf->need_relist = true;
			watch_event_release(&ev);
			return false;
		}
		{
			const cJSON *m = cJSON_GetObjectItemCaseSensitive(
				ev.object, "message");

			snprintf(inf->error, sizeof(inf->error),
				 "%s: watch error %d: %s", inf->spec.plural,
				 code, cJSON_IsString(m) ? m->valuestring : "");
		}
		break;
	}
	watch_event_release(&ev);
	return true;
}

static bool
informer_watch_data(void *arg, const char *p, size_t n)
{
	struct informer *inf = arg;
	enum kn_err e;

	if (inf->state != INFORMER_WATCHING)
		informer_set_state(inf, INFORMER_WATCHING, NULL);
	inf->failures = inf->failed = 0;
	inf->hard_error = false;
	e = watch_feed(&inf->framer, p, n, informer_line, inf);
	if (e == KN_ERR_LIMIT) {
		/* An event we cannot hold is an event lost: relist. */
		inf->stats.oversized++;
		inf->need_relist = true;
		return false;
	}
	return e != KN_ERR_INVAL;
}

static void
informer_watch_done(void *arg, const struct khttp_result *r)
{
	struct informer *inf = arg;
	char msg[KN_ERRBUF];

	inf->req = NULL;
	if (inf->stall_timer != 0) {
		kn_loop_cancel_timer(inf->loop, inf->stall_timer);
		inf->stall_timer = 0;
	}
	watch_framer_reset(&inf->framer);
	if (inf->need_relist) {
		inf->need_relist = false;
		inf->rv[0] = '\0';
		inf->stats.relists++;
		inf->gone++;
		if (inf->gone <= 1) {
			informer_list(inf);
		} else {
			snprintf(msg, sizeof(msg),
				 "%s: resourceVersion "
				 "expired repeatedly (410 Gone)",
				 inf->spec.plural);
			informer_fail(inf, true, -1, msg);
		}
		return;
	}
	if (r->status != 0 && (r->status < 200 || r->status >= 300)) {
		informer_http_error(inf, r, false);
		return;
	}
	if (r->curl == CURLE_OK) {
		/* The server ended the watch (timeoutSeconds): resume. */
		inf->auth_retried = false;
		informer_watch(inf);
		return;
	}
	/* Cut mid-stream or cannot connect: back off, then resume from the
	 * last resourceVersion. */
	informer_fail(inf, false, -1, r->message);
}

/* No complete line (event or BOOKMARK) for the stall window: the stream
 * is dead or trickling (a proxy that holds it open, a server stuck
 * mid-event). Give it up and watch again from the last resourceVersion;
 * the timer re-arms itself for whatever is left of the window. */
static void
informer_stall_cb(void *arg)
{
	struct informer *inf = arg;
	uint64_t win = khttp_watch_stall_ms(inf->http), now = kn_now_ms();
	char msg[KN_ERRBUF];

	inf->stall_timer = 0;
	if (inf->req == NULL || !inf->watch_mode)
		return;
	if (now - inf->progress_ms < win) {
		inf->stall_timer = kn_loop_add_timer(
			inf->loop, win - (now - inf->progress_ms), false,
			informer_stall_cb, inf);
		return;
	}
	khttp_cancel(inf->req);
	inf->req = NULL;
	watch_framer_reset(&inf->framer);
	inf->stats.stalls++;
	snprintf(msg, sizeof(msg),
		 "%s: watch stalled (no event or bookmark "
		 "for %llu s); watching again",
		 inf->spec.plural, (unsigned long long)(win / 1000));
	informer_fail(inf, false, -1, msg);
}

static void
informer_watch(struct informer *inf)
{
	char path[4096], errbuf[KN_ERRBUF];
	unsigned timeout = INFORMER_WATCH_TIMEOUT_MIN +
			   (unsigned)(rand() % INFORMER_WATCH_TIMEOUT_MIN);

	informer_stop_io(inf);
	inf->watch_mode = true;
	inf->need_relist = false;
	watch_framer_reset(&inf->framer);
	informer_path(&inf->spec, true, inf->rv, NULL, timeout, path,
		      sizeof(path));
	inf->req = khttp_get(inf->http, path, 0, informer_watch_data,
			     informer_watch_done, inf, errbuf);
	if (inf->req == NULL) {
		informer_fail(inf, false, -1, errbuf);
		return;
	}
	inf->progress_ms = kn_now_ms();
	inf->stall_timer =
		kn_loop_add_timer(inf->loop, khttp_watch_stall_ms(inf->http),
				  false, informer_stall_cb, inf);
	if (inf->state == INFORMER_BACKOFF || inf->state == INFORMER_IDLE ||
	    inf->state == INFORMER_LISTING)
		informer_set_state(inf, INFORMER_WATCHING, NULL);
}

void
informer_start(struct informer *inf)
{
	inf->rv[0] = '\0';
	inf->failures = inf->gone = 0;
	informer_list(inf);
}
