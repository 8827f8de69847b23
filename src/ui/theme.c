/* Theme files (YAML via libyaml): roles -> colours, search path, degrade. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "k8snet/alloc.h"
#include "k8snet/embed.h"
#include "k8snet/escape.h"
#include "theme.h"

static const char *const kn_color_names[16] = {
	"black",	"red",
	"green",	"yellow",
	"blue",		"magenta",
	"cyan",		"white",
	"bright-black", "bright-red",
	"bright-green", "bright-yellow",
	"bright-blue",	"bright-magenta",
	"bright-cyan",	"bright-white",
};

static const struct {
	const char *name;
	uint16_t attr;
} kn_attr_names[] = {
	{"bold", KN_ATTR_BOLD},	      {"dim", KN_ATTR_DIM},
	{"reverse", KN_ATTR_REVERSE}, {"underline", KN_ATTR_UNDERLINE},
	{"italic", KN_ATTR_ITALIC},
};

/* Attribute-only looks: what a monochrome terminal shows, and what a
 * theme starts from. */
static const uint16_t kn_baseline[KN_ROLE__COUNT] = {
	[KN_ROLE_HEADER] = KN_ATTR_REVERSE | KN_ATTR_BOLD,
	[KN_ROLE_TAB_ACTIVE] = KN_ATTR_REVERSE | KN_ATTR_BOLD,
	[KN_ROLE_TITLE] = KN_ATTR_BOLD | KN_ATTR_UNDERLINE,
	[KN_ROLE_SELECTED] = KN_ATTR_REVERSE,
	[KN_ROLE_WARNING] = KN_ATTR_BOLD,
	[KN_ROLE_ERROR] = KN_ATTR_BOLD | KN_ATTR_UNDERLINE,
	[KN_ROLE_DIMMED] = KN_ATTR_DIM,
	[KN_ROLE_KEY] = KN_ATTR_BOLD,
	[KN_ROLE_STATUS] = KN_ATTR_BOLD,
	[KN_ROLE_PROMPT] = KN_ATTR_BOLD,
	[KN_ROLE_BORDER] = KN_ATTR_DIM,
	[KN_ROLE_NOTE] = KN_ATTR_DIM,
};

void
kn_theme_init(struct kn_theme *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "baseline");
	for (i = 0; i < KN_ROLE__COUNT; i++) {
		t->role[i].fg = KN_COLOR_DEFAULT;
		t->role[i].bg = KN_COLOR_DEFAULT;
		t->role[i].attrs = kn_baseline[i];
	}
}

bool
kn_color_parse(const char *s, int16_t *out)
{
	char *end;
	long v;
	int i;

	if (strcmp(s, "default") == 0 || strcmp(s, "none") == 0) {
		*out = KN_COLOR_DEFAULT;
		return true;
	}
	for (i = 0; i < 16; i++)
		if (strcmp(s, kn_color_names[i]) == 0) {
			*out = (int16_t)i;
			return true;
		}
	if (strcmp(s, "gray") == 0 || strcmp(s, "grey") == 0) {
		*out = 8;
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 255)
		return false;
	*out = (int16_t)v;
	return true;
}

struct kn_tparse {
	yaml_document_t *doc;
	const char *file;
	char *errbuf;
	struct kn_buf *warn;
};

static unsigned long
kn_line(const yaml_node_t *n)
{
	return (unsigned long)n->start_mark.line + 1;
}

/* "file:line: unknown WHAT 'name' (HINT)" */
static void
kn_twarn(struct kn_tparse *p, const yaml_node_t *n, const char *what,
	 const char *name, const char *hint)
{
	if (p->warn == NULL)
		return;
	kn_buf_printf(p->warn, "%s:%lu: unknown %s '%s' (%s)\n", p->file,
		      kn_line(n), what, name, hint);
}

static enum kn_err
kn_terr(struct kn_tparse *p, const yaml_node_t *n, const char *msg)
{
	return kn_errf(p->errbuf, KN_ERR_PARSE, "%s:%lu: %s", p->file,
		       kn_line(n), msg);
}

