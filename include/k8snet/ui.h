/* The terminal console: runs the TUI on the app's loop until quit. */
#ifndef K8SNET_UI_H
#define K8SNET_UI_H

#include "k8snet/app.h"

/* Returns the process exit status (0 on a normal quit, 1 on failure). */
int kn_ui_run(struct kn_app *app);

#endif
