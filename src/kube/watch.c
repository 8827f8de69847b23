/* Watch stream framing (Kubernetes API concepts, "Efficient detection of
 * changes"): the body of ?watch=1 is a sequence of JSON objects
 * {"type": ..., "object": ...}, one per line. Lines are cut from whatever
 * chunks the transport hands over; a line longer than the cap is dropped
 * up to its newline and counted, never buffered whole. */
#include <string.h>

#include "jsonarena.h"
#include "watch.h"

void
watch_framer_init(struct watch_framer *w, size_t max_line)
{
	kn_buf_init(&w->line, max_line ? max_line : WATCH_MAX_LINE);
	w->overflow = false;
	w->oversized = 0;
	w->lines = 0;
}

void
watch_framer_release(struct watch_framer *w)
{
	kn_buf_release(&w->line);
}

void
watch_framer_reset(struct watch_framer *w)
{
	kn_buf_clear(&w->line);
	w->overflow = false;
}

static bool
watch_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

enum kn_err
watch_feed(struct watch_framer *w, const char *p, size_t n, watch_line_cb cb,
	   void *arg)
{
	enum kn_err ret = KN_OK;

	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;

		if (w->overflow) {
			/* skipping the rest of an oversized line */
		} else if (kn_buf_append(&w->line, p, take) != KN_OK) {
			kn_buf_clear(&w->line);
			w->overflow = true;
			w->oversized++;
			ret = KN_ERR_LIMIT;
		}
		if (nl == NULL)
			break;
		if (!w->overflow &&
		    !watch_blank(w->line.data ? w->line.data : "",
				 w->line.len)) {
			w->lines++;
			if (!cb(arg, w->line.data, w->line.len)) {
				kn_buf_clear(&w->line);
				return KN_ERR_INVAL;
			}
		}
		kn_buf_clear(&w->line);
		w->overflow = false;
		p += take + 1;
		n -= take + 1;
	}
	return ret;
}

enum kn_err
watch_event_parse(const char *line, size_t len, struct watch_event *ev)
{
	static const char *const names[] = {
		[WATCH_ADDED] = "ADDED",     [WATCH_MODIFIED] = "MODIFIED",
		[WATCH_DELETED] = "DELETED", [WATCH_BOOKMARK] = "BOOKMARK",
		[WATCH_ERROR] = "ERROR",
	};
	const cJSON *type, *obj;
	size_t i;

	memset(ev, 0, sizeof(*ev));
	/* Each event is a whole object parsed, read once and dropped: its
	 * nodes come from the arena, not one malloc each. The arena is
	 * rewound only when no tree is held, so an event parsed while
	 * another (or a list page) is held stays valid. */
	ev->root = kn_json_arena_parse(line, len, NULL);
	ev->held = true;
	if (ev->root == NULL)
		goto bad;
	type = cJSON_GetObjectItemCaseSensitive(ev->root, "type");
	obj = cJSON_GetObjectItemCaseSensitive(ev->root, "object");
	if (!cJSON_IsString(type) || !cJSON_IsObject(obj))
		goto bad;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(type->valuestring, names[i]) == 0) {
			ev->type = (enum watch_type)i;
			ev->object = obj;
			return KN_OK;
		}
bad:
	watch_event_release(ev);
	return KN_ERR_PARSE;
}

void
watch_event_release(struct watch_event *ev)
{
	ev->root = NULL;
	ev->object = NULL;
	if (ev->held) {
		ev->held = false;
		kn_json_arena_drop();
	}
}

const char *
watch_object_rv(const cJSON *obj)
{
	const cJSON *md = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
	const cJSON *rv =
		cJSON_GetObjectItemCaseSensitive(md, "resourceVersion");

	if (!cJSON_IsString(rv) || rv->valuestring[0] == '\0')
		return NULL;
	return rv->valuestring;
}

int
watch_status_code(const cJSON *status)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(status, "code");

	if (!cJSON_IsNumber(code) || code->valuedouble < 0 ||
	    code->valuedouble > 999)
		return 0;
	return (int)code->valuedouble;
}