static const char *
kn_scalar(const yaml_node_t *n)
{
	return n != NULL && n->type == YAML_SCALAR_NODE
		       ? (const char *)n->data.scalar.value
		       : NULL;
}

/* Scalar text made safe for messages (it came from a file). */
static const char *
kn_quote(const char *s, char *buf, size_t bufsz)
{
	struct kn_buf b;

	kn_buf_init(&b, 0);
	kn_escape_text(&b, s, strlen(s), false);
	snprintf(buf, bufsz, "%s", b.data != NULL ? b.data : "");
	kn_buf_release(&b);
	return buf;
}

static enum kn_err
kn_parse_attr_word(struct kn_tparse *p, const yaml_node_t *n, const char *role,
		   const char *w, size_t wlen, uint16_t *attrs)
{
	char msg[KN_ERRBUF], word[64], q[80];
	size_t i;

	for (i = 0; i < sizeof(kn_attr_names) / sizeof(kn_attr_names[0]); i++)
		if (strlen(kn_attr_names[i].name) == wlen &&
		    strncmp(kn_attr_names[i].name, w, wlen) == 0) {
			*attrs |= kn_attr_names[i].attr;
			return KN_OK;
		}
	if (wlen == 4 && strncmp(w, "none", 4) == 0)
		return KN_OK;
	snprintf(word, sizeof(word), "%.*s", (int)(wlen < 63 ? wlen : 63), w);
	snprintf(msg, sizeof(msg),
		 "role '%s': unknown attribute '%s' "
		 "(bold, dim, reverse, underline, italic)",
		 role, kn_quote(word, q, sizeof(q)));
	return kn_terr(p, n, msg);
}

static enum kn_err
kn_parse_attrs(struct kn_tparse *p, yaml_node_t *n, const char *role,
	       uint16_t *attrs)
{
	yaml_node_item_t *it;
	const char *s, *w;
	size_t len;
	enum kn_err e;

	*attrs = 0;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *v = yaml_document_get_node(p->doc, *it);

			if ((s = kn_scalar(v)) == NULL)
				return kn_terr(p, v,
					       "attrs: expected a list "
					       "of words such as [bold]");
			e = kn_parse_attr_word(p, v, role, s, strlen(s), attrs);
			if (e != KN_OK)
				return e;
		}
		return KN_OK;
	}
	if ((s = kn_scalar(n)) == NULL)
		return kn_terr(p, n,
			       "attrs: expected a list such as "
			       "[bold, reverse]");
	/* "bold reverse" or "bold,reverse" */
	for (w = s; *w != '\0'; w += len) {
		w += strspn(w, " ,");
		len = strcspn(w, " ,");
		if (len == 0)
			break;
		e = kn_parse_attr_word(p, n, role, w, len, attrs);
		if (e != KN_OK)
			return e;
	}
	return KN_OK;
}

static enum kn_err
kn_parse_role(struct kn_tparse *p, yaml_node_t *n, const char *role,
	      struct kn_style *st)
{
	yaml_node_pair_t *pair;
	char msg[KN_ERRBUF], q[80];
	const char *k, *v;
	int16_t color;
	enum kn_err e;

	if (n->type != YAML_MAPPING_NODE) {
		snprintf(msg, sizeof(msg),
			 "role '%s': expected a mapping "
			 "such as { fg: red, bg: default, attrs: [bold] }",
			 role);
		return kn_terr(p, n, msg);
	}
	st->fg = st->bg = KN_COLOR_DEFAULT;
	st->attrs = 0;
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *kn = yaml_document_get_node(p->doc, pair->key);
		yaml_node_t *vn = yaml_document_get_node(p->doc, pair->value);

