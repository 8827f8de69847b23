/* Consistent pseudonyms for --anonymize: token-wise names, prefix-
 * preserving addresses (the Crypto-PAn construction with HMAC-SHA256). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "k8snet/alloc.h"
#include "k8snet/anon.h"
#include "k8snet/intern.h"

#define KN_ANON_KEYLEN 32
#define KN_ANON_NAME_MAX 512

struct kn_anon_map {
	const char **keys, **vals; /* interned */
	size_t n, cap;		   /* cap is a power of two */
};

struct kn_anon {
	uint8_t key[KN_ANON_KEYLEN];
	struct kn_intern *strings;
	struct kn_anon_map tokens; /* token -> pseudonym */
	struct kn_anon_map used;   /* pseudonym -> token (injectivity) */
	struct kn_anon_map names;  /* whole name -> pseudonym (cache) */
};

/* Kubernetes' and DNS's own words: kept, they carry no secret and keep
 * names like web.shop.svc.cluster.local readable; "*" keeps a wildcard
 * hostname one. */
static const char *const kn_anon_keep[] = {
	"svc",	    "pod",	  "cluster",  "local",	   "kube",
	"system",   "public",	  "node",     "lease",	   "default",
	"in-addr",  "in",	  "addr",     "arpa",	   "ip6",
	"tcp",	    "udp",	  "sctp",     "http",	   "https",
	"grpc",	    "dns",	  "metrics",  "com",	   "org",
	"net",	    "io",	  "dev",      "nginx",	   "ingress",
	"coredns",  "proxy",	  "calico",   "flannel",   "cilium",
	"weave",    "controller", "manager",  "scheduler", "apiserver",
	"etcd",	    "kubernetes", "control",  "plane",	   "worker",
	"master",   "none",	  "k8s",      "traefik",   "haproxy",
	"contour",  "istio",	  "kong",     "gce",	   "alb",
	"aws",	    "azure",	  "antrea",   "canal",	   "router",
	"agent",    "kindnet",	  "multus",   "vnet",	   "cni",
	"netd",	    "ds",	  "demo",     "snapshot",  "snapshots",
	"registry", "docker",	  "gcr",      "quay",	   "ghcr",
	"latest",   "api",	  "web",      "admission", "webhook",
	"ingress",  "class",	  "name",     "app",	   "component",
	"instance", "part",	  "of",	      "managed",   "by",
	"version",  "role",	  "template", "hash",	   "generation",
	"revision", "controlled", "owner",    "*",	   NULL};

static const char *const kn_anon_words[] = {
	"alder",  "birch",  "cedar",   "delta",	  "ember",  "fjord",   "garnet",
	"harbor", "indigo", "juniper", "kestrel", "lagoon", "maple",   "nectar",
	"orchid", "pebble", "quartz",  "raven",	  "sierra", "tundra",  "umber",
	"violet", "willow", "xenon",   "yarrow",  "zephyr", "amber",   "basalt",
	"coral",  "dune",   "fern",    "glacier", "heron",  "iris",    "jasper",
	"koala",  "lotus",  "mesa",    "nova",	  "onyx",   "prairie", "quill",
	"reef",	  "sage",   "thistle", "upland",  "vale",   "wren"};
#define KN_ANON_NWORDS (sizeof(kn_anon_words) / sizeof(kn_anon_words[0]))

static void
kn_anon_map_grow(struct kn_anon_map *m)
{
	struct kn_anon_map old = *m;
	size_t i, j;

	m->cap = old.cap ? old.cap * 2 : 256;
	m->keys = kn_xcalloc(m->cap, sizeof(*m->keys));
	m->vals = kn_xcalloc(m->cap, sizeof(*m->vals));
	m->n = 0;
	for (i = 0; i < old.cap; i++) {
		if (old.keys[i] == NULL)
			continue;
		j = (size_t)kn_hash_bytes(&old.keys[i], sizeof(char *)) &
		    (m->cap - 1);
		while (m->keys[j] != NULL)
			j = (j + 1) & (m->cap - 1);
		m->keys[j] = old.keys[i];
		m->vals[j] = old.vals[i];
		m->n++;
	}
	free(old.keys);
	free(old.vals);
}

/* Keys are interned pointers: hash and compare the pointer. */
static const char **
kn_anon_map_slot(struct kn_anon_map *m, const char *key)
{
	size_t j;

	if ((m->n + 1) * 2 > m->cap)
		kn_anon_map_grow(m);
	j = (size_t)kn_hash_bytes(&key, sizeof(key)) & (m->cap - 1);
	while (m->keys[j] != NULL && m->keys[j] != key)
		j = (j + 1) & (m->cap - 1);
	if (m->keys[j] == NULL) {
		m->keys[j] = key;
		m->n++;
	}
	return &m->vals[j];
}

