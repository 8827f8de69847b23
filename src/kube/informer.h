/* Informer: keeps one resource kind in sync through paginated LIST then
 * WATCH from the list's resourceVersion, relisting on 410 Gone, backing
 * off with jitter on errors and honouring Retry-After. Knows nothing of
 * the model: what it receives goes to a sink. */
#ifndef K8SNET_INFORMER_H
#define K8SNET_INFORMER_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "k8snet/err.h"
#include "khttp.h"

#define INFORMER_PAGE 500
#define INFORMER_MAX_PAGE_BYTES (256u << 20)
#define INFORMER_BACKOFF_MIN_MS 500
#define INFORMER_BACKOFF_MAX_MS 30000

enum informer_event { INFORMER_ADDED, INFORMER_MODIFIED, INFORMER_DELETED };

enum informer_state {
	INFORMER_IDLE,
	INFORMER_LISTING,
	INFORMER_WATCHING,
	INFORMER_BACKOFF,     /* waiting to retry (list or watch) */
	INFORMER_SYNCED_ONCE, /* --once: listed, no watch */
	INFORMER_FORBIDDEN,   /* 403: retried slowly, the rest works */
	INFORMER_UNAVAILABLE, /* 404: the API does not serve this kind */
};

struct informer;

/* What the informer delivers. obj is borrowed for the call. kind is the
 * spec's kind. list_begin/list_end bracket a full relist (objects not
 * delivered in between are gone). on_state reports state changes and
 * errors (msg may be NULL). */
struct informer_sink {
	void *arg;
	void (*on_event)(void *arg, enum informer_event ev, const char *kind,
			 const cJSON *obj);
	void (*on_list_begin)(void *arg, const char *kind);
	void (*on_list_end)(void *arg, const char *kind);
	void (*on_state)(void *arg, struct informer *inf, const char *msg);
	/* Optional, from the live source's discovery: the API group is
	 * served in versions ("v1,v1beta1"), or (versions NULL) it is not
	 * installed. */
	void (*on_group)(void *arg, const char *group, const char *versions);
};

struct informer_spec {
	const char *group; /* "" for the core group */
	const char *version;
	const char *plural;
	const char *kind;
	bool namespaced;
	const char *namespace;	    /* NULL: all namespaces */
	const char *field_selector; /* NULL: none */
	const char *label_selector; /* NULL: none */
	/* Several informers feed the same kind (different selectors): do not
	 * bracket relists with list_begin/list_end, report deletions found by
	 * a relist as DELETED events instead (keeps a key set; small kinds). */
	bool own_relist;
	bool once; /* list, then stop (no watch) */
};

struct informer_stats {
	uint64_t events, lists, relists, errors, bookmarks, oversized,
		decode_errors;
	uint64_t stalls;	/* watches given up for lack of events */
	uint64_t last_event_ms; /* kn_now_ms of the last event, 0: none */
};

/* Borrows http, sink (copied) and spec strings (copied). Call
 * informer_start to begin. */
struct informer *informer_new(struct khttp *http, struct kn_loop *loop,
			      const struct informer_spec *spec,
			      const struct informer_sink *sink);
void informer_free(struct informer *inf);

void informer_start(struct informer *inf);

enum informer_state informer_state(const struct informer *inf);
/* True once the first full list has been delivered (or the kind is
 * unavailable/forbidden, which will not change by waiting). */
bool informer_settled(const struct informer *inf);
bool informer_synced(const struct informer *inf);
const char *informer_kind(const struct informer *inf);
const char *informer_plural(const struct informer *inf);
const char *informer_rv(const struct informer *inf);
/* Last error text ("" when none). */
const char *informer_error(const struct informer *inf);
const struct informer_stats *informer_stats(const struct informer *inf);
/* Attempts (list, watch, credentials) failed since the last success: 0
 * while it works; informer_error says why the last one failed. */
unsigned informer_failed(const struct informer *inf);
/* True while backing off after a failure that waiting will not fix
 * (connection refused, TLS trust, credentials): --once gives up. */
bool informer_hard_error(const struct informer *inf);
/* ms until the next retry while in BACKOFF, else 0. */
uint64_t informer_retry_in(const struct informer *inf);

/* Pure helpers, exposed for tests. */
/* Delay for the n-th consecutive failure (n >= 1): min * 2^(n-1) capped at
 * max, jittered into [d/2, d] by rnd (0..1); Retry-After seconds (>= 0)
 * wins when larger. */
uint64_t informer_backoff_ms(unsigned n, double rnd, int retry_after);
/* Build the request path for a list (cont may be NULL) or a watch. */
void informer_path(const struct informer_spec *spec, bool watch, const char *rv,
		   const char *cont, unsigned timeout_s, char *out, size_t n);

#endif
