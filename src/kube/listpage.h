/* The continue token of a list page read from the first bytes of its
 * body, before the page is whole, so that the next page can be asked for
 * while this one is still arriving (pure; no I/O). */
#ifndef K8SNET_LISTPAGE_H
#define K8SNET_LISTPAGE_H

#include <stddef.h>

/* Only this much of a page is looked at: the apiserver writes kind,
 * apiVersion and metadata (a few hundred bytes) before the items. */
#define LISTPAGE_SCAN_MAX (64u << 10)

enum listpage_scan {
	LISTPAGE_MORE,	/* the prefix ends before the answer: feed more */
	LISTPAGE_FOUND, /* out holds metadata.continue */
	LISTPAGE_NONE,	/* no early answer: the whole page will tell */
};

/* Scan p[0..n), the start of a list page, for the string value of
 * "continue" in its top-level "metadata" object. LISTPAGE_FOUND when it
 * is a non-empty string without escapes that fits out (outsz bytes,
 * NUL-terminated). LISTPAGE_NONE when the metadata ends without one, the
 * token is empty, escaped or too long, "items" comes before "metadata",
 * the text is not a JSON object, or no answer lies within
 * LISTPAGE_SCAN_MAX bytes: the parse of the whole page decides then.
 * Call again with a longer prefix after LISTPAGE_MORE. */
enum listpage_scan listpage_continue(const char *p, size_t n, char *out,
				     size_t outsz);

#endif
