/* Command-line parsing with getopt_long; the contract of DESIGN.md s.3. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "k8snet/opts.h"
#include "k8snet/version.h"

static const char *const kn_pane_names[KN_PANE__COUNT] = {
	"pods",	 "services", "dns",	 "ingress",
	"nodes", "traffic",  "policies", "routes"};

enum {
	OPT_KUBECONFIG = 256,
	OPT_CONTEXT,
	OPT_CLUSTER,
	OPT_USER,
	OPT_REQUEST_TIMEOUT,
	OPT_SNAPSHOT,
	OPT_DEMO,
	OPT_DURATION,
	OPT_NO_DECAP,
	OPT_ONCE,
	OPT_PANE,
	OPT_PROBE,
	OPT_THEME,
	OPT_NO_COLOR,
	OPT_ASCII,
	OPT_ANONYMIZE,
	OPT_CLUSTER_DOMAIN,
	OPT_HOST_ROOT,
	OPT_LOG,
	OPT_VERSION,
	OPT_PROBE_EXTERNAL,
	OPT_REPLAY,
	OPT_CAN,
	OPT_PORT,
	OPT_FILENAME,
	OPT_CHECK,
	OPT_AGENT,
	OPT_AGENTS,
	OPT_AGENT_INTERVAL,
	OPT_AGENT_SLOW,
	OPT_AGENT_DETAIL,
	OPT_AGENT_QUERY,
	OPT_AGENT_RATE,
	OPT_AGENT_TOPK,
	OPT_WORKERS
};

static const struct option kn_long_opts[] = {
	{"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
	{"context", required_argument, NULL, OPT_CONTEXT},
	{"cluster", required_argument, NULL, OPT_CLUSTER},
	{"user", required_argument, NULL, OPT_USER},
	/* tcpdump's long name for -Z; --user is kubectl's (kubeconfig). */
	{"relinquish-privileges", required_argument, NULL, 'Z'},
	{"namespace", required_argument, NULL, 'n'},
	{"all-namespaces", no_argument, NULL, 'A'},
	{"request-timeout", required_argument, NULL, OPT_REQUEST_TIMEOUT},
	{"snapshot", required_argument, NULL, OPT_SNAPSHOT},
	/* kubectl's long name for -f, which stays the capture filter */
	{"filename", required_argument, NULL, OPT_FILENAME},
	{"check", no_argument, NULL, OPT_CHECK},
	{"demo", no_argument, NULL, OPT_DEMO},
	{"interface", required_argument, NULL, 'i'},
	{"read", required_argument, NULL, 'r'},
	{"filter", required_argument, NULL, 'f'},
	{"write", required_argument, NULL, 'w'},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"no-decap", no_argument, NULL, OPT_NO_DECAP},
	{"workers", required_argument, NULL, OPT_WORKERS},
	{"replay", no_argument, NULL, OPT_REPLAY},
	{"once", no_argument, NULL, OPT_ONCE},
	{"output", required_argument, NULL, 'o'},
	{"pane", required_argument, NULL, OPT_PANE},
	{"probe", required_argument, NULL, OPT_PROBE},
	{"probe-external", no_argument, NULL, OPT_PROBE_EXTERNAL},
	{"theme", required_argument, NULL, OPT_THEME},
	{"no-color", no_argument, NULL, OPT_NO_COLOR},
	{"ascii", no_argument, NULL, OPT_ASCII},
	{"anonymize", no_argument, NULL, OPT_ANONYMIZE},
	{"cluster-domain", required_argument, NULL, OPT_CLUSTER_DOMAIN},
	{"host-root", required_argument, NULL, OPT_HOST_ROOT},
	{"log", required_argument, NULL, OPT_LOG},
	{"can", required_argument, NULL, OPT_CAN},
	{"port", required_argument, NULL, OPT_PORT},
	{"agent", no_argument, NULL, OPT_AGENT},
	{"agents", required_argument, NULL, OPT_AGENTS},
	{"agent-interval", required_argument, NULL, OPT_AGENT_INTERVAL},
	{"agent-slow", required_argument, NULL, OPT_AGENT_SLOW},
	{"agent-detail", required_argument, NULL, OPT_AGENT_DETAIL},
	{"agent-query", no_argument, NULL, OPT_AGENT_QUERY},
	{"agent-rate", required_argument, NULL, OPT_AGENT_RATE},
	{"agent-topk", required_argument, NULL, OPT_AGENT_TOPK},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, OPT_VERSION},
	{NULL, 0, NULL, 0}};

