/* The console on a terminal: ncurses setup and restore, keys from stdin,
 * signals, themes, and the redraw rule (only when asked, <= 10 frames/s). */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <time.h>
#include <unistd.h>

#include "k8snet/alloc.h"
#include "k8snet/escape.h"
#include "canvas.h"
#include "clipboard.h"
#include "keymap.h"
#include "k8snet/live.h"
#include "k8snet/log.h"
#include "k8snet/loop.h"
#include "k8snet/model.h"
#include "screen.h"
#include "theme.h"
#include "k8snet/source.h"
#include "k8snet/capture.h"
#include "k8snet/ui.h"
#include "agents_feed.h"
#include "traffic_view.h"

struct kn_ui;
static void kn_ui_switch_context(struct kn_ui *ui, const char *name);
static void kn_ui_copy(struct kn_ui *ui, const char *text);

#define KN_FRAME_MS 100	   /* at most ~10 frames a second */
#define KN_REFRESH_MS 1000 /* panes re-read a changing model at most 1/s */
/* ...and spend at most 1/KN_REFRESH_DUTY of the time doing it: with a
 * huge cluster under churn the interval stretches instead of the CPU. */
#define KN_REFRESH_DUTY 25

struct kn_ui {
	struct kn_app *app;
	struct kn_screen *screen;
	struct kn_canvas *canvas;
	SCREEN *term;
	char termname[64];
	int ncolors;	     /* 0 without colours */
	bool default_colors; /* use_default_colors() worked */
	bool dirty;
	uint64_t last_frame;
	uint64_t frame_timer, clock_timer, msg_timer;
	uint64_t msg_deadline;
	const struct kn_model *model_seen; /* model and version the panes */
	uint64_t model_version;		   /* last read */
	uint64_t last_refresh, refresh_timer;
	uint64_t refresh_every; /* ms; adapts to refresh cost */
	char last_log[256];
	int status;
	struct kn_traffic_feed *feed; /* the capture in the loop */
	/* The startup theme, read by kn_ui_new before the capture opens
	 * (root drops its privileges then) and applied by kn_ui_run. */
	struct kn_theme theme;
	char theme_err[KN_ERRBUF]; /* why the default replaced it, or "" */
	struct kn_buf theme_warn;  /* "file:line: what\n" lines */
	bool started;		   /* kn_ui_run began */
	/* The live Kube-API as last drawn, and its last failure. */
	char api_seen[KN_ERRBUF + 64];
	char api_error[KN_ERRBUF];
	bool api_failing, api_synced;
	uint64_t api_timer;
};

/* The terminal must be restored even on an allocation failure deep in
 * some module (kn_alloc_set_fatal_hook takes no argument): the one
 * process-wide flag says whether curses is up. */
static bool kn_curses_up;

static void
kn_ui_restore_terminal(void)
{
	if (kn_curses_up) {
		kn_curses_up = false;
		endwin();
	}
}

static void
kn_ui_request(struct kn_ui *ui)
{
	ui->dirty = true;
}

/* ---- terminal ---------------------------------------------------------- */

static bool
kn_cap_ok(const char *cap)
{
	char *v = tigetstr(cap);

	return v != NULL && v != (char *)-1;
}

/* Open curses on TERM, or on a fallback when TERM is unknown or cannot
 * address the cursor (dumb), instead of failing. */
static SCREEN *
kn_term_open(char *used, size_t usedsz)
{
	const char *cands[] = {getenv("TERM"), "xterm-256color", "xterm",
			       "vt100"};
	SCREEN *scr;
	size_t i;
	int err;
	bool ok;

	for (i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		if (cands[i] == NULL || cands[i][0] == '\0')
			continue;
		if (setupterm(cands[i], STDOUT_FILENO, &err) != OK)
			continue;
		ok = kn_cap_ok("cup") && kn_cap_ok("clear");
		del_curterm(cur_term);
		if (!ok)
			continue;
		scr = newterm(cands[i], stdout, stdin);
		if (scr == NULL)
			continue;
		snprintf(used, usedsz, "%s", cands[i]);
		return scr;
	}
	return NULL;
}

