/* Screen layout and key handling: header, tabs, pane body, status, footer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/alloc.h"
#include "k8snet/capture.h"
#include "k8snet/escape.h"
#include "k8snet/live.h"
#include "k8snet/loop.h"
#include "agents_feed.h"
#include "keymap.h"
#include "objyaml.h"
#include "pane.h"
#include "picker.h"
#include "screen.h"

#define KN_INPUT_MAX 256
#define KN_HISTORY_MAX 32	/* commands Up and Down recall */
#define KN_COPY_MAX 1024	/* a value Y copies */
#define KN_FLASH_MS 2500	/* the footer's hint on an unknown key */
#define KN_SCREEN_CHEAP_US 2000 /* hidden panes cheaper than this follow */

struct kn_screen {
	struct kn_app *app;
	struct kn_pane *panes[KN_PANE__COUNT];
	enum kn_pane_id cur;
	enum kn_screen_mode view;
	enum kn_prompt prompt;
	char input[KN_INPUT_MAX];
	size_t inlen;
	const char *prompt_label; /* KN_PROMPT_PANE: "lookup" */
	struct kn_lines lines;	  /* help or detail text */
	size_t lines_top;
	int lines_page;
	char ns[256]; /* "" means all namespaces */
	char msg[256];
	enum kn_role msg_role;
	uint64_t msg_until;
	char theme_req[128];
	bool theme_pending;
	char ctx_req[128];
	bool ctx_pending;
	char copy_req[KN_COPY_MAX];
	bool copy_pending;
	bool quit;
	bool stale[KN_PANE__COUNT]; /* model changed since its last refresh */
	struct kn_picker pick;	    /* KN_VIEW_PICK's list */
	char hints[256];	    /* what Tab found, under the command line */
	char flash[96];		    /* a hint in the footer, for a moment */
	uint64_t flash_until;
	/* Commands run, oldest first; hpos is the one shown (nhist: the
	 * line being typed, kept in draft). */
	char hist[KN_HISTORY_MAX][KN_INPUT_MAX];
	int nhist, hpos;
	char draft[KN_INPUT_MAX];
};

/* What choosing from s->pick does. */
enum { KN_PICK_NS = 1, KN_PICK_CTX, KN_PICK_SORT, KN_PICK_COPY };

struct kn_screen *
kn_screen_new(struct kn_app *app, bool ascii)
{
	struct kn_screen *s = kn_xcalloc(1, sizeof(*s));
	int i;

	s->app = app;
	/* A capture without a cluster has nothing but traffic to show. */
	s->cur = app->opts.pane_set			      ? app->opts.pane
		 : app->capture != NULL && app->model == NULL ? KN_PANE_TRAFFIC
							      : KN_PANE_PODS;
	s->lines_page = 1;
	kn_lines_init(&s->lines);
	if (app->opts.namespace != NULL)
		snprintf(s->ns, sizeof(s->ns), "%s", app->opts.namespace);
	for (i = 0; i < KN_PANE__COUNT; i++)
		s->panes[i] = kn_pane_new(kn_pane_ops_of(i), app, ascii);
	kn_screen_refresh(s);
	return s;
}

void
kn_screen_free(struct kn_screen *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < KN_PANE__COUNT; i++)
		kn_pane_free(s->panes[i]);
	kn_lines_release(&s->lines);
	kn_picker_close(&s->pick);
	free(s);
}

/* Let the model free what it took out once no pane points at it: a
 * hidden pane whose kinds changed since its rows were built drops them
 * (it is stale, rebuilt before it is shown again). */
static void
kn_screen_collect(struct kn_screen *s)
{
	int i;

	if (s->app->model == NULL)
		return;
	for (i = 0; i < KN_PANE__COUNT; i++)
		if (kn_pane_rows_stale(s->panes[i])) {
			kn_pane_forget(s->panes[i]);
			s->stale[i] = true;
		}
	kn_model_collect(s->app->model);
}

void
kn_screen_refresh(struct kn_screen *s)
{
	struct kn_pane_view v;
	int i;

	v.app = s->app;
	v.ns = s->ns[0] != '\0' ? s->ns : NULL;
	for (i = 0; i < KN_PANE__COUNT; i++) {
		kn_pane_refresh(s->panes[i], &v);
		s->stale[i] = false;
	}
	kn_screen_collect(s);
}

void
kn_screen_refresh_lazy(struct kn_screen *s)
{
	int i;

	for (i = 0; i < KN_PANE__COUNT; i++)
		s->stale[i] = (enum kn_pane_id)i != s->cur;
	/* A pane whose kinds did not change keeps its rows (pod events
	 * that only relabel do not rebuild 150,000 pod rows). */
	if (kn_pane_model_changed(s->panes[s->cur]))
		kn_screen_refresh_pane(s, s->cur);
	/* Hidden panes that are cheap to rebuild follow too, so the
	 * header's counts stay current; an expensive one (a large cluster)
	 * waits until it is shown. */
	for (i = 0; i < KN_PANE__COUNT; i++)
		if ((enum kn_pane_id)i != s->cur && i != KN_PANE_TRAFFIC &&
		    s->panes[i]->refresh_cpu_us < KN_SCREEN_CHEAP_US &&
		    kn_pane_model_changed(s->panes[i]))
			kn_screen_refresh_pane(s, (enum kn_pane_id)i);
	kn_screen_collect(s);
}

void
kn_screen_pane_changed(struct kn_screen *s, enum kn_pane_id id)
{
	if ((int)id < 0 || id >= KN_PANE__COUNT)
		return;
	if (id == s->cur)
		kn_screen_refresh_pane(s, id);
	else
		s->stale[id] = true;
}

void
kn_screen_refresh_pane(struct kn_screen *s, enum kn_pane_id id)
{
	struct kn_pane_view v;

	if ((int)id < 0 || id >= KN_PANE__COUNT)
		return;
	v.app = s->app;
	v.ns = s->ns[0] != '\0' ? s->ns : NULL;
	kn_pane_refresh(s->panes[id], &v);
	s->stale[id] = false;
	kn_screen_collect(s);
}

void
kn_screen_message(struct kn_screen *s, enum kn_role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->msg_role = role;
	s->msg_until = kn_now_ms() + KN_SCREEN_MSG_MS;
}

uint64_t
kn_screen_message_deadline(const struct kn_screen *s)
{
	uint64_t msg = s->msg[0] != '\0' ? s->msg_until : 0;
	uint64_t flash = s->flash[0] != '\0' ? s->flash_until : 0;

	if (msg == 0 || (flash != 0 && flash < msg))
		return flash;
	return msg;
}

/* A key nothing is bound to: say so in the footer, for a moment. */
static bool
kn_unknown_key(struct kn_screen *s, int key)
{
	char name[32];

	snprintf(s->flash, sizeof(s->flash), "unknown key %s: ? for help",
		 kn_key_name(key, name, sizeof(name)));
	s->flash_until = kn_now_ms() + KN_FLASH_MS;
	return true;
}

bool
kn_screen_quit_requested(const struct kn_screen *s)
{
	return s->quit;
}

const char *
kn_screen_take_context_request(struct kn_screen *s)
{
	if (!s->ctx_pending)
		return NULL;
	s->ctx_pending = false;
	return s->ctx_req;
}

const char *
kn_screen_take_copy_request(struct kn_screen *s)
{
	if (!s->copy_pending)
		return NULL;
	s->copy_pending = false;
	return s->copy_req;
}

const char *
kn_screen_take_theme_request(struct kn_screen *s)
{
	if (!s->theme_pending)
		return NULL;
	s->theme_pending = false;
	return s->theme_req;
}

enum kn_pane_id
kn_screen_pane(const struct kn_screen *s)
{
	return s->cur;
}

struct kn_pane *
kn_screen_pane_at(struct kn_screen *s, enum kn_pane_id id)
{
	return ((int)id >= 0 && id < KN_PANE__COUNT) ? s->panes[id] : NULL;
}

enum kn_screen_mode
kn_screen_view(const struct kn_screen *s)
{
	return s->view;
}

enum kn_prompt
kn_screen_prompt(const struct kn_screen *s)
{
	return s->prompt;
}

const char *
kn_screen_namespace(const struct kn_screen *s)
{
	return s->ns[0] != '\0' ? s->ns : NULL;
}

/* The table keys and the filter act on: the list to choose from, or
 * the pane's. */
static struct kn_table *
kn_cur_table(struct kn_screen *s)
{
	return s->view == KN_VIEW_PICK && s->pick.t != NULL
		       ? s->pick.t
		       : s->panes[s->cur]->table;
}

/* ---- views: help and detail ---------------------------------------- */

/* One help line per action of a map: its keys joined, then the text. */
static void
kn_help_map(struct kn_lines *l, const struct kn_keymap *m)
{
	char keys[64], name[32];
	size_t i, j, used;

	kn_lines_add(l, "%s", m->title);
	for (i = 0; i < m->n; i++) {
		const struct kn_keybind *b = &m->binds[i];
		bool seen = false;

		for (j = 0; j < i; j++)
			if (m->binds[j].action == b->action &&
			    strcmp(m->binds[j].help, b->help) == 0)
				seen = true;
		if (seen)
			continue;
		keys[0] = '\0';
		used = 0;
		for (j = i; j < m->n; j++) {
			if (m->binds[j].action != b->action ||
			    strcmp(m->binds[j].help, b->help) != 0)
				continue;
			kn_key_name(m->binds[j].key, name, sizeof(name));
			used += (size_t)snprintf(keys + used,
						 sizeof(keys) - used, "%s%s",
						 used ? " " : "", name);
			if (used >= sizeof(keys))
				break;
		}
		kn_lines_add(l, "  %-16s %s", keys, b->help);
	}
	kn_lines_add(l, " ");
}

