/* Diagnostics sink: --log file, stderr outside the TUI, held lines inside.
 * File-scope state: logging is process-wide by nature (like syslog). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "k8snet/buf.h"
#include "k8snet/escape.h"
#include "k8snet/log.h"

#define KN_LOG_HELD_MAX (64 * 1024)

static FILE *kn_log_file;
static enum kn_log_level kn_log_min = KN_LOG_WARN;
static bool kn_log_holding;
static struct kn_buf kn_log_held = {NULL, 0, 0, KN_LOG_HELD_MAX};
static char kn_log_lastmsg[256];

static const char *const kn_level_names[] = {"debug", "info", "warning",
					     "error"};

enum kn_err
kn_log_open(const char *path, char *errbuf)
{
	FILE *f;

	kn_log_close();
	if (path == NULL)
		return KN_OK;
	f = fopen(path, "a");
	if (f == NULL)
		return kn_errf(errbuf, KN_ERR_IO, "--log %s: %s", path,
			       strerror(errno));
	setvbuf(f, NULL, _IOLBF, 0);
	kn_log_file = f;
	if (kn_log_min > KN_LOG_INFO)
		kn_log_min = KN_LOG_INFO;
	return KN_OK;
}

void
kn_log_close(void)
{
	if (kn_log_file != NULL)
		fclose(kn_log_file);
	kn_log_file = NULL;
}

void
kn_log_set_level(enum kn_log_level level)
{
	kn_log_min = level;
}

void
kn_log_hold(bool hold)
{
	kn_log_holding = hold;
	if (!hold && kn_log_held.len > 0) {
		fwrite(kn_log_held.data, 1, kn_log_held.len, stderr);
		kn_buf_release(&kn_log_held);
	}
}

const char *
kn_log_last(void)
{
	return kn_log_lastmsg;
}

void
kn_log(enum kn_log_level level, const char *fmt, ...)
{
	char small[1024], stamp[32], *raw = small;
	struct kn_buf line;
	va_list ap, again;
	time_t now;
	struct tm tm;
	int n;

	/* Never cut: a message naming a long path is formatted whole. */
	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(small) && (raw = malloc((size_t)n + 1)) != NULL)
		vsnprintf(raw, (size_t)n + 1, fmt, again);
	else if (raw == NULL)
		raw = small; /* no memory: what fitted */
	va_end(again);
	/* Messages may quote untrusted text: escape before any terminal. */
	kn_buf_init(&line, 0);
	kn_escape_text(&line, raw, strlen(raw), false);
	if (raw != small)
		free(raw);
	if (line.data == NULL)
		return;
	if (level >= KN_LOG_WARN)
		snprintf(kn_log_lastmsg, sizeof(kn_log_lastmsg), "%s",
			 line.data);
	if (kn_log_file != NULL && level >= kn_log_min) {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(kn_log_file, "%s %s: %s\n", stamp,
			kn_level_names[level], line.data);
	}
	if (level >= KN_LOG_WARN) {
		if (kn_log_holding)
			kn_buf_printf(&kn_log_held, "k8snet-top: %s: %s\n",
				      kn_level_names[level], line.data);
		else
			fprintf(stderr, "k8snet-top: %s: %s\n",
				kn_level_names[level], line.data);
	}
	kn_buf_release(&line);
}
