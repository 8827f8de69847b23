/* Helpers shared by the unit tests (testutil.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "canvas.h"
#include "k8snet/err.h"
#include "k8snet/source.h"
#include "keymap.h"
#include "screen.h"
#include "snapshot.h"
#include "testutil.h"

char *
tu_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	b[n] = '\0';
	if (len != NULL)
		*len = (size_t)n;
	return b;
}

char *
tu_data(const char *rel, size_t *len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", KN_TEST_DATA, rel);
	return tu_slurp(path, len);
}

struct kn_ipaddr
tu_ip(const char *s)
{
	struct kn_ipaddr a;

	if (!kn_ipaddr_parse(s, &a))
		fail_msg("not an address: %s", s);
	return a;
}

void
tu_model_load(struct kn_model *m, const char *file)
{
	char path[1024], eb[KN_ERRBUF];
	struct kn_snapshot_stats st;
	FILE *f;

	memset(&st, 0, sizeof(st));
	snprintf(path, sizeof(path), "%s/snapshots/%s", KN_TEST_DATA, file);
	f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(kn_snapshot_load_file(m, f, file, &st, NULL, NULL, eb),
			 KN_OK);
	fclose(f);
	assert_int_equal(st.bad, 0);
}

enum kn_err
tu_model_apply(struct kn_model *m, enum kn_watch_event ev, const char *kind,
	       const char *json)
{
	char eb[KN_ERRBUF];
	cJSON *o = cJSON_Parse(json);
	enum kn_err e;

	if (o == NULL)
		fail_msg("not JSON: %s", json);
	e = kn_objdecode_apply(m, ev, kind, o, eb);
	cJSON_Delete(o);
	return e;
}

void
tu_model_put(struct kn_model *m, const char *json)
{
	assert_int_equal(tu_model_apply(m, KN_EV_ADDED, NULL, json), KN_OK);
}

void
tu_screen_init(struct tu_screen *f, int rows, int cols, bool source)
{
	char errbuf[KN_ERRBUF];

	memset(f, 0, sizeof(*f));
	f->app.opts.demo = true;
	if (source) {
		assert_int_equal(kn_source_open(&f->app, errbuf), KN_OK);
		assert_non_null(f->app.model);
		f->source = true;
	}
	f->s = kn_screen_new(&f->app, false);
	f->c = kn_canvas_new_text(rows, cols, false);
}

void
tu_screen_release(struct tu_screen *f)
{
	kn_screen_free(f->s);
	kn_canvas_free(f->c);
	if (f->source)
		kn_source_close(&f->app);
}

void
tu_keys(struct tu_screen *f, const char *keys)
{
	for (; *keys != '\0'; keys++)
		kn_screen_key(f->s, *keys == '\n' ? KN_KEY_ENTER : *keys);
}

const char *
tu_frame(struct tu_screen *f)
{
	size_t o = 0;
	int y, w;

	kn_screen_draw(f->s, f->c, 0);
	f->text[0] = '\0';
	for (y = 0; y < kn_canvas_rows(f->c) && o < sizeof(f->text); y++) {
		w = snprintf(f->text + o, sizeof(f->text) - o, "%s\n",
			     kn_canvas_text_line(f->c, y));
		if (w < 0)
			break;
		o += (size_t)w;
	}
	return f->text;
}

bool
tu_shows(struct tu_screen *f, const char *text)
{
	int y;

	kn_screen_draw(f->s, f->c, 0);
	for (y = 0; y < kn_canvas_rows(f->c); y++)
		if (strstr(kn_canvas_text_line(f->c, y), text) != NULL)
			return true;
	return false;
}