		if ((k = kn_scalar(kn)) == NULL)
			return kn_terr(p, kn, "expected a key (fg, bg, attrs)");
		if (strcmp(k, "attrs") == 0) {
			e = kn_parse_attrs(p, vn, role, &st->attrs);
			if (e != KN_OK)
				return e;
			continue;
		}
		if (strcmp(k, "fg") != 0 && strcmp(k, "bg") != 0) {
			kn_twarn(p, kn, "key", kn_quote(k, q, sizeof(q)),
				 "fg, bg, attrs");
			continue;
		}
		v = kn_scalar(vn);
		if (v == NULL || !kn_color_parse(v, &color)) {
			snprintf(msg, sizeof(msg),
				 "role '%s': bad colour '%s' "
				 "for %s (a name such as red or bright-blue, "
				 "default, or 0-255)",
				 role,
				 kn_quote(v != NULL ? v : "(not a scalar)", q,
					  sizeof(q)),
				 k);
			return kn_terr(p, vn, msg);
		}
		if (k[0] == 'f')
			st->fg = color;
		else
			st->bg = color;
	}
	return KN_OK;
}

static enum kn_err
kn_parse_roles(struct kn_tparse *p, yaml_node_t *n, struct kn_theme *t)
{
	yaml_node_pair_t *pair;
	char q[80];
	const char *k;
	int role;
	enum kn_err e;

	if (n->type != YAML_MAPPING_NODE)
		return kn_terr(p, n,
			       "roles: expected a mapping of role "
			       "names to colours");
	for (pair = n->data.mapping.pairs.start;
	     pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *kn = yaml_document_get_node(p->doc, pair->key);
		yaml_node_t *vn = yaml_document_get_node(p->doc, pair->value);

		if ((k = kn_scalar(kn)) == NULL)
			return kn_terr(p, kn, "roles: expected a role name");
		role = kn_role_from_name(k);
		if (role < 0) {
			kn_twarn(p, kn, "role", kn_quote(k, q, sizeof(q)),
				 "ignored");
			continue;
		}
		e = kn_parse_role(p, vn, k, &t->role[role]);
		if (e != KN_OK)
			return e;
	}
	return KN_OK;
}

static enum kn_err
kn_parse_doc(struct kn_tparse *p, struct kn_theme *t)
{
	yaml_node_t *root = yaml_document_get_root_node(p->doc);
	yaml_node_pair_t *pair;
	const char *k, *v;
	char q[80];
	bool have_roles = false;
	enum kn_err e;

	if (root == NULL)
		return kn_errf(p->errbuf, KN_ERR_PARSE,
			       "%s:1: empty theme "
			       "(expected 'name:' and 'roles:')",
			       p->file);
	if (root->type != YAML_MAPPING_NODE)
		return kn_terr(p, root,
			       "expected a mapping with 'name:' and "
			       "'roles:'");
	for (pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *kn = yaml_document_get_node(p->doc, pair->key);
		yaml_node_t *vn = yaml_document_get_node(p->doc, pair->value);

		if ((k = kn_scalar(kn)) == NULL)
			return kn_terr(p, kn, "expected a key (name, roles)");
		if (strcmp(k, "name") == 0) {
			if ((v = kn_scalar(vn)) == NULL)
				return kn_terr(p, vn, "name: expected text");
			kn_quote(v, t->name, sizeof(t->name));
		} else if (strcmp(k, "roles") == 0) {
			if ((e = kn_parse_roles(p, vn, t)) != KN_OK)
				return e;
			have_roles = true;
		} else if (strcmp(k, "description") != 0) {
			kn_twarn(p, kn, "key", kn_quote(k, q, sizeof(q)),
				 "name, description, roles");
		}
	}
	if (!have_roles)
		return kn_terr(p, root, "no 'roles:' mapping");
	return KN_OK;
}

