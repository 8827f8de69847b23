/* k8snet-top entry point: options and wiring only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "k8snet/agent.h"
#include "k8snet/anon.h"
#include "k8snet/app.h"
#include "k8snet/capture.h"
#include "k8snet/execbroker.h"
#include "k8snet/live.h"
#include "k8snet/log.h"
#include "k8snet/model.h"
#include "k8snet/nodeview.h"
#include "k8snet/loop.h"
#include "k8snet/opts.h"
#include "k8snet/report.h"
#include "k8snet/source.h"
#include "k8snet/ui.h"
#include "k8snet/version.h"

/* The process holds cluster credentials (tokens, client keys, exec plugin
 * output): no core file may capture them, and no other user may ptrace. */
static void
kn_no_core_dumps(void)
{
	struct rlimit rl = {0, 0};

	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* A sweep of the node ports ended: the nodes pane, the one that shows
 * the results, reads them again (the other panes do not change, and at
 * 150,000 pods rebuilding them all every sweep cost seconds). */
static void
kn_main_probed(void *arg)
{
	kn_ui_pane_changed(arg, KN_PANE_NODES);
}

/* Root is about to become -Z USER: an exec credential plugin must still
 * run as the invoking user afterwards (token expiry, 401), so its broker
 * is forked now. Without it the plugin would run as USER and fail. */
static void
kn_main_before_drop(void *arg)
{
	struct kn_app *app = arg;
	char errbuf[KN_ERRBUF];

	if (!execbroker_running() &&
	    kn_kube_live_start_broker(app, errbuf) != KN_OK)
		kn_warn("exec plugin broker: %s; the plugin cannot run again "
			"once privileges are dropped",
			errbuf);
}

/* The capture the options choose: -i or -r, else --demo traffic (-i and
 * -r always win); in the console the demo loops and --replay plays -r
 * with its timing. */
static void
kn_main_capture_config(struct kn_app *app, struct kn_capture_config *c)
{
	const struct kn_opts *o = &app->opts;

	memset(c, 0, sizeof(*c));
	c->interface = o->interface;
	c->read_file = o->read_file;
	c->demo = o->demo;
	c->paced = !o->once && (o->read_file == NULL || o->replay);
	c->filter = o->filter;
	c->write_file = o->write_file;
	c->drop_user = o->drop_user;
	c->no_decap = o->no_decap;
	c->workers = o->workers ? o->workers : kn_capture_default_workers();
	c->anon = app->anon;
	c->before_drop = kn_main_before_drop;
	c->before_drop_arg = app;
}

int
main(int argc, char **argv)
{
	struct kn_nodeview_config nvcfg;
	struct kn_capture_config capture_cfg;
	struct kn_agent_facts_store *facts = NULL;
	struct kn_app app;
	struct kn_ui *ui = NULL;
	char errbuf[KN_ERRBUF] = "";
	enum kn_err e;
	int status;

	memset(&app, 0, sizeof(app));
	setlocale(LC_ALL, "");
	kn_no_core_dumps();
	if (kn_opts_parse(&app.opts, argc, argv, errbuf) != KN_OK) {
		fprintf(stderr, "%s: %s\n", app.opts.progname, errbuf);
		return 2;
	}
	if (app.opts.help) {
		kn_opts_usage(&app.opts, stdout);
		return 0;
	}
	if (app.opts.version) {
		printf("k8snet-top %s\n", KN_VERSION);
		return 0;
	}
	if (app.opts.log_file != NULL &&
	    kn_log_open(app.opts.log_file, errbuf) != KN_OK) {
		fprintf(stderr, "%s: %s\n", app.opts.progname, errbuf);
		return 1;
	}
	/* The console reads its files (the theme) now, before the capture
	 * drops root's privileges; a --theme that names nothing is a usage
	 * error. */
	if (!app.opts.once && !app.opts.agent &&
	    (ui = kn_ui_new(&app, errbuf)) == NULL) {
		fprintf(stderr, "%s: %s\n", app.opts.progname, errbuf);
		kn_log_close();
		return 2;
	}
	app.loop = kn_loop_new();
	if (app.loop == NULL) {
		fprintf(stderr, "%s: cannot initialise libcurl\n",
			app.opts.progname);
		kn_ui_free(ui);
		return 1;
	}
	if (app.opts.anonymize && (app.anon = kn_anon_new(NULL, 0)) == NULL) {
		fprintf(stderr,
			"%s: --anonymize: no random key (OpenSSL "
			"RAND_bytes failed)\n",
			app.opts.progname);
		kn_loop_free(app.loop);
		kn_ui_free(ui);
		return 1;
	}
	/* The node agent reads no cluster: the console names addresses. */
	e = app.opts.agent ? KN_OK : kn_source_open(&app, errbuf);
	if (e != KN_OK) {
		fprintf(stderr, "%s: %s\n", app.opts.progname, errbuf);
		kn_source_close(&app);
		kn_loop_free(app.loop);
		kn_anon_free(app.anon);
		kn_ui_free(ui);
		return 1;
	}
	/* The agent reads its node while still root (socket owners). */
	if (app.opts.agent)
		facts = kn_agent_facts_read(app.opts.host_root);
	kn_main_capture_config(&app, &capture_cfg);
	app.capture_cfg = &capture_cfg;
	e = kn_capture_open(&capture_cfg, &app.capture, errbuf);
	if (e != KN_OK) {
		fprintf(stderr, "%s: %s\n", app.opts.progname, errbuf);
		kn_agent_facts_free(facts);
		kn_source_close(&app);
		execbroker_stop();
		kn_loop_free(app.loop);
		kn_anon_free(app.anon);
		kn_ui_free(ui);
		return 1;
	}
	if (app.no_cluster[0] != '\0')
		kn_warn("no cluster names for captured addresses: %s",
			app.no_cluster);
	/* Name every captured address by the pod, service or node owning it
	 * when a cluster source is loaded. */
	if (app.capture != NULL && app.model != NULL)
		kn_capture_set_namer(app.capture, kn_model_name_ip, app.model);
	nvcfg.loop = app.loop;
	nvcfg.model = &app.model;
	nvcfg.anon = app.anon;
	nvcfg.host_root = app.opts.host_root;
	nvcfg.mode = app.opts.probe;
	nvcfg.probe_external = app.opts.probe_external;
	nvcfg.demo = app.opts.demo;
	app.nodeview = kn_nodeview_new(&nvcfg);
	kn_nodeview_set_notify(app.nodeview, kn_main_probed, &app);
	if (app.opts.agent) {
		status = kn_agent_run(&app, stdout, facts);
		facts = NULL;
	} else if (app.opts.once) {
		status = kn_report_run(&app, stdout);
	} else {
		kn_nodeview_start(app.nodeview);
		status = kn_ui_run(ui);
	}
	kn_nodeview_free(app.nodeview);
	kn_capture_close(app.capture);
	app.capture = NULL;
	kn_source_close(&app);
	execbroker_stop();
	kn_loop_free(app.loop);
	kn_anon_free(app.anon);
	kn_log_close();
	return status;
}
