/* Watch stream framing: newline-delimited JSON events cut from arbitrary
 * HTTP chunks, with a capped line buffer (pure; no I/O). */
#ifndef K8SNET_WATCH_H
#define K8SNET_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "k8snet/buf.h"
#include "k8snet/err.h"

/* One object in a watch event may be up to ~1.5 MB in etcd; a line past
 * this is refused (counted) rather than buffered. */
#define WATCH_MAX_LINE (8u << 20)

enum watch_type {
	WATCH_ADDED,
	WATCH_MODIFIED,
	WATCH_DELETED,
	WATCH_BOOKMARK,
	WATCH_ERROR,
};

/* Called for each complete line (without the '\n'; empty lines skipped).
 * Return false to stop framing (watch_feed returns KN_ERR_INVAL). */
typedef bool (*watch_line_cb)(void *arg, const char *line, size_t len);

struct watch_framer {
	struct kn_buf line;
	bool overflow;	    /* inside an oversized line: dropping to '\n' */
	uint64_t oversized; /* lines refused */
	uint64_t lines;
};

void watch_framer_init(struct watch_framer *w, size_t max_line);
void watch_framer_release(struct watch_framer *w);
/* Forget a partial line (the stream restarted). */
void watch_framer_reset(struct watch_framer *w);

/* Feed n bytes. Complete lines go to cb. Returns KN_ERR_LIMIT once when a
 * line exceeds the cap (the rest of it is skipped; framing goes on if the
 * caller keeps feeding), KN_ERR_INVAL when cb stopped, else KN_OK. */
enum kn_err watch_feed(struct watch_framer *w, const char *p, size_t n,
		       watch_line_cb cb, void *arg);

/* A parsed event: type and object (borrowed from root, which lives in
 * the JSON arena until watch_event_release; never cJSON_Delete it). */
struct watch_event {
	enum watch_type type;
	const cJSON *object;
	cJSON *root;
	bool held; /* holds the arena until watch_event_release */
};

/* Parse one event line; KN_ERR_PARSE when it is not {"type","object"}
 * (nothing to release then). */
enum kn_err watch_event_parse(const char *line, size_t len,
			      struct watch_event *ev);
/* Drop a parsed event's tree; the arena is reused once none is held. */
void watch_event_release(struct watch_event *ev);

/* metadata.resourceVersion of obj, or NULL (borrowed). */
const char *watch_object_rv(const cJSON *obj);

/* For an ERROR event's Status object: its code (0 if none). */
int watch_status_code(const cJSON *status);

#endif
