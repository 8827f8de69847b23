/* API discovery of one group (see discover.h): GET /apis/GROUP for its
 * versions, then GET /apis/GROUP/VERSION for each, all at once over the
 * client's shared connection. Documents are small (a few KB); they are
 * held whole, at most DISCOVER_MAX_BODY. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "discover.h"
#include "k8snet/buf.h"

#define DISCOVER_TIMEOUT_MS 30000L
#define DISCOVER_MAX_BODY (4u << 20)

struct discover;

struct dversion {
	struct discover *d;
	char name[32];
	struct khttp_req *req;
	struct kn_buf body;
	bool done, ok;
};

struct discover {
	struct khttp *http;
	char *group;
	discover_cb cb;
	void *arg;
	enum discover_state state;
	struct khttp_req *req;
	struct kn_buf body;
	struct dversion v[DISCOVER_MAX_VERSIONS];
	size_t nv;
	char versions[DISCOVER_MAX_VERSIONS * 32];
	char error[KN_ERRBUF + 192];
};

size_t
discover_parse_group(const char *json, size_t len, char out[][32], size_t max)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *pref, *vs, *it, *v;
	const char *first = NULL;
	size_t n = 0, i;

	if (root == NULL)
		return 0;
	pref = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "preferredVersion"),
		"version");
	if (cJSON_IsString(pref) && max > 0 && strlen(pref->valuestring) < 32) {
		first = pref->valuestring;
		snprintf(out[n++], 32, "%s", first);
	}
	vs = cJSON_GetObjectItemCaseSensitive(root, "versions");
	cJSON_ArrayForEach(it, vs)
	{
		v = cJSON_GetObjectItemCaseSensitive(it, "version");
		if (!cJSON_IsString(v) || strlen(v->valuestring) >= 32 ||
		    n >= max)
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(out[i], v->valuestring) == 0)
				break;
		if (i == n)
			snprintf(out[n++], 32, "%s", v->valuestring);
	}
	cJSON_Delete(root);
	return n;
}

bool
discover_lists(const char *json, size_t len, const char *plural)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *it, *name;
	bool hit = false;

	if (root == NULL)
		return false;
	cJSON_ArrayForEach(it,
			   cJSON_GetObjectItemCaseSensitive(root, "resources"))
	{
		name = cJSON_GetObjectItemCaseSensitive(it, "name");
		if (cJSON_IsString(name) &&
		    strcmp(name->valuestring, plural) == 0) {
			hit = true;
			break;
		}
	}
	cJSON_Delete(root);
	return hit;
}

struct discover *
discover_new(struct khttp *http, const char *group, discover_cb cb, void *arg)
{
	struct discover *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->http = http;
	d->group = strdup(group);
	d->cb = cb;
	d->arg = arg;
	if (d->group == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

static void
discover_reset(struct discover *d)
{
	size_t i;

	if (d->req != NULL)
		khttp_cancel(d->req);
	d->req = NULL;
	kn_buf_release(&d->body);
	for (i = 0; i < d->nv; i++) {
		if (d->v[i].req != NULL)
			khttp_cancel(d->v[i].req);
		kn_buf_release(&d->v[i].body);
	}
	memset(d->v, 0, sizeof(d->v));
	d->nv = 0;
	d->versions[0] = '\0';
	d->state = DISCOVER_PENDING;
}

void
discover_free(struct discover *d)
{
	if (d == NULL)
		return;
	discover_reset(d);
	free(d->group);
	free(d);
}

static void
discover_finish(struct discover *d, enum discover_state st)
{
	if (st != DISCOVER_FAILED)
		d->error[0] = '\0';
	d->state = st;
	d->cb(d->arg, d);
}

static bool
discover_body(struct kn_buf *b, const char *p, size_t n)
{
	return b->len + n <= DISCOVER_MAX_BODY &&
	       kn_buf_append(b, p, n) == KN_OK;
}

static bool
discover_group_data(void *arg, const char *p, size_t n)
{
	return discover_body(&((struct discover *)arg)->body, p, n);
}

static bool
discover_version_data(void *arg, const char *p, size_t n)
{
	return discover_body(&((struct dversion *)arg)->body, p, n);
}

/* A failed request: 404 is an answer, anything else a failure. */
static bool
discover_failed(struct discover *d, const struct khttp_result *r,
		const char *path)
{
	if (r->curl == CURLE_OK && r->status >= 200 && r->status < 300 &&
	    !r->aborted)
		return false;
	snprintf(d->error, sizeof(d->error), "%s: %s", path,
		 r->message[0] ? r->message
		 : r->aborted  ? "discovery document too large"
			       : "no answer");
	return true;
}

