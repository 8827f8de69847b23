/* Traffic pane: DNS, HTTP and TLS transactions seen by the capture. */
#include <stddef.h>
#include <stdio.h>

#include "k8snet/pane.h"

/* Column order is the cell order of each row handed to p->rows. */
static const struct kn_column kn_traffic_columns[] = {
	{ "TIME", 8, 12, KN_ALIGN_LEFT, 0, false, true },
	{ "TYPE", 4, 5, KN_ALIGN_LEFT, 0, false, true },
	{ "CLIENT", 8, 0, KN_ALIGN_LEFT, 2, false, true },
	{ "SERVER", 8, 0, KN_ALIGN_LEFT, 2, false, true },
	{ "REQUEST", 8, 0, KN_ALIGN_LEFT, 3, false, true },
	{ "RESULT", 6, 12, KN_ALIGN_LEFT, 0, false, false },
	{ "LATENCY", 7, 10, KN_ALIGN_RIGHT, 0, true, false },
};

static void
kn_traffic_refresh(struct kn_pane *p, const struct kn_pane_view *v)
{
	if (v->app->capture == NULL) {
		snprintf(p->note, sizeof(p->note), "no traffic: capture with "
			 "-i IF (root or CAP_NET_RAW) or read a file with "
			 "-r FILE");
		return;
	}
	/* For each recent transaction whose client or server is in v->ns:
	 * cells { time, "dns"/"http"/"tls", client name or IP, server,
	 * qname or "GET host/path" or SNI, rcode/status, latency ms },
	 * KN_ROLE_ERROR for NXDOMAIN/SERVFAIL and 5xx, KN_ROLE_DIMMED for
	 * unanswered ones. */
	snprintf(p->note, sizeof(p->note), "no traffic yet");
}

const struct kn_pane_ops kn_pane_traffic_ops = {
	.id = KN_PANE_TRAFFIC,
	.title = "Traffic",
	.columns = kn_traffic_columns,
	.ncolumns = sizeof(kn_traffic_columns) / sizeof(kn_traffic_columns[0]),
	.sort_col = -1,
	.refresh = kn_traffic_refresh,
};
