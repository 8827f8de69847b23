/* Inside the model: the store's tables and indexes (not for other modules). */
#ifndef K8SNET_MODEL_INT_H
#define K8SNET_MODEL_INT_H

#include <stdio.h>

#include "k8snet/model.h"

struct kn_intern;

struct kn_objtab {
	struct kn_obj **slots;
	size_t nslots, count;
};

/* Members sharing a key of three interned pointers. */
struct kn_group {
	const void *a, *b, *c;
	void **v;
	uint32_t n, cap;
};

struct kn_groupidx {
	struct kn_group **slots;
	size_t nslots, count;
};

/* 24 bytes: the address (IPv4 as ::ffff:a.b.c.d) and its owner; the
 * owner kind follows from the object (a service's own cluster IPs versus
 * its external ones). An empty slot has obj NULL. */
struct kn_ipent {
	uint8_t addr[16];
	struct kn_obj *obj;
};

struct kn_ipidx {
	struct kn_ipent *slots;
	size_t nslots, count;
};

struct kn_model {
	struct kn_intern *in;
	struct kn_objtab tabs[KN_KIND__COUNT];
	struct kn_groupidx pods_by_label; /* (ns, key, value) */
	struct kn_groupidx pods_by_node;  /* (node, -, -) */
	struct kn_groupidx slices_by_svc; /* (ns, service, tag) */
	struct kn_groupidx ing_by_svc;	  /* (ns, service, -) */
	struct kn_ipidx ips;
	uint64_t version;
	uint64_t kind_version[KN_KIND__COUNT];
	uint64_t pod_labels_version;  /* pods whose labels alone changed */
	uint32_t gen[KN_KIND__COUNT]; /* relist generations */
	size_t bytes;		      /* blocks and index arrays */
	size_t unknown, bad;
	char *default_domain;
	char *domain_cache;   /* last domain computed */
	char *gw_versions;    /* the Gateway API's served versions */
	uint8_t gw_api;	      /* enum kn_api_state */
	struct kn_anon *anon; /* borrowed; --anonymize */
	bool has_planned;     /* a planned object was put */
	/* Objects taken out of the model while readers may still point at
	 * them (kn_model_defer_frees): freed by kn_model_collect. */
	bool defer;
	struct kn_obj **grave;
	size_t ngrave, capgrave;
	/* strings.c: sweep once this many bytes are unpinned (0: the
	 * minimum); bytes freed by sweeps so far */
	size_t sweep_at, swept;
};

/* A sweep when enough unpinned bytes came since the last (strings.c). */
void kn_model_maybe_sweep_strings(struct kn_model *m);

const struct kn_group *kn_grp_find(const struct kn_groupidx *g, const void *a,
				   const void *b, const void *c);
bool kn_pod_has_label(const struct kn_pod *p, const char *key,
		      const char *value);

#endif