/* Whether key does something in the current pane's table view. */
static bool
kn_key_bound(struct kn_screen *s, int key)
{
	return kn_keymap_lookup(kn_keymap_global(), key) != KN_ACT_NONE ||
	       kn_keymap_lookup(kn_keymap_table(), key) != KN_ACT_NONE ||
	       (s->panes[s->cur]->ops->objects &&
		kn_keymap_lookup(kn_keymap_object(), key) != KN_ACT_NONE) ||
	       kn_keymap_lookup(s->panes[s->cur]->ops->keys, key) !=
		       KN_ACT_NONE;
}

/* The letter that sorts by column col (Shift and the title's first
 * letter, as k9s), or 0 when that key does something else. */
static int
kn_sort_letter(struct kn_screen *s, const struct kn_column *col)
{
	int c = (unsigned char)col->title[0];

	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	return c >= 'A' && c <= 'Z' && !kn_key_bound(s, c) ? c : 0;
}

/* The help's lines for the current pane's sort letters: "N  NAMESPACE,
 * NAME, NODE". */
static void
kn_help_sort_letters(struct kn_screen *s)
{
	int ncols, i, j, letter;
	const struct kn_column *cols =
		kn_table_columns(s->panes[s->cur]->table, &ncols);
	char names[256], key[8];
	size_t used;

	kn_lines_add(&s->lines, "Sort by column (Shift and its first letter, "
				"as k9s; again: the next one of that letter)");
	for (i = 0; i < ncols; i++) {
		letter = kn_sort_letter(s, &cols[i]);
		for (j = 0; j < i && letter != 0; j++)
			if (kn_sort_letter(s, &cols[j]) == letter)
				letter = 0; /* listed with column j */
		if (letter == 0)
			continue;
		for (j = i, used = 0; j < ncols && used < sizeof(names); j++)
			if (kn_sort_letter(s, &cols[j]) == letter)
				used += (size_t)snprintf(
					names + used, sizeof(names) - used,
					"%s%s", used ? ", " : "",
					cols[j].title);
		snprintf(key, sizeof(key), "%c", letter);
		kn_lines_add(&s->lines, "  %-16s %s", key, names);
	}
	kn_lines_add(&s->lines, " ");
}

static void
kn_open_help(struct kn_screen *s)
{
	const struct kn_keymap *pk = s->panes[s->cur]->ops->keys;

	kn_lines_clear(&s->lines);
	kn_lines_add(&s->lines, "Keys  (Esc: back)");
	kn_lines_add(&s->lines, " ");
	/* The pane's own keys first: what is particular to what is shown. */
	if (pk != NULL)
		kn_help_map(&s->lines, pk);
	if (s->panes[s->cur]->ops->objects)
		kn_help_map(&s->lines, kn_keymap_object());
	kn_help_map(&s->lines, kn_keymap_global());
	kn_help_map(&s->lines, kn_keymap_table());
	kn_help_sort_letters(s);
	kn_help_map(&s->lines, kn_keymap_view());
	kn_help_map(&s->lines, kn_keymap_prompt());
	kn_help_map(&s->lines, kn_keymap_pick());
	kn_lines_add(&s->lines, "Links");
	kn_lines_add(&s->lines, "  %-16s %s", "t",
		     "traffic of the selected pod or service; of an ingress "
		     "path, both legs: requests to its host at the ingress "
		     "and the controller's to its service (host|ns/service)");
	kn_lines_add(&s->lines, " ");
	kn_lines_add(&s->lines, "Commands (after :)");
	kn_lines_add(&s->lines, "  %-16s %s", "pane NAME",
		     "show a pane: pods services dns ingress nodes traffic");
	kn_lines_add(&s->lines, "  %-16s %s", "ns NAME",
		     "only namespace NAME, one that exists (the Nodes pane "
		     "keeps every node); 'ns all' (or 0) shows all; 'ns' "
		     "alone lists them to choose from");
	kn_lines_add(&s->lines, "  %-16s %s", "ctx NAME",
		     "connect to another context of the kubeconfig; 'ctx' "
		     "alone lists them to choose from");
	kn_lines_add(&s->lines, "  %-16s %s", "theme NAME",
		     "default, light, monochrome or a file");
	kn_lines_add(&s->lines, "  %-16s %s", "q", "quit");
	s->view = KN_VIEW_HELP;
	s->lines_top = 0;
}

static void
kn_open_detail(struct kn_screen *s)
{
	struct kn_pane *p = s->panes[s->cur];
	size_t row;

	if (!kn_table_selected(p->table, &row)) {
		kn_screen_message(s, KN_ROLE_STATUS, "no row selected");
		return;
	}
	kn_lines_clear(&s->lines);
	kn_pane_detail(p, row, &s->lines);
	s->view = KN_VIEW_DETAIL;
	s->lines_top = 0;
}

/* y: the selected row's object as YAML. */
static void
kn_open_yaml(struct kn_screen *s)
{
	struct kn_pane *p = s->panes[s->cur];
	const struct kn_vrow *r;
	size_t row;

	if (!kn_table_selected(p->table, &row) ||
	    (r = kn_pane_vrow(p, row)) == NULL || r->obj == NULL) {
		kn_screen_message(s, KN_ROLE_STATUS, "no object selected");
		return;
	}
	kn_lines_clear(&s->lines);
	kn_objyaml(r->obj, &s->lines);
	s->view = KN_VIEW_DETAIL;
	s->lines_top = 0;
}

static void
kn_view_scroll(struct kn_screen *s, int act)
{
	size_t page = (size_t)(s->lines_page > 0 ? s->lines_page : 1);
	size_t max = s->lines.n > page ? s->lines.n - page : 0;

	switch (act) {
	case KN_ACT_UP:
		if (s->lines_top > 0)
			s->lines_top--;
		break;
	case KN_ACT_DOWN:
		s->lines_top++;
		break;
	case KN_ACT_PAGE_UP:
		s->lines_top = s->lines_top > page ? s->lines_top - page : 0;
		break;
	case KN_ACT_PAGE_DOWN:
		s->lines_top += page;
		break;
	case KN_ACT_TOP:
		s->lines_top = 0;
		break;
	case KN_ACT_BOTTOM:
		s->lines_top = max;
		break;
	}
	if (s->lines_top > max)
		s->lines_top = max;
}

/* ---- commands -------------------------------------------------------- */

static int
kn_pane_alias(const char *w)
{
	static const struct {
		const char *alias;
		enum kn_pane_id id;
	} aliases[] = {
		{"po", KN_PANE_PODS},	   {"pod", KN_PANE_PODS},
		{"svc", KN_PANE_SERVICES}, {"service", KN_PANE_SERVICES},
		{"ing", KN_PANE_INGRESS},  {"no", KN_PANE_NODES},
		{"node", KN_PANE_NODES},   {"tr", KN_PANE_TRAFFIC},
		{"pol", KN_PANE_POLICIES}, {"netpol", KN_PANE_POLICIES},
		{"np", KN_PANE_POLICIES},  {"httproute", KN_PANE_ROUTES},
		{"gw", KN_PANE_ROUTES},
	};
	size_t i;
	int id = kn_pane_from_name(w);

	if (id >= 0)
		return id;
	if (w[0] >= '1' && w[0] < '1' + KN_PANE__COUNT && w[1] == '\0')
		return w[0] - '1';
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i].alias, w) == 0)
			return aliases[i].id;
	return -1;
}

static void
kn_switch_pane(struct kn_screen *s, int id)
{
	s->cur = (enum kn_pane_id)((id + KN_PANE__COUNT) % KN_PANE__COUNT);
	s->view = KN_VIEW_TABLE;
	kn_picker_close(&s->pick);
	if (s->stale[s->cur])
		kn_screen_refresh_pane(s, s->cur);
}

/* Namespace names are DNS labels (RFC 1123): lower-case alphanumerics and
 * '-', at most 63. */
static bool
kn_ns_valid(const char *ns)
{
	size_t n = strlen(ns), i;

	if (n == 0 || n > 63)
		return false;
	for (i = 0; i < n; i++)
		if (!((ns[i] >= 'a' && ns[i] <= 'z') ||
		      (ns[i] >= '0' && ns[i] <= '9') || ns[i] == '-'))
			return false;
	return true;
}

/* Whether the model knows namespace ns: by its Namespace object, or
 * where Namespaces are not listed (a snapshot, a user who may not list
 * them) by a pod or service in it. Without a model, or with one still
 * empty (connecting), nothing says it does not exist. */
static bool
kn_ns_exists(const struct kn_model *m, const char *ns)
{
	struct kn_obj **objs = NULL;
	size_t n;

	if (m == NULL)
		return true;
	if (kn_model_count(m, KN_NAMESPACE) > 0)
		return kn_model_find(m, KN_NAMESPACE, NULL, ns) != NULL;
	if (kn_model_count(m, KN_POD) + kn_model_count(m, KN_SERVICE) == 0)
		return true;
	n = kn_model_list(m, KN_POD, ns, &objs);
	free(objs);
	if (n == 0) {
		n = kn_model_list(m, KN_SERVICE, ns, &objs);
		free(objs);
	}
	return n > 0;
}

/* Show namespace ns (NULL: all) in every pane. */
static void
kn_set_ns(struct kn_screen *s, const char *ns)
{
	if (ns == NULL) {
		s->ns[0] = '\0';
		kn_screen_message(s, KN_ROLE_STATUS, "showing all namespaces");
	} else {
		snprintf(s->ns, sizeof(s->ns), "%s", ns);
		kn_screen_message(s, KN_ROLE_STATUS, "namespace %s", ns);
	}
	kn_screen_refresh(s);
}

