/* TLS ClientHello decoding for the server name (SNI) and ALPN. */
#ifndef K8SNET_TLS_H
#define K8SNET_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "k8snet/err.h"

struct kn_tls_hello {
	uint16_t version; /* legacy_version of the ClientHello */
	bool has_sni, has_alpn;
	char sni[256]; /* first host_name, raw octets (escape later) */
	uint16_t sni_len;
	char alpn[128]; /* protocols joined by ',' (truncated) */
	uint16_t alpn_len;
};

/* True when p could start a TLS handshake record (0x16 0x03 ..). */
bool kn_tls_looks_handshake(const uint8_t *p, size_t len);

/* Parse the ClientHello in the TLS record(s) at p[0..len): record header,
 * handshake header, then the extensions (RFC 8446 4.1.2, RFC 6066 3 SNI,
 * RFC 7301 ALPN). Every length is checked against its container, so lying
 * lengths give KN_ERR_PARSE or KN_ERR_TRUNC. KN_ERR_TRUNC also when the
 * hello continues beyond len. Only the first record is read. Pure. */
enum kn_err kn_tls_client_hello(const uint8_t *p, size_t len,
				struct kn_tls_hello *out);

#endif
