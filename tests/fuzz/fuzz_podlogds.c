/* Fuzz target: a DaemonSetList from the Kube-API as the node agents'
 * reader takes it (src/kube/podlog_ds.c): the agents' DaemonSet picked,
 * its selector written as a labelSelector, a pod matched against it. */
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "podlog_ds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
	const cJSON *ds, *it;
	char sel[1024];
	int labelled;

	ds = kn_podlog_pick_ds(doc, size & 1, &labelled);
	if (ds != NULL && kn_podlog_selector(ds, sel, sizeof(sel))) {
		const cJSON *ml = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(ds, "spec"),
				"selector"),
			"matchLabels");

		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(
					       doc, "items"))(void)
			kn_podlog_matches(ml, it);
	}
	(void)kn_podlog_selector(doc, sel, 8);
	cJSON_Delete(doc);
	return 0;
}
