/* Snapshot loader: a streaming scanner over `kubectl get -o json` output
 * (RFC 8259 structure only: strings with escapes, nesting) that hands one
 * item at a time to cJSON and objdecode.
 *
 * Bounds: one object's text is at most KN_SNAPSHOT_MAX_OBJECT bytes;
 * nesting is counted, not recursed; keys of interest are compared on at
 * most 15 bytes. The buffer keeps only the current object. */
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "jsonarena.h"
#include "k8snet/anon.h"
#include "objdecode.h"
#include "snapshot.h"

#define KN_CHUNK (1u << 20)
#define KN_MAX_WARN_OBJ 64

struct rd {
	FILE *f;
	char *buf;	 /* owned unless mem */
	size_t len, pos; /* valid bytes, cursor */
	size_t keep;	 /* bytes before keep may be dropped */
	size_t cap;
	size_t base; /* file offset of buf[0] */
	bool eof, mem, ioerr, nomem;
};

struct ld {
	struct rd r;
	struct kn_model *m;
	const char *name;
	struct kn_snapshot_stats *st;
	kn_snapshot_warn_cb warn;
	void *arg;
	char *eb;
	char list_kind[64];
};

/* Make at least one more byte available; false at the end. */
static bool
rd_fill(struct rd *r)
{
	size_t n, want;
	char *nb;

	if (r->pos < r->len)
		return true;
	if (r->eof || r->mem)
		return false;
	if (r->keep > 0) {
		memmove(r->buf, r->buf + r->keep, r->len - r->keep);
		r->len -= r->keep;
		r->pos -= r->keep;
		r->base += r->keep;
		r->keep = 0;
	}
	if (r->cap - r->len < KN_CHUNK / 4) {
		if (r->cap >= KN_SNAPSHOT_MAX_OBJECT + KN_CHUNK)
			return false;
		want = r->cap ? r->cap * 2 : KN_CHUNK;
		nb = realloc(r->buf, want + 1);
		if (nb == NULL) {
			r->nomem = true;
			return false;
		}
		r->buf = nb;
		r->cap = want;
	}
	n = fread(r->buf + r->len, 1, r->cap - r->len, r->f);
	if (n == 0) {
		r->eof = true;
		if (ferror(r->f))
			r->ioerr = true;
		return false;
	}
	r->len += n;
	return true;
}

static int
rd_peek(struct rd *r)
{
	return rd_fill(r) ? (unsigned char)r->buf[r->pos] : -1;
}

