/* Early continue-token scan of a list page (RFC 8259 grammar, only as
 * much of it as the start of a page needs): the top-level object's
 * members are skipped value by value until "metadata", whose members are
 * skipped until "continue". Nothing is allocated; every loop is bounded
 * by the prefix, itself bounded by LISTPAGE_SCAN_MAX. */
#include <stdbool.h>
#include <string.h>

#include "listpage.h"

enum step { STEP_OK, STEP_MORE, STEP_BAD };

struct scan {
	const char *p;
	size_t n, i;
};

static void
skip_ws(struct scan *s)
{
	while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' ||
			       s->p[s->i] == '\r' || s->p[s->i] == '\n'))
		s->i++;
}

/* At '"': the string's raw contents are p[*start .. *start + *len) and
 * *esc tells whether they hold a backslash; s->i moves past the quote. */
static enum step
scan_string(struct scan *s, size_t *start, size_t *len, bool *esc)
{
	size_t i = s->i + 1;

	*esc = false;
	*start = i;
	for (; i < s->n; i++) {
		unsigned char c = (unsigned char)s->p[i];

		if (c == '\\') {
			*esc = true;
			i++; /* the escaped byte (\" included) */
		} else if (c == '"') {
			*len = i - *start;
			s->i = i + 1;
			return STEP_OK;
		} else if (c < 0x20) {
			return STEP_BAD;
		}
	}
	return STEP_MORE;
}

/* Skip one value of any type (objects and arrays by counting brackets
 * outside strings). */
static enum step
skip_value(struct scan *s)
{
	size_t depth = 0, st, len;
	bool esc;
	enum step r;

	skip_ws(s);
	if (s->i >= s->n)
		return STEP_MORE;
	do {
		char c;

		if (s->i >= s->n)
			return STEP_MORE;
		c = s->p[s->i];
		if (c == '"') {
			r = scan_string(s, &st, &len, &esc);
			if (r != STEP_OK)
				return r;
			continue;
		}
		if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return STEP_BAD;
			depth--;
		} else if (depth == 0 && (c == ',' || c == ':')) {
			return STEP_BAD;
		}
		s->i++;
		if (depth == 0) {
			/* a scalar ends at a delimiter; a container at its
			 * bracket (just passed) */
			if (c != '}' && c != ']') {
				while (s->i < s->n &&
				       strchr(",}] \t\r\n", s->p[s->i]) == NULL)
					s->i++;
				if (s->i >= s->n)
					return STEP_MORE;
			}
		}
	} while (depth > 0);
	return STEP_OK;
}

/* At the start of a member or at the object's end: the key (raw) and
 * past its ':'. STEP_BAD also for the object's end ('}'), with *end. */
static enum step
member_key(struct scan *s, size_t *kst, size_t *klen, bool *kesc, bool *end)
{
	enum step r;

	*end = false;
	skip_ws(s);
	if (s->i >= s->n)
		return STEP_MORE;
	if (s->p[s->i] == '}') {
		*end = true;
		return STEP_BAD;
	}
	if (s->p[s->i] != '"')
		return STEP_BAD;
	r = scan_string(s, kst, klen, kesc);
	if (r != STEP_OK)
		return r;
	skip_ws(s);
	if (s->i >= s->n)
		return STEP_MORE;
	if (s->p[s->i] != ':')
		return STEP_BAD;
	s->i++;
	skip_ws(s);
	return s->i < s->n ? STEP_OK : STEP_MORE;
}

/* After a member's value: ',' (STEP_OK) or '}' (*end). */
static enum step
member_next(struct scan *s, bool *end)
{
	*end = false;
	skip_ws(s);
	if (s->i >= s->n)
		return STEP_MORE;
	if (s->p[s->i] == ',') {
		s->i++;
		return STEP_OK;
	}
	if (s->p[s->i] == '}') {
		*end = true;
		s->i++;
		return STEP_OK;
	}
	return STEP_BAD;
}

static bool
key_is(const struct scan *s, size_t st, size_t len, bool esc, const char *k)
{
	return !esc && len == strlen(k) && memcmp(s->p + st, k, len) == 0;
}

static enum listpage_scan
verdict(enum step r)
{
	return r == STEP_MORE ? LISTPAGE_MORE : LISTPAGE_NONE;
}

/* Inside "metadata" (just past its '{'). */
static enum listpage_scan
scan_metadata(struct scan *s, char *out, size_t outsz)
{
	size_t kst, klen, vst, vlen;
	bool kesc, vesc, end;
	enum step r;

	for (;;) {
		r = member_key(s, &kst, &klen, &kesc, &end);
		if (r != STEP_OK)
			return verdict(r);
		if (key_is(s, kst, klen, kesc, "continue")) {
			if (s->p[s->i] != '"')
				return LISTPAGE_NONE;
			r = scan_string(s, &vst, &vlen, &vesc);
			if (r != STEP_OK)
				return verdict(r);
			if (vesc || vlen == 0 || vlen >= outsz)
				return LISTPAGE_NONE;
			memcpy(out, s->p + vst, vlen);
			out[vlen] = '\0';
			return LISTPAGE_FOUND;
		}
		r = skip_value(s);
		if (r != STEP_OK)
			return verdict(r);
		r = member_next(s, &end);
		if (r != STEP_OK)
			return verdict(r);
		if (end)
			return LISTPAGE_NONE;
	}
}

enum listpage_scan
listpage_continue(const char *p, size_t n, char *out, size_t outsz)
{
	struct scan s = {p, n, 0};
	size_t kst, klen;
	bool kesc, end, capped = false;
	enum listpage_scan v;
	enum step r;

	if (p == NULL || out == NULL || outsz == 0)
		return p == NULL ? LISTPAGE_MORE : LISTPAGE_NONE;
	if (s.n > LISTPAGE_SCAN_MAX) {
		s.n = LISTPAGE_SCAN_MAX;
		capped = true;
	}
	skip_ws(&s);
	if (s.i >= s.n)
		return capped ? LISTPAGE_NONE : LISTPAGE_MORE;
	if (s.p[s.i] != '{')
		return LISTPAGE_NONE;
	s.i++;
	for (;;) {
		r = member_key(&s, &kst, &klen, &kesc, &end);
		if (r != STEP_OK)
			break;
		if (key_is(&s, kst, klen, kesc, "items"))
			return LISTPAGE_NONE;
		if (key_is(&s, kst, klen, kesc, "metadata")) {
			if (s.p[s.i] != '{')
				return LISTPAGE_NONE;
			s.i++;
			v = scan_metadata(&s, out, outsz);
			return v == LISTPAGE_MORE && capped ? LISTPAGE_NONE : v;
		}
		r = skip_value(&s);
		if (r != STEP_OK)
			break;
		r = member_next(&s, &end);
		if (r != STEP_OK)
			break;
		if (end)
			return LISTPAGE_NONE;
	}
	return r == STEP_MORE && !capped ? LISTPAGE_MORE : LISTPAGE_NONE;
}