static short
kn_curses_color(const struct kn_ui *ui, int16_t c, bool bg)
{
	if (c >= 0)
		return (short)c;
	if (ui->default_colors)
		return -1;
	return bg ? COLOR_BLACK : COLOR_WHITE;
}

static void
kn_ui_apply_theme(struct kn_ui *ui, const struct kn_theme *theme)
{
	unsigned long attrs[KN_ROLE__COUNT];
	struct kn_theme eff;
	int i;

	kn_theme_degrade(theme, ui->ncolors, &eff);
	for (i = 0; i < KN_ROLE__COUNT; i++) {
		const struct kn_style *st = &eff.role[i];
		attr_t a = A_NORMAL;

		if (st->attrs & KN_ATTR_BOLD)
			a |= A_BOLD;
		if (st->attrs & KN_ATTR_DIM)
			a |= A_DIM;
		if (st->attrs & KN_ATTR_REVERSE)
			a |= A_REVERSE;
		if (st->attrs & KN_ATTR_UNDERLINE)
			a |= A_UNDERLINE;
		if (st->attrs & KN_ATTR_ITALIC)
			a |= A_ITALIC;
		if (ui->ncolors > 0 && i + 1 < COLOR_PAIRS) {
			init_pair((short)(i + 1),
				  kn_curses_color(ui, st->fg, false),
				  kn_curses_color(ui, st->bg, true));
			a |= COLOR_PAIR(i + 1);
		}
		attrs[i] = a;
	}
	kn_canvas_set_attrs(ui->canvas, attrs);
}

/* The warnings of a theme file (unknown roles), one line each. */
static void
kn_ui_theme_warnings(struct kn_buf *warn)
{
	char *line, *save = NULL;

	if (warn->data != NULL)
		for (line = strtok_r(warn->data, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save))
			kn_warn("%s", line);
	kn_buf_release(warn);
}

/* Read NAME or FILE into *theme. A theme that is not there (no such
 * name, a file missing or unreadable) is an error for the caller; one
 * whose file does not parse is replaced by the built-in default, with
 * the reason in err, so the console still starts. */
static enum kn_err
kn_ui_read_theme(struct kn_theme *theme, const char *name, char *err,
		 struct kn_buf *warn, char *errbuf)
{
	enum kn_err e;

	err[0] = '\0';
	kn_buf_init(warn, 16 * 1024);
	e = kn_theme_load(theme, name, errbuf, warn);
	if (e == KN_ERR_PARSE || e == KN_ERR_LIMIT) {
		snprintf(err, KN_ERRBUF, "%s (using the default theme)",
			 errbuf);
		kn_theme_builtin(theme);
		return KN_OK;
	}
	if (e != KN_OK)
		kn_buf_release(warn);
	return e;
}

/* :theme NAME or FILE: a theme that cannot be found leaves the current
 * one on screen and says why. */
static void
kn_ui_load_theme(struct kn_ui *ui, const char *name, bool announce)
{
	char errbuf[KN_ERRBUF], err[KN_ERRBUF];
	struct kn_theme theme;
	struct kn_buf warn;

	if (kn_ui_read_theme(&theme, name, err, &warn, errbuf) != KN_OK) {
		kn_screen_message(ui->screen, KN_ROLE_ERROR, "%s", errbuf);
		kn_ui_request(ui);
		return;
	}
	if (err[0] != '\0')
		kn_error("%s", err);
	else if (announce)
		kn_screen_message(ui->screen, KN_ROLE_STATUS, "theme %s",
				  theme.name);
	kn_ui_theme_warnings(&warn);
	kn_ui_apply_theme(ui, &theme);
	kn_ui_request(ui);
}

static bool
kn_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && strcmp(cs, "UTF-8") == 0;
}

