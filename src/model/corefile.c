/* CoreDNS Corefile text: the cluster domain and forwarders that the DNS
 * model needs, and the summary the DNS pane shows. The Corefile comes from
 * the kube-system/coredns ConfigMap, so it is untrusted text: lines are
 * bounded, anything unknown is skipped. */
#include <stdio.h>
#include <string.h>

#include "k8snet/model_query.h"

/* Next whitespace-separated token of a line; NULL at its end or at a
 * comment. */
static const char *
tok(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *t;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	if (s >= end || *s == '#') {
		*p = end;
		return NULL;
	}
	t = s;
	while (t < end && *t != ' ' && *t != '\t' && *t != '\r')
		t++;
	*len = (size_t)(t - s);
	*p = t;
	return s;
}

static bool
tok_is(const char *t, size_t n, const char *w)
{
	return t != NULL && strlen(w) == n && memcmp(t, w, n) == 0;
}

static bool
ends_with(const char *t, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(t + n - k, suf, k) == 0;
}

bool
kn_corefile_domain(const char *text, char *dom, size_t domsz,
		   struct kn_strs *fwd)
{
	const char *line = text, *eol, *p, *t;
	bool found = false;
	char tmp[256];
	size_t n;

	while (line != NULL && *line) {
		eol = strchr(line, '\n');
		if (eol == NULL)
			eol = line + strlen(line);
		p = line;
		t = tok(&p, eol, &n);
		if (!found && tok_is(t, n, "kubernetes")) {
			while ((t = tok(&p, eol, &n)) != NULL && *t != '{') {
				if (ends_with(t, n, ".arpa") ||
				    ends_with(t, n, ".arpa."))
					continue;
				if (n > 1 && t[n - 1] == '.')
					n--;
				if (n >= domsz || n == 0)
					continue;
				memcpy(dom, t, n);
				dom[n] = '\0';
				found = true;
				break;
			}
		} else if (fwd != NULL && tok_is(t, n, "forward")) {
			/* forward FROM TO... [{] */
			if (tok(&p, eol, &n) != NULL)
				while ((t = tok(&p, eol, &n)) != NULL &&
				       *t != '{') {
					if (n >= sizeof(tmp))
						continue;
					memcpy(tmp, t, n);
					tmp[n] = '\0';
					kn_strs_add(fwd, tmp);
				}
		}
		line = *eol ? eol + 1 : NULL;
	}
	return found;
}

/* Copy line [s, e) without comment and surrounding blanks into buf. */
static void
cf_line(const char *s, const char *e, char *buf, size_t n)
{
	const char *h = memchr(s, '#', (size_t)(e - s));
	size_t len;

	if (h != NULL)
		e = h;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	len = (size_t)(e - s);
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
}

/* Drop a trailing "{" and blanks; returns true when there was one. */
static bool
cf_strip_open(char *l)
{
	size_t n = strlen(l);

	if (n == 0 || l[n - 1] != '{')
		return false;
	l[--n] = '\0';
	while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t'))
		l[--n] = '\0';
	return true;
}

/* Collapse runs of blanks to one space. */
static void
cf_squeeze(char *l)
{
	char *r = l, *w = l;
	bool sp = false;

	for (; *r; r++) {
		if (*r == ' ' || *r == '\t') {
			sp = true;
			continue;
		}
		if (sp && w != l)
			*w++ = ' ';
		sp = false;
		*w++ = *r;
	}
	*w = '\0';
}

void
kn_corefile_parse(const char *text, struct kn_corefile *cf)
{
	const char *p, *eol;
	char l[512];
	int depth = 0, servers = 0;
	bool in_kube = false, open;

	memset(cf, 0, sizeof(*cf));
	snprintf(cf->pods, sizeof(cf->pods), "disabled");
	if (text == NULL)
		return;
	cf->present = true;
	for (p = text; *p; p = *eol ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		cf_line(p, eol, l, sizeof(l));
		if (l[0] == '}') {
			if (depth > 0)
				depth--;
			if (depth <= 1)
				in_kube = false;
			continue;
		}
		if (l[0] == '\0')
			continue;
		open = cf_strip_open(l);
		cf_squeeze(l);
		if (depth == 0) {
			servers++;
			kn_strs_add(&cf->servers, l);
		} else if (depth == 1 && servers == 1) {
			kn_strs_add(&cf->plugins, l);
			in_kube = strncmp(l, "kubernetes", 10) == 0 &&
				  (l[10] == '\0' || l[10] == ' ');
		} else if (depth == 2 && in_kube &&
			   strncmp(l, "pods ", 5) == 0) {
			snprintf(cf->pods, sizeof(cf->pods), "%.*s",
				 (int)sizeof(cf->pods) - 1, l + 5);
		}
		if (open)
			depth++;
	}
}