static int
kn_strcmp_p(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The namespaces of the model, sorted: its Namespace objects, or where
 * they are not listed, those of its pods and services. */
static void
kn_ns_names(const struct kn_model *m, struct kn_strs *out)
{
	static const enum kn_kind kinds[] = {KN_NAMESPACE, KN_POD, KN_SERVICE};
	struct kn_obj **objs = NULL;
	const char *ns, *last;
	size_t n, i, k, j;

	if (m == NULL)
		return;
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (k > 0 && kn_model_count(m, KN_NAMESPACE) > 0)
			break;
		/* Listed by namespace: each one's objects are together. */
		n = kn_model_list(m, kinds[k], NULL, &objs);
		for (i = 0, last = NULL; i < n; i++) {
			ns = k == 0 ? objs[i]->name : objs[i]->ns;
			if (ns[0] == '\0' ||
			    (last != NULL && strcmp(ns, last) == 0))
				continue;
			kn_strs_add(out, ns);
			last = ns;
		}
		free(objs);
		objs = NULL;
	}
	qsort(out->v, out->n, sizeof(*out->v), kn_strcmp_p);
	for (i = 0, j = 0; i < out->n; i++) {
		if (j > 0 && strcmp(out->v[i], out->v[j - 1]) == 0) {
			free(out->v[i]);
			continue;
		}
		out->v[j++] = out->v[i];
	}
	out->n = j;
}

/* Pods by namespace: one pass, a binary search in the sorted names. */
static void
kn_ns_pods(const struct kn_model *m, const struct kn_strs *names, size_t *count)
{
	struct kn_obj **pods = NULL;
	size_t n = kn_model_list(m, KN_POD, NULL, &pods), i;
	char **hit;

	for (i = 0; i < n; i++) {
		const char *ns = pods[i]->ns;

		hit = bsearch(&ns, names->v, names->n, sizeof(*names->v),
			      kn_strcmp_p);
		if (hit != NULL)
			count[hit - names->v]++;
	}
	free(pods);
}

static const struct kn_column kn_pick_ns_cols[] = {
	{"NAMESPACE", 9, 0, KN_ALIGN_LEFT, 1, false, true},
	{"PODS", 4, 8, KN_ALIGN_RIGHT, 0, true, false},
};

/* :ns without a name: the namespaces to choose from, "all" first. */
static void
kn_pick_ns(struct kn_screen *s)
{
	struct kn_strs names = {0};
	size_t *count, i, sel = 0;
	char num[24];
	const char *cells[2];

	kn_ns_names(s->app->model, &names);
	kn_picker_open(&s->pick, KN_PICK_NS, kn_pick_ns_cols, 2,
		       "Namespace to show (Enter chooses, / filters, Esc "
		       "back)");
	count = kn_xcalloc(names.n + 1, sizeof(*count));
	if (s->app->model != NULL)
		kn_ns_pods(s->app->model, &names, count);
	cells[0] = "all";
	snprintf(num, sizeof(num), "%zu",
		 s->app->model != NULL ? kn_model_count(s->app->model, KN_POD)
				       : 0);
	cells[1] = num;
	kn_picker_add(&s->pick, cells, KN_ROLE_NORMAL);
	for (i = 0; i < names.n; i++) {
		snprintf(num, sizeof(num), "%zu", count[i]);
		cells[0] = names.v[i];
		cells[1] = num;
		kn_picker_add(&s->pick, cells,
			      count[i] ? KN_ROLE_NORMAL : KN_ROLE_DIMMED);
		if (strcmp(names.v[i], s->ns) == 0)
			sel = i + 1;
	}
	kn_picker_ready(&s->pick, sel);
	free(count);
	kn_strs_clear(&names);
	s->view = KN_VIEW_PICK;
}

static const struct kn_column kn_pick_ctx_cols[] = {
	{"CONTEXT", 7, 0, KN_ALIGN_LEFT, 1, false, true},
	{"NOTE", 8, 0, KN_ALIGN_LEFT, 0, false, false},
};

/* :ctx without a name: the kubeconfig's contexts, the one in use
 * selected. */
static void
kn_pick_ctx(struct kn_screen *s)
{
	struct kn_strs names = {0};
	struct kn_kube_status st;
	char errbuf[KN_ERRBUF];
	const char *cells[2];
	size_t i, sel = 0;

	if (kn_kube_live_contexts(s->app, &names, errbuf) != KN_OK) {
		kn_screen_message(s, KN_ROLE_ERROR, ":ctx: %s", errbuf);
		kn_strs_clear(&names);
		return;
	}
	kn_kube_live_status(s->app, &st);
	kn_picker_open(&s->pick, KN_PICK_CTX, kn_pick_ctx_cols, 2,
		       "Context of the kubeconfig to connect to (Enter "
		       "chooses, Esc back)");
	for (i = 0; i < names.n; i++) {
		bool cur = st.context != NULL &&
			   strcmp(st.context, names.v[i]) == 0;

		cells[0] = names.v[i];
		cells[1] = cur ? "(in use)" : "";
		kn_picker_add(&s->pick, cells, KN_ROLE_NORMAL);
		if (cur)
			sel = i;
	}
	kn_picker_ready(&s->pick, sel);
	kn_strs_clear(&names);
	s->view = KN_VIEW_PICK;
}

static const struct kn_column kn_pick_sort_cols[] = {
	{"COLUMN", 6, 0, KN_ALIGN_LEFT, 0, false, true},
	{"KEY", 3, 8, KN_ALIGN_LEFT, 0, false, false},
	{"ORDER", 8, 0, KN_ALIGN_LEFT, 1, false, false},
};

/* <, > and F6 (as htop): the pane's columns to sort by. */
static void
kn_pick_sort(struct kn_screen *s)
{
	struct kn_table *t = s->panes[s->cur]->table;
	int ncols, i, sorted = kn_table_sort_col(t), letter;
	const struct kn_column *cols = kn_table_columns(t, &ncols);
	const char *cells[3];
	char key[8];

	kn_picker_open(&s->pick, KN_PICK_SORT, kn_pick_sort_cols, 3,
		       "Sort by (Enter sorts; on the sorted column: "
		       "reverses)");
	for (i = 0; i < ncols; i++) {
		letter = kn_sort_letter(s, &cols[i]);
		snprintf(key, sizeof(key), "%c", letter);
		cells[0] = cols[i].title;
		cells[1] = letter ? key : "";
		cells[2] = i != sorted		      ? ""
			   : kn_table_sort_reverse(t) ? "sorted, descending"
						      : "sorted, ascending";
		kn_picker_add(&s->pick, cells, KN_ROLE_NORMAL);
	}
	kn_picker_ready(&s->pick, sorted > 0 ? (size_t)sorted : 0);
	s->view = KN_VIEW_PICK;
}

static void kn_sort_message(struct kn_screen *s, struct kn_table *t);

/* Sort the pane by column col; the one it is sorted by: reversed. */
static void
kn_sort_by(struct kn_screen *s, int col)
{
	struct kn_table *t = s->panes[s->cur]->table;

	kn_table_sort(t, col,
		      col == kn_table_sort_col(t) ? !kn_table_sort_reverse(t)
						  : false);
	kn_sort_message(s, t);
	kn_pane_table_changed(s->panes[s->cur], KN_ACT_SORT_NEXT);
}

/* Shift and a letter: the first column with that letter, or when the
 * table is sorted by one, the next (reversed when it is the only one).
 * False when no column has it. */
static bool
kn_sort_key(struct kn_screen *s, int key)
{
	struct kn_table *t = s->panes[s->cur]->table;
	int ncols, i, sorted = kn_table_sort_col(t), first = -1, next = -1;
	const struct kn_column *cols = kn_table_columns(t, &ncols);

	for (i = 0; i < ncols; i++) {
		if (kn_sort_letter(s, &cols[i]) != key)
			continue;
		if (first < 0)
			first = i;
		if (next < 0 && sorted >= 0 && i > sorted &&
		    kn_sort_letter(s, &cols[sorted]) == key)
			next = i;
	}
	if (first < 0)
		return false;
	kn_sort_by(s, next >= 0 ? next : first);
	return true;
}

static const struct kn_column kn_pick_copy_cols[] = {
	{"WHAT", 4, 16, KN_ALIGN_LEFT, 0, false, false},
	{"VALUE", 5, 0, KN_ALIGN_LEFT, 1, false, true},
};

/* One value to copy, unless it is empty or already listed (in seen). */
static void
kn_pick_copy_add(struct kn_picker *pk, struct kn_strs *seen, const char *what,
		 const char *value)
{
	const char *cells[2] = {what, value};
	size_t i;

	if (value == NULL || value[0] == '\0' || strcmp(value, "-") == 0)
		return;
	for (i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], value) == 0)
			return;
	kn_strs_add(seen, value);
	kn_picker_add(pk, cells, KN_ROLE_NORMAL);
}

/* Y: what of the selected row to copy: an object's namespace/name and
 * name first, then each cell (addresses among them). */
static void
kn_pick_copy(struct kn_screen *s)
{
	struct kn_pane *p = s->panes[s->cur];
	struct kn_strs seen = {0};
	const struct kn_column *cols;
	const struct kn_vrow *r;
	char full[512], cell[1024];
	int ncols, i;
	size_t row;

	if (!kn_table_selected(p->table, &row)) {
		kn_screen_message(s, KN_ROLE_STATUS, "no row selected");
		return;
	}
	kn_picker_open(&s->pick, KN_PICK_COPY, kn_pick_copy_cols, 2,
		       "Copy to the clipboard (Enter copies, Esc back)");
	r = kn_pane_vrow(p, row);
	if (p->ops->objects && r != NULL && r->obj != NULL) {
		const struct kn_obj *o = r->obj;

		snprintf(full, sizeof(full), "%s%s%s", o->ns,
			 o->ns[0] != '\0' ? "/" : "", o->name);
		kn_pick_copy_add(&s->pick, &seen, "namespace/name", full);
		kn_pick_copy_add(&s->pick, &seen, "name", o->name);
	}
	cols = kn_table_columns(p->table, &ncols);
	for (i = 0; i < ncols; i++)
		kn_pick_copy_add(
			&s->pick, &seen, cols[i].title,
			kn_table_cell(p->table, row, i, cell, sizeof(cell)));
	kn_strs_clear(&seen);
	kn_picker_ready(&s->pick, 0);
	s->view = KN_VIEW_PICK;
}