static void
rd_ws(struct rd *r)
{
	int c;

	while ((c = rd_peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		r->pos++;
}

static size_t
rd_off(const struct rd *r)
{
	return r->base + r->pos;
}

static enum kn_err
ld_fail(struct ld *l, const char *what)
{
	if (l->r.ioerr)
		return kn_errf(l->eb, KN_ERR_IO, "%s: read error", l->name);
	if (l->r.nomem)
		return kn_errf(l->eb, KN_ERR_NOMEM,
			       "%s: byte offset %zu: "
			       "out of memory",
			       l->name, rd_off(&l->r));
	if (!l->r.mem && l->r.cap >= KN_SNAPSHOT_MAX_OBJECT + KN_CHUNK)
		return kn_errf(l->eb, KN_ERR_LIMIT,
			       "%s: byte offset %zu: an object larger than "
			       "%u MiB",
			       l->name, rd_off(&l->r),
			       KN_SNAPSHOT_MAX_OBJECT >> 20);
	if (rd_peek(&l->r) < 0)
		return kn_errf(l->eb, KN_ERR_PARSE,
			       "%s: byte offset %zu: unexpected end of file "
			       "(%s)",
			       l->name, rd_off(&l->r), what);
	return kn_errf(l->eb, KN_ERR_PARSE, "%s: byte offset %zu: %s", l->name,
		       rd_off(&l->r), what);
}

/* Past a string starting at the quote; copies up to cap-1 raw bytes of
 * its content into out (when not NULL). */
static bool
rd_string(struct rd *r, char *out, size_t cap)
{
	size_t n = 0;
	int c;

	r->pos++; /* the opening quote */
	for (;;) {
		c = rd_peek(r);
		if (c < 0)
			return false;
		r->pos++;
		if (c == '"')
			break;
		if (c == '\\') {
			if (rd_peek(r) < 0)
				return false;
			r->pos++;
			if (out != NULL)
				out = NULL; /* escaped keys never match */
			continue;
		}
		if (c < 0x20)
			return false;
		if (out != NULL && n + 1 < cap)
			out[n++] = (char)c;
	}
	if (out != NULL)
		out[n] = '\0';
	return true;
}

/* Past one JSON value of any type (structure only; the parser checks the
 * rest later). The loop runs over the buffered bytes directly: this scan
 * touches every byte of the file. */
static bool
rd_value(struct rd *r)
{
	size_t depth = 0;
	bool instr = false, esc = false;
	const char *p, *end;
	int c;

	rd_ws(r);
	c = rd_peek(r);
	if (c < 0)
		return false;
	if (c != '{' && c != '[' && c != '"') {
		/* A scalar: up to a delimiter. */
		while ((c = rd_peek(r)) >= 0 && c != ',' && c != '}' &&
		       c != ']' && c != ' ' && c != '\n' && c != '\r' &&
		       c != '\t')
			r->pos++;
		return true;
	}
	for (;;) {
		if (!rd_fill(r))
			return false;
		p = r->buf + r->pos;
		end = r->buf + r->len;
		while (p < end) {
			if (instr && !esc) {
				/* Most bytes are string content. */
				while (p < end && *p != '"' && *p != '\\')
					p++;
				if (p == end)
					break;
			}
			c = (unsigned char)*p++;
			if (instr) {
				if (esc)
					esc = false;
				else if (c == '\\')
					esc = true;
				else if (c == '"')
					instr = false;
				if (!instr && depth == 0) {
					r->pos = (size_t)(p - r->buf);
					return true;
				}
				continue;
			}
			if (c == '"') {
				instr = true;
			} else if (c == '{' || c == '[') {
				depth++;
			} else if (c == '}' || c == ']') {
				if (depth == 0)
					return false;
				if (--depth == 0) {
					r->pos = (size_t)(p - r->buf);
					return true;
				}
			}
		}
		r->pos = r->len;
	}
}

/* cJSON's nodes for one item come from the JSON arena, reset after the
 * item: a snapshot makes tens of millions of tiny allocations. */
static void
arena_begin(void)
{
	kn_json_arena_on();
}

static void
arena_end(void)
{
	kn_json_arena_off();
	kn_json_arena_reset(true);
}

static void
ld_warn(struct ld *l, const char *msg)
{
	if (l->warn != NULL)
		l->warn(l->arg, msg);
}

const char *
kn_snapshot_name(const struct kn_model *m, const char *s)
{
	struct kn_anon *a = kn_model_anon(m);

	return a != NULL ? kn_anon_name(a, s) : s;
}

/* Parse and apply the text buf[start..end) as item idx. A malformed
 * item is counted and skipped (KN_OK); running out of memory stops the
 * load (KN_ERR_NOMEM). */
static enum kn_err
ld_item(struct ld *l, size_t start, size_t end, size_t idx)
{
	char msg[KN_ERRBUF * 2], eb[KN_ERRBUF];
	const char *text = l->r.buf + start, *ep, *kind;
	const cJSON *kj, *md, *nm, *ns;
	cJSON *obj;
	enum kn_err e;

	l->st->objects++;
	obj = cJSON_ParseWithLength(text, end - start);
	if (obj == NULL) {
		ep = cJSON_GetErrorPtr();
		l->st->bad++;
		kn_model_count_bad(l->m);
		snprintf(msg, sizeof(msg),
			 "%s: items[%zu]: invalid JSON at byte offset %zu",
			 l->name, idx,
			 l->r.base + start +
				 (ep != NULL && ep >= text &&
						  ep <= text + (end - start)
					  ? (size_t)(ep - text)
					  : 0));
		ld_warn(l, msg);
		kn_json_arena_reset(false);
		return KN_OK;
	}
	kj = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	kind = cJSON_IsString(kj) ? kj->valuestring
				  : kn_objdecode_item_kind(l->list_kind);
	if (kind == NULL) {
		l->st->bad++;
		kn_model_count_bad(l->m);
		snprintf(msg, sizeof(msg),
			 "%s: items[%zu] (byte offset %zu): "
			 "kind: missing",
			 l->name, idx, l->r.base + start);
		ld_warn(l, msg);
		cJSON_Delete(obj);
		kn_json_arena_reset(false);
		return KN_OK;
	}
	if (kn_kind_from_name(kind) < 0)
		l->st->unknown++;
	e = kn_objdecode_apply(l->m, KN_EV_ADDED, kind, obj, eb);
	if (e == KN_ERR_NOMEM) {
		cJSON_Delete(obj);
		kn_json_arena_reset(false);
		return kn_errf(l->eb, e,
			       "%s: items[%zu] (byte offset %zu): "
			       "out of memory",
			       l->name, idx, l->r.base + start);
	}
	if (e != KN_OK) {
		md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
		nm = cJSON_GetObjectItemCaseSensitive(md, "name");
		ns = cJSON_GetObjectItemCaseSensitive(md, "namespace");
		l->st->bad++;
		kn_model_count_bad(l->m);
		snprintf(msg, sizeof(msg),
			 "%s: items[%zu] (%s %s%s%s, byte "
			 "offset %zu): %s",
			 l->name, idx, kind,
			 cJSON_IsString(ns)
				 ? kn_snapshot_name(l->m, ns->valuestring)
				 : "",
			 cJSON_IsString(ns) ? "/" : "",
			 cJSON_IsString(nm)
				 ? kn_snapshot_name(l->m, nm->valuestring)
				 : "?",
			 l->r.base + start, eb);
		ld_warn(l, msg);
	} else {
		l->st->applied++;
	}
	cJSON_Delete(obj);
	kn_json_arena_reset(false);
	return KN_OK;
}

/* The items array, positioned at its '['. */
static enum kn_err
ld_items(struct ld *l)
{
	struct rd *r = &l->r;
	size_t idx = 0, start;
	enum kn_err e;
	int c;

	r->pos++;
	for (;;) {
		rd_ws(r);
		r->keep = r->pos;
		c = rd_peek(r);
		if (c == ']') {
			r->pos++;
			return KN_OK;
		}
		if (c < 0)
			return ld_fail(l, "inside items");
		start = r->base + r->pos; /* absolute: refills shift buf */
		if (!rd_value(r))
			return ld_fail(l, "inside items: unbalanced "
					  "structure");
		if (c == '{') {
			e = ld_item(l, start - r->base, r->pos, idx);
			if (e != KN_OK)
				return e;
		} else {
			char msg[KN_ERRBUF];

			l->st->objects++;
			l->st->bad++;
			kn_model_count_bad(l->m);
			snprintf(msg, sizeof(msg),
				 "%s: items[%zu] (byte "
				 "offset %zu): expected an object",
				 l->name, idx, start);
			ld_warn(l, msg);
		}
		idx++;
		rd_ws(r);
		c = rd_peek(r);
		if (c == ',') {
			r->pos++;
			continue;
		}
		if (c == ']') {
			r->pos++;
			return KN_OK;
		}
		return ld_fail(l, "inside items: expected ',' or ']'");
	}
}

/* One top-level document, positioned at its '{'. */
static enum kn_err
ld_document(struct ld *l)
{
	struct rd *r = &l->r;
	size_t start = r->base + r->pos; /* absolute */
	char key[16];
	bool had_items = false;
	enum kn_err e;
	int c;

	l->list_kind[0] = '\0';
	r->keep = r->pos;
	r->pos++;
	for (;;) {
		rd_ws(r);
		c = rd_peek(r);
		if (c == '}') {
			r->pos++;
			break;
		}
		if (c != '"')
			return ld_fail(l, "expected a key");
		if (!rd_string(r, key, sizeof(key)))
			return ld_fail(l, "unterminated key");
		rd_ws(r);
		if (rd_peek(r) != ':')
			return ld_fail(l, "expected ':'");
		r->pos++;
		rd_ws(r);
		c = rd_peek(r);
		if (strcmp(key, "items") == 0 && c == '[') {
			had_items = true;
			e = ld_items(l);
			if (e != KN_OK)
				return e;
		} else if (strcmp(key, "kind") == 0 && c == '"') {
			if (!rd_string(r, l->list_kind, sizeof(l->list_kind)))
				return ld_fail(l, "unterminated string");
		} else if (!rd_value(r)) {
			return ld_fail(l, "unbalanced structure");
		}
		rd_ws(r);
		c = rd_peek(r);
		if (c == ',') {
			r->pos++;
			continue;
		}
		if (c == '}') {
			r->pos++;
			break;
		}
		return ld_fail(l, "expected ',' or '}'");
	}
	if (!had_items) {
		/* A single object: its text is still in the buffer. */
		e = ld_item(l, start - r->base, r->pos, 0);
		if (e != KN_OK)
			return e;
	}
	r->keep = r->pos;
	return KN_OK;
}

static enum kn_err
ld_run(struct ld *l)
{
	struct rd *r = &l->r;
	enum kn_err e;
	int docs = 0, c;

	for (;;) {
		rd_ws(r);
		r->keep = r->pos;
		c = rd_peek(r);
		if (c < 0)
			break;
		if (c != '{')
			return ld_fail(l,
				       docs ? "expected '{' after the "
					      "document"
					    : "expected a JSON object ('{')");
		e = ld_document(l);
		if (e != KN_OK)
			return e;
		docs++;
	}
	if (r->ioerr)
		return ld_fail(l, "read error");
	if (docs == 0)
		return kn_errf(l->eb, KN_ERR_PARSE, "%s: empty file", l->name);
	return KN_OK;
}

enum kn_err
kn_snapshot_load_file(struct kn_model *m, FILE *f, const char *name,
		      struct kn_snapshot_stats *st, kn_snapshot_warn_cb warn,
		      void *arg, char *errbuf)
{
	struct ld l;
	enum kn_err e;

	memset(&l, 0, sizeof(l));
	l.r.f = f;
	l.m = m;
	l.name = name;
	l.st = st;
	l.warn = warn;
	l.arg = arg;
	l.eb = errbuf;
	arena_begin();
	e = ld_run(&l);
	arena_end();
	free(l.r.buf);
	return e;
}

enum kn_err
kn_snapshot_load_mem(struct kn_model *m, const char *p, size_t len,
		     const char *name, struct kn_snapshot_stats *st,
		     kn_snapshot_warn_cb warn, void *arg, char *errbuf)
{
	struct ld l;
	enum kn_err e;

	memset(&l, 0, sizeof(l));
	l.r.buf = (char *)p;
	l.r.len = len;
	l.r.cap = len;
	l.r.mem = true;
	l.r.eof = true;
	l.m = m;
	l.name = name;
	l.st = st;
	l.warn = warn;
	l.arg = arg;
	l.eb = errbuf;
	arena_begin();
	e = ld_run(&l);
	arena_end();
	return e;
}
