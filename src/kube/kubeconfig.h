/* kubeconfig: loading, merging and resolving as kubectl does.
 *
 * Resolution order: the --kubeconfig file (must exist); else $KUBECONFIG
 * split on ':' and merged (for each named cluster/user/context the first
 * file that sets it wins; current-context comes from the first file that
 * has one; missing files are skipped); else ~/.kube/config; else the
 * in-cluster service account (KUBERNETES_SERVICE_HOST/PORT and
 * /var/run/secrets/kubernetes.io/serviceaccount). Relative paths resolve
 * against the folder of the file that holds them. */
#ifndef K8SNET_KUBECONFIG_H
#define K8SNET_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "k8snet/err.h"

#define KC_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
#define KC_MAX_FILE (4u << 20) /* a kubeconfig larger than this is refused */

struct kc_blob {
	unsigned char *data; /* owned; NULL when unset */
	size_t len;
};

struct kc_env {
	char *name, *value;
};

/* users[].user.exec (client.authentication.k8s.io/v1, v1beta1). */
struct kc_exec {
	char *command; /* NULL: no exec plugin */
	char **args;
	size_t nargs;
	struct kc_env *env;
	size_t nenv;
	char *api_version;
	char *install_hint;
	bool provide_cluster_info;
};

/* The resolved configuration: one cluster, one user, one namespace. All
 * strings owned; NULL when unset. */
struct kubeconfig {
	char *origin;  /* the file(s) it came from, or "in-cluster" */
	char *context; /* context name; NULL in-cluster */
	char *cluster_name, *user_name;
	char *namespace;
	/* cluster */
	char *server;
	char *ca_file;
	struct kc_blob ca_data;
	bool insecure;
	char *tls_server_name;
	char *proxy_url;
	/* user */
	char *cert_file, *key_file;
	struct kc_blob cert_data, key_data;
	char *token;
	char *token_file;
	char *username, *password;
	struct kc_exec exec;
	char *oidc_id_token;
	char *user_origin; /* file that defined the user (for messages) */
};

/* Command-line choices (borrowed); NULL fields mean "not given". */
struct kubeconfig_overrides {
	const char *kubeconfig, *context, *cluster, *user, *namespace;
};

/* One parsed file (opaque). */
struct kc_file;

/* Parse one kubeconfig text (pure: no I/O). path names the file in
 * messages and its folder resolves relative paths. On success *out is
 * owned by the caller (kc_file_free). KN_ERR_PARSE names the file and the
 * line. */
enum kn_err kc_file_parse(const char *text, size_t len, const char *path,
			  struct kc_file **out, char *errbuf);
void kc_file_free(struct kc_file *f);

/* Merge files (in order, first wins) and resolve the context chosen by
 * ov. KN_ERR_NOTFOUND: context/cluster/user missing (errbuf names the
 * files, the context, and lists the contexts that exist). */
enum kn_err kubeconfig_resolve(struct kc_file *const *files, size_t nfiles,
			       const struct kubeconfig_overrides *ov,
			       struct kubeconfig *out, char *errbuf);

/* Full resolution from the environment ($KUBECONFIG, $HOME) and files. */
enum kn_err kubeconfig_load(const struct kubeconfig_overrides *ov,
			    struct kubeconfig *out, char *errbuf);

struct kn_strs;
/* The names of the contexts kubeconfig_load chooses from (the files ov
 * and the environment name), in file order, a name an earlier file
 * shadows left out; added to names. None in a pod without a
 * kubeconfig. Errors as kubeconfig_load's. */
enum kn_err kubeconfig_contexts(const struct kubeconfig_overrides *ov,
				struct kn_strs *names, char *errbuf);

/* In-cluster configuration from the service account folder sa_dir
 * (KC_SA_DIR outside tests). KN_ERR_NOTFOUND when not in a pod. */
enum kn_err kubeconfig_incluster(const char *sa_dir,
				 const struct kubeconfig_overrides *ov,
				 struct kubeconfig *out, char *errbuf);

void kubeconfig_release(struct kubeconfig *kc);

/* Lenient base64 (whitespace skipped). Caller frees out->data. */
enum kn_err kc_base64_decode(const char *s, size_t len, struct kc_blob *out);

/* Read a whole file (at most max bytes) into a NUL-terminated buffer the
 * caller frees. */
enum kn_err kc_read_file(const char *path, size_t max, char **out, size_t *len,
			 char *errbuf);

#endif