static enum kn_err
kn_ui_term_start(struct kn_ui *ui)
{
	const struct kn_opts *o = &ui->app->opts;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		kn_error("the console needs a terminal; for scripts use "
			 "--once -o json");
		return KN_ERR_UNSUPPORTED;
	}
	ui->term = kn_term_open(ui->termname, sizeof(ui->termname));
	if (ui->term == NULL) {
		kn_error("cannot open the terminal (TERM=%s, no usable "
			 "fallback); try TERM=xterm",
			 getenv("TERM") ? getenv("TERM") : "");
		return KN_ERR_UNSUPPORTED;
	}
	set_term(ui->term);
	kn_curses_up = true;
	kn_alloc_set_fatal_hook(kn_ui_restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	ui->ncolors = 0;
	if (!o->no_color && has_colors() && start_color() == OK) {
		ui->default_colors = use_default_colors() == OK;
		ui->ncolors = COLORS >= 256  ? 256
			      : COLORS >= 16 ? 16
			      : COLORS >= 8  ? 8
					     : 0;
	}
	ui->canvas = kn_canvas_new_curses(o->ascii || !kn_locale_utf8());
	return KN_OK;
}

/* ---- keys -------------------------------------------------------------- */

static int
kn_key_from_curses(int r, wint_t ch)
{
	static const struct {
		int curses, kn;
	} map[] = {
		{KEY_UP, KN_KEY_UP},
		{KEY_DOWN, KN_KEY_DOWN},
		{KEY_LEFT, KN_KEY_LEFT},
		{KEY_RIGHT, KN_KEY_RIGHT},
		{KEY_PPAGE, KN_KEY_PGUP},
		{KEY_NPAGE, KN_KEY_PGDN},
		{KEY_HOME, KN_KEY_HOME},
		{KEY_END, KN_KEY_END},
		{KEY_BTAB, KN_KEY_BTAB},
		{KEY_RESIZE, KN_KEY_RESIZE},
		{KEY_DC, KN_KEY_DELETE},
		{KEY_ENTER, KN_KEY_ENTER},
		{KEY_BACKSPACE, KN_KEY_BACKSPACE},
	};
	size_t i;

	if (r == KEY_CODE_YES) {
		if ((int)ch >= KEY_F(1) && (int)ch <= KEY_F(63))
			return KN_KEY_F((int)ch - KEY_F(0));
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (map[i].curses == (int)ch)
				return map[i].kn;
		return -1;
	}
	if (ch == '\r')
		return KN_KEY_ENTER;
	if (ch == 8)
		return KN_KEY_BACKSPACE;
	return (int)ch;
}

static void
kn_ui_stop(struct kn_ui *ui, int status)
{
	ui->status = status;
	kn_loop_stop(ui->app->loop);
}

/* The terminal is gone: stdin hung up or failed, or it is readable and
 * nothing is there to read (a hung-up tty reads as end of file). The
 * kernel's SIGHUP does not always come: not under sudo's pty, whose
 * master closes when sudo goes, nor when the console is not in the
 * terminal's session. Without this every turn found stdin ready again
 * and the loop spun at full CPU. Asked before curses reads: bytes curses
 * has taken would not be seen here. */
static bool
kn_ui_stdin_gone(int fd, short revents)
{
	int avail = 0;

	if (revents & (POLLHUP | POLLERR | POLLNVAL))
		return true;
	if (!(revents & POLLIN))
		return false;
	return ioctl(fd, FIONREAD, &avail) != 0 || avail <= 0;
}

