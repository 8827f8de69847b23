/* The view layer: for each pane a schema of typed columns and rows that
 * keep a reference to the object they show, built once from the model
 * and read by the console (ui/) and by the --once printers (report/).
 * See docs/internals/view.md. */
#ifndef K8SNET_VIEW_H
#define K8SNET_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/arena.h"
#include "k8snet/ipaddr.h"

struct kn_model;
struct kn_strs;
struct kn_nodeview;
struct kn_capture;
struct kn_policy_cache;
struct kn_plan;
struct kn_findings;

/* What a value is; printers and sorting follow the type. */
enum kn_vtype {
	KN_VT_TEXT,  /* s; NULL is JSON null, "" in the console */
	KN_VT_UINT,  /* u */
	KN_VT_INT,   /* i */
	KN_VT_BOOL,  /* b: true/false */
	KN_VT_IP,    /* ip; family 0 is null */
	KN_VT_IPS,   /* ips[0..n) */
	KN_VT_COUNT, /* "a/b" (ready/total), sorted by a then b */
	KN_VT_STRS,  /* strs[0..n) (or n strings stride bytes apart from
		      * arr, or packed in arr): a JSON array, joined by sep
		      * in tables */
	KN_VT_MS,    /* ms: milliseconds, in JSON with 3 decimals, as text
		      * for people (0.35ms, 12ms, 1.20s); < 0 is null */
	KN_VT_EPOCH, /* u: epoch milliseconds as seconds.mmm; 0 is null */
	KN_VT_TIME,  /* u: epoch microseconds: in JSON seconds.uuuuuu, as
		      * text the local time of day (HH:MM:SS.mmm) */
	KN_VT_MAP,   /* strs[0..2n): key, value pairs: a JSON object */
	KN_VT_OBJ,   /* sub: one nested object */
	KN_VT_OBJS,  /* sub: n nested objects (JSON array) */
};

/* Where a column shows. A column without KN_VC_JSON has no JSON key; one
 * without KN_VC_TABLE is not in the --once table. */
#define KN_VC_ID 0x01u	    /* part of the row's identity */
#define KN_VC_JSON 0x02u    /* in -o json/jsonl under key */
#define KN_VC_TABLE 0x04u   /* in the -o table/wide table */
#define KN_VC_WIDE 0x08u    /* in the --once table with -o wide only */
#define KN_VC_CONSOLE 0x10u /* a column of the console's table */
/* The namespace: left out of the --once table when one namespace is
 * shown. */
#define KN_VC_NS 0x20u
#define KN_VC_OPT 0x40u /* JSON key left out when the value is absent */
/* An OBJ whose keys go into the enclosing object (fields shared by two
 * views). */
#define KN_VC_INLINE 0x80u
/* How the console cuts a column too narrow for a cell: never (a status
 * word; a narrow screen hides the column instead), or from the middle
 * (free text: names, hosts, paths keep the end that tells rows apart).
 * Addresses and numbers are never cut whatever the flags; other text is
 * cut at its end. */
#define KN_VC_WHOLE 0x100u
#define KN_VC_MIDDLE 0x200u
/* A console column that takes no room while no row shown fills it (the
 * node of transactions, when node agents are read). */
#define KN_VC_HIDE_EMPTY 0x400u
#define KN_VC_ALL (KN_VC_JSON | KN_VC_TABLE | KN_VC_CONSOLE)

/* A row: the object it shows, indexes inside it (an ingress path, a
 * service port) and data the builder derived once for it (owned by the
 * view's arena). A row without obj carries its cells as text. */
struct kn_vrow {
	const void *obj;
	uint32_t i, j;
	uint8_t tone; /* enum kn_vtone */
	const void *aux;
	const char *const *text; /* cells of a text row, NULL otherwise */
};

/* How a row reads: the console colours it. */
enum kn_vtone {
	KN_VTONE_NORMAL,
	KN_VTONE_WARN,
	KN_VTONE_ERROR,
	KN_VTONE_DIM,
	KN_VTONE_OK
};

struct kn_vcol;
struct kn_view;
struct kn_agents_merge;

/* A typed value, filled by a column's getter. Strings are borrowed: from
 * the model, the row's aux data, or buf (the getter's scratch, cap
 * bytes, valid until the next get). A getter may change type for a value
 * that is one of two (targetPort: a name or a number). */