static void
discover_version_done(void *arg, const struct khttp_result *r)
{
	struct dversion *v = arg;
	struct discover *d = v->d;
	char path[160];
	size_t i, o = 0;

	v->req = NULL;
	v->done = true;
	snprintf(path, sizeof(path), "/apis/%s/%s", d->group, v->name);
	/* A version listed but not served (404) serves nothing. */
	v->ok = !discover_failed(d, r, path);
	if (!v->ok && r->status != 404) {
		discover_reset(d); /* the other versions' requests too */
		discover_finish(d, DISCOVER_FAILED);
		return;
	}
	for (i = 0; i < d->nv; i++)
		if (!d->v[i].done)
			return;
	for (i = 0; i < d->nv; i++)
		if (d->v[i].ok)
			o += (size_t)snprintf(d->versions + o,
					      sizeof(d->versions) - o, "%s%s",
					      o ? "," : "", d->v[i].name);
	discover_finish(d, o > 0 ? DISCOVER_SERVED : DISCOVER_ABSENT);
}

static void
discover_group_done(void *arg, const struct khttp_result *r)
{
	struct discover *d = arg;
	char names[DISCOVER_MAX_VERSIONS][32], path[160], eb[KN_ERRBUF];
	size_t n, i;

	d->req = NULL;
	snprintf(path, sizeof(path), "/apis/%s", d->group);
	if (discover_failed(d, r, path)) {
		kn_buf_release(&d->body);
		if (r->status == 404) {
			d->error[0] = '\0';
			discover_finish(d, DISCOVER_ABSENT);
		} else {
			discover_finish(d, DISCOVER_FAILED);
		}
		return;
	}
	n = discover_parse_group(d->body.data ? d->body.data : "", d->body.len,
				 names, DISCOVER_MAX_VERSIONS);
	kn_buf_release(&d->body);
	if (n == 0) {
		discover_finish(d, DISCOVER_ABSENT);
		return;
	}
	d->nv = n;
	for (i = 0; i < n; i++) {
		d->v[i].d = d;
		memcpy(d->v[i].name, names[i], sizeof(names[i]));
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/apis/%s/%s", d->group,
			 d->v[i].name);
		d->v[i].req = khttp_get(d->http, path, DISCOVER_TIMEOUT_MS,
					discover_version_data,
					discover_version_done, &d->v[i], eb);
		if (d->v[i].req == NULL) {
			discover_reset(d);
			snprintf(d->error, sizeof(d->error), "%s", eb);
			discover_finish(d, DISCOVER_FAILED);
			return;
		}
	}
}

void
discover_start(struct discover *d)
{
	char path[160], eb[KN_ERRBUF];

	discover_reset(d);
	d->error[0] = '\0';
	snprintf(path, sizeof(path), "/apis/%s", d->group);
	d->req = khttp_get(d->http, path, DISCOVER_TIMEOUT_MS,
			   discover_group_data, discover_group_done, d, eb);
	if (d->req == NULL) {
		snprintf(d->error, sizeof(d->error), "%s", eb);
		discover_finish(d, DISCOVER_FAILED);
	}
}

enum discover_state
discover_state(const struct discover *d)
{
	return d->state;
}

const char *
discover_versions(const struct discover *d)
{
	return d->state == DISCOVER_SERVED ? d->versions : "";
}

const char *
discover_error(const struct discover *d)
{
	return d->error;
}

const char *
discover_pick(const struct discover *d, const char *plural,
	      const char *const *prefer, size_t n)
{
	size_t i, j;

	if (d->state != DISCOVER_SERVED)
		return NULL;
	for (i = 0; i < n; i++) {
		if (prefer[i] == NULL)
			continue;
		for (j = 0; j < d->nv; j++)
			if (d->v[j].ok &&
			    strcmp(d->v[j].name, prefer[i]) == 0 &&
			    discover_lists(d->v[j].body.data ? d->v[j].body.data
							     : "",
					   d->v[j].body.len, plural))
				return prefer[i];
	}
	return NULL;
}