int
kn_pane_from_name(const char *name)
{
	int i;

	for (i = 0; i < KN_PANE__COUNT; i++)
		if (strcmp(name, kn_pane_names[i]) == 0)
			return i;
	return -1;
}

const char *
kn_pane_name(enum kn_pane_id id)
{
	if ((unsigned)id >= KN_PANE__COUNT)
		return "?";
	return kn_pane_names[id];
}

static const char *
kn_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

static enum kn_err
kn_opt_usage(char *errbuf, const struct kn_opts *o, const char *what)
{
	return kn_errf(errbuf, KN_ERR_INVAL, "%s; try '%s --help'", what,
		       o->progname);
}

/* A number in [lo, hi] for flag, or a usage error. */
static enum kn_err
kn_opt_num(const struct kn_opts *o, const char *flag, const char *arg,
	   double lo, double hi, double *out, char *errbuf)
{
	char msg[KN_ERRBUF];
	char *end;
	double v = strtod(arg, &end);

	if (*arg == '\0' || *end != '\0' || !(v >= lo && v <= hi)) {
		snprintf(msg, sizeof(msg),
			 "%s '%s': want a number from %g to %g", flag, arg, lo,
			 hi);
		return kn_opt_usage(errbuf, o, msg);
	}
	*out = v;
	return KN_OK;
}

