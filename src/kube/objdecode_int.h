/* Inside the object decoder: the decoding state, the block packer and
 * the typed getters objdecode.c shares with the NetworkPolicy decoder
 * (objdecode_netpol.c). Not for other modules. */
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
	bool paths; /* format JSON paths (only when reporting an error) */
	bool nomem; /* an allocation failed: KN_ERR_NOMEM, not malformed */
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
/* The model's block for an object: head bytes of struct, rest after. */
struct kn_obj *pk_begin(struct dec *d, struct pack *k, size_t head,
			size_t rest);
size_t meta_size(const struct meta *mt);
void meta_fill(struct dec *d, struct pack *k, struct kn_obj *o, int kind,
	       const struct meta *mt);

/* The NetworkPolicy decoder (objdecode_netpol.c). */
int dec_netpol(struct dec *d, const cJSON *obj, const struct meta *mt,
	       struct kn_obj **out);

#endif