/* Output to a pipe or a terminal that went away: poll says so. */
static bool
kn_ui_stdout_gone(void)
{
	struct pollfd p = {STDOUT_FILENO, POLLOUT, 0};

	return poll(&p, 1, 0) > 0 &&
	       (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static void
kn_ui_on_stdin(int fd, short revents, void *arg)
{
	struct kn_ui *ui = arg;
	const char *theme;
	wint_t ch;
	int r, key, n = 0;

	if (kn_ui_stdin_gone(fd, revents)) {
		kn_warn("the terminal closed (stdin %s): stopping",
			revents & (POLLHUP | POLLERR | POLLNVAL)
				? "hung up"
				: "at end of file");
		kn_loop_remove_fd(ui->app->loop, fd);
		kn_ui_stop(ui, 128 + SIGHUP);
		return;
	}
	/* A bounded batch per turn so a paste cannot starve the loop. */
	while (n++ < 256 && (r = wget_wch(stdscr, &ch)) != ERR) {
		key = kn_key_from_curses(r, ch);
		if (key < 0)
			continue;
		if (key == KN_KEY_RESIZE)
			kn_canvas_resize(ui->canvas, 0, 0);
		if (kn_screen_key(ui->screen, key))
			kn_ui_request(ui);
		if (kn_screen_quit_requested(ui->screen)) {
			kn_ui_stop(ui, 0);
			return;
		}
		if ((theme = kn_screen_take_theme_request(ui->screen)) != NULL)
			kn_ui_load_theme(ui, theme, true);
		if ((theme = kn_screen_take_context_request(ui->screen)) !=
		    NULL)
			kn_ui_switch_context(ui, theme);
		if ((theme = kn_screen_take_copy_request(ui->screen)) != NULL)
			kn_ui_copy(ui, theme);
	}
}

/* Y: text to the terminal's clipboard with OSC 52, where the terminal
 * (or tmux) takes it; else the status line says why and shows it. Text
 * from the cluster is copied as shown, control bytes escaped, so a paste
 * cannot run anything. */
static void
kn_ui_copy(struct kn_ui *ui, const char *text)
{
	struct kn_clip_env env = {ui->termname, getenv("TMUX"), getenv("STY"),
				  kn_cap_ok("Ms"), NULL};
	char opt[32], why[160], seq[4096];
	struct kn_buf safe;
	size_t n, off = 0;
	ssize_t w;

	kn_buf_init(&safe, 1024);
	kn_escape_text(&safe, text, strlen(text), false);
	if (safe.len == 0)
		goto out;
	if (env.tmux != NULL && env.tmux[0] != '\0' &&
	    kn_clip_tmux_option(opt, sizeof(opt)))
		env.tmux_clipboard = opt;
	if (!kn_clip_supported(&env, why, sizeof(why))) {
		kn_screen_message(ui->screen, KN_ROLE_WARNING,
				  "%s  (not copied to the clipboard: %s)",
				  safe.data, why);
		goto out;
	}
	n = kn_clip_osc52(safe.data, safe.len, seq, sizeof(seq));
	while (off < n) {
		w = write(STDOUT_FILENO, seq + off, n - off);
		if (w > 0)
			off += (size_t)w;
		else if (w < 0 && errno != EINTR)
			break;
	}
	kn_screen_message(ui->screen, KN_ROLE_STATUS,
			  "copied %s to the clipboard (OSC 52)", safe.data);
out:
	kn_buf_release(&safe);
}

/* :ctx NAME: another context of the kubeconfig, with a new model. The
 * panes hold strings borrowed from the model, so they are refreshed from
 * the new one before anything is drawn. */
static void
kn_ui_switch_context(struct kn_ui *ui, const char *name)
{
	char errbuf[KN_ERRBUF] = "";
	char want[128];

	snprintf(want, sizeof(want), "%s", name);
	if (kn_source_switch_context(ui->app, want, errbuf) != KN_OK) {
		kn_screen_message(ui->screen, KN_ROLE_ERROR, "%s", errbuf);
	} else {
		if (ui->app->capture != NULL && ui->app->model != NULL)
			kn_capture_set_namer(ui->app->capture, kn_model_name_ip,
					     ui->app->model);
		kn_screen_message(ui->screen, KN_ROLE_STATUS, "context %s",
				  want);
	}
	ui->model_seen = ui->app->model;
	ui->model_version =
		ui->app->model != NULL ? kn_model_version(ui->app->model) : 0;
	ui->api_failing = ui->api_synced = false;
	ui->api_error[0] = '\0';
	kn_screen_refresh(ui->screen);
	kn_ui_request(ui);
}

static void
kn_ui_resize(struct kn_ui *ui)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	kn_canvas_resize(ui->canvas, 0, 0);
	clearok(curscr, TRUE);
	kn_ui_request(ui);
}

static void
kn_ui_on_signal(int signo, void *arg)
{
	struct kn_ui *ui = arg;

	switch (signo) {
	case SIGWINCH:
		kn_ui_resize(ui);
		break;
	case SIGINT:
		kn_ui_stop(ui, 0);
		break;
	case SIGPIPE:
		/* Ours when the terminal's output is gone; a socket's write
		 * fails with EPIPE and its owner handles that. */
		if (!kn_ui_stdout_gone())
			break;
		kn_warn("the terminal's output closed: stopping");
		kn_ui_stop(ui, 128 + signo);
		break;
	case SIGHUP:
	case SIGTERM:
		kn_warn("%s: stopping",
			signo == SIGHUP ? "hang-up (SIGHUP)" : "SIGTERM");
		kn_ui_stop(ui, 128 + signo);
		break;
	default:
		kn_ui_stop(ui, 128 + signo);
		break;
	}
}

/* ---- redraw ------------------------------------------------------------ */

/* A timer that only wakes the loop: the turn hook that follows does the
 * work (draws, refreshes, looks at the Kube-API). arg is the ui's field
 * holding the timer, cleared as it fires. */
static void
kn_ui_on_wake(void *arg)
{
	*(uint64_t *)arg = 0;
}

static void
kn_ui_on_msg_timer(void *arg)
{
	struct kn_ui *ui = arg;

	ui->msg_timer = 0;
	kn_ui_request(ui);
}

static void kn_ui_arm_clock(struct kn_ui *ui);

static void
kn_ui_on_clock(void *arg)
{
	struct kn_ui *ui = arg;

	ui->clock_timer = 0;
	kn_ui_request(ui);
	kn_ui_arm_clock(ui);
}

/* The header clock shows minutes: wake once at the next minute. */
static void
kn_ui_arm_clock(struct kn_ui *ui)
{
	time_t now = time(NULL);

	ui->clock_timer = kn_loop_add_timer(ui->app->loop,
					    (uint64_t)(60 - now % 60) * 1000,
					    false, kn_ui_on_clock, ui);
}

/* A live source changes the model many times a second: re-read it into
 * the panes at most once per KN_REFRESH_MS, and once more after the last
 * change. */
static void
kn_ui_watch_model(struct kn_ui *ui)
{
	const struct kn_model *m = ui->app->model;
	uint64_t now, version;

	if (m == NULL)
		return;
	version = kn_model_version(m);
	if (m == ui->model_seen && version == ui->model_version)
		return;
	now = kn_now_ms();
	if (ui->refresh_every < KN_REFRESH_MS)
		ui->refresh_every = KN_REFRESH_MS;
	if (now - ui->last_refresh < ui->refresh_every) {
		if (ui->refresh_timer == 0)
			ui->refresh_timer = kn_loop_add_timer(
				ui->app->loop,
				ui->refresh_every - (now - ui->last_refresh),
				false, kn_ui_on_wake, &ui->refresh_timer);
		return;
	}
	ui->model_seen = m;
	ui->model_version = version;
	kn_screen_refresh_lazy(ui->screen);
	ui->last_refresh = kn_now_ms();
	ui->refresh_every = (ui->last_refresh - now) * KN_REFRESH_DUTY;
	kn_ui_request(ui);
}

/* The Kube-API's state changes without the model changing (a failure,
 * the next retry, a recovery): redraw when what the header and the
 * banner show changes, look again every second while it fails (the
 * retry countdown), and say on the status line when it works again. */
static void
kn_ui_watch_api(struct kn_ui *ui)
{
	struct kn_kube_status st;
	char seen[sizeof(ui->api_seen)];

	if (ui->app->kube == NULL)
		return;
	kn_kube_live_status(ui->app, &st);
	snprintf(seen, sizeof(seen), "%d %d %u %llu %s", st.ever_synced,
		 st.forbidden, st.attempts,
		 (unsigned long long)(st.retry_in_ms + 999) / 1000, st.error);
	if (strcmp(seen, ui->api_seen) != 0) {
		memcpy(ui->api_seen, seen, sizeof(seen));
		kn_ui_request(ui);
	}
	if (st.error[0] != '\0') {
		snprintf(ui->api_error, sizeof(ui->api_error), "%s", st.error);
		ui->api_failing = true;
		if (ui->api_timer == 0)
			ui->api_timer = kn_loop_add_timer(ui->app->loop, 1000,
							  false, kn_ui_on_wake,
							  &ui->api_timer);
	} else if (ui->api_failing) {
		ui->api_failing = false;
		kn_screen_message(ui->screen, KN_ROLE_OK,
				  "Kube-API %s: connected%s", st.server,
				  ui->api_synced ? " again" : "");
	}
	ui->api_synced = ui->api_synced || st.ever_synced;
}

static void
kn_ui_turn(void *arg)
{
	struct kn_ui *ui = arg;
	const char *last = kn_log_last();
	uint64_t now, deadline;

	kn_ui_watch_model(ui);
	kn_ui_watch_api(ui);
	if (last[0] != '\0' && strcmp(last, ui->last_log) != 0) {
		snprintf(ui->last_log, sizeof(ui->last_log), "%s", last);
		kn_screen_message(ui->screen, KN_ROLE_WARNING, "%s", last);
		kn_ui_request(ui);
	}
	deadline = kn_screen_message_deadline(ui->screen);
	if (deadline != 0 && deadline != ui->msg_deadline) {
		if (ui->msg_timer != 0)
			kn_loop_cancel_timer(ui->app->loop, ui->msg_timer);
		now = kn_now_ms();
		ui->msg_timer = kn_loop_add_timer(
			ui->app->loop, deadline > now ? deadline - now + 1 : 1,
			false, kn_ui_on_msg_timer, ui);
		ui->msg_deadline = deadline;
	}
	if (!ui->dirty)
		return;
	now = kn_now_ms();
	if (now - ui->last_frame < KN_FRAME_MS) {
		if (ui->frame_timer == 0)
			ui->frame_timer = kn_loop_add_timer(
				ui->app->loop,
				KN_FRAME_MS - (now - ui->last_frame), false,
				kn_ui_on_wake, &ui->frame_timer);
		return;
	}
	ui->dirty = false;
	ui->last_frame = now;
	kn_canvas_resize(ui->canvas, 0, 0);
	kn_screen_draw(ui->screen, ui->canvas, time(NULL));
	kn_canvas_flush(ui->canvas);
}

/* ---- entry points -------------------------------------------------------- */

void
kn_ui_pane_changed(struct kn_app *app, enum kn_pane_id id)
{
	if (app == NULL || app->ui == NULL)
		return;
	if (id < KN_PANE__COUNT)
		kn_screen_pane_changed(app->ui->screen, id);
	kn_ui_request(app->ui);
}

const char *
kn_ui_namespace(const struct kn_app *app)
{
	if (app->ui == NULL || app->ui->screen == NULL)
		return app->opts.namespace;
	return kn_screen_namespace(app->ui->screen);
}

void
kn_ui_free(struct kn_ui *ui)
{
	struct kn_loop *l;

	if (ui == NULL)
		return;
	kn_buf_release(&ui->theme_warn);
	if (!ui->started) {
		free(ui);
		return;
	}
	l = ui->app->loop;

	kn_traffic_feed_free(ui->feed);
	kn_agents_feed_free(ui->app->agents);
	ui->app->agents = NULL;
	kn_loop_remove_fd(l, STDIN_FILENO);
	kn_loop_set_turn_hook(l, NULL, NULL);
	if (ui->frame_timer)
		kn_loop_cancel_timer(l, ui->frame_timer);
	if (ui->clock_timer)
		kn_loop_cancel_timer(l, ui->clock_timer);
	if (ui->msg_timer)
		kn_loop_cancel_timer(l, ui->msg_timer);
	if (ui->refresh_timer)
		kn_loop_cancel_timer(l, ui->refresh_timer);
	if (ui->api_timer)
		kn_loop_cancel_timer(l, ui->api_timer);
	if (ui->canvas != NULL) {
		kn_canvas_free(ui->canvas);
		ui->canvas = NULL;
	}
	if (ui->term != NULL) {
		kn_ui_restore_terminal();
		delscreen(ui->term);
		ui->term = NULL;
	}
	kn_alloc_set_fatal_hook(NULL);
	kn_screen_free(ui->screen);
	ui->app->ui = NULL;
	free(ui);
}

struct kn_ui *
kn_ui_new(struct kn_app *app, char *errbuf)
{
	struct kn_ui *ui = kn_xcalloc(1, sizeof(*ui));
	const char *name =
		app->opts.theme != NULL ? app->opts.theme : "default";

	ui->app = app;
	if (kn_ui_read_theme(&ui->theme, name, ui->theme_err, &ui->theme_warn,
			     errbuf) != KN_OK) {
		free(ui);
		return NULL;
	}
	return ui;
}

int
kn_ui_run(struct kn_ui *ui)
{
	struct kn_app *app = ui->app;
	char never[KN_ERRBUF] = "";
	enum kn_err e;
	int status;

	ui->started = true;
	app->ui = ui;
	/* From here until the terminal is restored nothing goes to stderr:
	 * messages wait (and show on the status line). */
	kn_log_hold(true);
	if (kn_ui_term_start(ui) != KN_OK) {
		kn_ui_free(ui);
		kn_log_hold(false);
		return 1;
	}
	atexit(kn_ui_restore_terminal);
	/* Before the panes: with --agents the Traffic pane opens on the
	 * agents' transactions. */
	app->agents = kn_agents_feed_new(app);
	ui->screen = kn_screen_new(app, kn_canvas_ascii(ui->canvas));
	if (app->model != NULL) {
		ui->model_seen = app->model;
		ui->model_version = kn_model_version(app->model);
		ui->last_refresh = kn_now_ms();
	}
	/* Read before the privilege drop; what it found shows now. */
	if (ui->theme_err[0] != '\0')
		kn_error("%s", ui->theme_err);
	kn_ui_theme_warnings(&ui->theme_warn);
	kn_ui_apply_theme(ui, &ui->theme);
	kn_ui_request(ui);
	kn_loop_add_fd(app->loop, STDIN_FILENO, POLLIN, kn_ui_on_stdin, ui);
	kn_loop_watch_signals(app->loop, kn_ui_on_signal, ui);
	kn_loop_set_turn_hook(app->loop, kn_ui_turn, ui);
	kn_ui_arm_clock(ui);
	ui->feed = kn_traffic_feed_new(app);
	kn_ui_resize(ui);
	kn_ui_turn(ui);
	e = kn_loop_run(app->loop);
	status = ui->status;
	/* Never connected: what stood in the way goes to the terminal. */
	if (app->kube != NULL && !ui->api_synced && ui->api_error[0] != '\0')
		snprintf(never, sizeof(never), "%s", ui->api_error);
	kn_ui_free(ui);
	kn_log_hold(false);
	if (never[0] != '\0')
		kn_error("never connected to the Kube-API: %s", never);
	if (e != KN_OK) {
		kn_error("event loop failed: %s", kn_err_str(e));
		return 1;
	}
	return status;
}
