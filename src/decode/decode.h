/* Bounds-checked byte reader shared by the pure packet decoders. */
#ifndef K8SNET_DECODE_H
#define K8SNET_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A cursor over p[0..len). Every read checks the remaining length and
 * returns false on truncation, leaving the cursor unchanged. */
struct kn_rd {
	const uint8_t *p;
	size_t len;
	size_t off;
};

static inline void
kn_rd_init(struct kn_rd *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
}

static inline size_t
kn_rd_left(const struct kn_rd *r)
{
	return r->len - r->off;
}

static inline bool
kn_rd_skip(struct kn_rd *r, size_t n)
{
	if (kn_rd_left(r) < n)
		return false;
	r->off += n;
	return true;
}

static inline bool
kn_rd_u8(struct kn_rd *r, uint8_t *v)
{
	if (kn_rd_left(r) < 1)
		return false;
	*v = r->p[r->off++];
	return true;
}

static inline bool
kn_rd_u16(struct kn_rd *r, uint16_t *v)
{
	if (kn_rd_left(r) < 2)
		return false;
	*v = (uint16_t)((r->p[r->off] << 8) | r->p[r->off + 1]);
	r->off += 2;
	return true;
}

static inline bool
kn_rd_u24(struct kn_rd *r, uint32_t *v)
{
	if (kn_rd_left(r) < 3)
		return false;
	*v = ((uint32_t)r->p[r->off] << 16) |
	     ((uint32_t)r->p[r->off + 1] << 8) | r->p[r->off + 2];
	r->off += 3;
	return true;
}

static inline bool
kn_rd_u32(struct kn_rd *r, uint32_t *v)
{
	if (kn_rd_left(r) < 4)
		return false;
	*v = ((uint32_t)r->p[r->off] << 24) |
	     ((uint32_t)r->p[r->off + 1] << 16) |
	     ((uint32_t)r->p[r->off + 2] << 8) | r->p[r->off + 3];
	r->off += 4;
	return true;
}

/* Borrow n bytes at the cursor. */
static inline bool
kn_rd_bytes(struct kn_rd *r, size_t n, const uint8_t **out)
{
	if (kn_rd_left(r) < n)
		return false;
	*out = r->p + r->off;
	r->off += n;
	return true;
}

#endif
