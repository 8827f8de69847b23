/* YAML and JSON text to cJSON, one document at a time, as Kubernetes reads
 * manifests (sigs.k8s.io/yaml over YAML 1.1): multi-document streams,
 * anchors and aliases, merge keys, YAML 1.1 booleans and numbers.
 *
 * Every mapping and sequence made keeps the line it starts on in its
 * valueint (unused by cJSON for them), so an object found later, such as
 * an item of a List, still knows its line. Bounds: nesting (aliases
 * included) KN_YAML_MAX_DEPTH, nodes added by aliases and merge keys
 * KN_YAML_MAX_ALIAS_NODES per document; past them the read stops with an
 * error naming the line. */
#ifndef K8SNET_YAMLJSON_H
#define K8SNET_YAMLJSON_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "k8snet/err.h"

#define KN_YAML_MAX_DEPTH 128
#define KN_YAML_MAX_ALIAS_NODES 100000

/* One document: doc is the callee's (free it with cJSON_Delete); NULL for
 * an empty document. line is where its content starts (1-based), index
 * its place in the stream (0-based). Return KN_OK to read on; any other
 * value stops the read and is returned (errbuf set by the callback). */
typedef enum kn_err (*kn_yaml_doc_cb)(void *arg, cJSON *doc, unsigned line,
				      unsigned index, char *errbuf);

/* Read every document of p[0..len) (borrowed; UTF-8, or UTF-16 with a
 * BOM), calling cb for each in order. name is used in messages:
 * "NAME:LINE:COL: what" for text that is not YAML (KN_ERR_PARSE), an
 * alias that expands too far or nests too deep (KN_ERR_LIMIT).
 * KN_ERR_NOMEM when memory runs out. */
enum kn_err kn_yaml_read(const char *p, size_t len, const char *name,
			 kn_yaml_doc_cb cb, void *arg, char *errbuf);

/* The line a mapping or sequence made by kn_yaml_read starts on; 0 for
 * other nodes and trees from elsewhere. */
unsigned kn_yaml_line(const cJSON *node);

/* The line of what a JSON path ("spec.ports[1].port", as objdecode
 * names fields) points at inside obj: the line of the deepest mapping or
 * sequence on the path that exists; 0 when none is known. */
unsigned kn_yaml_path_line(const cJSON *obj, const char *path);

#endif
