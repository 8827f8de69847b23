/* The node agents' DaemonSet (podlog_ds.h): choosing it from a list and
 * writing its selector as the labelSelector of the pod watch, as
 * metav1.LabelSelectorAsSelector does (matchLabels, then In, NotIn,
 * Exists, DoesNotExist). A selector longer than the caller's buffer is
 * refused whole, never cut. */
#include <string.h>

#include "k8snet/buf.h"
#include "k8snet/podlog.h"
#include "podlog_ds.h"

static const cJSON *
jget(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	return b != NULL ? cJSON_GetObjectItemCaseSensitive(v, b) : v;
}

static const char *
jstr(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = jget(o, a, b);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool
labelled(const cJSON *ds)
{
	const char *v =
		jstr(jget(ds, "metadata", "labels"), KN_PODLOG_LABEL, NULL);

	return v != NULL && strcmp(v, KN_PODLOG_LABEL_VALUE) == 0;
}

/* a before b: by namespace, then name */
static bool
before(const cJSON *a, const cJSON *b)
{
	const char *na = jstr(a, "metadata", "namespace"),
		   *nb = jstr(b, "metadata", "namespace");
	const char *ma = jstr(a, "metadata", "name"),
		   *mb = jstr(b, "metadata", "name");
	int c = strcmp(na ? na : "", nb ? nb : "");

	return c < 0 || (c == 0 && strcmp(ma ? ma : "", mb ? mb : "") < 0);
}

const cJSON *
kn_podlog_pick_ds(const cJSON *list, bool any_one, int *nlabelled)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(list, "items");
	const cJSON *it, *best = NULL, *only = NULL;
	int all = 0;

	*nlabelled = 0;
	cJSON_ArrayForEach(it, items)
	{
		if (jstr(it, "metadata", "namespace") == NULL)
			continue;
		all++;
		only = it;
		if (!labelled(it))
			continue;
		(*nlabelled)++;
		if (best == NULL || before(it, best))
			best = it;
	}
	if (best == NULL && any_one && all == 1)
		best = only;
	return best;
}

/* Value strings of an expression, "a,b" (at least one). */
static bool
put_values(struct kn_buf *b, const cJSON *values)
{
	const cJSON *v;
	bool first = true;

	cJSON_ArrayForEach(v, values)
	{
		if (!cJSON_IsString(v))
			return false;
		kn_buf_printf(b, "%s%s", first ? "" : ",", v->valuestring);
		first = false;
	}
	return !first;
}

static bool
put_expression(struct kn_buf *b, const cJSON *e)
{
	const char *key = jstr(e, "key", NULL), *op = jstr(e, "operator", NULL);
	const cJSON *values = jget(e, "values", NULL);

	if (key == NULL || op == NULL)
		return false;
	if (strcmp(op, "Exists") == 0) {
		kn_buf_puts(b, key);
		return true;
	}
	if (strcmp(op, "DoesNotExist") == 0) {
		kn_buf_printf(b, "!%s", key);
		return true;
	}
	if (strcmp(op, "In") != 0 && strcmp(op, "NotIn") != 0)
		return false;
	kn_buf_printf(b, "%s %s (", key, op[0] == 'I' ? "in" : "notin");
	if (!put_values(b, values))
		return false;
	kn_buf_puts(b, ")");
	return true;
}

bool
kn_podlog_selector(const cJSON *ds, char *out, size_t n)
{
	const cJSON *sel = jget(ds, "spec", "selector"), *it;
	struct kn_buf b;
	bool ok = true;

	/* no cap while writing (the object is bounded already): too long
	 * for out is told at the end */
	kn_buf_init(&b, 0);
	cJSON_ArrayForEach(it, jget(sel, "matchLabels", NULL))
	{
		if (!cJSON_IsString(it) || it->string == NULL) {
			ok = false;
			break;
		}
		kn_buf_printf(&b, "%s%s=%s", b.len ? "," : "", it->string,
			      it->valuestring);
	}
	cJSON_ArrayForEach(it, jget(sel, "matchExpressions", NULL))
	{
		if (!ok)
			break;
		if (b.len > 0)
			kn_buf_puts(&b, ",");
		ok = put_expression(&b, it);
	}
	ok = ok && b.len > 0 && b.len < n && b.data != NULL;
	if (ok)
		snprintf(out, n, "%.*s", (int)b.len, b.data);
	kn_buf_release(&b);
	return ok;
}

bool
kn_podlog_matches(const cJSON *match_labels, const cJSON *obj)
{
	const cJSON *labels = jget(obj, "metadata", "labels"), *it;
	const char *have;

	cJSON_ArrayForEach(it, match_labels)
	{
		have = it->string != NULL ? jstr(labels, it->string, NULL)
					  : NULL;
		if (have == NULL || !cJSON_IsString(it) ||
		    strcmp(have, it->valuestring) != 0)
			return false;
	}
	return true;
}