struct kn_value {
	enum kn_vtype type;
	bool absent; /* KN_VC_OPT: leave the key out */
	bool null;   /* JSON null (UINT, MAP, OBJ); "" in text */
	const char *s;
	uint64_t u, u2;
	int64_t i;
	bool b;
	double ms;
	struct kn_ipaddr ip;
	const struct kn_ipaddr *ips;
	const char *const *strs;
	const char *arr;
	size_t stride;
	size_t n;
	/* STRS packed: the n strings back to back in arr[0..len), each
	 * ended by delim (the last one may end at len instead). */
	bool packed;
	char delim;
	size_t len;
	const char *sep; /* STRS in tables (NULL: ",") */
	/* OBJ, OBJS: the nested schema; its getters get rows
	 * sub_row(parent row, k). */
	const struct kn_vcol *sub;
	size_t nsub;
	void (*sub_row)(const struct kn_vrow *parent, size_t k,
			struct kn_vrow *out);
	const struct kn_vrow *row; /* the row it was read from */
	char *buf;
	size_t cap;
};

/* What getters may read besides the row. */
struct kn_vctx {
	const struct kn_model *model;
	struct kn_nodeview *nodeview; /* may be NULL */
	struct kn_capture *capture;   /* names of addresses; may be NULL */
	/* NetworkPolicy verdicts on traffic; NULL: none shown. */
	struct kn_policy_cache *policy;
	const char *ns; /* namespace filter, NULL: all */
	bool ascii;	/* glyphs without UTF-8 */
	bool wide;	/* addresses beside names */
	/* The transactions a traffic view shows: the capture's recent
	 * ones numbered txn_from <= seq < txn_end. */
	uint64_t txn_from, txn_end;
	const struct kn_plan *plan;	    /* --filename, or NULL */
	const struct kn_findings *findings; /* --check's, or NULL */
	/* The node agent a transaction line came from (--agents), shown
	 * under "node"; NULL: none (the key is left out). */
	const char *node;
	/* What the node agents said of their nodes (--agents), for the
	 * Nodes view; NULL: no agents read (its keys are left out). */
	struct kn_agents_merge *agents;
};

struct kn_vcol {
	const char *title;  /* table title ("CLUSTER-IP") */
	const char *ctitle; /* console title when it differs, or NULL */
	const char *key;    /* JSON key */
	enum kn_vtype type;
	unsigned flags; /* KN_VC_* */
	/* Console width hints: at least the title; max 0 is no limit;
	 * weight is the share of spare width. */
	uint8_t min, max, weight;
	bool right; /* right-aligned (numbers) */
	void (*get)(const struct kn_vctx *cx, const struct kn_vrow *r,
		    struct kn_value *v);
};

/* A pane's view: its schema and how its rows are built. */
struct kn_view_def {
	const char *pane;	    /* "pods": the JSON "pane" */
	const struct kn_vcol *cols; /* in JSON key order */
	size_t ncols;
	/* Order of the table's columns (indexes into cols), for the
	 * --once table and the console; NULL: the order of cols. */
	const uint8_t *order;
	size_t norder;
	/* The console's order when it differs from order, or NULL. */
	const uint8_t *corder;
	size_t ncorder;
	const char *empty; /* "pods": the note with no rows */
	/* Fill v's rows (kn_view_add) from cx. Required. */
	void (*build)(struct kn_view *v, const struct kn_vctx *cx);
	/* Optional: keys of the JSON document before "items" (one row,
	 * obj NULL, aux from head_aux), with -o json only. */
	const struct kn_vcol *head;
	size_t nhead;
	const void *(*head_aux)(struct kn_view *v, const struct kn_vctx *cx);
	/* Optional: bring what the rows read up to date before a one-shot
	 * report (the nodes view runs one sweep of port checks). */
	void (*prepare)(const struct kn_vctx *cx);
	/* Optional: text lines the --once table prints before and after
	 * its rows. */
	void (*text)(const struct kn_vctx *cx, struct kn_strs *before,
		     struct kn_strs *after);
	/* Optional: a row's identity in the console (default: a hash of
	 * the text of its KN_VC_ID columns). */
	uint64_t (*row_id)(const struct kn_vrow *r);
	/* Optional, for views of numbered items that arrive in order (the
	 * traffic views: cx->txn_from <= seq < cx->txn_end): add the rows
	 * of the items from number since on after the rows v has. */
	void (*extend)(struct kn_view *v, const struct kn_vctx *cx,
		       uint64_t since);
};

