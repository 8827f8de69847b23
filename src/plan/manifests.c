/* Reading manifests as `kubectl apply -f PATH -R` does: a file of any
 * name, or a folder walked recursively for *.yaml, *.yml and *.json in
 * name order; every document of a file (YAML or JSON, through
 * yamljson.c) is one object, or a List whose items are. Empty documents
 * are skipped; a document that is not an object, or an object without a
 * kind, stops the read with the file and line, as kubectl stops. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../kube/yamljson.h"
#include "k8snet/file.h"
#include "plan_int.h"

#define MF_MAX_DEPTH 32 /* folder levels (a symlink loop ends here) */

struct mf {
	mf_obj_cb cb;
	void *arg;
	const char *file;
};

/* Where a folder walk counts the files it read. */
struct walk {
	mf_obj_cb cb;
	void *arg;
	size_t *nfiles;
};

static const char *
json_type(const cJSON *j)
{
	if (cJSON_IsArray(j))
		return "a list";
	if (cJSON_IsString(j))
		return "a string";
	if (cJSON_IsNumber(j))
		return "a number";
	if (cJSON_IsBool(j))
		return "a boolean";
	return "not an object";
}

static enum kn_err
mf_object(struct mf *c, cJSON *obj, unsigned line, int depth, char *errbuf)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");
	const char *item_kind = NULL;
	char buf[64];
	cJSON *items, *it;
	size_t klen, i = 0;
	unsigned l;
	enum kn_err e;

	if (!cJSON_IsString(kind) || kind->valuestring[0] == '\0')
		return kn_errf(errbuf, KN_ERR_PARSE,
			       "%s:%u: the object has no kind (every object "
			       "needs apiVersion and kind)",
			       c->file, line);
	klen = strlen(kind->valuestring);
	items = cJSON_GetObjectItemCaseSensitive(obj, "items");
	if (klen < 4 || strcmp(kind->valuestring + klen - 4, "List") != 0 ||
	    !cJSON_IsArray(items) || depth > 0)
		return c->cb(c->arg, obj, c->file, line, errbuf);
	/* A List (kubectl get -o yaml) or a typed list (PodList): items
	 * without their own kind take the list's. */
	if (klen > 4) {
		snprintf(buf, sizeof(buf), "%.*s", (int)(klen - 4),
			 kind->valuestring);
		item_kind = buf;
	}
	cJSON_ArrayForEach(it, items)
	{
		l = kn_yaml_line(it) ? kn_yaml_line(it) : line;
		if (!cJSON_IsObject(it))
			return kn_errf(errbuf, KN_ERR_PARSE,
				       "%s:%u: items[%zu] of the %s is %s",
				       c->file, l, i, kind->valuestring,
				       json_type(it));
		if (item_kind != NULL &&
		    cJSON_GetObjectItemCaseSensitive(it, "kind") == NULL &&
		    cJSON_AddStringToObject(it, "kind", item_kind) == NULL)
			return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
		if ((e = mf_object(c, it, l, depth + 1, errbuf)) != KN_OK)
			return e;
		i++;
	}
	return KN_OK;
}

static enum kn_err
mf_doc(void *arg, cJSON *doc, unsigned line, unsigned index, char *errbuf)
{
	struct mf *c = arg;
	enum kn_err e;

	if (doc == NULL)
		return KN_OK; /* "---" with nothing after it */
	if (!cJSON_IsObject(doc))
		e = kn_errf(errbuf, KN_ERR_PARSE,
			    "%s:%u: document %u is %s, not an object (a "
			    "mapping with apiVersion, kind and metadata)",
			    c->file, line, index + 1, json_type(doc));
	else
		e = mf_object(c, doc, line, 0, errbuf);
	cJSON_Delete(doc);
	return e;
}

enum kn_err
mf_read_text(const char *text, size_t len, const char *name, mf_obj_cb cb,
	     void *arg, char *errbuf)
{
	struct mf c = {cb, arg, name};

	return kn_yaml_read(text, len, name, mf_doc, &c, errbuf);
}