enum kn_err
kn_theme_parse(struct kn_theme *t, const char *text, size_t len,
	       const char *file, char *errbuf, struct kn_buf *warn)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct kn_tparse p;
	struct kn_theme tmp;
	enum kn_err e;

	kn_theme_init(t);
	if (len > KN_THEME_MAX_BYTES)
		return kn_errf(errbuf, KN_ERR_LIMIT,
			       "%s: theme larger than "
			       "%d bytes",
			       file, KN_THEME_MAX_BYTES);
	if (!yaml_parser_initialize(&parser))
		return kn_errf(errbuf, KN_ERR_NOMEM, "%s: out of memory", file);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		e = kn_errf(errbuf, KN_ERR_PARSE,
			    "%s:%lu: YAML syntax error: "
			    "%s%s%s",
			    file, (unsigned long)parser.problem_mark.line + 1,
			    parser.problem ? parser.problem : "unknown",
			    parser.context ? " " : "",
			    parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return e;
	}
	p.doc = &doc;
	p.file = file;
	p.errbuf = errbuf;
	p.warn = warn;
	kn_theme_init(&tmp);
	e = kn_parse_doc(&p, &tmp);
	if (e == KN_OK)
		*t = tmp;
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return e;
}

/* Read a whole (small) file; caller frees. */
static enum kn_err
kn_read_file(const char *path, char **out, size_t *outlen, char *errbuf)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL)
		return kn_errf(errbuf,
			       errno == ENOENT || errno == ENOTDIR
				       ? KN_ERR_NOTFOUND
			       : errno == EACCES ? KN_ERR_PERM
						 : KN_ERR_IO,
			       "%s: %s", path, strerror(errno));
	buf = kn_xmalloc(KN_THEME_MAX_BYTES + 2);
	n = fread(buf, 1, KN_THEME_MAX_BYTES + 1, f);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return kn_errf(errbuf, KN_ERR_IO, "%s: read error", path);
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return KN_OK;
}

static enum kn_err
kn_theme_load_file(struct kn_theme *t, const char *path, char *errbuf,
		   struct kn_buf *warn)
{
	char *text = NULL;
	size_t len = 0;
	enum kn_err e;

	if ((e = kn_read_file(path, &text, &len, errbuf)) != KN_OK)
		return e;
	e = kn_theme_parse(t, text, len, path, errbuf, warn);
	free(text);
	return e;
}

static bool
kn_theme_name_ok(const char *name)
{
	const char *s;

	if (name[0] == '\0' || strlen(name) > 48)
		return false;
	for (s = name; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		      (*s == '.' && s != name)))
			return false;
	return true;
}

enum kn_err
kn_theme_load(struct kn_theme *t, const char *arg, char *errbuf,
	      struct kn_buf *warn)
{
	const char *dirs[4], *home, *xdg;
	char userdir[1024], path[1200], ename[96], q[80];
	char denied[KN_ERRBUF] = "";
	const unsigned char *data;
	size_t len, nd = 0, i, alen = strlen(arg);
	enum kn_err e;

	kn_theme_init(t);
	if (strchr(arg, '/') != NULL ||
	    (alen > 5 && strcmp(arg + alen - 5, ".yaml") == 0))
		return kn_theme_load_file(t, arg, errbuf, warn);
	if (!kn_theme_name_ok(arg))
		return kn_errf(errbuf, KN_ERR_INVAL,
			       "--theme '%s': not a "
			       "theme name or a .yaml file",
			       kn_quote(arg, q, sizeof(q)));
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	if (xdg != NULL && xdg[0] == '/') {
		snprintf(userdir, sizeof(userdir), "%s/k8snet-top/themes", xdg);
		dirs[nd++] = userdir;
	} else if (home != NULL && home[0] != '\0') {
		snprintf(userdir, sizeof(userdir),
			 "%s/.config/k8snet-top/themes", home);
		dirs[nd++] = userdir;
	}
#ifdef KN_THEME_DIR
	dirs[nd++] = KN_THEME_DIR;
#endif
#ifdef KN_SOURCE_THEME_DIR
	dirs[nd++] = KN_SOURCE_THEME_DIR;
#endif
	/* The folders are optional: a theme missing from one, or one that
	 * cannot be read there (root's ~/.config after the capture dropped
	 * privileges), is looked for in the next. */
	for (i = 0; i < nd; i++) {
		snprintf(path, sizeof(path), "%s/%s.yaml", dirs[i], arg);
		e = kn_theme_load_file(t, path, errbuf, warn);
		if (e == KN_ERR_PERM && denied[0] == '\0')
			snprintf(denied, sizeof(denied), "; %s", errbuf);
		if (e != KN_ERR_NOTFOUND && e != KN_ERR_PERM)
			return e;
	}
	snprintf(ename, sizeof(ename), "theme-%s.yaml", arg);
	data = kn_embed_find(ename, &len);
	if (data != NULL)
		return kn_theme_parse(t, (const char *)data, len, ename, errbuf,
				      warn);
	return kn_errf(errbuf, KN_ERR_NOTFOUND,
		       "--theme %s: no such theme "
		       "(built in: default, light, monochrome; or give a "
		       "file)%s",
		       arg, denied);
}

