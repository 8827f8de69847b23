/* --once reports: one pane printed as table, wide, json or jsonl. */
#ifndef K8SNET_REPORT_H
#define K8SNET_REPORT_H

#include <stdio.h>

#include "k8snet/app.h"

/* Print the report for app->opts.pane to out. Returns the exit status. */
int kn_report_run(struct kn_app *app, FILE *out);
/* The answer to --can SRC DST (app->opts.can_*). Returns the exit status:
 * 0 allowed or not, 1 an end names nothing, 2 a bad --port. */
int kn_report_can(struct kn_app *app, FILE *out);
/* --check: the findings of the planned network. Returns the exit status:
 * 0 none, 3 some, 1 no cluster or an output error. */
int kn_report_check(struct kn_app *app, FILE *out);

#endif