struct kn_view {
	const struct kn_view_def *def;
	struct kn_vrow *rows;
	size_t n, cap;
	struct kn_arena arena;	 /* aux data and text rows */
	struct kn_vdefer *defer; /* run at the next clear */
};

/* The views of the cluster panes, and lookup by --pane name. */
extern const struct kn_view_def kn_view_pods;
extern const struct kn_view_def kn_view_services;
extern const struct kn_view_def kn_view_dns;
extern const struct kn_view_def kn_view_ingress;
extern const struct kn_view_def kn_view_nodes;
extern const struct kn_view_def kn_view_policies;
/* --check: the rows are cx->findings (no pane of the console). */
extern const struct kn_view_def kn_view_findings;
extern const struct kn_view_def kn_view_routes;

/* Captured transactions (view_traffic.c): every one, and the DNS, HTTP
 * and TLS ones with their own console columns; the same JSON keys (the
 * -o jsonl line of DESIGN.md section 4). Rows are the capture's recent
 * transactions cx->txn_from <= seq < cx->txn_end, obj a struct
 * kn_recent (kn_view_traffic_row adds any other). */
extern const struct kn_view_def kn_view_traffic;
extern const struct kn_view_def kn_view_traffic_dns;
extern const struct kn_view_def kn_view_traffic_http;
extern const struct kn_view_def kn_view_traffic_tls;

struct kn_recent;
/* Add r (borrowed until the view's next clear; r->seq its number) as a
 * row of a traffic view. */
void kn_view_traffic_row(struct kn_view *v, const struct kn_recent *r);
/* Bring a traffic view built from cx's capture for the transactions
 * [its first row's, old_end) to [cx->txn_from, cx->txn_end), with
 * everything else in cx as it was: the rows before cx->txn_from go, the
 * rows of the transactions from old_end on are added after the others.
 * Returns how many rows went from the front. */
size_t kn_view_traffic_update(struct kn_view *v, const struct kn_vctx *cx,
			      uint64_t old_end);
/* The transaction of a traffic view's row; NULL when the capture has
 * since reused its entry for a newer one. */
const struct kn_recent *kn_view_traffic_txn(const struct kn_vrow *r);
/* A transaction's end as the console names it: its owner's name (the
 * capture's), else its address; with cx->wide both. Into buf (n bytes);
 * returns buf. */
const char *kn_view_traffic_peer(const struct kn_vctx *cx,
				 const struct kn_ipaddr *ip, char *buf,
				 size_t n);

/* The view of a pane (enum kn_pane_id), or NULL. */
const struct kn_view_def *kn_view_of(int pane);

void kn_view_init(struct kn_view *v, const struct kn_view_def *def);
void kn_view_release(struct kn_view *v);
/* Forget the rows and their aux data (memory is kept). */
void kn_view_clear(struct kn_view *v);
/* Forget the first n rows (rows without aux data: traffic rows). */
void kn_view_drop_front(struct kn_view *v, size_t n);
/* Rebuild the rows from cx. */
void kn_view_build(struct kn_view *v, const struct kn_vctx *cx);
/* Append a row; returns it (valid until the next add). */
struct kn_vrow *kn_view_add(struct kn_view *v, const void *obj, uint32_t i,
			    uint32_t j, enum kn_vtone tone);
/* Append a row of text cells, one per column of def->cols (NULL: ""),
 * copied. */
void kn_view_add_text(struct kn_view *v, const char *const *cells,
		      enum kn_vtone tone);
/* size bytes of zeroed aux memory owned by the view until its next
 * clear. */
void *kn_view_alloc(struct kn_view *v, size_t size);
/* Call fn(arg) at the view's next clear (data a row borrows, such as
 * DNS records, is released then). */
