/* YAML (and JSON) to cJSON with libyaml's event parser, as Kubernetes
 * reads manifests: sigs.k8s.io/yaml converts YAML 1.1 (go-yaml v2) to
 * JSON, so plain scalars resolve as YAML 1.1 does (yes/no/on/off are
 * booleans, 0644 is octal, 1_000 is a thousand) and quoted ones are
 * strings; `<<` merge keys are honoured (YAML 1.1 merge type).
 *
 * Bounds, so that hostile input costs bounded time and memory: the
 * parser is libyaml's (linear, no recursion); nesting is refused past
 * KN_YAML_MAX_DEPTH levels, aliases included; the nodes that aliases and
 * merge keys copy are counted per document and refused past
 * KN_YAML_MAX_ALIAS_NODES (the "billion laughs" of nested aliases stops
 * there); duplicate keys are found by sorting, not by pairs. */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "k8snet/escape.h"
#include "yamljson.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

struct frame {
	cJSON *node;	/* object or array */
	char *key;	/* mapping: the key whose value comes next */
	bool merge_key; /* that key is "<<" */
	cJSON *merges;	/* mapping: the "<<" values, merged at its end */
	size_t anchor;	/* 1 + index into anchors, 0: none */
	size_t nodes;	/* nodes of the subtree so far, itself included */
	unsigned height;
};

struct anchor {
	char *name;
	cJSON *node;
	size_t nodes;
	unsigned height;
	bool done; /* the node is complete (an alias inside it is a cycle) */
};

struct yb {
	const char *name, *text;
	size_t len;
	char *eb;
	struct frame *st;
	size_t depth, cap;
	cJSON *root;
	struct anchor *anchors;
	size_t nanchors, capanchors;
	cJSON *keep; /* merge values, freed with the document's anchors */
	size_t alias_nodes;
	unsigned doc_line;
};

