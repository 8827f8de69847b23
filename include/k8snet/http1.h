/* HTTP/1.x message heads and chunked bodies (RFC 9112). */
#ifndef K8SNET_HTTP1_H
#define K8SNET_HTTP1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"

#define KN_HTTP_HEAD_MAX 16384 /* a head longer than this is rejected */

/* A parsed request or response head. Strings borrow the input. */
struct kn_http_head {
	bool request;
	const char *method; /* request */
	size_t method_len;
	const char *target; /* request-target (URI) */
	size_t target_len;
	const char *host; /* Host header; NULL when absent */
	size_t host_len;
	int status;		/* response */
	int minor;		/* HTTP/1.minor */
	int64_t content_length; /* -1 when absent */
	bool chunked;		/* Transfer-Encoding ends with chunked */
	bool conn_close, conn_keepalive, upgrade;
	size_t head_len; /* bytes up to and including the blank line */
};

/* True when p starts like a request line ("TOKEN SP") or a status line
 * ("HTTP/1."); with fewer bytes than needed to tell, true if what is
 * there could still be one. */
bool kn_http_looks_request(const uint8_t *p, size_t len);
bool kn_http_looks_response(const uint8_t *p, size_t len);

/* Does p[0..len), the start of a TCP segment, begin a message: a whole
 * valid request line (method, target, HTTP/1.x) or status line (HTTP/1.x
 * and a 3-digit code), as stricter than kn_http_looks_* as a stream with
 * a hole needs (a body may hold "GET " anywhere). A request line longer
 * than the segment counts when at least 64 bytes of it are there. Pure. */
bool kn_http_starts_message(const uint8_t *p, size_t len, bool request);

/* Parse a head from p[0..len). KN_ERR_TRUNC when the blank line has not
 * arrived yet (and len < KN_HTTP_HEAD_MAX), KN_ERR_LIMIT when the head is
 * longer than KN_HTTP_HEAD_MAX, KN_ERR_PARSE when it is not HTTP/1.x.
 * Obsolete line folding is rejected (RFC 9112 5.2). Pure. */
enum kn_err kn_http_head_parse(const uint8_t *p, size_t len,
			       struct kn_http_head *out);

/* Fields whose values are credentials (Authorization, Proxy-Authorization,
 * Cookie, Set-Cookie; name case-insensitive). */
bool kn_http_field_is_secret(const char *name, size_t len);

/* The head p[0..len) (one kn_http_head_parse accepted; len its head_len)
 * as the console keeps it, written to out[0..cap): the start line and the
 * field lines, each ending in '\n' (CR dropped), bytes otherwise as on
 * the wire (escape them before display). The value of a credential field
 * never reaches out: it becomes "<redacted N bytes>". Past cap the head
 * is cut at a line end where it can be (a redacted line is never cut)
 * and *trunc is set. Returns the bytes written. Pure. */
size_t kn_http_head_keep(const uint8_t *p, size_t len, char *out, size_t cap,
			 bool *trunc);

/* Chunked transfer coding (RFC 9112 7.1) as a resumable state machine:
 * bodies are skipped and counted, never stored. */
struct kn_http_chunked {
	uint8_t state;
	uint8_t digits;
	uint16_t linelen; /* bytes of the current size or trailer line */
	uint64_t remain;  /* data octets left in the current chunk */
};

void kn_http_chunked_init(struct kn_http_chunked *c);
/* Consume from p[0..len): *used bytes belong to the body; *done once the
 * last chunk and trailer section ended. KN_ERR_PARSE on a bad size line,
 * KN_ERR_LIMIT on a size over 2^48 or a size/trailer line over 4096. */
enum kn_err kn_http_chunked_feed(struct kn_http_chunked *c, const uint8_t *p,
				 size_t len, size_t *used, bool *done);

#endif