void
kn_theme_builtin(struct kn_theme *t)
{
	const unsigned char *data;
	char errbuf[KN_ERRBUF];
	size_t len;

	data = kn_embed_find("theme-default.yaml", &len);
	if (data == NULL ||
	    kn_theme_parse(t, (const char *)data, len, "theme-default.yaml",
			   errbuf, NULL) != KN_OK)
		kn_theme_init(t);
}

/* xterm's palette, to find the nearest basic colour of a 256-colour one. */
static void
kn_color_rgb(int c, int rgb[3])
{
	static const unsigned char basic[16][3] = {
		{0, 0, 0},	 {205, 0, 0},	{0, 205, 0},   {205, 205, 0},
		{0, 0, 238},	 {205, 0, 205}, {0, 205, 205}, {229, 229, 229},
		{127, 127, 127}, {255, 0, 0},	{0, 255, 0},   {255, 255, 0},
		{92, 92, 255},	 {255, 0, 255}, {0, 255, 255}, {255, 255, 255},
	};
	static const int level[6] = {0, 95, 135, 175, 215, 255};
	int i;

	if (c < 16) {
		for (i = 0; i < 3; i++)
			rgb[i] = basic[c][i];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = level[c / 36];
		rgb[1] = level[(c / 6) % 6];
		rgb[2] = level[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

static int16_t
kn_color_nearest(int16_t c, int ncolors)
{
	int rgb[3], cand[3], i, best = 0;
	long d, bestd = -1;

	if (c < 0 || c < ncolors)
		return c;
	kn_color_rgb(c, rgb);
	for (i = 0; i < ncolors && i < 16; i++) {
		kn_color_rgb(i, cand);
		d = (long)(rgb[0] - cand[0]) * (rgb[0] - cand[0]) +
		    (long)(rgb[1] - cand[1]) * (rgb[1] - cand[1]) +
		    (long)(rgb[2] - cand[2]) * (rgb[2] - cand[2]);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return (int16_t)best;
}

void
kn_theme_degrade(const struct kn_theme *t, int ncolors, struct kn_theme *out)
{
	int i;

	*out = *t;
	for (i = 0; i < KN_ROLE__COUNT; i++) {
		struct kn_style *s = &out->role[i];

		if (ncolors <= 0) {
			/* A background of its own marks the role out: keep
			 * that with reverse video. */
			if (s->bg != KN_COLOR_DEFAULT &&
			    s->bg != t->role[KN_ROLE_NORMAL].bg)
				s->attrs |= KN_ATTR_REVERSE;
			s->fg = s->bg = KN_COLOR_DEFAULT;
			continue;
		}
		if (ncolors < 16 && s->fg >= 8 && s->fg < 16) {
			s->fg -= 8;
			s->attrs |= KN_ATTR_BOLD;
		}
		if (ncolors < 16 && s->bg >= 8 && s->bg < 16)
			s->bg -= 8;
		s->fg = kn_color_nearest(s->fg, ncolors < 16 ? 8 : ncolors);
		s->bg = kn_color_nearest(s->bg, ncolors < 16 ? 8 : ncolors);
	}
}
