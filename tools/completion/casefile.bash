# bash completion for casefile (installed by make install).
# Each command's options are those of 'casefile CMD --help':
# tests/e2e/t0061-completion.sh checks both ways, and that no option that
# takes a value is answered with options.
# Word lists (options, sources, hosts, rule ids) are split on purpose:
# shellcheck disable=SC2046

_casefile_options()
{
	case $1 in
	collect) echo "--ticket --case-id --label --target --problem -o --output --tmp-dir --batch
		--only --skip --since --max-size --no-redact --obfuscate --map --rules --list
		--upload -q --quiet --version --host --hosts-file -j --jobs -i --identity
		--ask-password --sudo --known-hosts --accept-new-host-keys -F --ssh-config
		--no-ssh-config --connect-timeout --host-timeout --no-push --help" ;;
	analyze) echo "--format -o --output --fail-on --rules -j --jobs --max-member-size
		--max-total-size --help" ;;
	rules) echo "--rules --format --layouts --obfuscate --help" ;;
	upload) echo "-i --identity --ask-password --known-hosts --accept-new-host-keys
		-F --ssh-config --no-ssh-config --connect-timeout -q --quiet --help" ;;
	clean) echo "-o --output --map -q --quiet --help" ;;
	esac
}

# The words up to the cursor, with what bash splits at ':' and '=' put back
# together (--host db:2222, --format=md): from COMP_LINE when bash gave it,
# else from COMP_WORDS. Sets cur, prev, words and cword.
_casefile_words()
{
	local line i w n
	words=()
	if [ -n "${COMP_LINE+set}" ] && [ -n "${COMP_POINT:-}" ]; then
		line=${COMP_LINE:0:COMP_POINT}
		read -r -a words <<<"$line"
		case $line in *[[:space:]]) words+=("") ;; esac
		[ ${#words[@]} -eq 0 ] && words=("")
	else
		for ((i = 0; i <= COMP_CWORD && i < ${#COMP_WORDS[@]}; i++)); do
			w=${COMP_WORDS[i]}
			n=$((${#words[@]} - 1))
			# bash 4.2 has no words[-1]
			if [ "$n" -gt 0 ] && { [ "$w" = : ] || [ "$w" = = ] ||
				[ "${words[n]: -1}" = : ] || [ "${words[n]: -1}" = = ]; }; then
				words[n]+=$w
			else
				words+=("$w")
			fi
		done
	fi
	cword=$((${#words[@]} - 1))
	cur=${words[cword]}
	prev=
	[ "$cword" -gt 0 ] && prev=${words[cword - 1]}
	case $cur in --*=*) prev=${cur%%=*}; cur=${cur#*=} ;; esac
}

# COMPREPLY from candidates for cur: bash puts them in place of its own
# word, which starts after the last ':' of cur.
_casefile_reply()
{
	local c pre=
	COMPREPLY=()
	case $COMP_WORDBREAKS in *:*) case $cur in *:*) pre=${cur%:*}: ;; esac ;; esac
	for c in "$@"; do
		case $c in "$cur"*) COMPREPLY+=("${c#"$pre"}") ;; esac
	done
}

# casefile as typed (a path, ~/bin/casefile), for what only it knows
_casefile_run()
{
	local prog=${words[0]}
	# shellcheck disable=SC2088 # a "~/" that the shell left as typed
	case $prog in "~/"*) prog=$HOME/${prog#"~/"} ;; esac
	command -v "$prog" >/dev/null 2>&1 || prog=casefile
	"$prog" "$@" 2>/dev/null
}

# Hosts for --host: the Host names of ~/.ssh/config (and of the files it
# Includes) without wildcards, and the names in ~/.ssh/known_hosts that are
# not hashed, [HOST]:PORT as HOST:PORT.
_casefile_hosts()
{
	local cfg=$HOME/.ssh/config inc f
	local -a files=()
	if [ -r "$cfg" ]; then
		files=("$cfg")
		for inc in $(awk 'tolower($1) == "include" { for (i = 2; i <= NF; i++) print $i }' \
			"$cfg"); do
			# shellcheck disable=SC2088 # ssh_config's own "~/"
			case $inc in "~/"*) inc=$HOME/${inc#"~/"} ;; /*) ;; *) inc=$HOME/.ssh/$inc ;; esac
			for f in $inc; do [ -f "$f" ] && [ -r "$f" ] && files+=("$f"); done
		done
		awk '{ sub(/^[ \t]+/, "") }
		/^[Hh][Oo][Ss][Tt]([ \t=]|$)/ {
			sub(/^[Hh][Oo][Ss][Tt][ \t]*=?[ \t]*/, "")
			n = split($0, w, /[ \t]+/)
			for (i = 1; i <= n; i++) {
				gsub(/"/, "", w[i])
				if (w[i] != "" && w[i] !~ /[*?!]/) print w[i]
			}
		}' "${files[@]}"
	fi
	[ -r "$HOME/.ssh/known_hosts" ] && awk '$1 !~ /^[#|@]/ && NF >= 2 {
		n = split($1, h, ",")
		for (i = 1; i <= n; i++) {
			x = h[i]
			if (x == "" || x ~ /[*?!]/) continue
			if (x ~ /^\[[^]]*\]:[0-9]+$/) {
				name = x; sub(/^\[/, "", name); sub(/\]:[0-9]+$/, "", name)
				port = x; sub(/^.*\]:/, "", port)
				if (name !~ /:/) x = name ":" port
			}
			print x
		}
	}' "$HOME/.ssh/known_hosts"
}

# [USER@]HOST; with "sftp", sftp://[USER@]HOST/ (--upload, upload's URL)
_casefile_complete_hosts()
{
	local scheme='' user='' rest=$cur h
	local -a c=()
	if [ "${1:-}" = sftp ]; then
		scheme=sftp://
		rest=${cur#sftp://}
		compopt -o nospace 2>/dev/null
	fi
	case $rest in *@*) user=${rest%%@*}@ ;; esac
	for h in $(_casefile_hosts | sort -u); do
		c+=("$scheme$user$h${scheme:+/}")
	done
	_casefile_reply "${c[@]}"
}

# --only a,b,<TAB>: the sources, after what is already there
_casefile_complete_sources()
{
	local done='' s
	local -a c=()
	case $cur in *,*) done=${cur%,*}, ;; esac
	for s in $(_casefile_run collect --list | awk '{ print $1 }'); do
		c+=("$done$s")
	done
	_casefile_reply "${c[@]}"
}

_casefile()
{
	local cur prev cmd verb i rules_dir=
	local -a words=()
	local cword
	_casefile_words
	cmd=${words[1]:-}
	if [ "$cword" -eq 1 ]; then
		_casefile_reply collect analyze rules upload clean help --version --help
		return
	fi
	case $prev in
	-o|--output)
		if [ "$cmd" = analyze ]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		fi
		return ;;
	--tmp-dir|--rules) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
	-i|--identity|--hosts-file|--known-hosts|--map|-F|--ssh-config)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
	--format)
		if [ "$cmd" = rules ]; then
			_casefile_reply text md patterns
		else
			_casefile_reply text md json html
		fi
		return ;;
	--fail-on) _casefile_reply critical high medium low info; return ;;
	--only|--skip) _casefile_complete_sources; return ;;
	--host) _casefile_complete_hosts; return ;;
	--upload) _casefile_complete_hosts sftp; return ;;
	# options whose value casefile cannot guess
	--ticket|--case-id|--label|--target|--problem|--since|--max-size|-j|--jobs|--connect-timeout|\
	--host-timeout|--max-member-size|--max-total-size)
		COMPREPLY=()
		return ;;
	esac
	case $cmd in
	collect)
		_casefile_reply $(_casefile_options collect) ;;
	analyze|clean)
		if [ "${cur#-}" != "$cur" ]; then
			_casefile_reply $(_casefile_options "$cmd")
		else
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi ;;
	upload)
		# upload BUNDLE URL: the words before this one that are no option nor its value
		verb=0
		for ((i = 2; i < cword; i++)); do
			case ${words[i]} in
			-i|--identity|--known-hosts|-F|--ssh-config|--connect-timeout) i=$((i + 1)) ;;
			-*) ;;
			*) verb=$((verb + 1)) ;;
			esac
		done
		if [ "${cur#-}" != "$cur" ]; then
			_casefile_reply $(_casefile_options upload)
		elif [ "$verb" -eq 1 ]; then
			_casefile_complete_hosts sftp
		else
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi ;;
	rules)
		# the verb is the first word that is no option nor an option's value
		verb=
		for ((i = 2; i < cword; i++)); do
			case ${words[i]} in
			--rules) rules_dir=${words[i + 1]}; i=$((i + 1)) ;;
			--rules=*) rules_dir=${words[i]#--rules=} ;;
			--format) i=$((i + 1)) ;;
			-*) ;;
			*) [ -z "$verb" ] && verb=${words[i]} ;;
			esac
		done
		if [ "${cur#-}" != "$cur" ]; then
			_casefile_reply $(_casefile_options rules)
		elif [ -z "$verb" ]; then
			_casefile_reply list show lint test
		elif [ "$verb" = show ] || [ "$verb" = test ]; then
			_casefile_reply $(_casefile_run rules list ${rules_dir:+--rules "$rules_dir"} |
				awk '{ print $1 }')
		fi ;;
	help) _casefile_reply collect analyze rules upload clean ;;
	esac
}
complete -F _casefile casefile
