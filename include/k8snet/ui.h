/* The terminal console: runs the TUI on the app's loop until quit. */
#ifndef K8SNET_UI_H
#define K8SNET_UI_H

#include <stdbool.h>

#include "k8snet/app.h"

struct kn_ui;

/* The console for app, before anything that changes the process: it
 * reads the files it needs (the theme of --theme, else "default") now,
 * while root still has its privileges (the capture drops them). NULL
 * with errbuf set when --theme names no theme or an unreadable file (a
 * usage error); a theme file that does not parse is not one: the
 * console starts with the default theme and says why. */
struct kn_ui *kn_ui_new(struct kn_app *app, char *errbuf);

/* Run the console made by kn_ui_new on the app's loop until quit; frees
 * ui. Returns the process exit status: 0 on a normal quit (q, F10, :q,
 * Ctrl-C), 1 on failure (no terminal), 128 + signal for SIGTERM/SIGHUP.
 * The terminal is restored in every case. */
int kn_ui_run(struct kn_ui *ui);

/* Free a console that never ran (startup failed after kn_ui_new). */
void kn_ui_free(struct kn_ui *ui);

/* One pane's data changed (the capture feed): refresh it if it is on
 * screen (a hidden pane when it is next shown) and redraw; id
 * KN_PANE__COUNT only redraws (header counters). No-op without UI. */
void kn_ui_pane_changed(struct kn_app *app, enum kn_pane_id id);

/* The namespace the user narrowed the console to (:ns, -n); NULL: all.
 * Borrowed, valid until the next :ns. */
const char *kn_ui_namespace(const struct kn_app *app);

#endif
