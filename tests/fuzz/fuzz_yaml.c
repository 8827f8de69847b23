/* Fuzz target: the YAML reader (yamljson.c) over arbitrary bytes, every
 * line lookup on what it made, then the same bytes as a manifest planned
 * into a model and checked (src/plan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "k8snet/model.h"
#include "k8snet/plan.h"
#include "yamljson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum kn_err
doc(void *arg, cJSON *d, unsigned line, unsigned index, char *errbuf)
{
	const cJSON *c;

	(void)arg;
	(void)line;
	(void)index;
	(void)errbuf;
	kn_yaml_path_line(d, "spec.ports[1].port");
	kn_yaml_path_line(d, "items[0].metadata[");
	cJSON_ArrayForEach(c, d)
	{
		kn_yaml_line(c);
	}
	cJSON_Delete(d);
	return KN_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_findings f = {0};
	struct kn_model *m;
	struct kn_plan *p;
	char eb[KN_ERRBUF];

	kn_yaml_read((const char *)data, size, "fuzz.yaml", doc, NULL, eb);
	m = kn_model_new();
	p = kn_plan_new("fuzz");
	kn_plan_add_text(p, "fuzz.yaml", (const char *)data, size, eb);
	if (kn_plan_apply(p, m, eb) == KN_OK)
		kn_plan_check(p, m, &f);
	kn_findings_clear(&f);
	kn_plan_free(p);
	kn_model_free(m);
	return 0;
}