static void
kn_ctx_request(struct kn_screen *s, const char *name)
{
	snprintf(s->ctx_req, sizeof(s->ctx_req), "%.*s",
		 (int)sizeof(s->ctx_req) - 1, name);
	s->ctx_pending = true;
}

/* Enter in a list: do what it was opened for. */
static void
kn_pick_choose(struct kn_screen *s)
{
	const char *v;
	size_t row;
	char value[256];

	v = kn_picker_selected(&s->pick, 0, &row);
	if (v == NULL)
		return;
	snprintf(value, sizeof(value), "%s", v);
	s->view = KN_VIEW_TABLE;
	switch (s->pick.kind) {
	case KN_PICK_NS:
		kn_set_ns(s, row == 0 ? NULL : value);
		break;
	case KN_PICK_CTX:
		kn_ctx_request(s, value);
		break;
	case KN_PICK_SORT:
		kn_sort_by(s, (int)row);
		break;
	case KN_PICK_COPY:
		v = kn_picker_selected(&s->pick, 1, NULL);
		snprintf(s->copy_req, sizeof(s->copy_req), "%s",
			 v != NULL ? v : "");
		s->copy_pending = true;
		break;
	}
	kn_picker_close(&s->pick);
}

static void
kn_run_command(struct kn_screen *s, char *line)
{
	char *save = NULL, *cmd, *arg, *extra;
	int id;

	/* :can SRC DST [PORT]: the answer in the Policies pane. */
	if (strncmp(line, "can ", 4) == 0 || strcmp(line, "can") == 0) {
		struct kn_pane_view v = {s->app, s->ns[0] ? s->ns : NULL};

		kn_switch_pane(s, KN_PANE_POLICIES);
		kn_lines_clear(&s->lines);
		kn_pane_policies_can(s->panes[KN_PANE_POLICIES], &v, line + 3,
				     &s->lines);
		s->view = KN_VIEW_DETAIL;
		s->lines_top = 0;
		return;
	}
	cmd = strtok_r(line, " \t", &save);
	if (cmd == NULL)
		return;
	arg = strtok_r(NULL, " \t", &save);
	extra = strtok_r(NULL, " \t", &save);
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "q!") == 0 ||
	    strcmp(cmd, "quit") == 0 || strcmp(cmd, "exit") == 0) {
		s->quit = true;
	} else if (strcmp(cmd, "help") == 0) {
		kn_open_help(s);
	} else if (strcmp(cmd, "pane") == 0) {
		if (arg == NULL || (id = kn_pane_alias(arg)) < 0) {
			kn_screen_message(s, KN_ROLE_ERROR,
					  ":pane NAME: one "
					  "of pods services dns ingress "
					  "nodes traffic policies");
			return;
		}
		kn_switch_pane(s, id);
	} else if (strcmp(cmd, "ns") == 0 || strcmp(cmd, "namespace") == 0) {
		if (arg == NULL) {
			kn_pick_ns(s);
			return;
		} else if (strcmp(arg, "all") == 0 || strcmp(arg, "-A") == 0) {
			kn_set_ns(s, NULL);
		} else if (!kn_ns_valid(arg) || extra != NULL) {
			kn_screen_message(s, KN_ROLE_ERROR,
					  ":ns: '%s' is not "
					  "a namespace name",
					  arg);
			return;
		} else if (!kn_ns_exists(s->app->model, arg)) {
			kn_screen_message(s, KN_ROLE_ERROR,
					  ":ns: namespace %s does not exist "
					  "(still showing %s)",
					  arg,
					  s->ns[0] != '\0' ? s->ns
							   : "all namespaces");
			return;
		} else {
			kn_set_ns(s, arg);
		}
	} else if (strcmp(cmd, "theme") == 0) {
		if (arg == NULL) {
			kn_screen_message(s, KN_ROLE_ERROR,
					  ":theme NAME: "
					  "default, light, monochrome or a "
					  "file");
			return;
		}
		snprintf(s->theme_req, sizeof(s->theme_req), "%s", arg);
		s->theme_pending = true;
	} else if (strcmp(cmd, "ctx") == 0 || strcmp(cmd, "context") == 0) {
		if (arg == NULL) {
			kn_pick_ctx(s);
			return;
		}
		if (extra != NULL) {
			kn_screen_message(s, KN_ROLE_ERROR,
					  ":ctx NAME: a "
					  "context of the kubeconfig");
			return;
		}
		kn_ctx_request(s, arg);
	} else if ((id = kn_pane_alias(cmd)) >= 0 && arg == NULL) {
		kn_switch_pane(s, id);
	} else {
		kn_screen_message(s, KN_ROLE_ERROR,
				  "unknown command '%s' (try "
				  ":pane NAME, :ns NAME, :ctx NAME, :can SRC "
				  "DST, :theme NAME, :q)",
				  cmd);
	}
}

/* ---- prompts --------------------------------------------------------- */

