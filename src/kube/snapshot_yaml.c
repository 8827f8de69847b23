/* Snapshot files in YAML: `kubectl get ... -o yaml` output (a v1 List, a
 * typed list, a single object, or documents separated by ---), read with
 * yamljson.c and applied one item at a time like the JSON loader's. A bad
 * item is counted and reported with its line; text that is not YAML stops
 * the file with its line. */
#include <stdio.h>
#include <string.h>

#include "objdecode.h"
#include "snapshot.h"
#include "yamljson.h"

struct ly {
	struct kn_model *m;
	const char *name;
	struct kn_snapshot_stats *st;
	kn_snapshot_warn_cb warn;
	void *arg;
	char *eb;
};

static void
ly_bad(struct ly *l, unsigned line, const char *kind, const cJSON *obj,
       const char *why)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *nm = cJSON_GetObjectItemCaseSensitive(md, "name");
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(md, "namespace");
	char msg[KN_ERRBUF * 2];

	l->st->bad++;
	kn_model_count_bad(l->m);
	if (l->warn == NULL)
		return;
	snprintf(msg, sizeof(msg), "%s:%u: %s %s%s%s: %s", l->name, line,
		 kind != NULL ? kind : "object",
		 cJSON_IsString(ns) ? kn_snapshot_name(l->m, ns->valuestring)
				    : "",
		 cJSON_IsString(ns) ? "/" : "",
		 cJSON_IsString(nm) ? kn_snapshot_name(l->m, nm->valuestring)
				    : "?",
		 why);
	l->warn(l->arg, msg);
}

static enum kn_err
ly_item(struct ly *l, const cJSON *obj, const char *list_kind, unsigned line)
{
	const cJSON *kj = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	const char *kind = cJSON_IsString(kj)
				   ? kj->valuestring
				   : kn_objdecode_item_kind(list_kind);
	char eb[KN_ERRBUF];
	enum kn_err e;

	l->st->objects++;
	if (!cJSON_IsObject(obj) || kind == NULL) {
		ly_bad(l, line, NULL, obj,
		       cJSON_IsObject(obj) ? "kind: missing" : "not an object");
		return KN_OK;
	}
	if (kn_kind_from_name(kind) < 0)
		l->st->unknown++;
	e = kn_objdecode_apply(l->m, KN_EV_ADDED, kind, obj, eb);
	if (e == KN_ERR_NOMEM)
		return kn_errf(l->eb, e, "%s:%u: out of memory", l->name, line);
	if (e != KN_OK)
		ly_bad(l, line, kind, obj, eb);
	else
		l->st->applied++;
	return KN_OK;
}

static enum kn_err
ly_doc(void *arg, cJSON *doc, unsigned line, unsigned index, char *errbuf)
{
	struct ly *l = arg;
	const cJSON *kind, *items, *it;
	enum kn_err e = KN_OK;
	size_t n;

	(void)index;
	if (doc == NULL)
		return KN_OK;
	kind = cJSON_GetObjectItemCaseSensitive(doc, "kind");
	items = cJSON_GetObjectItemCaseSensitive(doc, "items");
	n = cJSON_IsString(kind) ? strlen(kind->valuestring) : 0;
	if (cJSON_IsArray(items) && n >= 4 &&
	    strcmp(kind->valuestring + n - 4, "List") == 0) {
		cJSON_ArrayForEach(it, items)
		{
			e = ly_item(l, it, kind->valuestring,
				    kn_yaml_line(it) ? kn_yaml_line(it) : line);
			if (e != KN_OK)
				break;
		}
	} else {
		e = ly_item(l, doc, NULL, line);
	}
	cJSON_Delete(doc);
	return e;
}

enum kn_err
kn_snapshot_load_yaml(struct kn_model *m, const char *p, size_t len,
		      const char *name, struct kn_snapshot_stats *st,
		      kn_snapshot_warn_cb warn, void *arg, char *errbuf)
{
	struct ly l = {m, name, st, warn, arg, errbuf};

	return kn_yaml_read(p, len, name, ly_doc, &l, errbuf);
}
