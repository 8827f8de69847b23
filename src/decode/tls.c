/* TLS ClientHello: RFC 8446 5.1 (record), 4 (handshake), 4.1.2
 * (ClientHello), RFC 6066 3 (server_name), RFC 7301 3.1 (ALPN). Limits:
 * one record of at most 16384 + 2048 octets; names kept up to 255. */
#include <string.h>

#include "decode.h"
#include "k8snet/tls.h"

bool
kn_tls_looks_handshake(const uint8_t *p, size_t len)
{
	if (len >= 1 && p[0] != 0x16)
		return false;
	if (len >= 2 && p[1] != 0x03)
		return false;
	if (len >= 6 && p[5] != 0x01)
		return false;
	return true;
}

static enum kn_err
parse_sni(struct kn_rd *e, struct kn_tls_hello *out)
{
	uint16_t list, nlen;
	uint8_t type;
	const uint8_t *name;
	size_t end;

	if (!kn_rd_u16(e, &list))
		return KN_ERR_PARSE;
	if (list != kn_rd_left(e))
		return KN_ERR_PARSE;
	end = e->off + list;
	while (e->off < end) {
		if (!kn_rd_u8(e, &type) || !kn_rd_u16(e, &nlen) ||
		    !kn_rd_bytes(e, nlen, &name))
			return KN_ERR_PARSE;
		if (type == 0 && !out->has_sni) {
			if (nlen == 0 || nlen > 255)
				return KN_ERR_PARSE;
			memcpy(out->sni, name, nlen);
			out->sni[nlen] = '\0';
			out->sni_len = nlen;
			out->has_sni = true;
		}
	}
	return KN_OK;
}

static enum kn_err
parse_alpn(struct kn_rd *e, struct kn_tls_hello *out)
{
	uint16_t list;
	uint8_t plen;
	const uint8_t *proto;
	size_t end, t = 0;

	if (!kn_rd_u16(e, &list) || list != kn_rd_left(e) || list < 2)
		return KN_ERR_PARSE;
	end = e->off + list;
	while (e->off < end) {
		if (!kn_rd_u8(e, &plen) || plen == 0 ||
		    !kn_rd_bytes(e, plen, &proto))
			return KN_ERR_PARSE;
		if (t + (t ? 1u : 0u) + plen < sizeof(out->alpn)) {
			if (t)
				out->alpn[t++] = ',';
			memcpy(out->alpn + t, proto, plen);
			t += plen;
		}
	}
	out->alpn[t] = '\0';
	out->alpn_len = (uint16_t)t;
	out->has_alpn = true;
	return KN_OK;
}

enum kn_err
kn_tls_client_hello(const uint8_t *p, size_t len, struct kn_tls_hello *out)
{
	struct kn_rd r, e;
	uint8_t ctype, htype, sidlen, complen;
	uint16_t rver, rlen, cslen, extlen, etype, elen;
	uint32_t hlen;
	const uint8_t *ext;
	enum kn_err err;
	bool trunc = false;

	memset(out, 0, sizeof(*out));
	kn_rd_init(&r, p, len);
	if (!kn_rd_u8(&r, &ctype) || !kn_rd_u16(&r, &rver) ||
	    !kn_rd_u16(&r, &rlen))
		return KN_ERR_TRUNC;
	if (ctype != 0x16 || (rver >> 8) != 3)
		return KN_ERR_PARSE;
	if (rlen > 16384 + 2048 || rlen < 4)
		return KN_ERR_PARSE;
	/* Work within the record: a shorter capture is truncation. */
	if (kn_rd_left(&r) < rlen)
		return KN_ERR_TRUNC;
	kn_rd_init(&r, p + 5, rlen);
	if (!kn_rd_u8(&r, &htype) || !kn_rd_u24(&r, &hlen))
		return KN_ERR_PARSE;
	if (htype != 1)
		return KN_ERR_PARSE;
	/* A hello spread over several records: read what this one holds. */
	if (hlen > kn_rd_left(&r))
		trunc = true;
	else
		r.len = r.off + hlen;
	if (!kn_rd_u16(&r, &out->version) || !kn_rd_skip(&r, 32) ||
	    !kn_rd_u8(&r, &sidlen) || sidlen > 32 || !kn_rd_skip(&r, sidlen) ||
	    !kn_rd_u16(&r, &cslen) || (cslen & 1) || !kn_rd_skip(&r, cslen) ||
	    !kn_rd_u8(&r, &complen) || !kn_rd_skip(&r, complen))
		return trunc ? KN_ERR_TRUNC : KN_ERR_PARSE;
	if (kn_rd_left(&r) == 0)
		return trunc ? KN_ERR_TRUNC : KN_OK; /* no extensions */
	if (!kn_rd_u16(&r, &extlen))
		return trunc ? KN_ERR_TRUNC : KN_ERR_PARSE;
	if (extlen > kn_rd_left(&r)) {
		if (!trunc)
			return KN_ERR_PARSE;
		extlen = (uint16_t)kn_rd_left(&r);
	} else if (!trunc && extlen != kn_rd_left(&r)) {
		return KN_ERR_PARSE;
	}
	kn_rd_init(&e, r.p + r.off, extlen);
	while (kn_rd_left(&e) > 0) {
		struct kn_rd x;

		if (!kn_rd_u16(&e, &etype) || !kn_rd_u16(&e, &elen) ||
		    !kn_rd_bytes(&e, elen, &ext))
			return trunc ? KN_ERR_TRUNC : KN_ERR_PARSE;
		kn_rd_init(&x, ext, elen);
		if (etype == 0) {
			if ((err = parse_sni(&x, out)) != KN_OK)
				return err;
		} else if (etype == 16) {
			if ((err = parse_alpn(&x, out)) != KN_OK)
				return err;
		}
	}
	if (trunc && !out->has_sni)
		return KN_ERR_TRUNC;
	return KN_OK;
}
