/* The model's unpinned strings (label values, owner names): freed once no
 * object holds them, by a sweep over the objects' blocks.
 *
 * Reference counts would need every object free path, the relabel-in-
 * place path and every decoder's failure path to release exactly what
 * was interned, kind by kind; a missed release leaks, an extra one frees
 * a string in use. A sweep needs one fact instead: an unpinned pointer
 * is stored only inside an object's block (or a pod's labels block),
 * which objdecode guarantees by packing every object into one block.
 * The sweep reads every live object's block word by word; a word that
 * only looks like a string's address keeps that string, so the sweep
 * can keep too much, never free too much. It runs from
 * kn_model_collect, the point where no reader holds an object taken out
 * of the model, and only once the unpinned bytes have doubled since the
 * last sweep, so its cost (one pass over the objects) is amortised over
 * as many bytes interned. docs/internals/model.md has the rules. */
#include <malloc.h>

#include "k8snet/intern.h"
#include "model_int.h"

/* No sweep while the unpinned strings are fewer bytes than this. */
#define KN_SWEEP_MIN (256u * 1024u)

const char *
kn_model_intern_value(struct kn_model *m, const char *s)
{
	return kn_intern_unpinned(m->in, s);
}

static void
mark_block(struct kn_model *m, const struct kn_obj *o)
{
	if (o == NULL)
		return;
	kn_intern_mark_words(m->in, o, malloc_usable_size((void *)o));
	if (o->kind == KN_POD)
		mark_block(m, ((const struct kn_pod *)o)->labels_block);
}

size_t
kn_model_sweep_strings(struct kn_model *m)
{
	const struct kn_objtab *t;
	size_t k, i, freed;

	/* A plan (--filename) keeps pointers to its objects' strings in
	 * its own structures: nothing is swept while one is applied. */
	if (m->has_planned)
		return 0;
	kn_intern_sweep_begin(m->in);
	for (k = 0; k < KN_KIND__COUNT; k++) {
		t = &m->tabs[k];
		for (i = 0; i < t->nslots; i++)
			mark_block(m, t->slots[i]);
	}
	for (i = 0; i < m->ngrave; i++)
		mark_block(m, m->grave[i]);
	freed = kn_intern_sweep_end(m->in);
	m->sweep_at = 2 * kn_intern_unpinned_bytes(m->in);
	if (m->sweep_at < KN_SWEEP_MIN)
		m->sweep_at = KN_SWEEP_MIN;
	m->swept += freed;
	return freed;
}

void
kn_model_maybe_sweep_strings(struct kn_model *m)
{
	if (kn_intern_unpinned_bytes(m->in) >=
	    (m->sweep_at ? m->sweep_at : KN_SWEEP_MIN))
		kn_model_sweep_strings(m);
}

void
kn_model_strings(const struct kn_model *m, struct kn_model_strstats *out)
{
	out->count = kn_intern_count(m->in);
	out->bytes = kn_intern_bytes(m->in);
	out->unpinned = kn_intern_unpinned_bytes(m->in);
	out->swept = m->swept;
}
