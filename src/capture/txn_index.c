/* The slab index of the transaction engine's lookup tables (pending DNS
 * queries, TCP flows): setting up, releasing, and backward-shift
 * deletion. Probing, insertion and the sweep are inline in txn_int.h. */
#include <stdlib.h>

#include "txn_int.h"

bool
txn_index_init(struct txn_index *x, struct txn_index_entry *entries,
	       uint32_t mask, uint32_t slab)
{
	x->e = entries;
	x->mask = mask;
	x->count = 0;
	return kn_free_stack_init(&x->free, slab);
}

void
txn_index_release(struct txn_index *x)
{
	kn_free_stack_release(&x->free);
}

/* Backward-shift deletion of position i (Knuth 6.4 algorithm R): later
 * entries of the run move back unless their home lies in (i, j]. */
void
txn_index_delete(struct txn_index *x, uint32_t i)
{
	struct txn_index_entry *t = x->e;
	uint32_t j = i, k;

	kn_free_stack_push(&x->free, t[i].ref - 1);
	x->count--;
	for (;;) {
		j = (j + 1) & x->mask;
		if (t[j].ref == 0)
			break;
		k = t[j].hash & x->mask;
		if ((i <= j) ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		t[i] = t[j];
		i = j;
	}
	t[i].ref = 0;
}
