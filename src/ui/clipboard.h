/* Copying to the terminal's clipboard with OSC 52 (works over SSH: the
 * terminal, not this host, holds the clipboard), where the terminal
 * takes it. */
#ifndef K8SNET_CLIPBOARD_H
#define K8SNET_CLIPBOARD_H

#include <stdbool.h>
#include <stddef.h>

/* What the terminal is, as the environment and terminfo say. */
struct kn_clip_env {
	const char *term;	    /* $TERM */
	const char *tmux;	    /* $TMUX: inside tmux */
	const char *sty;	    /* $STY: inside GNU screen */
	bool has_ms;		    /* terminfo's Ms: the terminal sets the
				     * selection (OSC 52) */
	const char *tmux_clipboard; /* tmux's set-clipboard: on, external,
				     * off; NULL: not known */
};

/* Whether OSC 52 reaches a clipboard: inside tmux when its set-clipboard
 * is on; not inside GNU screen; elsewhere when terminfo has Ms or TERM
 * names a terminal known to take it. False with the reason and what to
 * do in why (n bytes). Pure. */
bool kn_clip_supported(const struct kn_clip_env *env, char *why, size_t n);

/* tmux's set-clipboard (tmux show-options -sv set-clipboard, run with a
 * time limit) into out (n bytes); false when tmux did not say. */
bool kn_clip_tmux_option(char *out, size_t n);

/* The OSC 52 sequence that puts text on the clipboard into out (n
 * bytes); returns its length, 0 when it does not fit. */
size_t kn_clip_osc52(const char *text, size_t len, char *out, size_t n);

#endif