enum kn_err
kn_opts_parse(struct kn_opts *o, int argc, char **argv, char *errbuf)
{
	char msg[KN_ERRBUF];
	char *end;
	double num;
	long n;
	int c, p;

	memset(o, 0, sizeof(*o));
	o->progname = "k8snet-top";
	if (argc > 0 && argv[0] != NULL &&
	    strcmp(kn_basename(argv[0]), "kubectl-netview") == 0)
		o->progname = "kubectl netview";
	o->probe = KN_PROBE_KNOWN;
	o->drop_user = NULL;
	o->agent_interval = 5;
	o->agent_slow_ms = 1000;
	o->agent_rate = 200;
	o->agent_topk = 100;
	optind = 0; /* GNU: full reinitialisation, so tests can reparse */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:Ai:r:f:w:Z:o:h", kn_long_opts,
				NULL)) != -1) {
		switch (c) {
		case OPT_KUBECONFIG:
			o->kubeconfig = optarg;
			break;
		case OPT_CONTEXT:
			o->context = optarg;
			break;
		case OPT_CLUSTER:
			o->cluster = optarg;
			break;
		case OPT_USER:
			o->user = optarg;
			break;
		case 'n':
			o->namespace = optarg;
			break;
		case 'A':
			o->namespace = NULL;
			break;
		case OPT_REQUEST_TIMEOUT:
			o->request_timeout = optarg;
			break;
		case OPT_SNAPSHOT:
			if (o->nsnapshots >= KN_MAX_SNAPSHOTS)
				return kn_opt_usage(
					errbuf, o,
					"too many --snapshot files (max 32)");
			o->snapshots[o->nsnapshots++] = optarg;
			break;
		case OPT_FILENAME:
			if (o->nfilenames >= KN_MAX_FILENAMES)
				return kn_opt_usage(
					errbuf, o,
					"too many --filename paths (max 64)");
			o->filenames[o->nfilenames++] = optarg;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_DEMO:
			o->demo = true;
			break;
		case 'i':
			o->interface = optarg;
			break;
		case 'r':
			o->read_file = optarg;
			break;
		case 'f':
			o->filter = optarg;
			break;
		case 'w':
			o->write_file = optarg;
			break;
		case 'Z':
			o->drop_user = optarg;
			break;
		case OPT_DURATION:
			o->duration = strtod(optarg, &end);
			/* 10, 10s, 2m, 1h, as kubectl's durations read */
			if (*end == 's' && end[1] == '\0')
				end++;
			else if (*end == 'm' && end[1] == '\0')
				o->duration *= 60, end++;
			else if (*end == 'h' && end[1] == '\0')
				o->duration *= 3600, end++;
			if (*optarg == '\0' || *end != '\0' || end == optarg ||
			    !(o->duration > 0)) {
				snprintf(msg, sizeof(msg),
					 "--duration '%s': want a time > 0 "
					 "(10, 10s, 2m, 1h)",
					 optarg);
				return kn_opt_usage(errbuf, o, msg);
			}
			break;
		case OPT_NO_DECAP:
			o->no_decap = true;
			break;
		case OPT_WORKERS:
			n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n < 1 ||
			    n > KN_WORKERS_MAX) {
				snprintf(msg, sizeof(msg),
					 "--workers '%s': want a number of "
					 "threads from 1 to %d",
					 optarg, KN_WORKERS_MAX);
				return kn_opt_usage(errbuf, o, msg);
			}
			o->workers = (unsigned)n;
			break;
		case OPT_REPLAY:
			o->replay = true;
			break;
		case OPT_ONCE:
			o->once = true;
			break;
		case 'o':
			o->output_set = true;
			if (strcmp(optarg, "table") == 0)
				o->output = KN_OUT_TABLE;
			else if (strcmp(optarg, "wide") == 0)
				o->output = KN_OUT_WIDE;
			else if (strcmp(optarg, "json") == 0)
				o->output = KN_OUT_JSON;
			else if (strcmp(optarg, "jsonl") == 0)
				o->output = KN_OUT_JSONL;
			else {
				snprintf(msg, sizeof(msg),
					 "-o '%s': want table, wide, json or "
					 "jsonl",
					 optarg);
				return kn_opt_usage(errbuf, o, msg);
			}
			break;
		case OPT_PANE:
			p = kn_pane_from_name(optarg);
			if (p < 0) {
				snprintf(msg, sizeof(msg),
					 "--pane '%s': want pods, services, "
					 "dns, ingress, routes, nodes, "
					 "traffic or policies",
					 optarg);
				return kn_opt_usage(errbuf, o, msg);
			}
			o->pane = (enum kn_pane_id)p;
			o->pane_set = true;
			break;
		case OPT_PROBE:
			if (strcmp(optarg, "none") == 0)
				o->probe = KN_PROBE_NONE;
			else if (strcmp(optarg, "known") == 0)
				o->probe = KN_PROBE_KNOWN;
			else if (strcmp(optarg, "nodeports") == 0)
				o->probe = KN_PROBE_NODEPORTS;
			else {
				snprintf(msg, sizeof(msg),
					 "--probe '%s': want none, known or "
					 "nodeports",
					 optarg);
				return kn_opt_usage(errbuf, o, msg);
			}
			break;
		case OPT_PROBE_EXTERNAL:
			o->probe_external = true;
			break;
		case OPT_THEME:
			o->theme = optarg;
			break;
		case OPT_NO_COLOR:
			o->no_color = true;
			break;
		case OPT_ASCII:
			o->ascii = true;
			break;
		case OPT_ANONYMIZE:
			o->anonymize = true;
			break;
		case OPT_CLUSTER_DOMAIN:
			o->cluster_domain = optarg;
			break;
		case OPT_HOST_ROOT:
			o->host_root = optarg;
			break;
		case OPT_LOG:
			o->log_file = optarg;
			break;
		case OPT_CAN:
			/* Two values: SRC is the option's, DST the next
			 * word. */
			if (optind >= argc || argv[optind][0] == '-' ||
			    argv[optind][0] == '\0')
				return kn_opt_usage(
					errbuf, o,
					"--can needs two values: SRC DST "
					"(ns/pod, ns/service or an IP)");
			o->can_from = optarg;
			o->can_to = argv[optind++];
			break;
		case OPT_PORT:
			o->can_port = optarg;
			break;
		case OPT_AGENT:
			o->agent = true;
			break;
		case OPT_AGENTS:
			if (optarg[0] == '\0')
				return kn_opt_usage(
					errbuf, o,
					"--agents needs a namespace");
			o->agents_ns = optarg;
			break;
		case OPT_AGENT_INTERVAL:
			if (kn_opt_num(o, "--agent-interval", optarg, 0.1, 3600,
				       &o->agent_interval, errbuf) != KN_OK)
				return KN_ERR_INVAL;
			break;
		case OPT_AGENT_SLOW:
			if (kn_opt_num(o, "--agent-slow", optarg, 0, 3600000,
				       &o->agent_slow_ms, errbuf) != KN_OK)
				return KN_ERR_INVAL;
			break;
		case OPT_AGENT_DETAIL:
			if (strcmp(optarg, "all") == 0)
				o->agent_detail_all = true;
			else if (strcmp(optarg, "failures") == 0)
				o->agent_detail_all = false;
			else {
				snprintf(msg, sizeof(msg),
					 "--agent-detail '%s': want failures "
					 "or all",
					 optarg);
				return kn_opt_usage(errbuf, o, msg);
			}
			break;
		case OPT_AGENT_QUERY:
			o->agent_query = true;
			break;
		case OPT_AGENT_RATE:
			if (kn_opt_num(o, "--agent-rate", optarg, 1, 1000000,
				       &num, errbuf) != KN_OK)
				return KN_ERR_INVAL;
			o->agent_rate = (unsigned)num;
			break;
		case OPT_AGENT_TOPK:
			if (kn_opt_num(o, "--agent-topk", optarg, 1, 4096, &num,
				       errbuf) != KN_OK)
				return KN_ERR_INVAL;
			o->agent_topk = (unsigned)num;
			break;
		case 'h':
			o->help = true;
			break;
		case OPT_VERSION:
			o->version = true;
			break;
		case ':':
			snprintf(msg, sizeof(msg), "option '%s' needs a value",
				 argv[optind - 1]);
			return kn_opt_usage(errbuf, o, msg);
		default:
			snprintf(msg, sizeof(msg), "unknown option '%s'",
				 argv[optind - 1]);
			return kn_opt_usage(errbuf, o, msg);
		}
	}
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "unexpected argument '%s'",
			 argv[optind]);
		return kn_opt_usage(errbuf, o, msg);
	}
	if (getenv("NO_COLOR") != NULL && getenv("NO_COLOR")[0] != '\0')
		o->no_color = true;
	if (o->demo && (o->nsnapshots > 0 || o->kubeconfig || o->context))
		return kn_opt_usage(
			errbuf, o,
			"--demo cannot be combined with --snapshot, "
			"--kubeconfig or --context");
	if (o->interface && o->read_file)
		return kn_opt_usage(
			errbuf, o,
			"-i and -r are exclusive: capture live or read a file");
	if (o->replay && o->read_file == NULL)
		return kn_opt_usage(
			errbuf, o,
			"--replay plays a capture file: give it with -r FILE");
	if (o->replay && o->once)
		return kn_opt_usage(
			errbuf, o,
			"--replay is for the console: --once reads -r at full "
			"speed");
	if (o->can_port != NULL && o->can_from == NULL)
		return kn_opt_usage(errbuf, o,
				    "--port is the port of --can SRC DST");
	if (o->can_from != NULL) {
		/* An answer, not a console. */
		o->once = true;
		if (o->interface || o->read_file)
			return kn_opt_usage(
				errbuf, o,
				"--can reads the cluster's policies; it "
				"does not capture (-i, -r)");
	}
	if (o->check) {
		/* An answer, not a console. */
		o->once = true;
		if (o->can_from != NULL || o->interface || o->read_file)
			return kn_opt_usage(
				errbuf, o,
				"--check reads the planned cluster; it does "
				"not combine with --can, -i or -r");
		if (o->output_set && o->output == KN_OUT_WIDE)
			return kn_opt_usage(errbuf, o,
					    "--check prints -o table, json or "
					    "jsonl");
		/* Findings point at files and lines by the real names. */
		if (o->anonymize && o->nfilenames > 0)
			return kn_opt_usage(errbuf, o,
					    "--check with --filename names "
					    "files and lines: not with "
					    "--anonymize");
	}
	if (o->agent) {
		/* The agent writes its own lines; no cluster, no console. */
		if (o->once || o->demo || o->nsnapshots > 0 ||
		    o->agents_ns != NULL || o->can_from != NULL)
			return kn_opt_usage(
				errbuf, o,
				"--agent captures and writes JSON lines; it "
				"takes no --once, --demo, --snapshot, "
				"--agents or --can");
		if (o->interface == NULL && o->read_file == NULL)
			o->interface = "any";
	}
	if (o->agents_ns != NULL && (o->demo || o->nsnapshots > 0))
		return kn_opt_usage(errbuf, o,
				    "--agents reads a live cluster; it takes "
				    "no --demo or --snapshot");
	if (!o->output_set)
		o->output = KN_OUT_TABLE;
	return KN_OK;
}

