/* TLS transactions: the server name (RFC 6066 3) and ALPN protocols
 * (RFC 7301) of the client's ClientHello (RFC 8446 4.1.2), reassembled
 * over segments up to one buffer; the connection is not followed after
 * it. */
#include <string.h>

#include "txn_int.h"

static void
tls_emit(struct kn_txn_engine *e, struct flow *f, const struct kn_tls_hello *th,
	 uint64_t ts)
{
	struct slot *s = txn_slot_new(e, KN_TXN_TLS, ts, 0);

	e->c.tls_hellos++;
	txn_flow_peers(f, &s->t);
	s->t.u.tls.version = th->version;
	txn_copy_str(s->t.u.tls.sni, sizeof(s->t.u.tls.sni), th->sni,
		     th->has_sni ? th->sni_len : 0);
	txn_copy_str(s->t.u.tls.alpn, sizeof(s->t.u.tls.alpn), th->alpn,
		     th->alpn_len);
	txn_finish(e, s);
	txn_advance(e, false);
}

size_t
txn_tls_feed(struct kn_txn_engine *e, struct flow *f, const uint8_t *p,
	     size_t n, uint64_t ts)
{
	struct app_half *a = &f->app[0];
	struct kn_tls_hello th;
	enum kn_err err;
	size_t k, want;
	uint8_t *buf;

	if (a->acclen == 0) {
		a->msg_ts = ts;
		err = kn_tls_client_hello(p, n, &th);
		if (err == KN_OK) {
			tls_emit(e, f, &th, ts);
			txn_ignore_flow(e, f);
			return n;
		}
		if (err != KN_ERR_TRUNC)
			goto bad;
		if (!txn_acc_get(e, a)) {
			txn_ignore_flow(e, f);
			return n;
		}
	}
	buf = kn_tcp_buf(&e->pool, a->acc);
	k = KN_TCP_BUFSZ - a->acclen;
	if (k > n)
		k = n;
	memcpy(buf + a->acclen, p, k);
	a->acclen += (uint32_t)k;
	err = kn_tls_client_hello(buf, a->acclen, &th);
	if (err == KN_OK) {
		tls_emit(e, f, &th, a->msg_ts);
		txn_ignore_flow(e, f);
		return n;
	}
	want = a->acclen >= 5 ? 5 + (((size_t)buf[3] << 8) | buf[4]) : 5;
	if (err == KN_ERR_TRUNC && a->acclen < want && a->acclen < KN_TCP_BUFSZ)
		return k;
bad:
	e->c.tls_malformed++;
	txn_ignore_flow(e, f);
	return n;
}
