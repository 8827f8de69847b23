/* UTF-8 decoding, display width, and escaping of untrusted text.
 *
 * Everything that came from the cluster or the wire passes through one of
 * these before it reaches the terminal or JSON: control bytes (C0, DEL,
 * C1), ESC sequences, bidi overrides and invalid UTF-8 become visible
 * escapes ("\x1b", "\u202e"), never raw bytes. */
#ifndef K8SNET_ESCAPE_H
#define K8SNET_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/buf.h"

/* Decode one code point from s[0..len). Returns bytes consumed (1..4) and
 * sets *cp; on invalid or truncated input returns 1 and sets *cp = -1. */
size_t kn_utf8_decode(const char *s, size_t len, int32_t *cp);

/* True when a code point must not reach a terminal verbatim. */
bool kn_cp_is_unsafe(int32_t cp);
/* Value of a hexadecimal digit (either case), -1 for anything else. */
int kn_hexval(int c);

/* Terminal columns a safe code point occupies (0, 1 or 2). */
int kn_cp_width(int32_t cp);

/* Append s[0..len) to out with unsafe bytes shown as escapes. With ascii,
 * every non-ASCII code point is escaped too. Returns KN_ERR_LIMIT if out's
 * cap is reached (what fits is kept). */
enum kn_err kn_escape_text(struct kn_buf *out, const char *s, size_t len,
			   bool ascii);

/* Display width of s after kn_escape_text. */
size_t kn_escaped_width(const char *s, size_t len, bool ascii);

/* Append s as a JSON string literal (with quotes): valid UTF-8 kept,
 * controls, DEL, C1 and bidi controls as \uXXXX, each invalid byte as the
 * text \xNN (so the output is always valid UTF-8 JSON). */
enum kn_err kn_json_quote(struct kn_buf *out, const char *s, size_t len);

#endif