void
kn_opts_usage(const struct kn_opts *o, FILE *f)
{
	fprintf(f,
		"Usage: %s [options]\n"
		"A network console for Kubernetes: pods, services, DNS, "
		"ingress, nodes,\n"
		"and DNS/HTTP/TLS traffic named by pod. Read-only.\n"
		"\n"
		"Cluster source (default: live Kube-API):\n"
		"  --kubeconfig PATH   kubeconfig file (else $KUBECONFIG, "
		"~/.kube/config,\n"
		"                      in-cluster service account)\n"
		"  --context NAME      --cluster NAME   --user NAME\n"
		"  -n, --namespace NS  only namespace NS (default: all "
		"namespaces)\n"
		"  -A, --all-namespaces\n"
		"  --request-timeout DURATION\n"
		"  --snapshot FILE     objects from 'kubectl get ... -o "
		"json|yaml' "
		"(repeatable;\n"
		"                      '-' is stdin)\n"
		"  --filename PATH     manifests planned on top of the source "
		"as "
		"'kubectl apply\n"
		"                      -f' would place them: a file, a folder "
		"(read\n"
		"                      recursively) or '-' (repeatable); "
		"without "
		"--snapshot,\n"
		"                      --demo, --kubeconfig or --context: on "
		"an "
		"empty cluster.\n"
		"                      Planned objects are marked '+' (JSON: "
		"\"planned\": true)\n"
		"  --demo              embedded demo cluster and traffic; no "
		"network\n"
		"  --agents NS         read the node agents of the DaemonSet "
		"in NS\n"
		"                      (found by itself when one is labelled\n"
		"                      app.kubernetes.io/name=k8snet-top)\n"
		"Agent (a DaemonSet pod on every node):\n"
		"  --agent             capture (-i any unless -i or -r), "
		"decode, "
		"write JSON\n"
		"                      lines to stdout; no Kube-API access\n"
		"  --agent-interval S  seconds between summaries (default 5)\n"
		"  --agent-slow MS     write transactions slower than MS in "
		"full "
		"(default\n"
		"                      1000)\n"
		"  --agent-detail MODE failures (default) | all: every "
		"transaction in full\n"
		"  --agent-rate N      transaction lines a second at most "
		"(default 200);\n"
		"                      the rest is counted in the next "
		"summary\n"
		"  --agent-topk K      summary keys an interval (default 100); "
		"the rest\n"
		"                      is summed as other\n"
		"  --agent-query       keep HTTP query strings in the paths "
		"written (by\n"
		"                      default they are left out: they often "
		"carry tokens)\n"
		"Capture:\n"
		"  -i, --interface IF  capture live on IF ('any' allowed)\n"
		"  -r, --read FILE     read a pcap or pcapng file (the console "
		"loads it at\n"
		"                      full speed)\n"
		"  --replay            with -r in the console: play the file "
		"with its\n"
		"                      original timing\n"
		"  -f, --filter EXPR   BPF filter (default: DNS on port 53 "
		"UDP/TCP, HTTP on\n"
		"                      80, 8080, 8000, 3000, 5000, 9090, TLS "
		"on 443, 8443,\n"
		"                      IP fragments, ICMP unreachables)\n"
		"  -w, --write FILE    also write the captured packets as "
		"pcap\n"
		"  --duration TIME     with --once and -i or --agents: this "
		"long "
		"(10, 10s, 2m)\n"
		"  -Z, --relinquish-privileges USER\n"
		"                      drop to USER once the capture is open "
		"(default nobody;\n"
		"                      --user is kubectl's kubeconfig user)\n"
		"  --no-decap          do not unwrap VXLAN/Geneve/IP-in-IP "
		"overlays\n"
		"  --workers N         decode on N threads (default: one per "
		"core, at most 8)\n"
		"Output and display:\n"
		"  --once              print one report for --pane and exit "
		"(no TUI)\n"
		"  -o, --output FMT    table | wide | json | jsonl\n"
		"  --pane NAME         pods | services | dns | ingress | "
		"routes "
		"| nodes\n"
		"                      | traffic | policies\n"
		"  --can SRC DST       may SRC reach DST under NetworkPolicy, "
		"and why\n"
		"                      (ns/pod, ns/service or an IP; implies "
		"--once)\n"
		"  --port P[/PROTO]    the port for --can: a number or a "
		"port name,\n"
		"                      TCP, UDP or SCTP (default: any port)\n"
		"  --check             print what the planned network would "
		"break (missing\n"
		"                      backends, ports, DNS cut by policy ...) "
		"with file and\n"
		"                      line; exit 3 when there is something "
		"(implies --once)\n"
		"  --probe MODE        none | known | nodeports  (node port "
		"checks)\n"
		"  --probe-external    probe nodes' ExternalIP instead of "
		"their InternalIP\n"
		"  --theme NAME|FILE   default, light, monochrome or a theme "
		"file\n"
		"  --no-color          no colours (NO_COLOR is honoured too)\n"
		"  --ascii             no line drawing or UTF-8 glyphs\n"
		"  --anonymize         consistent pseudonyms for names and "
		"addresses\n"
		"  --cluster-domain D  when the Corefile cannot be read "
		"(default "
		"cluster.local)\n"
		"  --host-root DIR     where the node's filesystem is (in a "
		"pod: /host)\n"
		"  --log FILE          write diagnostics to FILE\n"
		"  -h, --help          --version\n"
		"\n"
		"Exit status: 0 done, 1 runtime failure, 2 usage error, 3 "
		"--check found\n"
		"problems.\n"
		"In the console press ? for keys.  Version %s.\n",
		o->progname, KN_VERSION);
}
