/* Pseudonyms in API objects before they are decoded (--anonymize): every
 * string value is a name unless its key says it is vocabulary. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "anon_json.h"
#include "k8snet/buf.h"
#include "k8snet/ipaddr.h"

/* Keys whose string values are enumerations or bookkeeping, not names.
 * Label keys stay as they are (they are object keys), so a selector's
 * matchExpressions key does too; "group", "from" (Same, All, Selector)
 * and "method" are the Gateway API's. */
static const char *const kn_vocab_keys[] = {"kind",
					    "apiVersion",
					    "type",
					    "phase",
					    "protocol",
					    "pathType",
					    "status",
					    "reason",
					    "operator",
					    "effect",
					    "restartPolicy",
					    "dnsPolicy",
					    "imagePullPolicy",
					    "ipFamilyPolicy",
					    "ipFamilies",
					    "externalTrafficPolicy",
					    "internalTrafficPolicy",
					    "sessionAffinity",
					    "addressType",
					    "resourceVersion",
					    "uid",
					    "creationTimestamp",
					    "lastTransitionTime",
					    "lastProbeTime",
					    "lastHeartbeatTime",
					    "startedAt",
					    "finishedAt",
					    "startTime",
					    "qosClass",
					    "appProtocol",
					    "scheme",
					    "mode",
					    "policyTypes",
					    "continue",
					    "terminationMessagePath",
					    "terminationMessagePolicy",
					    "schedulerName",
					    "priorityClassName",
					    "preemptionPolicy",
					    "enableServiceLinks",
					    "architecture",
					    "operatingSystem",
					    "kernelVersion",
					    "osImage",
					    "containerRuntimeVersion",
					    "kubeletVersion",
					    "kubeProxyVersion",
					    "machineID",
					    "systemUUID",
					    "bootID",
					    "updateStrategy",
					    "allocatable",
					    "capacity",
					    "group",
					    "from",
					    "method",
					    "key",
					    NULL};

static bool
kn_vocab(const char *key)
{
	size_t i;

	if (key == NULL)
		return false;
	for (i = 0; kn_vocab_keys[i] != NULL; i++)
		if (strcmp(key, kn_vocab_keys[i]) == 0)
			return true;
	return false;
}

static void
kn_set(cJSON *item, const char *s)
{
	if (strcmp(item->valuestring, s) != 0)
		cJSON_SetValuestring(item, s);
}

/* A Corefile keeps its syntax; only addresses in it are mapped (the
 * upstream resolvers may be the site's own). */
static void
kn_anon_corefile(struct kn_anon *a, cJSON *item)
{
	const char *s = item->valuestring, *p = s;
	struct kn_buf out;
	char tok[KN_IPSTR + 8], ipbuf[KN_IPSTR];
	struct kn_ipaddr ip;
	size_t n;

	kn_buf_init(&out, 1 << 20);
	while (*p != '\0') {
		n = strspn(p, " \t\n{}");
		kn_buf_append(&out, p, n);
		p += n;
		n = strcspn(p, " \t\n{}");
		if (n > 0 && n < sizeof(tok)) {
			const char *colon;

			memcpy(tok, p, n);
			tok[n] = '\0';
			/* "10.0.0.2" or "10.0.0.2:53" (not IPv6's colons) */
			colon = strchr(tok, ':') == strrchr(tok, ':')
					? strchr(tok, ':')
					: NULL;
			if (colon != NULL)
				tok[colon - tok] = '\0';
			if (kn_ipaddr_parse(tok, &ip)) {
				kn_anon_ip(a, &ip);
				kn_buf_puts(&out,
					    kn_ipaddr_format(&ip, ipbuf,
							     sizeof(ipbuf)));
				if (colon != NULL)
					kn_buf_puts(&out, p + (colon - tok));
				p += n;
				continue;
			}
		}
		kn_buf_append(&out, p, n);
		p += n;
	}
	if (out.data != NULL)
		kn_set(item, out.data);
	kn_buf_release(&out);
}

static void
kn_walk(struct kn_anon *a, cJSON *node, const char *key)
{
	cJSON *c;

	if (cJSON_IsString(node)) {
		/* "None" is the headless clusterIP, not a name. */
		if (kn_vocab(key) || node->valuestring[0] == '\0' ||
		    strcmp(node->valuestring, "None") == 0)
			return;
		if (key != NULL && strcmp(key, "Corefile") == 0)
			kn_anon_corefile(a, node);
		else
			kn_set(node, kn_anon_name(a, node->valuestring));
		return;
	}
	if (cJSON_IsArray(node)) {
		/* Array elements inherit their array's key ("ipFamilies"). */
		cJSON_ArrayForEach(c, node) kn_walk(a, c, key);
		return;
	}
	if (cJSON_IsObject(node)) {
		cJSON_ArrayForEach(c, node) kn_walk(a, c, c->string);
	}
}

void
kn_anon_json(struct kn_anon *a, cJSON *obj)
{
	kn_walk(a, obj, NULL);
}