static void
kn_anon_map_free(struct kn_anon_map *m)
{
	free(m->keys);
	free(m->vals);
}

struct kn_anon *
kn_anon_new(const uint8_t *key, size_t keylen)
{
	struct kn_anon *a = kn_xcalloc(1, sizeof(*a));

	if (key != NULL) {
		unsigned int n = 0;

		HMAC(EVP_sha256(), "k8snet-top anon", 15, key, keylen, a->key,
		     &n);
	} else if (RAND_bytes(a->key, sizeof(a->key)) != 1) {
		kn_anon_free(a);
		return NULL;
	}
	a->strings = kn_intern_new();
	return a;
}

void
kn_anon_free(struct kn_anon *a)
{
	if (a == NULL)
		return;
	kn_anon_map_free(&a->tokens);
	kn_anon_map_free(&a->used);
	kn_anon_map_free(&a->names);
	kn_intern_free(a->strings);
	OPENSSL_cleanse(a->key, sizeof(a->key));
	free(a);
}

static void
kn_anon_prf(const struct kn_anon *a, const void *msg, size_t len,
	    uint8_t out[32])
{
	unsigned int n = 32;

	HMAC(EVP_sha256(), a->key, sizeof(a->key), msg, len, out, &n);
}

/* Crypto-PAn: output bit i = input bit i XOR PRF(first i input bits). The
 * first `keep` bits are kept, so a private range stays that range. */
static void
kn_anon_bits(const struct kn_anon *a, uint8_t *addr, int nbits, int keep)
{
	uint8_t in[17], out[32], res[16];
	int i;

	memcpy(res, addr, (size_t)nbits / 8);
	for (i = keep; i < nbits; i++) {
		memset(in, 0, sizeof(in));
		memcpy(in, addr, (size_t)(i + 7) / 8);
		if (i % 8 != 0)
			in[i / 8] &= (uint8_t)(0xff << (8 - i % 8));
		in[16] = (uint8_t)i;
		kn_anon_prf(a, in, sizeof(in), out);
		res[i / 8] ^= (uint8_t)((out[0] & 1) << (7 - i % 8));
	}
	memcpy(addr, res, (size_t)nbits / 8);
}

static int
kn_anon_keep_bits(const struct kn_ipaddr *ip)
{
	const uint8_t *b = ip->addr;

	if (ip->family == 4) {
		if (b[0] == 127 || b[0] == 0 || b[0] >= 224)
			return 32; /* loopback, this-net, multicast: as is */
		if (b[0] == 10)
			return 8;
		if (b[0] == 172 && (b[1] & 0xf0) == 16)
			return 12;
		if (b[0] == 192 && b[1] == 168)
			return 16;
		if (b[0] == 100 && (b[1] & 0xc0) == 64)
			return 10;
		if (b[0] == 169 && b[1] == 254)
			return 16;
		return 0;
	}
	if (b[0] == 0xff)
		return 128; /* multicast */
	if (b[0] == 0 && memcmp(b, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15) == 0)
		return 128; /* :: and ::1 */
	if ((b[0] & 0xfe) == 0xfc)
		return 7;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return 10;
	return 0;
}

void
kn_anon_ip(struct kn_anon *a, struct kn_ipaddr *ip)
{
	if (ip->family != 4 && ip->family != 6)
		return;
	kn_anon_bits(a, ip->addr, ip->family == 4 ? 32 : 128,
		     kn_anon_keep_bits(ip));
}

const char *
kn_anon_cidr(struct kn_anon *a, const char *s, char *buf, size_t buflen)
{
	char addr[KN_IPSTR], ipbuf[KN_IPSTR];
	const char *slash = strchr(s, '/');
	struct kn_ipaddr ip;
	size_t alen;
	long plen;
	char *end;
	int i, nbits;

	if (slash == NULL || (alen = (size_t)(slash - s)) >= sizeof(addr))
		return NULL;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	plen = strtol(slash + 1, &end, 10);
	if (*end != '\0' || !kn_ipaddr_parse(addr, &ip))
		return NULL;
	nbits = ip.family == 4 ? 32 : 128;
	if (plen < 0 || plen > nbits)
		return NULL;
	kn_anon_ip(a, &ip);
	for (i = (int)plen; i < nbits; i++)
		ip.addr[i / 8] &= (uint8_t) ~(0x80 >> (i % 8));
	snprintf(buf, buflen, "%s/%ld",
		 kn_ipaddr_format(&ip, ipbuf, sizeof(ipbuf)), plen);
	return buf;
}