static enum kn_err yerr(struct yb *b, enum kn_err e, const yaml_mark_t *mk,
			const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum kn_err
yerr(struct yb *b, enum kn_err e, const yaml_mark_t *mk, const char *fmt, ...)
{
	char msg[KN_ERRBUF];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kn_errf(b->eb, e, "%s:%zu:%zu: %s", b->name, mk->line + 1,
		       mk->column + 1, msg);
}

static enum kn_err
ynomem(struct yb *b)
{
	return kn_errf(b->eb, KN_ERR_NOMEM, "%s: out of memory", b->name);
}

/* ---- scalars ---- */

static bool
is_one_of(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static const char *const null_words[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"y",	"Y",	"yes",	"Yes",
					 "YES", "true", "True", "TRUE",
					 "on",	"On",	"ON",	NULL};
static const char *const false_words[] = {"n",	 "N",	  "no",	   "No",
					  "NO",	 "false", "False", "FALSE",
					  "off", "Off",	  "OFF",   NULL};

/* A YAML 1.1 integer: [-+] then 0x.., 0o.., 0b.., 0.. (octal) or
 * decimal digits, '_' allowed between digits. */
static bool
parse_int(const char *s, double *out)
{
	int base = 10, d;
	bool neg = false, any = false;
	double v = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
		base = 8, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	else if (s[0] == '0' && s[1] != '\0')
		base = 8, s++;
	for (; *s != '\0'; s++) {
		if (*s == '_' && any)
			continue;
		d = kn_hexval((unsigned char)*s);
		if (d < 0 || d >= base)
			return false;
		v = v * base + d;
		any = true;
	}
	if (!any)
		return false;
	*out = neg ? -v : v;
	return true;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, as go-yaml v2
 * resolves floats, and .inf/.nan. */
static bool
parse_float(const char *s, double *out)
{
	const char *p = s, *r;
	bool digits = false;

	if (*p == '-' || *p == '+')
		p++;
	r = p;
	if (strcmp(r, ".inf") == 0 || strcmp(r, ".Inf") == 0 ||
	    strcmp(r, ".INF") == 0) {
		*out = *s == '-' ? -INFINITY : INFINITY;
		return true;
	}
	if (p == s && (strcmp(r, ".nan") == 0 || strcmp(r, ".NaN") == 0 ||
		       strcmp(r, ".NAN") == 0)) {
		*out = NAN;
		return true;
	}
	while (*p >= '0' && *p <= '9')
		p++, digits = true;
	if (*p == '.') {
		p++;
		if (!digits && !(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++, digits = true;
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0')
		return false;
	*out = strtod(s, NULL);
	return true;
}

/* The JSON value of a scalar event, or NULL with *why set. */
static cJSON *
scalar_value(const yaml_event_t *ev, const char **why)
{
	const char *v = (const char *)ev->data.scalar.value;
	const char *tag = (const char *)ev->data.scalar.tag;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	double num;

	*why = NULL;
	if (memchr(v, '\0', ev->data.scalar.length) != NULL) {
		*why = "a string holds a NUL character";
		return NULL;
	}
	if (tag != NULL && strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) == 0) {
		tag += strlen(TAG_PREFIX);
		if (strcmp(tag, "str") == 0 || strcmp(tag, "binary") == 0 ||
		    strcmp(tag, "timestamp") == 0)
			return cJSON_CreateString(v);
		if (strcmp(tag, "null") == 0)
			return cJSON_CreateNull();
		if (strcmp(tag, "bool") == 0) {
			if (is_one_of(v, true_words))
				return cJSON_CreateTrue();
			if (is_one_of(v, false_words))
				return cJSON_CreateFalse();
			*why = "!!bool: not a boolean";
			return NULL;
		}
		if (strcmp(tag, "int") == 0 || strcmp(tag, "float") == 0) {
			if (parse_int(v, &num) || parse_float(v, &num))
				return cJSON_CreateNumber(num);
			*why = "!!int or !!float: not a number";
			return NULL;
		}
		if (strcmp(tag, "map") == 0 || strcmp(tag, "seq") == 0) {
			*why = "!!map or !!seq on a scalar";
			return NULL;
		}
	} else if (tag != NULL && strcmp(tag, "!") == 0) {
		plain = false; /* the non-specific tag: a string */
	}
	if (!plain)
		return cJSON_CreateString(v);
	if (is_one_of(v, null_words))
		return cJSON_CreateNull();
	if (is_one_of(v, true_words))
		return cJSON_CreateTrue();
	if (is_one_of(v, false_words))
		return cJSON_CreateFalse();
	if ((*v >= '0' && *v <= '9') || *v == '-' || *v == '+' || *v == '.') {
		if (parse_int(v, &num) || parse_float(v, &num))
			return cJSON_CreateNumber(num);
	}
	return cJSON_CreateString(v);
}

/* ---- the tree being built ---- */

static struct frame *
top(struct yb *b)
{
	return b->depth > 0 ? &b->st[b->depth - 1] : NULL;
}

static bool
awaiting_key(struct yb *b)
{
	struct frame *f = top(b);

	return f != NULL && cJSON_IsObject(f->node) && f->key == NULL &&
	       !f->merge_key;
}

/* Put a finished value (nodes in its subtree, height levels) in its
 * place: the pending key of the mapping, the end of the sequence, or the
 * document's root. Takes item. */
static enum kn_err
place(struct yb *b, cJSON *item, size_t nodes, unsigned height)
{
	struct frame *f = top(b);
	bool ok;

	if (f == NULL) {
		cJSON_Delete(b->root);
		b->root = item;
		return KN_OK;
	}
	f->nodes += nodes;
	if (height + 1 > f->height)
		f->height = height + 1;
	if (cJSON_IsArray(f->node)) {
		ok = cJSON_AddItemToArray(f->node, item);
	} else if (f->merge_key) {
		if (f->merges == NULL &&
		    (f->merges = cJSON_CreateArray()) == NULL) {
			cJSON_Delete(item);
			return ynomem(b);
		}
		ok = cJSON_AddItemToArray(f->merges, item);
		f->merge_key = false;
	} else {
		ok = cJSON_AddItemToObject(f->node, f->key, item);
		free(f->key);
		f->key = NULL;
	}
	if (!ok) {
		cJSON_Delete(item);
		return ynomem(b);
	}
	return KN_OK;
}

/* Room for one more of the n items of size sz at *v (capacity *cap). */
static enum kn_err
grow(struct yb *b, void **v, size_t n, size_t *cap, size_t sz)
{
	size_t c = *cap ? *cap * 2 : 16;
	void *nv;

	if (n < *cap)
		return KN_OK;
	if ((nv = realloc(*v, c * sz)) == NULL)
		return ynomem(b);
	*v = nv;
	*cap = c;
	return KN_OK;
}

static enum kn_err
anchor_add(struct yb *b, const yaml_char_t *name, cJSON *node, bool done,
	   size_t *idx)
{
	struct anchor *a;

	if (grow(b, (void **)&b->anchors, b->nanchors, &b->capanchors,
		 sizeof(*a)) != KN_OK)
		return KN_ERR_NOMEM;
	a = &b->anchors[b->nanchors];
	memset(a, 0, sizeof(*a));
	if ((a->name = strdup((const char *)name)) == NULL)
		return ynomem(b);
	a->node = node;
	a->done = done;
	a->nodes = 1;
	a->height = 1;
	*idx = ++b->nanchors;
	return KN_OK;
}

static struct anchor *
anchor_find(struct yb *b, const char *name)
{
	size_t i;

	/* the newest definition of a name wins */
	for (i = b->nanchors; i-- > 0;)
		if (strcmp(b->anchors[i].name, name) == 0)
			return &b->anchors[i];
	return NULL;
}

static void
doc_reset(struct yb *b)
{
	size_t i;

	while (b->depth > 0) {
		struct frame *f = &b->st[--b->depth];

		/* a frame's node joins its parent only when complete */
		free(f->key);
		cJSON_Delete(f->merges);
		cJSON_Delete(f->node);
	}
	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	b->nanchors = 0;
	cJSON_Delete(b->keep);
	b->keep = NULL;
	cJSON_Delete(b->root);
	b->root = NULL;
	b->alias_nodes = 0;
	b->doc_line = 0;
}

/* Nodes of a tree (bounded by the alias budget: stops counting past
 * max). */
static size_t
count_nodes(const cJSON *n, size_t max)
{
	size_t c = 1;
	const cJSON *k;

	for (k = n->child; k != NULL && c <= max; k = k->next)
		c += count_nodes(k, max - c);
	return c;
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A key that appears twice in obj, or NULL (also when out of memory:
 * the check is skipped, nothing is lost). */
static const char *
duplicate_key(const cJSON *obj)
{
	const cJSON *a, *c;
	const char **keys, *dup = NULL;
	size_t n = 0, i;

	for (a = obj->child; a != NULL; a = a->next)
		n++;
	if (n < 2)
		return NULL;
	if (n <= 16) {
		for (a = obj->child; a != NULL; a = a->next)
			for (c = a->next; c != NULL; c = c->next)
				if (strcmp(a->string, c->string) == 0)
					return a->string;
		return NULL;
	}
	if ((keys = malloc(n * sizeof(*keys))) == NULL)
		return NULL;
	for (a = obj->child, i = 0; a != NULL; a = a->next)
		keys[i++] = a->string;
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 1; i < n && dup == NULL; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			dup = keys[i];
	free(keys);
	return dup;
}

/* The keys of src that obj lacks, copied into obj (YAML merge: keys
 * written in the mapping win, then earlier merged mappings). */
static enum kn_err
merge_from(struct yb *b, cJSON *obj, const cJSON *src, const yaml_mark_t *mk)
{
	const cJSON *c;
	cJSON *d;

	if (!cJSON_IsObject(src))
		return yerr(b, KN_ERR_PARSE, mk,
			    "<<: merge a mapping or a list of mappings");
	for (c = src->child; c != NULL; c = c->next) {
		if (cJSON_GetObjectItemCaseSensitive(obj, c->string) != NULL)
			continue;
		b->alias_nodes += count_nodes(c, KN_YAML_MAX_ALIAS_NODES);
		if (b->alias_nodes > KN_YAML_MAX_ALIAS_NODES)
			return yerr(b, KN_ERR_LIMIT, mk,
				    "merge keys and aliases copy more than %d "
				    "nodes",
				    KN_YAML_MAX_ALIAS_NODES);
		if ((d = cJSON_Duplicate(c, true)) == NULL ||
		    !cJSON_AddItemToObject(obj, c->string, d)) {
			cJSON_Delete(d);
			return ynomem(b);
		}
	}
	return KN_OK;
}

static enum kn_err
collection_start(struct yb *b, const yaml_event_t *ev, bool mapping)
{
	const yaml_char_t *anchor = mapping ? ev->data.mapping_start.anchor
					    : ev->data.sequence_start.anchor;
	struct frame *f;
	enum kn_err e;

	if (awaiting_key(b))
		return yerr(b, KN_ERR_PARSE, &ev->start_mark,
			    "a mapping or list as a key is not supported");
	if (b->depth >= KN_YAML_MAX_DEPTH)
		return yerr(b, KN_ERR_LIMIT, &ev->start_mark,
			    "nested deeper than %d levels", KN_YAML_MAX_DEPTH);
	if (grow(b, (void **)&b->st, b->depth, &b->cap, sizeof(*f)) != KN_OK)
		return KN_ERR_NOMEM;
	if (b->depth == 0 && b->doc_line == 0)
		b->doc_line = (unsigned)ev->start_mark.line + 1;
	f = &b->st[b->depth];
	memset(f, 0, sizeof(*f));
	f->node = mapping ? cJSON_CreateObject() : cJSON_CreateArray();
	if (f->node == NULL)
		return ynomem(b);
	f->node->valueint = (int)ev->start_mark.line + 1;
	f->nodes = 1;
	f->height = 1;
	b->depth++;
	if (anchor != NULL &&
	    (e = anchor_add(b, anchor, f->node, false, &f->anchor)) != KN_OK)
		return e;
	return KN_OK;
}

static enum kn_err
collection_end(struct yb *b, const yaml_event_t *ev)
{
	struct frame f = b->st[--b->depth];
	const cJSON *m;
	const char *dup;
	enum kn_err e = KN_OK;

	if (cJSON_IsObject(f.node) && (dup = duplicate_key(f.node)) != NULL) {
		e = kn_errf(b->eb, KN_ERR_PARSE,
			    "%s:%d: the mapping starting here has the key "
			    "\"%.80s\" twice",
			    b->name, f.node->valueint, dup);
		goto fail;
	}
	if (f.merges != NULL) {
		cJSON_ArrayForEach(m, f.merges)
		{
			if (cJSON_IsArray(m)) {
				const cJSON *x;

				cJSON_ArrayForEach(x, m)
				{
					e = merge_from(b, f.node, x,
						       &ev->start_mark);
					if (e != KN_OK)
						goto fail;
				}
			} else if ((e = merge_from(b, f.node, m,
						   &ev->start_mark)) != KN_OK) {
				goto fail;
			}
		}
		/* anchors may point inside: freed with the document */
		if (b->keep == NULL && (b->keep = cJSON_CreateArray()) == NULL)
			goto nomem;
		if (!cJSON_AddItemToArray(b->keep, f.merges))
			goto nomem;
		f.merges = NULL;
	}
	if (f.anchor != 0) {
		b->anchors[f.anchor - 1].done = true;
		b->anchors[f.anchor - 1].nodes = f.nodes;
		b->anchors[f.anchor - 1].height = f.height;
	}
	free(f.key);
	return place(b, f.node, f.nodes, f.height);
nomem:
	e = ynomem(b);
fail:
	free(f.key);
	cJSON_Delete(f.merges);
	cJSON_Delete(f.node);
	return e;
}

static enum kn_err
on_scalar(struct yb *b, const yaml_event_t *ev)
{
	struct frame *f = top(b);
	const char *why;
	size_t idx;
	cJSON *v;
	enum kn_err e;

	if (awaiting_key(b)) {
		if (memchr(ev->data.scalar.value, '\0',
			   ev->data.scalar.length) != NULL)
			return yerr(b, KN_ERR_PARSE, &ev->start_mark,
				    "a key holds a NUL character");
		f->merge_key =
			ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			strcmp((const char *)ev->data.scalar.value, "<<") == 0;
		if (f->merge_key)
			return KN_OK;
		f->key = strdup((const char *)ev->data.scalar.value);
		return f->key != NULL ? KN_OK : ynomem(b);
	}
	if (b->depth == 0 && b->doc_line == 0)
		b->doc_line = (unsigned)ev->start_mark.line + 1;
	v = scalar_value(ev, &why);
	if (v == NULL)
		return why != NULL ? yerr(b, KN_ERR_PARSE, &ev->start_mark,
					  "%s", why)
				   : ynomem(b);
	if (ev->data.scalar.anchor != NULL &&
	    (e = anchor_add(b, ev->data.scalar.anchor, v, true, &idx)) !=
		    KN_OK) {
		cJSON_Delete(v);
		return e;
	}
	return place(b, v, 1, 1);
}

static enum kn_err
on_alias(struct yb *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *a = anchor_find(b, name);
	struct frame *f = top(b);
	cJSON *v;

	if (a == NULL)
		return yerr(b, KN_ERR_PARSE, &ev->start_mark,
			    "alias *%.64s has no anchor before it", name);
	if (!a->done)
		return yerr(b, KN_ERR_PARSE, &ev->start_mark,
			    "alias *%.64s is inside its own anchor", name);
	if (awaiting_key(b)) {
		if (!cJSON_IsString(a->node))
			return yerr(b, KN_ERR_PARSE, &ev->start_mark,
				    "alias *%.64s as a key is not a string",
				    name);
		f->key = strdup(a->node->valuestring);
		return f->key != NULL ? KN_OK : ynomem(b);
	}
	b->alias_nodes += a->nodes;
	if (b->alias_nodes > KN_YAML_MAX_ALIAS_NODES)
		return yerr(b, KN_ERR_LIMIT, &ev->start_mark,
			    "aliases copy more than %d nodes (nested "
			    "aliases: a YAML bomb?)",
			    KN_YAML_MAX_ALIAS_NODES);
	if (b->depth + a->height > KN_YAML_MAX_DEPTH)
		return yerr(b, KN_ERR_LIMIT, &ev->start_mark,
			    "alias *%.64s nests deeper than %d levels", name,
			    KN_YAML_MAX_DEPTH);
	if (b->depth == 0 && b->doc_line == 0)
		b->doc_line = (unsigned)ev->start_mark.line + 1;
	if ((v = cJSON_Duplicate(a->node, true)) == NULL)
		return ynomem(b);
	return place(b, v, a->nodes, a->height);
}

/* libyaml's own error, with the line; a tab where indentation goes gets
 * a word of its own (the most common reason). */
static enum kn_err
parser_error(struct yb *b, const yaml_parser_t *p)
{
	yaml_mark_t mk = p->problem_mark;
	const char *what = p->problem != NULL ? p->problem : "not YAML";
	size_t i, line = 0;

	if (p->error == YAML_MEMORY_ERROR)
		return ynomem(b);
	if (p->error == YAML_READER_ERROR) {
		/* the reader gives an offset: count the lines before it */
		for (i = 0; i < p->problem_offset && i < b->len; i++)
			if (b->text[i] == '\n')
				line++;
		return kn_errf(b->eb, KN_ERR_PARSE,
			       "%s:%zu: %s (byte offset %zu)", b->name,
			       line + 1, what, p->problem_offset);
	}
	if (mk.index < b->len && b->text[mk.index] == '\t')
		return yerr(b, KN_ERR_PARSE, &mk,
			    "a tab where YAML wants spaces (%s)", what);
	if (p->context != NULL)
		return yerr(b, KN_ERR_PARSE, &mk, "%s %s", what, p->context);
	return yerr(b, KN_ERR_PARSE, &mk, "%s", what);
}

static enum kn_err
on_event(struct yb *b, const yaml_event_t *ev, kn_yaml_doc_cb cb, void *arg,
	 unsigned *ndocs)
{
	cJSON *doc;
	unsigned line;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		doc_reset(b);
		return KN_OK;
	case YAML_DOCUMENT_END_EVENT:
		doc = b->root;
		b->root = NULL;
		line = b->doc_line ? b->doc_line
				   : (unsigned)ev->start_mark.line + 1;
		doc_reset(b);
		if (cJSON_IsNull(doc)) {
			cJSON_Delete(doc);
			doc = NULL;
		}
		return cb(arg, doc, line, (*ndocs)++, b->eb);
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return collection_start(b, ev, false);
	case YAML_MAPPING_START_EVENT:
		return collection_start(b, ev, true);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return collection_end(b, ev);
	default:
		return KN_OK;
	}
}

enum kn_err
kn_yaml_read(const char *p, size_t len, const char *name, kn_yaml_doc_cb cb,
	     void *arg, char *errbuf)
{
	struct yb b;
	yaml_parser_t parser;
	yaml_event_t ev;
	enum kn_err e = KN_OK;
	unsigned ndocs = 0;
	bool done = false;

	memset(&b, 0, sizeof(b));
	b.name = name;
	b.text = p;
	b.len = len;
	b.eb = errbuf;
	errbuf[0] = '\0';
	if (!yaml_parser_initialize(&parser))
		return ynomem(&b);
	yaml_parser_set_input_string(&parser, (const unsigned char *)p, len);
	while (!done && e == KN_OK) {
		if (!yaml_parser_parse(&parser, &ev)) {
			e = parser_error(&b, &parser);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		e = on_event(&b, &ev, cb, arg, &ndocs);
		yaml_event_delete(&ev);
	}
	doc_reset(&b);
	free(b.st);
	free(b.anchors);
	yaml_parser_delete(&parser);
	return e;
}

unsigned
kn_yaml_line(const cJSON *node)
{
	if (node == NULL || !(cJSON_IsObject(node) || cJSON_IsArray(node)))
		return 0;
	return node->valueint > 0 ? (unsigned)node->valueint : 0;
}

unsigned
kn_yaml_path_line(const cJSON *obj, const char *path)
{
	const cJSON *n = obj;
	unsigned line = kn_yaml_line(obj);
	char key[128];
	size_t k;
	long idx;
	char *end;

	while (path != NULL && *path != '\0' && n != NULL) {
		if (*path == '.') {
			path++;
			continue;
		}
		if (*path == '[') {
			idx = strtol(path + 1, &end, 10);
			if (*end != ']' || idx < 0 || idx > INT32_MAX)
				break;
			path = end + 1;
			n = cJSON_IsArray(n) ? cJSON_GetArrayItem(n, (int)idx)
					     : NULL;
		} else {
			for (k = 0; path[k] != '\0' && path[k] != '.' &&
				    path[k] != '[' && k + 1 < sizeof(key);
			     k++)
				key[k] = path[k];
			key[k] = '\0';
			path += k;
			n = cJSON_IsObject(n)
				    ? cJSON_GetObjectItemCaseSensitive(n, key)
				    : NULL;
		}
		if (kn_yaml_line(n) != 0)
			line = kn_yaml_line(n);
	}
	return line;
}