static void
kn_input_add(struct kn_screen *s, int key)
{
	char u[4];
	size_t n;

	if (key < 0x80) {
		u[0] = (char)key;
		n = 1;
	} else if (key < 0x800) {
		u[0] = (char)(0xc0 | (key >> 6));
		u[1] = (char)(0x80 | (key & 0x3f));
		n = 2;
	} else if (key < 0x10000) {
		u[0] = (char)(0xe0 | (key >> 12));
		u[1] = (char)(0x80 | ((key >> 6) & 0x3f));
		u[2] = (char)(0x80 | (key & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (key >> 18));
		u[1] = (char)(0x80 | ((key >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((key >> 6) & 0x3f));
		u[3] = (char)(0x80 | (key & 0x3f));
		n = 4;
	}
	/* The filter is capped by the table's limit. */
	if (s->inlen + n >= KN_TABLE_FILTER_MAX)
		return;
	memcpy(s->input + s->inlen, u, n);
	s->inlen += n;
	s->input[s->inlen] = '\0';
}

static void
kn_input_backspace(struct kn_screen *s)
{
	while (s->inlen > 0) {
		s->inlen--;
		if (((unsigned char)s->input[s->inlen] & 0xc0) != 0x80)
			break;
	}
	s->input[s->inlen] = '\0';
}

static void
kn_prompt_open(struct kn_screen *s, enum kn_prompt kind)
{
	s->prompt = kind;
	s->inlen = 0;
	s->input[0] = '\0';
	s->hpos = s->nhist;
	if (kind == KN_PROMPT_FILTER) {
		snprintf(s->input, sizeof(s->input), "%s",
			 kn_table_filter(kn_cur_table(s)));
		s->inlen = strlen(s->input);
	}
}

/* The pane's prompt was entered: its answer becomes a detail view. */
static void
kn_pane_prompt_answer(struct kn_screen *s)
{
	struct kn_pane *p = s->panes[s->cur];
	struct kn_pane_view v;

	if (p->ops->prompt == NULL)
		return;
	v.app = s->app;
	v.ns = s->ns[0] != '\0' ? s->ns : NULL;
	kn_lines_clear(&s->lines);
	p->ops->prompt(p, &v, s->input, &s->lines);
	if (s->lines.n == 0)
		return;
	s->view = KN_VIEW_DETAIL;
	s->lines_top = 0;
}

/* The filter changed: a pane's table tells its pane. */
static void
kn_filter_changed(struct kn_screen *s)
{
	if (s->view != KN_VIEW_PICK)
		kn_pane_table_changed(s->panes[s->cur], KN_ACT_FILTER);
}

/* ---- completion ------------------------------------------------------ */

static const char *const kn_commands[] = {
	"pane", "ns",	 "namespace", "ctx",  "context",
	"can",	"theme", "help",      "quit",
};

/* What may stand at word `nth` (0 or 1) after the command cmd. */
static void
kn_complete_words(struct kn_screen *s, int nth, const char *cmd,
		  struct kn_strs *out)
{
	static const char *const themes[] = {"default", "light", "monochrome"};
	char errbuf[KN_ERRBUF];
	size_t i;

	if (nth == 0) {
		for (i = 0; i < sizeof(kn_commands) / sizeof(kn_commands[0]);
		     i++)
			kn_strs_add(out, kn_commands[i]);
	}
	if (nth == 0 || strcmp(cmd, "pane") == 0)
		for (i = 0; i < KN_PANE__COUNT; i++)
			kn_strs_add(out, kn_pane_name((enum kn_pane_id)i));
	if (nth != 1)
		return;
	if (strcmp(cmd, "ns") == 0 || strcmp(cmd, "namespace") == 0) {
		kn_strs_add(out, "all");
		kn_ns_names(s->app->model, out);
	} else if (strcmp(cmd, "ctx") == 0 || strcmp(cmd, "context") == 0) {
		if (kn_kube_live_contexts(s->app, out, errbuf) != KN_OK)
			snprintf(s->hints, sizeof(s->hints), "%.200s", errbuf);
	} else if (strcmp(cmd, "theme") == 0) {
		for (i = 0; i < sizeof(themes) / sizeof(themes[0]); i++)
			kn_strs_add(out, themes[i]);
	}
}

/* Tab on the command line: the word under the cursor (the end) is
 * completed to what every candidate starting with it shares; one
 * candidate is taken whole, several are listed under the line. */
static void
kn_complete(struct kn_screen *s)
{
	struct kn_strs cands = {0};
	char before[KN_INPUT_MAX], cmd[64] = "", *save = NULL, *w;
	const char *word, *first = NULL, *sp = strrchr(s->input, ' ');
	size_t wlen, common = 0, i, k, n = 0, used = 0;
	int nth = 0;

	/* The words before the one being completed: none or the command
	 * (only the word after it is completed). */
	word = sp != NULL ? sp + 1 : s->input;
	snprintf(before, sizeof(before), "%.*s", (int)(word - s->input),
		 s->input);
	for (w = strtok_r(before, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save), nth++)
		if (nth == 0)
			snprintf(cmd, sizeof(cmd), "%s", w);
	if (nth > 1)
		return;
	wlen = strlen(word);
	kn_complete_words(s, nth, cmd, &cands);
	for (i = 0; i < cands.n; i++) {
		if (strncmp(cands.v[i], word, wlen) != 0)
			continue;
		if (first != NULL && strcmp(first, cands.v[i]) == 0)
			continue; /* a pane named as a command */
		if (first == NULL) {
			first = cands.v[i];
			common = strlen(first);
		}
		for (k = wlen; k < common && cands.v[i][k] == first[k]; k++)
			;
		common = k;
		used += (size_t)snprintf(
			s->hints + used,
			used < sizeof(s->hints) ? sizeof(s->hints) - used : 0,
			"%s%s", n ? "  " : "", cands.v[i]);
		if (used >= sizeof(s->hints))
			used = sizeof(s->hints);
		n++;
	}
	if (n == 0 && s->hints[0] == '\0')
		snprintf(s->hints, sizeof(s->hints),
			 "nothing starts with '%.200s'", word);
	for (k = wlen; first != NULL && k < common; k++)
		kn_input_add(s, (unsigned char)first[k]);
	if (n == 1) {
		s->hints[0] = '\0';
		if (nth == 0)
			kn_input_add(s, ' ');
	}
	kn_strs_clear(&cands);
}

/* ---- history --------------------------------------------------------- */

static void
kn_history_add(struct kn_screen *s, const char *line)
{
	if (line[0] == '\0' ||
	    (s->nhist > 0 && strcmp(s->hist[s->nhist - 1], line) == 0))
		return;
	if (s->nhist == KN_HISTORY_MAX) {
		memmove(s->hist[0], s->hist[1],
			sizeof(s->hist[0]) * (KN_HISTORY_MAX - 1));
		s->nhist--;
	}
	snprintf(s->hist[s->nhist++], sizeof(s->hist[0]), "%s", line);
}

/* Up (-1) and Down (+1) on the command line. */
static void
kn_history_move(struct kn_screen *s, int delta)
{
	int to = s->hpos + delta;

	if (to < 0 || to > s->nhist)
		return;
	if (s->hpos == s->nhist)
		memcpy(s->draft, s->input, sizeof(s->draft));
	s->hpos = to;
	snprintf(s->input, sizeof(s->input), "%s",
		 to == s->nhist ? s->draft : s->hist[to]);
	s->inlen = strlen(s->input);
}

static void
kn_prompt_key(struct kn_screen *s, int key)
{
	struct kn_table *t = kn_cur_table(s);
	char line[KN_INPUT_MAX];

	s->hints[0] = '\0';
	switch (kn_keymap_lookup(kn_keymap_prompt(), key)) {
	case KN_ACT_BACK:
		if (s->prompt == KN_PROMPT_FILTER) {
			kn_table_set_filter(t, "");
			kn_filter_changed(s);
		}
		s->prompt = KN_PROMPT_NONE;
		return;
	case KN_ACT_OPEN:
		if (s->prompt == KN_PROMPT_COMMAND) {
			s->prompt = KN_PROMPT_NONE;
			kn_history_add(s, s->input);
			memcpy(line, s->input, sizeof(line));
			kn_run_command(s, line);
		} else if (s->prompt == KN_PROMPT_PANE) {
			s->prompt = KN_PROMPT_NONE;
			kn_pane_prompt_answer(s);
		}
		s->prompt = KN_PROMPT_NONE;
		return;
	case KN_ACT_ERASE:
		if (s->inlen == 0) {
			s->prompt = KN_PROMPT_NONE;
			return;
		}
		kn_input_backspace(s);
		break;
	case KN_ACT_ERASE_ALL:
		s->inlen = 0;
		s->input[0] = '\0';
		break;
	case KN_ACT_COMPLETE:
		if (s->prompt == KN_PROMPT_COMMAND)
			kn_complete(s);
		return;
	case KN_ACT_HISTORY_PREV:
	case KN_ACT_HISTORY_NEXT:
		if (s->prompt == KN_PROMPT_COMMAND)
			kn_history_move(s, key == KN_KEY_UP ? -1 : 1);
		return;
	default:
		if (key < 32 || key == 127 || key >= KN_KEY_SPECIAL)
			return;
		kn_input_add(s, key);
		break;
	}
	if (s->prompt == KN_PROMPT_FILTER) {
		kn_table_set_filter(t, s->input);
		kn_filter_changed(s);
	}
}

/* ---- keys ------------------------------------------------------------ */

static bool
kn_global_action(struct kn_screen *s, int act)
{
	switch (act) {
	case KN_ACT_QUIT:
		s->quit = true;
		return true;
	case KN_ACT_HELP:
		if (s->view == KN_VIEW_HELP)
			s->view = KN_VIEW_TABLE;
		else
			kn_open_help(s);
		return true;
	case KN_ACT_COMMAND:
		kn_prompt_open(s, KN_PROMPT_COMMAND);
		return true;
	case KN_ACT_PANE_NEXT:
		kn_switch_pane(s, (int)s->cur + 1);
		return true;
	case KN_ACT_PANE_PREV:
		kn_switch_pane(s, (int)s->cur - 1);
		return true;
	case KN_ACT_REDRAW:
		return true;
	case KN_ACT_ALL_NS:
		kn_set_ns(s, NULL);
		return true;
	default:
		if (act >= KN_ACT_PANE_1 && act <= KN_ACT_PANE_8) {
			kn_switch_pane(s, act - KN_ACT_PANE_1);
			return true;
		}
		return false;
	}
}

static void
kn_sort_message(struct kn_screen *s, struct kn_table *t)
{
	int ncols, col = kn_table_sort_col(t);
	const struct kn_column *cols = kn_table_columns(t, &ncols);

	if (col >= 0)
		kn_screen_message(s, KN_ROLE_STATUS, "sorted by %s%s",
				  cols[col].title,
				  kn_table_sort_reverse(t) ? ", reversed" : "");
}

/* Where Left and Right left the columns. */
static void
kn_columns_message(struct kn_screen *s, struct kn_table *t, int delta)
{
	int ncols, first;
	const struct kn_column *cols = kn_table_columns(t, &ncols);
	bool moved = kn_table_hscroll(t, delta);

	first = kn_table_hoff(t);
	if (ncols == 0)
		return;
	if (!moved)
		kn_screen_message(s, KN_ROLE_STATUS, "%s",
				  delta < 0 ? "at the first column"
					    : "every column from here on is "
					      "shown whole");
	else if (first == 0)
		kn_screen_message(s, KN_ROLE_STATUS,
				  "%sfrom the first column (Right scrolls)",
				  kn_table_wide(t) ? "wide, " : "");
	else
		kn_screen_message(s, KN_ROLE_STATUS,
				  "%sfrom column %s, %d of %d (Left scrolls "
				  "back)",
				  kn_table_wide(t) ? "wide, " : "",
				  cols[first].title, first + 1, ncols);
}

/* The moves of a table (rows, pages, ends); false for other actions. */
static bool
kn_table_move_action(struct kn_table *t, int act)
{
	long page = kn_table_page(t);

	switch (act) {
	case KN_ACT_UP:
		kn_table_move(t, -1);
		return true;
	case KN_ACT_DOWN:
		kn_table_move(t, 1);
		return true;
	case KN_ACT_PAGE_UP:
		kn_table_move(t, -page);
		return true;
	case KN_ACT_PAGE_DOWN:
		kn_table_move(t, page);
		return true;
	case KN_ACT_TOP:
		kn_table_move_to(t, 0);
		return true;
	case KN_ACT_BOTTOM:
		kn_table_move_to(t, SIZE_MAX);
		return true;
	default:
		return false;
	}
}

/* A key in a list to choose from: its own keys; a global one leaves
 * it (q only leaves it). */
static bool
kn_pick_key(struct kn_screen *s, int key)
{
	int act = kn_keymap_lookup(kn_keymap_pick(), key), g;

	if (act == KN_ACT_NONE) {
		g = kn_keymap_lookup(kn_keymap_global(), key);
		if (g == KN_ACT_NONE)
			return kn_unknown_key(s, key);
		s->view = KN_VIEW_TABLE;
		kn_picker_close(&s->pick);
		return g == KN_ACT_QUIT || kn_global_action(s, g);
	}
	if (kn_table_move_action(s->pick.t, act))
		return true;
	switch (act) {
	case KN_ACT_FILTER:
		kn_prompt_open(s, KN_PROMPT_FILTER);
		break;
	case KN_ACT_OPEN:
		kn_pick_choose(s);
		break;
	case KN_ACT_BACK:
		if (kn_table_filter(s->pick.t)[0] != '\0') {
			kn_table_set_filter(s->pick.t, "");
			break;
		}
		s->view = KN_VIEW_TABLE;
		kn_picker_close(&s->pick);
		break;
	}
	return true;
}

static bool
kn_table_action(struct kn_screen *s, int act)
{
	struct kn_table *t = s->panes[s->cur]->table;
	int ncols, col = kn_table_sort_col(t), i;

	kn_table_columns(t, &ncols);
	if (kn_table_move_action(t, act)) {
		kn_pane_table_changed(s->panes[s->cur], act);
		return true;
	}
	switch (act) {
	case KN_ACT_FILTER:
		kn_prompt_open(s, KN_PROMPT_FILTER);
		break;
	case KN_ACT_BACK:
		kn_table_set_filter(t, "");
		break;
	case KN_ACT_OPEN:
		kn_open_detail(s);
		break;
	case KN_ACT_SORT_NEXT:
	case KN_ACT_SORT_PREV:
		/* past the columns hidden for being empty */
		for (i = 0; i < ncols; i++) {
			col = act == KN_ACT_SORT_NEXT ? (col + 1) % ncols
			      : col <= 0	      ? ncols - 1
						      : col - 1;
			if (!kn_table_empty_hidden(t, col))
				break;
		}
		kn_table_sort(t, col, false);
		kn_sort_message(s, t);
		break;
	case KN_ACT_SORT_REVERSE:
		kn_table_sort(t, col < 0 ? 0 : col, !kn_table_sort_reverse(t));
		kn_sort_message(s, t);
		break;
	case KN_ACT_SCROLL_LEFT:
	case KN_ACT_SCROLL_RIGHT:
		kn_columns_message(s, t, act == KN_ACT_SCROLL_LEFT ? -1 : 1);
		break;
	case KN_ACT_SORT_PICK:
		kn_pick_sort(s);
		return true;
	case KN_ACT_COPY:
		kn_pick_copy(s);
		return true;
	case KN_ACT_WIDE:
		kn_table_set_wide(t, !kn_table_wide(t));
		if (kn_table_wide(t))
			kn_screen_message(s, KN_ROLE_STATUS,
					  "wide: every column at its full "
					  "width (Left/Right scroll, C-w "
					  "fits the screen again)");
		else
			kn_screen_message(s, KN_ROLE_STATUS,
					  "columns fit the screen");
		break;
	default:
		return false;
	}
	if (act != KN_ACT_OPEN && act != KN_ACT_FILTER)
		kn_pane_table_changed(s->panes[s->cur], act);
	return true;
}

/* `t`: from a row that shows an ingress path, the Traffic pane filtered
 * to both legs of its requests: those to its host (at the ingress
 * controller) and those the controller makes to the backend service
 * ("host|ns/service"), so a 502 shows beside the upstream's 503; from a
 * row with a namespace and a name (pods, services), to "ns/name".
 * Generic over the panes: it reads the row's object through the pane's
 * view. */
static bool
kn_traffic_link(struct kn_screen *s)
{
	struct kn_pane *p = s->panes[s->cur], *tp;
	char a[256], b[256], svc[256], filter[KN_TABLE_FILTER_MAX];
	bool route = false;
	size_t row;

	if (s->cur == KN_PANE_TRAFFIC || !kn_table_selected(p->table, &row))
		return false;
	if (p->ops->view != NULL &&
	    kn_view_col_by_key(p->ops->view, "host") >= 0) {
		/* A rule for any host (null) has nothing to filter by. */
		if (kn_pane_vtext(p, row, "host", a, sizeof(a)) == NULL ||
		    a[0] == '\0' || strcmp(a, "*") == 0)
			return false;
		if (kn_pane_vtext(p, row, "namespace", b, sizeof(b)) != NULL &&
		    kn_pane_vtext(p, row, "backend.service", svc,
				  sizeof(svc)) != NULL)
			snprintf(filter, sizeof(filter), "%.60s|%.32s/%.32s", a,
				 b, svc);
		else
			snprintf(filter, sizeof(filter), "%.120s", a);
	} else if (p->ops->view != NULL &&
		   kn_view_col_by_key(p->ops->view, "hostnames") >= 0 &&
		   kn_pane_vtext(p, row, "hostnames", a, sizeof(a)) != NULL &&
		   a[0] != '\0') {
		/* A route: its hostnames, and the backend upstream. */
		char *c;

		route = true;
		for (c = a; *c != '\0'; c++)
			if (*c == ',')
				*c = '|';
		if (kn_pane_vtext(p, row, "backend.namespace", b, sizeof(b)) !=
			    NULL &&
		    kn_pane_vtext(p, row, "backend.name", svc, sizeof(svc)) !=
			    NULL &&
		    b[0] != '\0' && svc[0] != '\0')
			snprintf(filter, sizeof(filter), "%.60s|%.32s/%.32s", a,
				 b, svc);
		else
			snprintf(filter, sizeof(filter), "%.120s", a);
	} else if (kn_pane_vtext(p, row, "namespace", a, sizeof(a)) != NULL &&
		   kn_pane_vtext(p, row, "name", b, sizeof(b)) != NULL) {
		snprintf(filter, sizeof(filter), "%.63s/%.63s", a, b);
	} else {
		return false;
	}
	if (filter[0] == '\0')
		return false;
	kn_switch_pane(s, KN_PANE_TRAFFIC);
	tp = s->panes[KN_PANE_TRAFFIC];
	kn_table_set_filter(tp->table, filter);
	kn_pane_table_changed(tp, KN_ACT_FILTER);
	if (strchr(filter, '|') != NULL)
		kn_screen_message(s, KN_ROLE_STATUS,
				  "both legs: requests to %s at the %s and to "
				  "%s/%s upstream (Esc clears)",
				  a, route ? "gateway" : "ingress", b, svc);
	else
		kn_screen_message(s, KN_ROLE_STATUS,
				  "traffic of %s (Esc clears the filter)",
				  filter);
	return true;
}

bool
kn_screen_key(struct kn_screen *s, int key)
{
	struct kn_pane *p = s->panes[s->cur];
	int act;

	if (key == KN_KEY_RESIZE)
		return true;
	if (s->prompt != KN_PROMPT_NONE) {
		kn_prompt_key(s, key);
		return true;
	}
	if (s->view == KN_VIEW_PICK)
		return kn_pick_key(s, key);
	if (s->view != KN_VIEW_TABLE) {
		act = kn_keymap_lookup(kn_keymap_view(), key);
		/* As in k9s, quit in a view only leaves the view. */
		if (act == KN_ACT_NONE &&
		    kn_keymap_lookup(kn_keymap_global(), key) == KN_ACT_QUIT)
			act = KN_ACT_BACK;
		if (act == KN_ACT_BACK) {
			s->view = KN_VIEW_TABLE;
			return true;
		}
		if (act != KN_ACT_NONE) {
			kn_view_scroll(s, act);
			return true;
		}
		act = kn_keymap_lookup(kn_keymap_global(), key);
		return act != KN_ACT_NONE ? kn_global_action(s, act)
					  : kn_unknown_key(s, key);
	}
	act = kn_keymap_lookup(kn_keymap_global(), key);
	if (act != KN_ACT_NONE)
		return kn_global_action(s, act);
	act = kn_keymap_lookup(kn_keymap_table(), key);
	if (act != KN_ACT_NONE)
		return kn_table_action(s, act);
	act = p->ops->objects ? kn_keymap_lookup(kn_keymap_object(), key)
			      : KN_ACT_NONE;
	if (act == KN_ACT_YAML) {
		kn_open_yaml(s);
		return true;
	}
	if (act == KN_ACT_DESCRIBE) {
		kn_open_detail(s);
		return true;
	}
	act = kn_keymap_lookup(p->ops->keys, key);
	if (act != KN_ACT_NONE && p->ops->key != NULL) {
		bool r;

		p->prompt_req = NULL;
		r = p->ops->key(p, act);
		if (p->prompt_req != NULL) {
			kn_prompt_open(s, KN_PROMPT_PANE);
			s->prompt_label = p->prompt_req;
			p->prompt_req = NULL;
		}
		if (p->msg[0] != '\0') {
			kn_screen_message(s, KN_ROLE_STATUS, "%s", p->msg);
			p->msg[0] = '\0';
		}
		return r;
	}
	if (key == 't') {
		if (!kn_traffic_link(s))
			kn_screen_message(s, KN_ROLE_STATUS,
					  "t: the selected row leads to no "
					  "traffic");
		return true;
	}
	if (key >= 'A' && key <= 'Z' && kn_sort_key(s, key))
		return true;
	return kn_unknown_key(s, key);
}

/* ---- drawing --------------------------------------------------------- */

/* The live Kube-API's state: "not connected" while it has never
 * answered and fails, "reconnecting" when it worked before, with the
 * seconds to the next try. */
static const char *
kn_api_text(const struct kn_app *app, enum kn_role *role, char *buf, size_t n)
{
	struct kn_kube_status st;

	kn_kube_live_status(app, &st);
	if (st.error[0] == '\0')
		return st.ever_synced ? "synced" : "connecting";
	*role = st.ever_synced ? KN_ROLE_WARNING : KN_ROLE_ERROR;
	if (st.retry_in_ms > 0)
		snprintf(buf, n, "%s, retry in %llus",
			 st.ever_synced ? "reconnecting" : "not connected",
			 (unsigned long long)(st.retry_in_ms + 999) / 1000);
	else
		snprintf(buf, n, "%s, retrying",
			 st.ever_synced ? "reconnecting" : "not connected");
	return buf;
}

static const char *
kn_conn_text(const struct kn_app *app, enum kn_role *role, char *buf, size_t n)
{
	*role = KN_ROLE_HEADER;
	if (app->kube != NULL)
		return kn_api_text(app, role, buf, n);
	switch (app->conn) {
	case KN_CONN_CONNECTING:
		return "connecting";
	case KN_CONN_SYNCED:
		return "synced";
	case KN_CONN_DEGRADED:
		*role = KN_ROLE_WARNING;
		return "retrying";
	case KN_CONN_NONE:
	default:
		return app->opts.demo ? "demo" : "offline";
	}
}

/* src cut in its middle into w columns at (0, x): its first word and
 * the path's root ("snapshot /", in a narrow w only "/"), the ellipsis,
 * then as much of its end (the file's name) as fits. Returns the
 * columns used. */
static int
kn_header_cut(struct kn_canvas *c, int x, const char *src, int w)
{
	bool ascii = kn_canvas_ascii(c);
	const char *sp = strchr(src, ' ');
	const char *ell = kn_canvas_glyph(c, KN_GLYPH_ELLIPSIS);
	size_t len = strlen(src), head, tail = len, t;
	int hw, used;

	head = sp != NULL ? (size_t)(sp - src) + 1 : 0;
	if (head < len && src[head] == '/')
		head++;
	hw = (int)kn_escaped_width(src, head, ascii);
	if (hw > w / 4) { /* narrow: the path's root, not the word */
		src += sp != NULL ? (size_t)(sp - src) + 1 : 0;
		len = strlen(src);
		tail = len;
		head = src[0] == '/' ? 1 : 0;
		hw = (int)head;
	}
	/* The longest end, starting on a character, that fits beside the
	 * head and the ellipsis. */
	for (t = len; t-- > head;) {
		if (((unsigned char)src[t] & 0xc0) == 0x80)
			continue;
		if ((int)kn_escaped_width(src + t, len - t, ascii) > w - hw - 1)
			break;
		tail = t;
	}
	used = kn_canvas_put(c, 0, x, hw, KN_ROLE_HEADER, src, head, 0);
	used += kn_canvas_put(c, 0, x + used, 1, KN_ROLE_HEADER, ell,
			      strlen(ell), 0);
	used += kn_canvas_put(c, 0, x + used, w - used, KN_ROLE_HEADER,
			      src + tail, len - tail, 0);
	return used;
}

/* " k8snet-top  SOURCE  ctx:C  ns:N " at (0, 0) within w columns:
 * a long source (a snapshot's path) is cut in its middle, so that its
 * start and the file's name stay; then the context and namespace are
 * cut at their end. Cuts show the canvas's ellipsis. Returns the
 * columns used. */
static int
kn_header_left(struct kn_canvas *c, const char *src, const char *ctx,
	       const char *ns, int w)
{
	static const char name[] = " k8snet-top  ";
	char tail[640];
	bool ascii = kn_canvas_ascii(c);
	int x, sw, tw, room;

	snprintf(tail, sizeof(tail), "%s%s  ns:%s ", ctx ? "  ctx:" : "",
		 ctx ? ctx : "", ns);
	sw = (int)kn_escaped_width(src, strlen(src), ascii);
	tw = (int)kn_escaped_width(tail, strlen(tail), ascii);
	x = kn_canvas_put(c, 0, 0, w, KN_ROLE_HEADER, name, strlen(name), 0);
	room = w - x - tw;
	if (room < 16)
		room = 16; /* the tail is cut instead */
	if (sw <= room)
		x += kn_canvas_put(c, 0, x, sw, KN_ROLE_HEADER, src,
				   strlen(src), 0);
	else
		x += kn_header_cut(c, x, src, room);
	if (w > x) /* w < 0 would draw to the edge */
		x += kn_canvas_put(c, 0, x, w - x, KN_ROLE_HEADER, tail,
				   strlen(tail), KN_PUT_ELLIPSIS);
	return x;
}

/* Columns the header's left side takes of avail when it is lw wide
 * and the counts cw: the counts get what it leaves, and at least a
 * third of avail, so a long path or namespace does not hide them. */
static int
kn_header_left_width(int lw, int cw, int avail)
{
	int half = avail * 2 / 3 < lw ? avail * 2 / 3 : lw;

	if (lw <= avail - cw)
		return lw;
	return avail - cw > half ? avail - cw : half;
}

static void
kn_draw_header(struct kn_screen *s, struct kn_canvas *c, int cols, time_t now)
{
	const struct kn_app *app = s->app;
	char left[1400], right[128], clock[16], drops[96] = "", cbuf[64];
	char agents[64], counts[512] = "";
	enum kn_role arole;
	const char *src, *conn, *ctx, *ns, *p, *next;
	size_t n;
	enum kn_role crole, drole = KN_ROLE_HEADER;
	struct tm tm;
	int x, i, rw, dw;

	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M", &tm);
	conn = kn_conn_text(app, &crole, cbuf, sizeof(cbuf));
	snprintf(right, sizeof(right), "%s%s  %s ",
		 app->insecure_tls ? "TLS NOT VERIFIED  " : "", conn, clock);
	rw = (int)strlen(right);
	if (app->capture != NULL && !kn_capture_is_agents(app->capture)) {
		struct kn_capture_drops d;

		/* Losses: the kernel's and the interface's (pcap_stats), then
		 * the engine's own evictions. A file or the demo replay has no
		 * kernel to drop packets: shown only when there is a loss. */
		kn_capture_drops(app->capture, &d);
		if (d.kernel || d.interface || d.evicted ||
		    kn_capture_stopped(app->capture) != NULL)
			drole = KN_ROLE_WARNING;
		if (kn_capture_stopped(app->capture) != NULL)
			snprintf(drops, sizeof(drops), "capture stopped  ");
		else if (drole == KN_ROLE_WARNING ||
			 (!kn_capture_is_file(app->capture) &&
			  !kn_capture_is_demo(app->capture) &&
			  !kn_capture_is_replay(app->capture)))
			snprintf(drops, sizeof(drops),
				 "drop %llu/%llu evict %llu  ",
				 (unsigned long long)d.kernel,
				 (unsigned long long)d.interface,
				 (unsigned long long)d.evicted);
	}
	/* The node agents: how many stream, what their captures lost. */
	kn_agents_feed_header(app->agents, agents, sizeof(agents), &arole);
	if (agents[0] != '\0') {
		size_t l = strlen(drops);

		snprintf(drops + l, sizeof(drops) - l, "%s  ", agents);
		if (arole == KN_ROLE_WARNING)
			drole = KN_ROLE_WARNING;
	}
	dw = (int)strlen(drops);

	kn_canvas_fill(c, 0, 0, cols, KN_ROLE_HEADER);
	src = app->source[0] != '\0' ? app->source
	      : app->opts.demo	     ? "demo"
				     : "no source";
	ctx = app->opts.context;
	ns = s->ns[0] != '\0' ? s->ns : "all";
	for (i = 0; i < KN_PANE__COUNT; i++) {
		if (i == KN_PANE_TRAFFIC || i == KN_PANE_POLICIES)
			continue;
		n = strlen(counts);
		snprintf(counts + n, sizeof(counts) - n, " %s %zu",
			 s->panes[i]->ops->title,
			 kn_table_total(s->panes[i]->table));
	}
	snprintf(left, sizeof(left), " k8snet-top  %s%s%s  ns:%s ", src,
		 ctx ? "  ctx:" : "", ctx ? ctx : "", ns);
	x = kn_header_left(
		c, src, ctx, ns,
		kn_header_left_width((int)kn_escaped_width(left, strlen(left),
							   kn_canvas_ascii(c)),
				     (int)strlen(counts), cols - rw - dw - 1));
	/* Counts fill what the right side leaves, whole or not at all. */
	for (p = counts; *p != '\0'; p = next) {
		next = strchr(p + 1, ' ');
		next = next != NULL ? strchr(next + 1, ' ') : NULL;
		if (next == NULL)
			next = p + strlen(p);
		if (x + (int)(next - p) > cols - rw - dw - 1)
			break;
		x += kn_canvas_put(c, 0, x, (int)(next - p), KN_ROLE_HEADER, p,
				   (size_t)(next - p), 0);
	}
	kn_canvas_put(c, 0, cols - rw, rw,
		      app->insecure_tls ? KN_ROLE_WARNING : crole, right,
		      strlen(right), 0);
	if (dw > 0 && x + dw < cols - rw)
		kn_canvas_put(c, 0, cols - rw - dw, dw, drole, drops,
			      strlen(drops), 0);
}

/* Under the tabs while the Kube-API fails: why (the server and the
 * cause), on up to two lines; or, when kinds are forbidden (403), which
 * and what to grant. Returns the rows used. */
static int
kn_draw_api_banner(struct kn_screen *s, struct kn_canvas *c, int y, int cols)
{
	struct kn_kube_status st;
	char line[KN_ERRBUF + 128];
	enum kn_role role = KN_ROLE_ERROR;
	size_t len, cut;
	int w = cols - 2;

	if (s->app->kube == NULL)
		return 0;
	kn_kube_live_status(s->app, &st);
	if (st.error[0] != '\0') {
		snprintf(line, sizeof(line),
			 "Kube-API, %u attempt%s failed: %s", st.attempts,
			 st.attempts == 1 ? "" : "s", st.error);
	} else if (st.forbidden > 0) {
		role = KN_ROLE_WARNING;
		snprintf(line, sizeof(line),
			 "Kube-API, %d kind%s forbidden: %s", st.forbidden,
			 st.forbidden == 1 ? "" : "s", st.forbidden_error);
	} else {
		return 0;
	}
	kn_canvas_fill(c, y, 0, cols, role);
	len = strlen(line);
	if ((int)kn_escaped_width(line, len, kn_canvas_ascii(c)) <= w) {
		kn_canvas_put(c, y, 1, w, role, line, len, 0);
		return 1;
	}
	/* Two lines, the first broken at a blank. */
	for (cut = (size_t)w < len ? (size_t)w : len; cut > 0; cut--)
		if (line[cut] == ' ')
			break;
	if (cut == 0)
		cut = (size_t)w < len ? (size_t)w : len;
	kn_canvas_put(c, y, 1, w, role, line, cut, 0);
	kn_canvas_fill(c, y + 1, 0, cols, role);
	while (line[cut] == ' ')
		cut++;
	kn_canvas_put(c, y + 1, 3, w - 2, role, line + cut, len - cut,
		      KN_PUT_ELLIPSIS);
	return 2;
}

static void
kn_draw_tabs(struct kn_screen *s, struct kn_canvas *c, int cols)
{
	struct kn_table *t = kn_cur_table(s);
	char tab[32], right[192];
	int i, x = 0, rw, full = 0;
	bool narrow;

	/* " 1 Pods  2 Services ..." where it fits, else "1 Pods 2 ..." so
	 * that every pane's key shows at 80 columns. */
	for (i = 0; i < KN_PANE__COUNT; i++)
		full += (int)strlen(s->panes[i]->ops->title) + 5;
	narrow = full > cols;
	kn_canvas_fill(c, 1, 0, cols, KN_ROLE_TAB);
	if (narrow)
		x += kn_canvas_puts(c, 1, x, KN_ROLE_TAB, " ");
	for (i = 0; i < KN_PANE__COUNT; i++) {
		snprintf(tab, sizeof(tab), narrow ? "%d %s" : " %d %s ", i + 1,
			 s->panes[i]->ops->title);
		x += kn_canvas_puts(c, 1, x,
				    (enum kn_pane_id)i == s->cur
					    ? KN_ROLE_TAB_ACTIVE
					    : KN_ROLE_TAB,
				    tab);
		x += kn_canvas_puts(c, 1, x, KN_ROLE_TAB, " ");
	}
	snprintf(right, sizeof(right), "%zu/%zu ",
		 kn_table_visible(t) ? kn_table_cursor(t) + 1 : 0,
		 kn_table_visible(t));
	rw = (int)kn_escaped_width(right, strlen(right), kn_canvas_ascii(c));
	if (x + rw < cols)
		kn_canvas_put(c, 1, cols - rw, rw, KN_ROLE_TAB, right,
			      strlen(right), 0);
}

static void
kn_draw_lines(struct kn_screen *s, struct kn_canvas *c, int y, int h, int cols)
{
	size_t i;
	int line;

	s->lines_page = h;
	kn_view_scroll(s, KN_ACT_NONE);
	for (line = 0, i = s->lines_top; line < h && i < s->lines.n;
	     line++, i++) {
		const char *l = s->lines.v[i];
		/* Unindented lines are headings, unless a role was given. */
		enum kn_role role =
			(l[0] != ' ') ? KN_ROLE_TITLE : KN_ROLE_NORMAL;

		if (s->lines.roles != NULL && s->lines.roles[i] != 0)
			role = (enum kn_role)(s->lines.roles[i] - 1);

		kn_canvas_put(c, y + line, 1, cols - 2, role, l, strlen(l),
			      KN_PUT_ELLIPSIS);
	}
}

/* A message too wide for the line: one that starts with a file's path
 * ("/long/dir/theme.yaml:5: unknown colour") loses the end of the folder,
 * so the file's name, the line and the cause stay; any other loses its
 * end. */
static void
kn_put_message(struct kn_canvas *c, int y, int x, int w, enum kn_role role,
	       const char *msg)
{
	const char *colon = msg[0] == '/' ? strchr(msg, ':') : NULL;
	const char *base;
	size_t len = strlen(msg);
	int dw, n;

	if (colon != NULL && len > (size_t)w) {
		base = colon;
		while (base > msg && base[-1] != '/')
			base--;
		/* what the folder may take: at least a few characters */
		dw = w - (int)(len - (size_t)(base - msg));
		if (dw < 8)
			dw = 8;
		n = kn_canvas_put(c, y, x, dw, role, msg, (size_t)(base - msg),
				  KN_PUT_ELLIPSIS);
		kn_canvas_put(c, y, x + n, w - n, role, base, strlen(base),
			      KN_PUT_ELLIPSIS);
		return;
	}
	kn_canvas_put(c, y, x, w, role, msg, len, KN_PUT_ELLIPSIS);
}

static void
kn_draw_status(struct kn_screen *s, struct kn_canvas *c, int y, int cols)
{
	struct kn_table *t = kn_cur_table(s);
	char line[KN_INPUT_MAX + 96];
	int x;

	if (s->prompt != KN_PROMPT_NONE) {
		kn_canvas_fill(c, y, 0, cols, KN_ROLE_PROMPT);
		if (s->prompt == KN_PROMPT_PANE)
			snprintf(line, sizeof(line), "%s: %s",
				 s->prompt_label != NULL ? s->prompt_label
							 : "input",
				 s->input);
		else
			snprintf(line, sizeof(line), "%c%s",
				 s->prompt == KN_PROMPT_FILTER ? '/' : ':',
				 s->input);
		x = kn_canvas_put(c, y, 0, cols - 1, KN_ROLE_PROMPT, line,
				  strlen(line), 0);
		kn_canvas_puts(c, y, x, KN_ROLE_PROMPT, "_");
		return;
	}
	if (s->msg[0] != '\0' && kn_now_ms() >= s->msg_until)
		s->msg[0] = '\0';
	if (s->msg[0] != '\0') {
		kn_put_message(c, y, 1, cols - 1, s->msg_role, s->msg);
		return;
	}
	/* With nothing to say, the status line shows the active filter. */
	if ((s->view == KN_VIEW_TABLE || s->view == KN_VIEW_PICK) &&
	    kn_table_filter(t)[0] != '\0') {
		snprintf(line, sizeof(line),
			 "filter \"%s\": %zu of %zu rows "
			 "(Esc clears)",
			 kn_table_filter(t), kn_table_visible(t),
			 kn_table_total(t));
		kn_canvas_put(c, y, 1, cols - 1, KN_ROLE_STATUS, line,
			      strlen(line), KN_PUT_ELLIPSIS);
	}
}

static int
kn_footer_map(struct kn_canvas *c, int y, int x, int cols,
	      const struct kn_keymap *m)
{
	char name[32];
	size_t i;
	int need;

	if (m == NULL)
		return x;
	for (i = 0; i < m->n; i++) {
		const struct kn_keybind *b = &m->binds[i];

		if (b->hint == NULL)
			continue;
		kn_key_name(b->key, name, sizeof(name));
		need = (int)(strlen(name) + strlen(b->hint)) + 3;
		if (x + need > cols)
			return cols;
		x += kn_canvas_puts(c, y, x, KN_ROLE_KEY, name);
		x += kn_canvas_puts(c, y, x, KN_ROLE_FOOTER, " ");
		x += kn_canvas_puts(c, y, x, KN_ROLE_FOOTER, b->hint);
		x += kn_canvas_puts(c, y, x, KN_ROLE_FOOTER, "  ");
	}
	return x;
}

static void
kn_draw_footer(struct kn_screen *s, struct kn_canvas *c, int y, int cols)
{
	int x = 1;

	kn_canvas_fill(c, y, 0, cols, KN_ROLE_FOOTER);
	if (s->flash[0] != '\0' && kn_now_ms() >= s->flash_until)
		s->flash[0] = '\0';
	if (s->flash[0] != '\0' && s->prompt == KN_PROMPT_NONE) {
		kn_canvas_fill(c, y, 0, cols, KN_ROLE_WARNING);
		kn_canvas_put(c, y, 1, cols - 2, KN_ROLE_WARNING, s->flash,
			      strlen(s->flash), KN_PUT_ELLIPSIS);
		return;
	}
	if (s->prompt == KN_PROMPT_COMMAND && s->hints[0] != '\0') {
		kn_canvas_put(c, y, 1, cols - 2, KN_ROLE_FOOTER, s->hints,
			      strlen(s->hints), KN_PUT_ELLIPSIS);
		return;
	}
	if (s->prompt != KN_PROMPT_NONE) {
		kn_footer_map(c, y, x, cols, kn_keymap_prompt());
		return;
	}
	if (s->view == KN_VIEW_PICK) {
		x = kn_footer_map(c, y, x, cols, kn_keymap_pick());
	} else if (s->view != KN_VIEW_TABLE) {
		x = kn_footer_map(c, y, x, cols, kn_keymap_view());
	} else {
		/* The pane's own keys first; then the table's, leaving
		 * room for "? help  : cmd  q quit", the global keys that
		 * come first. */
		int room = cols - 24;

		x += kn_canvas_puts(c, y, x, KN_ROLE_KEY, "1-8");
		x += kn_canvas_puts(c, y, x, KN_ROLE_FOOTER, " panes  ");
		x = kn_footer_map(c, y, x, room, s->panes[s->cur]->ops->keys);
		x = kn_footer_map(c, y, x, room, kn_keymap_table());
	}
	kn_footer_map(c, y, x, cols, kn_keymap_global());
}

static void
kn_draw_too_small(struct kn_canvas *c, int rows, int cols)
{
	char msg[96];
	int y = rows / 2 - 1, x;

	snprintf(msg, sizeof(msg),
		 "terminal too small (need %dx%d, have "
		 "%dx%d)",
		 KN_SCREEN_MIN_COLS, KN_SCREEN_MIN_ROWS, cols, rows);
	x = (cols - (int)strlen(msg)) / 2;
	kn_canvas_put(c, y < 0 ? 0 : y, x < 0 ? 0 : x, -1, KN_ROLE_WARNING, msg,
		      strlen(msg), 0);
	snprintf(msg, sizeof(msg), "enlarge the window, or press q to quit");
	x = (cols - (int)strlen(msg)) / 2;
	kn_canvas_put(c, y + 1, x < 0 ? 0 : x, -1, KN_ROLE_DIMMED, msg,
		      strlen(msg), 0);
}

void
kn_screen_draw(struct kn_screen *s, struct kn_canvas *c, time_t now)
{
	int rows = kn_canvas_rows(c), cols = kn_canvas_cols(c);
	int body = rows - 4, top;
	struct kn_pane *p = s->panes[s->cur];

	kn_canvas_clear(c);
	if (rows < KN_SCREEN_MIN_ROWS || cols < KN_SCREEN_MIN_COLS) {
		kn_draw_too_small(c, rows, cols);
		return;
	}
	kn_draw_header(s, c, cols, now);
	kn_draw_tabs(s, c, cols);
	top = 2 + kn_draw_api_banner(s, c, 2, cols);
	body -= top - 2;
	if (s->view == KN_VIEW_PICK)
		kn_picker_draw(&s->pick, c, top, 0, body, cols);
	else if (s->view != KN_VIEW_TABLE)
		kn_draw_lines(s, c, top, body, cols);
	else if (p->ops->draw != NULL)
		p->ops->draw(p, c, top, 0, body, cols);
	else
		kn_table_draw(p->table, c, top, 0, body, cols,
			      p->note[0] != '\0' ? p->note : NULL);
	kn_draw_status(s, c, rows - 2, cols);
	kn_draw_footer(s, c, rows - 1, cols);
}
