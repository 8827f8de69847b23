/* Themes: semantic roles (canvas.h) mapped to colours and attributes,
 * read from YAML files (themes/NAME.yaml) with libyaml. */
#ifndef K8SNET_THEME_H
#define K8SNET_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "k8snet/buf.h"
#include "k8snet/err.h"

#define KN_COLOR_DEFAULT (-1) /* the terminal's own foreground/background */

#define KN_ATTR_BOLD 0x01
#define KN_ATTR_DIM 0x02
#define KN_ATTR_REVERSE 0x04
#define KN_ATTR_UNDERLINE 0x08
#define KN_ATTR_ITALIC 0x10

#define KN_THEME_MAX_BYTES (64 * 1024) /* a theme file larger is refused */

struct kn_style {
	int16_t fg, bg; /* 0-255 or KN_COLOR_DEFAULT */
	uint16_t attrs; /* KN_ATTR_* */
};

struct kn_theme {
	char name[64];
	struct kn_style role[KN_ROLE__COUNT];
};

/* The attribute-only baseline every theme starts from (roles a file does
 * not mention keep it). */
void kn_theme_init(struct kn_theme *t);

/* Parse theme YAML text. file names the input in messages. On error
 * returns KN_ERR_PARSE (or KN_ERR_LIMIT) with "file:line: what" in errbuf
 * and t is left as kn_theme_init made it. Warnings (unknown role or key)
 * are appended to warn as "file:line: what\n" lines when warn is not NULL;
 * they do not fail the parse. Pure: no I/O. */
enum kn_err kn_theme_parse(struct kn_theme *t, const char *text, size_t len,
			   const char *file, char *errbuf, struct kn_buf *warn);

/* Load a theme by NAME or FILE (contains '/' or ends in .yaml). NAME is
 * looked up as NAME.yaml in ~/.config/k8snet-top/themes, the installed
 * share folder, the source tree's themes/, then the copy built into the
 * binary; a folder where it is missing or unreadable is passed over.
 * Errors as kn_theme_parse, KN_ERR_INVAL (not a theme name), or, for
 * NAME found nowhere or FILE, KN_ERR_NOTFOUND / KN_ERR_PERM / KN_ERR_IO. */
enum kn_err kn_theme_load(struct kn_theme *t, const char *name_or_file,
			  char *errbuf, struct kn_buf *warn);

/* The built-in default theme (never fails). */
void kn_theme_builtin(struct kn_theme *t);

/* Adapt a theme to a terminal with ncolors colours (256, 16, 8, or 0 for
 * none): colours past the terminal's range become their nearest basic
 * colour; with none, colours are dropped and roles with a background of
 * their own are shown reversed instead. */
void kn_theme_degrade(const struct kn_theme *t, int ncolors,
		      struct kn_theme *out);

/* Parse a colour ("red", "bright-blue", "default", "0".."255"); false if
 * not a colour. */
bool kn_color_parse(const char *s, int16_t *out);

#endif
