/* UTF-8 decoding (RFC 3629), display width and escaping of untrusted text. */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "k8snet/escape.h"

size_t
kn_utf8_decode(const char *str, size_t len, int32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	int32_t c;
	size_t n, i;

	*cp = -1;
	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 1;
	}
	if (len < n)
		return 1;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlongs, surrogates and values past U+10FFFF are invalid. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 1;
	*cp = c;
	return n;
}

int
kn_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
kn_cp_is_unsafe(int32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return true;
	if (cp >= 0x80 && cp <= 0x9f) /* C1 controls, incl. CSI 0x9b */
		return true;
	/* Bidi embeddings, overrides and isolates; LRM/RLM/ALM. */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c)
		return true;
	/* Line/paragraph separators and BOM/zero-width no-break space. */
	if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff)
		return true;
	return false;
}

int
kn_cp_width(int32_t cp)
{
	int w;

	if (cp < 0x80)
		return 1;
	w = wcwidth((wchar_t)cp);
	if (w < 0)
		return 1; /* unknown to the locale: assume one cell */
	return w > 2 ? 2 : w;
}

static int
kn_escape_one(char *tmp, size_t tmpsz, const char *s, size_t n, int32_t cp)
{
	if (cp < 0)
		return snprintf(tmp, tmpsz, "\\x%02x", (unsigned char)s[0]);
	if (cp == '\n')
		return snprintf(tmp, tmpsz, "\\n");
	if (cp == '\t')
		return snprintf(tmp, tmpsz, "\\t");
	if (cp == '\r')
		return snprintf(tmp, tmpsz, "\\r");
	if (cp < 0x100)
		return snprintf(tmp, tmpsz, "\\x%02x", (unsigned)cp);
	(void)n;
	return snprintf(tmp, tmpsz, "\\u%04x", (unsigned)cp);
}

enum kn_err
kn_escape_text(struct kn_buf *out, const char *s, size_t len, bool ascii)
{
	size_t i = 0, run = 0, n;
	int32_t cp;
	char tmp[16];
	int k;
	enum kn_err e;

	while (i < len) {
		n = kn_utf8_decode(s + i, len - i, &cp);
		if (cp >= 0 && !kn_cp_is_unsafe(cp) && !(ascii && cp >= 0x80)) {
			i += n;
			run += n;
			continue;
		}
		if (run > 0) {
			e = kn_buf_append(out, s + i - run, run);
			if (e != KN_OK)
				return e;
			run = 0;
		}
		k = kn_escape_one(tmp, sizeof(tmp), s + i, n, cp);
		e = kn_buf_append(out, tmp, (size_t)k);
		if (e != KN_OK)
			return e;
		i += n;
	}
	if (run > 0)
		return kn_buf_append(out, s + len - run, run);
	return KN_OK;
}

size_t
kn_escaped_width(const char *s, size_t len, bool ascii)
{
	size_t i = 0, w = 0, n;
	int32_t cp;
	char tmp[16];

	while (i < len) {
		n = kn_utf8_decode(s + i, len - i, &cp);
		if (cp >= 0 && !kn_cp_is_unsafe(cp) && !(ascii && cp >= 0x80))
			w += (size_t)kn_cp_width(cp);
		else
			w += (size_t)kn_escape_one(tmp, sizeof(tmp), s + i, n,
						   cp);
		i += n;
	}
	return w;
}

enum kn_err
kn_json_quote(struct kn_buf *out, const char *s, size_t len)
{
	size_t i = 0, run = 0, n;
	int32_t cp;
	char tmp[16];
	int k;
	enum kn_err e;

	if ((e = kn_buf_append(out, "\"", 1)) != KN_OK)
		return e;
	while (i < len) {
		n = kn_utf8_decode(s + i, len - i, &cp);
		if (cp >= 0 && !kn_cp_is_unsafe(cp) && cp != '"' &&
		    cp != '\\') {
			i += n;
			run += n;
			continue;
		}
		if (run > 0) {
			if ((e = kn_buf_append(out, s + i - run, run)) != KN_OK)
				return e;
			run = 0;
		}
		if (cp < 0)
			k = snprintf(tmp, sizeof(tmp), "\\\\x%02x",
				     (unsigned char)s[i]);
		else if (cp == '"' || cp == '\\')
			k = snprintf(tmp, sizeof(tmp), "\\%c", (char)cp);
		else if (cp == '\n')
			k = snprintf(tmp, sizeof(tmp), "\\n");
		else if (cp == '\t')
			k = snprintf(tmp, sizeof(tmp), "\\t");
		else if (cp == '\r')
			k = snprintf(tmp, sizeof(tmp), "\\r");
		else
			k = snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)cp);
		if ((e = kn_buf_append(out, tmp, (size_t)k)) != KN_OK)
			return e;
		i += n;
	}
	if (run > 0 && (e = kn_buf_append(out, s + len - run, run)) != KN_OK)
		return e;
	return kn_buf_append(out, "\"", 1);
}
