/* API discovery of one group: which versions the server offers (GET
 * /apis/GROUP) and which resources each version serves (GET
 * /apis/GROUP/VERSION), so the live source lists and watches only what
 * is there. A group the server does not have answers 404: that is a
 * result ("absent"), not an error, and is not retried. */
#ifndef K8SNET_DISCOVER_H
#define K8SNET_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "k8snet/loop.h"
#include "khttp.h"

#define DISCOVER_MAX_VERSIONS 8

enum discover_state {
	DISCOVER_PENDING,
	DISCOVER_SERVED, /* versions[] and their resources are known */
	DISCOVER_ABSENT, /* 404: the group is not installed */
	DISCOVER_FAILED, /* could not tell; retried by the caller's call */
};

struct discover;

/* Called once the group is known (served or absent) or the attempt
 * failed; d stays valid until discover_free. */
typedef void (*discover_cb)(void *arg, struct discover *d);

/* Borrows http and loop; group copied. Call discover_start. */
struct discover *discover_new(struct khttp *http, const char *group,
			      discover_cb cb, void *arg);
void discover_free(struct discover *d);
/* (Re)start: forgets what was found and asks again. */
void discover_start(struct discover *d);

enum discover_state discover_state(const struct discover *d);
/* The served versions, the server's preferred first, joined by ','
 * ("v1,v1beta1"); "" unless served. */
const char *discover_versions(const struct discover *d);
/* The first version of prefer[0..n) (NULL entries skipped) that serves
 * plural, or NULL. */
const char *discover_pick(const struct discover *d, const char *plural,
			  const char *const *prefer, size_t n);
/* Why the last attempt failed ("" when it did not). */
const char *discover_error(const struct discover *d);

/* Pure, for tests: read an APIGroup document (its versions, preferred
 * first) into out (max entries of cap bytes each); returns the count. */
size_t discover_parse_group(const char *json, size_t len, char out[][32],
			    size_t max);
/* Pure: does an APIResourceList document list plural (subresources such
 * as "httproutes/status" are not resources)? */
bool discover_lists(const char *json, size_t len, const char *plural);

#endif
