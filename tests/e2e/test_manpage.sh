#!/bin/sh
# The manual page documents every option --help lists, and renders cleanly.
set -eu
bin=${K8SNET_BIN:?}; src=${K8SNET_SRC:?}
page="$src/docs/k8snet-top.1"
missing=0
for opt in $("$bin" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
	# roff writes hyphens as \-
	esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	if ! grep -q -- "$esc" "$page"; then
		echo "man page lacks $opt"
		missing=1
	fi
done
if command -v groff >/dev/null; then
	warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1 || true)
	[ -z "$warn" ] || { echo "$warn"; missing=1; }
fi
exit $missing
