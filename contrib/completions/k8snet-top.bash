# bash completion for k8snet-top and kubectl-netview        -*- shell-script -*-
#
# Installed as .../bash-completion/completions/k8snet-top (and a copy named
# kubectl-netview); or source it from ~/.bashrc.  Keep the option lists in
# step with kn_long_opts and the usage text in src/core/opts.c.

_k8snet_top_long_opts='--kubeconfig --context --cluster --user --namespace
 --all-namespaces --request-timeout --snapshot --filename --check --demo
 --interface --read
 --filter --write --duration --no-decap --workers --once --output --pane --probe
 --theme --no-color --ascii --anonymize --cluster-domain --host-root --log
 --relinquish-privileges --probe-external --replay --can --port --agent
 --agents --agent-interval --agent-slow --agent-detail --agent-rate
 --agent-topk --agent-query --help --version'
_k8snet_top_short_opts='-n -A -i -r -f -w -Z -o -h'
# Options that take a value (the next word, or --opt=value).
_k8snet_top_arg_opts='--kubeconfig --context --cluster --user --namespace
 --request-timeout --snapshot --filename --interface --read --filter --write --duration
 --workers --output --pane --probe --theme --cluster-domain --host-root --log
 --relinquish-privileges --can --port --agents --agent-interval --agent-slow
 --agent-detail --agent-rate --agent-topk -n -i -r -f -w -Z -o'

# compgen's words, one each (file names may hold spaces), into COMPREPLY.
_k8snet_top_reply()
{
	mapfile -t COMPREPLY < <(compgen "$@")
}
_k8snet_top_reply_add()
{
	mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen "$@")
}

# _k8snet_top_values OPTION CUR: fill COMPREPLY with the values OPTION takes.
_k8snet_top_values()
{
	local opt=$1 cur=$2 words="" d f IFS=$' \t\n'

	case $opt in
	--pane)
		words='pods services dns ingress routes nodes traffic policies' ;;
	--port)
		words='53/UDP 53/TCP 80 443 8080' ;;
	-o | --output)
		words='table wide json jsonl' ;;
	--probe)
		words='none known nodeports' ;;
	--agent-detail)
		words='failures all' ;;
	--agent-interval)
		words='1 5 10 30' ;;
	--agent-slow)
		words='100 500 1000' ;;
	--agent-rate)
		words='50 200 1000' ;;
	--agent-topk)
		words='20 100 500' ;;
	--agents)
		if command -v kubectl >/dev/null 2>&1; then
			words=$(kubectl get daemonsets -A --request-timeout=2s \
				-l app.kubernetes.io/name=k8snet-top \
				-o 'jsonpath={.items[*].metadata.namespace}' \
				2>/dev/null)
		fi ;;
	--theme)
		words='default light monochrome'
		d=${XDG_CONFIG_HOME:-$HOME/.config}/k8snet-top/themes
		for f in "$d"/*.yaml; do
			[ -e "$f" ] || continue
			f=${f##*/}
			words="$words ${f%.yaml}"
		done
		compopt -o filenames 2>/dev/null
		_k8snet_top_reply -W "$words" -- "$cur"
		_k8snet_top_reply_add -f -- "$cur"
		return ;;
	-i | --interface)
		words=any
		for f in /sys/class/net/*; do
			[ -e "$f" ] && words="$words ${f##*/}"
		done ;;
	--context)
		if command -v kubectl >/dev/null 2>&1; then
			words=$(kubectl config get-contexts -o name 2>/dev/null)
		fi ;;
	--cluster)
		if command -v kubectl >/dev/null 2>&1; then
			words=$(kubectl config view \
				-o 'jsonpath={.clusters[*].name}' 2>/dev/null)
		fi ;;
	--user)
		if command -v kubectl >/dev/null 2>&1; then
			words=$(kubectl config view \
				-o 'jsonpath={.users[*].name}' 2>/dev/null)
		fi ;;
	-Z|--relinquish-privileges)
		_k8snet_top_reply -u -- "$cur"
		return ;;
	-n | --namespace)
		if command -v kubectl >/dev/null 2>&1; then
			words=$(kubectl get namespaces --request-timeout=2s \
				-o 'jsonpath={.items[*].metadata.name}' \
				2>/dev/null)
		fi ;;
	--duration | --request-timeout)
		words='10s 30s 1m 5m' ;;
	--workers)
		words="1 2 4 $(nproc 2>/dev/null)" ;;
	--cluster-domain)
		words='cluster.local' ;;
	--snapshot)
		compopt -o filenames 2>/dev/null
		_k8snet_top_reply -f -- "$cur"
		[ -n "$cur" ] || COMPREPLY+=(-)
		return ;;
	--filename)
		# manifests: folders, *.yaml, *.yml, *.json, or - for stdin
		compopt -o filenames 2>/dev/null
		_k8snet_top_reply -d -- "$cur"
		_k8snet_top_reply_add -f -X '!*.yaml' -- "$cur"
		_k8snet_top_reply_add -f -X '!*.yml' -- "$cur"
		_k8snet_top_reply_add -f -X '!*.json' -- "$cur"
		[ -n "$cur" ] || COMPREPLY+=(-)
		return ;;
	-r | --read | -w | --write | --kubeconfig | --log)
		compopt -o filenames 2>/dev/null
		_k8snet_top_reply -f -- "$cur"
		return ;;
	--host-root)
		compopt -o filenames 2>/dev/null
		_k8snet_top_reply -d -- "$cur"
		return ;;
	-f | --filter)
		# a free-form BPF expression
		COMPREPLY=()
		return ;;
	esac
	_k8snet_top_reply -W "$words" -- "$cur"
}

_k8snet_top()
{
	local cur prev opt
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}

	# --opt=value in one word (COMP_WORDBREAKS without '=')
	case $cur in
	--*=*)
		opt=${cur%%=*}
		cur=${cur#*=}
		_k8snet_top_values "$opt" "$cur"
		return 0 ;;
	esac
	# --opt=value split by readline into "--opt" "=" "value"
	if [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
		_k8snet_top_values "${COMP_WORDS[COMP_CWORD-2]}" "$cur"
		return 0
	fi
	if [ "$cur" = "=" ] && [ -n "$prev" ]; then
		_k8snet_top_values "$prev" ""
		return 0
	fi
	# a value for the option before
	case " ${_k8snet_top_arg_opts//$'\n'/ } " in
	*" $prev "*)
		_k8snet_top_values "$prev" "$cur"
		return 0 ;;
	esac

	case $cur in
	--*)
		_k8snet_top_reply -W "$_k8snet_top_long_opts" -- "$cur" ;;
	-*)
		_k8snet_top_reply -W "$_k8snet_top_short_opts \
			$_k8snet_top_long_opts" -- "$cur" ;;
	*)
		# no operands: offer the options
		_k8snet_top_reply -W "$_k8snet_top_long_opts" -- "$cur" ;;
	esac
	return 0
}

complete -F _k8snet_top k8snet-top kubectl-netview
