/* Helpers shared by the unit tests: files, addresses, models from JSON
 * and the screen drawn on the text canvas. Each fails the running
 * cmocka test on a bad input instead of returning an error. */
#ifndef K8SNET_TESTUTIL_H
#define K8SNET_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "k8snet/app.h"
#include "k8snet/ipaddr.h"
#include "k8snet/model.h"
#include "objdecode.h"

/* The whole file at path, NUL-terminated; its length in *len (may be
 * NULL). Caller frees. */
char *tu_slurp(const char *path, size_t *len);
/* The same for a file under tests/data (rel: "probe/proc_net_tcp"). */
char *tu_data(const char *rel, size_t *len);

/* The address s, which must parse. */
struct kn_ipaddr tu_ip(const char *s);

/* Load tests/data/snapshots/file into m; the file must have no bad
 * object. */
void tu_model_load(struct kn_model *m, const char *file);
/* Apply one object (JSON text, its "kind" inside, or kind when not NULL)
 * to m as watch event ev; returns what the decoder returned. */
enum kn_err tu_model_apply(struct kn_model *m, enum kn_watch_event ev,
			   const char *kind, const char *json);
/* Add one object (JSON text naming its kind), which must decode. */
void tu_model_put(struct kn_model *m, const char *json);

/* A screen in demo mode drawn on a text canvas. */
struct tu_screen {
	struct kn_app app;
	struct kn_screen *s;
	struct kn_canvas *c;
	bool source; /* the demo source is open */
	char text[65536];
};
/* Set f up with a rows x cols canvas; with source, the demo cluster is
 * opened as the app's source (tu_screen_release closes it). */
void tu_screen_init(struct tu_screen *f, int rows, int cols, bool source);
void tu_screen_release(struct tu_screen *f);
/* Feed the characters of keys to the screen ('\n' is Enter). */
void tu_keys(struct tu_screen *f, const char *keys);
/* Draw and return the frame as one string, a line each, in f->text. */
const char *tu_frame(struct tu_screen *f);
/* Draw; true when a line of the frame contains text. */
bool tu_shows(struct tu_screen *f, const char *text);

#endif
