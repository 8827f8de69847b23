/* Inside the object decoder: the decoding state, the block packer and
 * the typed getters objdecode.c shares with the NetworkPolicy decoder
 * (objdecode_netpol.c) and the Gateway API's (objdecode_gateway.c). Not
 * for other modules. */
#ifndef K8SNET_OBJDECODE_INT_H
#define K8SNET_OBJDECODE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "k8snet/err.h"
#include "k8snet/model.h"

struct dec {
	struct kn_model *m;
	char *eb;
	bool paths;   /* format JSON paths (only when reporting an error) */
	bool nomem;   /* an allocation failed: KN_ERR_NOMEM, not malformed */
	bool planned; /* from manifests: struct kn_obj.planned */
};

/* One heap block being filled: the struct first, then its arrays and
 * strings. */
struct pack {
	char *p;
	size_t off, cap;
};

struct meta {
	const char *ns, *name, *uid; /* uid is checked, not kept */
	const cJSON *labels, *annotations, *owners;
	int kind; /* enum kn_kind */
	bool deleting;
};

/* A path for messages. Formatting every array element's path cost a
 * tenth of a snapshot's load, so objects are decoded without paths and
 * decoded again with them only when they fail. */
const char *dpath(struct dec *d, char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Typed getters: absent or null is "not set" (NULL, 0), a wrong type
 * fails with dfail(). They return 0 or -1. */
int dfail(struct dec *d, const char *path, const char *key, const char *what);
int dnomem(struct dec *d);
const cJSON *jget(const cJSON *o, const char *k);
int jstr(struct dec *d, const cJSON *o, const char *k, const char *path,
	 const char **out);
int jint(struct dec *d, const cJSON *o, const char *k, const char *path,
	 long lo, long hi, long *out);
int jobj(struct dec *d, const cJSON *o, const char *k, const char *path,
	 const cJSON **out);
int jarr(struct dec *d, const cJSON *o, const char *k, const char *path,
	 const cJSON **out, size_t *n);
/* "protocol" of a port: TCP (the default), UDP or SCTP. */
int dproto(struct dec *d, const cJSON *o, const char *path, uint8_t *out);

/* n aligned bytes of the block, or NULL when it is full (or n is 0). */
void *pk_take(struct pack *k, size_t n);
/* A copy of s in the block; NULL when s is NULL or the block is full. */
const char *pk_str(struct pack *k, const char *s);
/* The model's block for an object: head bytes of struct, rest after. */
struct kn_obj *pk_begin(struct dec *d, struct pack *k, size_t head,
			size_t rest);
size_t meta_size(const struct meta *mt);
void meta_fill(struct dec *d, struct pack *k, struct kn_obj *o, int kind,
	       const struct meta *mt);

/* The NetworkPolicy decoder (objdecode_netpol.c). */
int dec_netpol(struct dec *d, const cJSON *obj, const struct meta *mt,
	       struct kn_obj **out);
/* A metav1.LabelSelector into k's block (objdecode_netpol.c); sel NULL
 * is the empty selector. */
int dselector(struct dec *d, const cJSON *sel, const char *path, struct pack *k,
	      struct kn_selector *out);

/* The Gateway API decoders (objdecode_gateway.c). */
int dec_gwclass(struct dec *d, const cJSON *obj, const struct meta *mt,
		struct kn_obj **out);
int dec_gateway(struct dec *d, const cJSON *obj, const struct meta *mt,
		struct kn_obj **out);
/* HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute (mt->kind). */
int dec_route(struct dec *d, const cJSON *obj, const struct meta *mt,
	      struct kn_obj **out);
int dec_refgrant(struct dec *d, const cJSON *obj, const struct meta *mt,
		 struct kn_obj **out);

#endif
