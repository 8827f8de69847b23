/* The `y` view: a model object as YAML, shaped as the API object but
 * holding only the fields the model keeps (src/ui/objyaml.c). */
#ifndef K8SNET_OBJYAML_H
#define K8SNET_OBJYAML_H

#include "k8snet/model.h"
#include "pane.h"

/* Object o of the model as YAML lines added to out, under a title that
 * says they are what k8snet-top keeps of it, not the API object. A kind
 * the model keeps no fields of for this view gets a line saying so. */
void kn_objyaml(const struct kn_obj *o, struct kn_lines *out);

#endif