static bool
kn_anon_kept(const char *tok, size_t len)
{
	size_t i;

	for (i = 0; kn_anon_keep[i] != NULL; i++)
		if (strlen(kn_anon_keep[i]) == len &&
		    memcmp(kn_anon_keep[i], tok, len) == 0)
			return true;
	/* Numbers (postgres-0, ports in an SRV answer) carry no name. */
	if (len <= 5) {
		for (i = 0; i < len; i++)
			if (!isdigit((unsigned char)tok[i]))
				return false;
		return true;
	}
	return false;
}

/* Hash-like tokens (pod-template hashes, random suffixes) keep their
 * shape: same length, lowercase letters and digits. */
static bool
kn_anon_hashlike(const char *tok, size_t len)
{
	size_t i, digits = 0;

	for (i = 0; i < len; i++)
		if (isdigit((unsigned char)tok[i]))
			digits++;
	return len >= 5 && len <= 16 && digits > 0;
}

static const char *
kn_anon_token(struct kn_anon *a, const char *tok, size_t len)
{
	static const char alnum[] = "bcdfghjklmnpqrstvwxz2456789";
	const char *key = kn_intern_n(a->strings, tok, len);
	const char **val = kn_anon_map_slot(&a->tokens, key);
	const char **owner;
	char cand[64];
	uint8_t h[32];
	size_t i;
	unsigned attempt;

	if (*val != NULL)
		return *val;
	for (attempt = 0;; attempt++) {
		uint8_t msg[300];
		size_t n = len < 256 ? len : 256;

		memcpy(msg, tok, n);
		memcpy(msg + n, &attempt, sizeof(attempt));
		kn_anon_prf(a, msg, n + sizeof(attempt), h);
		if (kn_anon_hashlike(tok, len)) {
			for (i = 0; i < len && i < sizeof(cand) - 1; i++)
				cand[i] =
					alnum[h[i % 32] % (sizeof(alnum) - 1)];
			cand[i] = '\0';
		} else if (attempt == 0) {
			snprintf(cand, sizeof(cand), "%s",
				 kn_anon_words[h[0] % KN_ANON_NWORDS]);
		} else {
			snprintf(cand, sizeof(cand), "%s%u",
				 kn_anon_words[h[0] % KN_ANON_NWORDS],
				 (unsigned)(h[1] | h[2] << 8) % 1000);
		}
		/* A pseudonym may not equal a kept word or another token's
		 * pseudonym (the mapping must stay one-to-one). */
		if (kn_anon_kept(cand, strlen(cand)) ||
		    (strlen(cand) == len && memcmp(cand, tok, len) == 0))
			continue;
		owner = kn_anon_map_slot(&a->used, kn_intern(a->strings, cand));
		if (*owner == NULL) {
			*owner = key;
			break;
		}
		if (*owner == key)
			break;
	}
	/* The map may have grown while picking: look the slot up again. */
	val = kn_anon_map_slot(&a->tokens, key);
	*val = kn_intern(a->strings, cand);
	return *val;
}

const char *
kn_anon_name(struct kn_anon *a, const char *s)
{
	char out[KN_ANON_NAME_MAX], ipbuf[KN_IPSTR];
	struct kn_ipaddr ip;
	const char *key, **val, *p;
	size_t o = 0, tl, pl;

	if (s == NULL || *s == '\0')
		return s;
	key = kn_intern(a->strings, s);
	val = kn_anon_map_slot(&a->names, key);
	if (*val != NULL)
		return *val;
	if (kn_ipaddr_parse(s, &ip)) {
		kn_anon_ip(a, &ip);
		p = kn_ipaddr_format(&ip, ipbuf, sizeof(ipbuf));
	} else if (kn_ipaddr_from_ptr(s, &ip)) {
		/* a reverse-DNS name holds an address: map it as one */
		kn_anon_ip(a, &ip);
		kn_ipaddr_ptr_name(&ip, out, sizeof(out));
		if (s[strlen(s) - 1] != '.')
			out[strlen(out) - 1] = '\0';
		p = out;
	} else if (strchr(s, '/') != NULL &&
		   kn_anon_cidr(a, s, out, sizeof(out)) != NULL) {
		p = out;
	} else {
		p = s;
		while (*p != '\0' && o < sizeof(out) - 1) {
			tl = strcspn(p, ".-_/:");
			if (tl > 0) {
				const char *t =
					kn_anon_kept(p, tl)
						? kn_intern_n(a->strings, p, tl)
						: kn_anon_token(a, p, tl);

				pl = strlen(t);
				if (pl > sizeof(out) - 1 - o)
					pl = sizeof(out) - 1 - o;
				memcpy(out + o, t, pl);
				o += pl;
				p += tl;
			}
			if (*p != '\0' && o < sizeof(out) - 1)
				out[o++] = *p++;
		}
		out[o] = '\0';
		p = out;
	}
	/* Slots may have moved while tokens were mapped. */
	val = kn_anon_map_slot(&a->names, key);
	*val = kn_intern(a->strings, p);
	return *val;
}