static enum kn_err
mf_read_file(const char *path, const struct walk *w, char *errbuf)
{
	char *text;
	size_t len;
	enum kn_err e;

	(*w->nfiles)++;
	e = kn_file_read(path, KN_PLAN_MAX_FILE, &text, &len, errbuf);
	if (e == KN_ERR_LIMIT)
		return kn_errf(errbuf, e, "%s: larger than %u MiB", path,
			       KN_PLAN_MAX_FILE >> 20);
	if (e != KN_OK)
		return e;
	e = mf_read_text(text, len, path, w->cb, w->arg, errbuf);
	free(text);
	return e;
}

static bool
mf_manifest_name(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot != NULL &&
	       (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 ||
		strcmp(dot, ".json") == 0);
}

static int
mf_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum kn_err mf_walk(const char *dir, int depth, const struct walk *w,
			   char *errbuf);

/* One entry of a folder: a manifest file, or a folder to walk. */
static enum kn_err
mf_entry(const char *dir, const char *name, int depth, const struct walk *w,
	 char *errbuf)
{
	struct stat sb;
	char *path;
	size_t n = strlen(dir) + strlen(name) + 2;
	enum kn_err e = KN_OK;

	if ((path = malloc(n)) == NULL)
		return kn_errf(errbuf, KN_ERR_NOMEM, "out of memory");
	snprintf(path, n, "%s%s%s", dir,
		 dir[0] != '\0' && dir[strlen(dir) - 1] == '/' ? "" : "/",
		 name);
	if (stat(path, &sb) != 0)
		e = kn_errf(errbuf, KN_ERR_IO, "%s: %s", path, strerror(errno));
	else if (S_ISDIR(sb.st_mode))
		e = mf_walk(path, depth + 1, w, errbuf);
	else if (S_ISREG(sb.st_mode) && mf_manifest_name(name))
		e = mf_read_file(path, w, errbuf);
	free(path);
	return e;
}

static enum kn_err
mf_walk(const char *dir, int depth, const struct walk *w, char *errbuf)
{
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0, cap = 0, i;
	enum kn_err e = KN_OK;
	DIR *d;

	if (depth > MF_MAX_DEPTH)
		return kn_errf(errbuf, KN_ERR_LIMIT,
			       "%s: folders nested deeper than %d levels (a "
			       "link loop?)",
			       dir, MF_MAX_DEPTH);
	if ((d = opendir(dir)) == NULL)
		return kn_errf(errbuf, KN_ERR_IO, "%s: %s", dir,
			       strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* ., .., .git and other hidden names */
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL) {
				e = KN_ERR_NOMEM;
				break;
			}
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			e = KN_ERR_NOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (e == KN_ERR_NOMEM)
		kn_errf(errbuf, e, "out of memory");
	if (names != NULL)
		qsort(names, n, sizeof(*names), mf_name_cmp);
	for (i = 0; i < n && e == KN_OK; i++)
		e = mf_entry(dir, names[i], depth, w, errbuf);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return e;
}

enum kn_err
mf_read_path(const char *path, mf_obj_cb cb, void *arg, size_t *nfiles,
	     char *errbuf)
{
	struct walk w = {cb, arg, nfiles};
	struct stat sb;

	if (stat(path, &sb) != 0)
		return kn_errf(errbuf,
			       errno == ENOENT ? KN_ERR_NOTFOUND : KN_ERR_IO,
			       "--filename %s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return mf_walk(path, 0, &w, errbuf);
	return mf_read_file(path, &w, errbuf);
}

enum kn_err
mf_read_stdin(char **out, size_t *len, char *errbuf)
{
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0, got;

	*out = NULL;
	*len = 0;
	for (;;) {
		if (n > KN_PLAN_MAX_FILE) {
			free(buf);
			return kn_errf(errbuf, KN_ERR_LIMIT,
				       "(stdin): larger than %u MiB",
				       KN_PLAN_MAX_FILE >> 20);
		}
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 1u << 20;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				return kn_errf(errbuf, KN_ERR_NOMEM,
					       "out of memory");
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(stdin)) {
		free(buf);
		return kn_errf(errbuf, KN_ERR_IO, "(stdin): %s",
			       strerror(errno));
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return KN_OK;
}
