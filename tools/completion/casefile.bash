# bash completion for casefile (installed by make install)
_casefile()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "collect analyze rules upload clean help --version --help" -- "$cur"))
		return
	fi
	case "$prev" in
	-o|--output|--tmp-dir|--rules) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-i|--identity|--hosts-file|--known-hosts|--map|-F|--ssh-config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--format)
		if [ "$cmd" = rules ]; then
			COMPREPLY=($(compgen -W "text md patterns" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text md json html" -- "$cur"))
		fi
		return ;;
	--fail-on) COMPREPLY=($(compgen -W "critical high medium low info" -- "$cur")); return ;;
	--only|--skip)
		COMPREPLY=($(compgen -W "$(casefile collect --list 2>/dev/null | awk '{print $1}')" -- "$cur"))
		return ;;
	esac
	case "$cmd" in
	collect) COMPREPLY=($(compgen -W "--ticket --case-id --label --problem -o --output --tmp-dir
		--batch --only --skip --since --max-size --no-redact --rules --list --upload -q --quiet
		--version --host --hosts-file -j --jobs -i --identity --ask-password --sudo
		--known-hosts --accept-new-host-keys --connect-timeout --host-timeout -F --ssh-config
		--no-ssh-config --obfuscate --map --help" -- "$cur")) ;;
	analyze) COMPREPLY=($(compgen -W "--format -o --output --fail-on --rules -j --jobs
		--max-member-size --max-total-size --help" -- "$cur") $(compgen -f -- "$cur")) ;;
	rules) COMPREPLY=($(compgen -W "list show lint test --format --layouts --obfuscate --rules
		--help" -- "$cur")) ;;
	clean) COMPREPLY=($(compgen -W "-o --output --map -q --quiet --help" -- "$cur")
		$(compgen -f -- "$cur")) ;;
	upload) COMPREPLY=($(compgen -W "-i --identity --ask-password --known-hosts
		--accept-new-host-keys --connect-timeout -F --ssh-config --no-ssh-config --help" -- "$cur") $(compgen -f -- "$cur")) ;;
	help) COMPREPLY=($(compgen -W "collect analyze rules upload clean" -- "$cur")) ;;
	esac
}
complete -F _casefile casefile