void kn_view_defer(struct kn_view *v, void (*fn)(void *), void *arg);
/* sub_row helpers: the parent row itself; the parent row with j = k. */
void kn_vrow_same(const struct kn_vrow *parent, size_t k, struct kn_vrow *out);
void kn_vrow_sub_j(const struct kn_vrow *parent, size_t k, struct kn_vrow *out);
/* An OBJ value {ready, notReady} of endpoint counts: sub_row gives a
 * row whose aux is the struct kn_ep_count. */
void kn_value_endpoints(struct kn_value *v,
			void (*sub_row)(const struct kn_vrow *parent, size_t k,
					struct kn_vrow *out));
/* A copy of s owned by the view until its next clear (NULL stays NULL). */
const char *kn_view_strdup(struct kn_view *v, const char *s);

/* The value of column c of a row; buf (cap bytes) is the scratch the
 * getter may use. */
void kn_view_get(const struct kn_vctx *cx, const struct kn_vcol *c,
		 const struct kn_vrow *r, struct kn_value *v, char *buf,
		 size_t cap);
/* A value as one line of text into out (cap bytes): lists joined,
 * null as "". Returns out (or a borrowed string). */
const char *kn_value_text(const struct kn_value *v, char *out, size_t cap);
/* Cell text of row r, column c (text rows included). */
const char *kn_view_cell(const struct kn_view *v, const struct kn_vctx *cx,
			 size_t row, size_t col, char *buf, size_t cap);
/* String k of a STRS value (not packed). */
const char *kn_value_str(const struct kn_value *v, size_t k);
/* String k of any STRS value and its length in *len; *at is where the
 * next one starts (0 for k = 0: read them in order). */
const char *kn_value_item(const struct kn_value *v, size_t k, size_t *at,
			  size_t *len);
/* Sort keys of a value: level 0, 1, ... as 64-bit keys ordered as the
 * values are; false when the type sorts by its text (or past the last
 * level). */
bool kn_value_sort_key(const struct kn_value *v, unsigned level, uint64_t *key);

struct kn_pod;
/* How a pod reads: failing (Failed, BackOff, Err...) an error, not ready
 * a warning, Succeeded dimmed. */
enum kn_vtone kn_view_pod_tone(const struct kn_pod *pod);

/* Getters for rows whose obj is a model object (struct kn_obj first). */
void kn_vget_ns(const struct kn_vctx *cx, const struct kn_vrow *r,
		struct kn_value *v);
/* The Nodes view's node agent object ("agent": cni, cniDiffers,
 * clusterDNS, captureDrops, listeners[]) and its table text
 * (view_node_agents.c). */
void kn_vget_node_agent(const struct kn_vctx *cx, const struct kn_vrow *r,
			struct kn_value *v);
void kn_vget_node_agent_text(const struct kn_vctx *cx, const struct kn_vrow *r,
			     struct kn_value *v);
void kn_vget_name(const struct kn_vctx *cx, const struct kn_vrow *r,
		  struct kn_value *v);
/* Getters for rows whose obj is a struct kn_pod: its first address,
 * hostNetwork. */
void kn_vget_pod_ip(const struct kn_vctx *cx, const struct kn_vrow *r,
		    struct kn_value *v);
void kn_vget_host_network(const struct kn_vctx *cx, const struct kn_vrow *r,
			  struct kn_value *v);

/* "planned": true for an object planned from manifests (--filename),
 * the key left out otherwise (KN_VC_OPT). */
void kn_vget_planned(const struct kn_vctx *cx, const struct kn_vrow *r,
		     struct kn_value *v);
/* Whether row shows something planned (its view's "planned" column);
 * tables mark such rows with KN_VIEW_PLANNED_MARK on the name. */
bool kn_view_row_planned(const struct kn_view *v, const struct kn_vctx *cx,
			 size_t row);
#define KN_VIEW_PLANNED_MARK "+"

/* Cluster networking the DNS and Nodes views share (view_netinfo.c):
 * an inline KN_VT_OBJ getter for the JSON head (cni, cniDaemonSet,
 * kubeProxyMode, localNode, host, problems; cx->nodeview required), and
 * the same as text lines. */
void kn_vget_netinfo(const struct kn_vctx *cx, const struct kn_vrow *r,
		     struct kn_value *v);
void kn_view_netinfo_text(const struct kn_vctx *cx, struct kn_strs *t);

/* The column with the JSON key or the title, or -1. */
int kn_view_col_by_key(const struct kn_view_def *d, const char *key);

#endif
