/* Diagnostics: to --log FILE, and held back from stderr while curses is up.
 *
 * Before the TUI starts and after it ends, warnings and errors go to
 * stderr. While the TUI runs (kn_log_hold(true)), they are kept (bounded)
 * and printed when the terminal is restored (kn_log_hold(false)). */
#ifndef K8SNET_LOG_H
#define K8SNET_LOG_H

#include <stdbool.h>

#include "k8snet/err.h"

enum kn_log_level { KN_LOG_DEBUG, KN_LOG_INFO, KN_LOG_WARN, KN_LOG_ERROR };

/* Open the --log file (append); NULL path closes it. */
enum kn_err kn_log_open(const char *path, char *errbuf);
void kn_log_close(void);
void kn_log_set_level(enum kn_log_level level);
void kn_log_hold(bool hold);

void kn_log(enum kn_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define kn_debug(...) kn_log(KN_LOG_DEBUG, __VA_ARGS__)
#define kn_info(...) kn_log(KN_LOG_INFO, __VA_ARGS__)
#define kn_warn(...) kn_log(KN_LOG_WARN, __VA_ARGS__)
#define kn_error(...) kn_log(KN_LOG_ERROR, __VA_ARGS__)

/* Last warning/error text for the status line (static buffer). */
const char *kn_log_last(void);

#endif
