/* The console's screen without the terminal: panes, views, prompts, key
 * handling and the frame layout. ui.c connects it to ncurses and the
 * loop; tests drive it with keys and draw it on a text canvas. */
#ifndef K8SNET_SCREEN_H
#define K8SNET_SCREEN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "canvas.h"
#include "k8snet/app.h"

#define KN_SCREEN_MIN_ROWS 24
#define KN_SCREEN_MIN_COLS 80
#define KN_SCREEN_MSG_MS 5000 /* status messages expire after this */

enum kn_screen_mode {
	KN_VIEW_TABLE,
	KN_VIEW_HELP,
	KN_VIEW_DETAIL,
	KN_VIEW_PICK /* a list to choose from (:ns, :ctx ...) */
};
enum kn_prompt {
	KN_PROMPT_NONE,
	KN_PROMPT_FILTER,
	KN_PROMPT_COMMAND,
	KN_PROMPT_PANE /* the pane's own prompt (DNS lookup) */
};

struct kn_screen;
struct kn_pane;

/* Panes start on app->opts.pane (else Pods, or Traffic for a capture
 * without a cluster) with the namespace of app->opts.namespace.
 * app is borrowed. ascii: glyphs in their ASCII form, as the canvas draws
 * them (kn_canvas_ascii). Caller frees. */
struct kn_screen *kn_screen_new(struct kn_app *app, bool ascii);
void kn_screen_free(struct kn_screen *s);

/* Handle one key (keymap.h codes). Returns true when the screen changed
 * and wants a redraw. */
bool kn_screen_key(struct kn_screen *s, int key);

/* Draw one frame; now is the wall clock for the header. Below
 * KN_SCREEN_MIN_COLS x KN_SCREEN_MIN_ROWS draws the "terminal too small"
 * screen instead. */
void kn_screen_draw(struct kn_screen *s, struct kn_canvas *c, time_t now);

/* Ask every pane for rows again (model changed, :ns). */
void kn_screen_refresh(struct kn_screen *s);

/* Ask one pane for rows again (the capture feed). */
/* After a model change: refresh the pane on screen now and the others
 * when they are next shown (a large cluster's panes cost tens of ms each
 * to rebuild; only the visible one is worth it). */
void kn_screen_refresh_lazy(struct kn_screen *s);
void kn_screen_refresh_pane(struct kn_screen *s, enum kn_pane_id id);
/* One pane's data changed: refresh it if it is on screen, else when it is
 * next shown. */
void kn_screen_pane_changed(struct kn_screen *s, enum kn_pane_id id);

/* Show a message on the status line until it expires. */
void kn_screen_message(struct kn_screen *s, enum kn_role role, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));
/* Monotonic ms when the current message expires; 0 if none. */
uint64_t kn_screen_message_deadline(const struct kn_screen *s);

bool kn_screen_quit_requested(const struct kn_screen *s);
/* :theme NAME asked for a theme: returns the name once, then NULL. */
const char *kn_screen_take_theme_request(struct kn_screen *s);
/* ":ctx NAME" asked for another kubeconfig context (NULL: no). */
const char *kn_screen_take_context_request(struct kn_screen *s);
/* Y asked to copy this text to the clipboard: returns it once, then
 * NULL. */
const char *kn_screen_take_copy_request(struct kn_screen *s);

enum kn_pane_id kn_screen_pane(const struct kn_screen *s);
struct kn_pane *kn_screen_pane_at(struct kn_screen *s, enum kn_pane_id id);
enum kn_screen_mode kn_screen_view(const struct kn_screen *s);
enum kn_prompt kn_screen_prompt(const struct kn_screen *s);
/* Namespace filter; NULL: all namespaces. */
const char *kn_screen_namespace(const struct kn_screen *s);

#endif
