#!/bin/sh
# The shell completions offer every option --help lists and the values of
# --pane, -o and --workers; the zsh one parses.  Exit 77 when bash is missing.
set -eu
bin=${K8SNET_BIN:?}; src=${K8SNET_SRC:?}
bcomp="$src/contrib/completions/k8snet-top.bash"
zcomp="$src/contrib/completions/_k8snet-top"
command -v bash >/dev/null 2>&1 || { echo "bash missing: skipped"; exit 77; }
fail=0

# complete WORD...: the COMPREPLY for a command line whose last word is the
# one being completed, one candidate a line, sorted.
complete_words() {
	bash --norc --noprofile -c '
		. "$1" || exit 3
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_k8snet_top k8snet-top "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' complete-test "$bcomp" "$@" | sort -u
}

# want NAME GOT WANTED...: GOT is exactly the WANTED words.
want() {
	name=$1 got=$2; shift 2
	exp=$(printf '%s\n' "$@" | sort -u)
	if [ "$got" != "$exp" ]; then
		echo "$name: got [$(printf '%s' "$got" | tr '\n' ' ')]," \
			"want [$(printf '%s' "$exp" | tr '\n' ' ')]"
		fail=1
	fi
}

# (a) every long option of --help is offered after --
offered=$(complete_words k8snet-top --)
help=$("$bin" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
[ -n "$help" ] || { echo "--help lists no options"; exit 1; }
for opt in $help; do
	printf '%s\n' "$offered" | grep -qx -- "$opt" ||
		{ echo "completion lacks $opt"; fail=1; }
done
# and every short option of --help after -
offered=$(complete_words k8snet-top -)
for opt in $("$bin" --help | grep -oE -- '(^|[ ,])-[A-Za-z]\b' |
	     tr -d ' ,' | sort -u); do
	printf '%s\n' "$offered" | grep -qx -- "$opt" ||
		{ echo "completion lacks $opt"; fail=1; }
done

# (b) --pane values, in both spellings
want "--pane" "$(complete_words k8snet-top --pane '')" \
	pods services dns ingress routes nodes traffic policies
want "--pane=" "$(complete_words k8snet-top --pane=)" \
	pods services dns ingress routes nodes traffic policies
want "--pane r" "$(complete_words k8snet-top --demo --pane r)" routes
want "--pane s" "$(complete_words k8snet-top --demo --pane s)" services
# (c) -o values
want "-o" "$(complete_words k8snet-top -o '')" table wide json jsonl
want "--output j" "$(complete_words k8snet-top --output j)" json jsonl
# and the other fixed lists
want "--probe" "$(complete_words k8snet-top --probe '')" \
	none known nodeports
# --filename: folders and manifests (not other files), and - for stdin
tmpd=$(mktemp -d)
mkdir "$tmpd/k8s"
: >"$tmpd/app.yaml"; : >"$tmpd/db.yml"; : >"$tmpd/list.json"
: >"$tmpd/notes.txt"
want "--filename" "$(cd "$tmpd" && complete_words k8snet-top --filename '')" \
	k8s app.yaml db.yml list.json -
want "--filename=a" "$(cd "$tmpd" && complete_words k8snet-top --filename=a)" \
	app.yaml
rm -rf "$tmpd"
# --check takes no value: the next word is an option again
complete_words k8snet-top --check -- | grep -qx -- --filename ||
	{ echo "after --check: no --filename"; fail=1; }
want "--agent-detail" "$(complete_words k8snet-top --agent-detail '')" \
	failures all
# --workers offers thread counts, this machine's cores among them
got=$(complete_words k8snet-top --workers '')
for n in 1 2 "$(nproc)"; do
	printf '%s\n' "$got" | grep -qx -- "$n" ||
		{ echo "--workers: no $n"; fail=1; }
done
# the kubectl plugin name uses the same function
complete_words kubectl-netview -- | grep -qx -- --demo ||
	{ echo "kubectl-netview: no --demo"; fail=1; }
bash --norc --noprofile -c '. "$1"; complete -p kubectl-netview' x \
	"$bcomp" >/dev/null || { echo "kubectl-netview not registered"; fail=1; }

# zsh: the file parses and names both commands
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$zcomp" || { echo "zsh -n $zcomp failed"; fail=1; }
else
	echo "zsh missing: zsh file not parsed"
fi
head -n 1 "$zcomp" | grep -q '^#compdef k8snet-top kubectl-netview' ||
	{ echo "$zcomp: bad #compdef line"; fail=1; }
# the zsh file offers every --help option too
for opt in $help; do
	grep -qE -- "${opt}([]=[}]|$)" "$zcomp" ||
		{ echo "zsh completion lacks $opt"; fail=1; }
done
exit $fail
