#!/bin/sh
# t0061: shell completion (tools/completion). Every option of each command's
# --help is completed by bash and zsh, and they offer no option --help does
# not have; an option's value is never answered with options; --host offers
# the hosts of ~/.ssh/config and ~/.ssh/known_hosts (a HOME of the test's own);
# 'rules show' offers the rule ids. bash through its completion function,
# zsh (when installed) through a real interactive zsh on a pty
. tests/e2e/lib.sh

BASHC=$PWD/tools/completion/casefile.bash
ZSHC=$PWD/tools/completion/_casefile
H=$T/home
mkdir -p "$H/.ssh/conf.d"
cat >"$H/.ssh/config" <<'EOF'
# the test's hosts
Host db1 db2 *.corp !bad
  HostName 10.9.9.9
Host=web1
Include conf.d/*
Match host web1
  User admin
EOF
printf 'Host inc1 "inc2"\n  Port 2022\n' >"$H/.ssh/conf.d/extra"
cat >"$H/.ssh/known_hosts" <<'EOF'
kh1,10.1.1.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
[kh2]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
[::1]:2200 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
|1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
@cert-authority *.corp ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
*.wild ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
EOF
HOSTS="10.1.1.1 [::1]:2200 db1 db2 inc1 inc2 kh1 kh2:2222 web1"
COMMANDS="collect analyze rules upload clean"

# help_opts CMD: "NAME 1" for an option that takes a value, "NAME 0" for one
# that does not, for every -x and --long of 'casefile CMD --help'
help_opts() {
	"$CASEFILE" "$1" --help | awk '/^  -/ {
		n = split($0, w, " "); i = 1; k = 0
		while (i <= n && w[i] ~ /^-/) {
			x = w[i]; sub(/,$/, "", x); names[++k] = x
			if (w[i++] !~ /,$/) break
		}
		v = (i <= n && w[i] ~ /^[A-Z[]/) ? 1 : 0
		for (j = 1; j <= k; j++) print names[j], v
	}'
}

# bash_complete WORD...: bash's answer for the last word, one a line, given as
# bash gives it when called from a script (COMP_WORDS and COMP_CWORD)
bash_complete() {
	HOME=$H bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _casefile
		printf "%s\n" "${COMPREPLY[@]}"' "$BASHC" "$CASEFILE" "$@"
}
# bash_complete_line LINE: the same from the line as typed (COMP_LINE, COMP_POINT)
bash_complete_line() {
	HOME=$H bash -c '. "$0"; COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
		read -r -a COMP_WORDS <<<"$1"; COMP_CWORD=${#COMP_WORDS[@]}; _casefile
		printf "%s\n" "${COMPREPLY[@]}"' "$BASHC" "$CASEFILE $1"
}
# same_set "A B C" "C B A"
same_set() {
	a=$(printf '%s\n' $1 | sort -u | tr '\n' ' ')
	b=$(printf '%s\n' $2 | sort -u | tr '\n' ' ')
	[ "$a" = "$b" ] || { echo "want: $a"; echo "got:  $b"; return 1; }
}
# zsh_opts CMD: the options named in CMD's branch of _casefile, not in
# the descriptions
zsh_opts() {
	awk -v c="$1" '$0 ~ "^" c "\\)" { on = 1 } on { print } on && /;;$/ { exit }' "$ZSHC" |
		sed 's/\[[^]]*\]//g' | grep -o -- "-\{1,2\}[A-Za-z][-A-Za-z]*" | sort -u
}

for c in $COMMANDS; do
	help_opts "$c" >"$T/help.$c"
	want=$(cut -d' ' -f1 "$T/help.$c")
	check "$c: --help lists options (test sanity)" test -n "$want"
	check "$c: bash completes exactly the options of --help" \
		same_set "$want --help" "$(bash_complete "$c" -)"
	check "$c: zsh completes exactly the options of --help" \
		same_set "$want --help" "$(zsh_opts "$c")"
	bad=""
	for o in $(awk '$2 == 1 { print $1 }' "$T/help.$c"); do
		bash_complete "$c" "$o" "" | grep -q '^-' && bad="$bad $o"
	done
	check "$c: no option's value is answered with options" test -z "$bad"
done
bash_complete collect --no- >"$T/out"
check "collect --no-<TAB>: --no-push among them" grep -qx -- --no-push "$T/out"

bash_complete collect --host "" >"$T/out"
check "--host <TAB>: the hosts of ssh_config and known_hosts, nothing else" \
	same_set "$HOSTS" "$(cat "$T/out")"
check "--host root@d<TAB>: the user stays" \
	same_set "root@db1 root@db2" "$(bash_complete collect --host root@d)"
check "--host kh2:2<TAB> as bash splits it at ':'" \
	same_set "2222" "$(bash_complete collect --host kh2 : 2)"
check "--host kh2:2<TAB> from the line as typed" \
	same_set "2222" "$(bash_complete_line 'collect --host kh2:2')"
check "--host after another option's value too" \
	same_set "web1" "$(bash_complete_line 'collect -j 4 --host we')"
bash_complete collect --upload "" >"$T/out"
check "--upload <TAB>: sftp:// URLs of those hosts" \
	same_set "$(for h in $HOSTS; do echo "sftp://$h/"; done)" "$(cat "$T/out")"
bash_complete collect --upload sftp://w >"$T/out"
check "--upload sftp://w<TAB>: the rest after bash's ':'" same_set "//web1/" "$(cat "$T/out")"
bash_complete upload bundle.tar.gz "" >"$T/out"
check "upload BUNDLE <TAB>: the URL" grep -qx "sftp://db1/" "$T/out"

"$CASEFILE" rules list | awk '{ print $1 }' >"$T/ids"
check "rules show <TAB>: every rule id" \
	same_set "$(cat "$T/ids")" "$(bash_complete rules show "")"
check "rules show clock<TAB>: those that start so" \
	same_set "$(grep '^clock' "$T/ids")" "$(bash_complete rules show clock)"
check "rules test --layouts <TAB>: the ids too" \
	same_set "$(cat "$T/ids")" "$(bash_complete rules test --layouts "")"
check "rules <TAB>: the verbs" same_set "list show lint test" "$(bash_complete rules "")"
check "casefile an<TAB>: analyze" same_set "analyze" "$(bash_complete an)"

if ! command -v zsh >/dev/null; then
	skip "zsh is not installed: its completion is checked as text only"
	exit 0
fi
check "zsh reads _casefile" zsh -n "$ZSHC"
# A real zsh on a pty: type a line, TAB, then a key that shows the line
# as it is now; read until that shows (polling, with a deadline)
mkdir -p "$T/fpath" && cp "$ZSHC" "$T/fpath/"
cat >"$T/pty.zsh" <<'EOF'
zmodload zsh/zpty
setopt extendedglob
zpty z zsh -f -i
zpty -w z "PS1='%% '; HOME=$1; PATH=$2:\$PATH; fpath=($3 \$fpath); autoload -U compinit
compinit -u -D; LISTMAX=0; show() { zle -M \"\${(U):-buf}:\$BUFFER:\${(U):-end}\" }
zle -N show; bindkey '^Xm' show"
shift 3
for line in "$@"; do
	zpty -w -n z "$line"$'\t\C-xm'
	out= i=0
	while [[ $out != *BUF:*:END* ]]; do
		if zpty -r -t z chunk; then out+=$chunk; else sleep 0.05; (( ++i > 600 )) && break; fi
	done
	print -r -- "${${out//$'\e'\[[0-9;?]#[A-Za-z]/}//$'\r'/}" | grep -a . | tail -n 4
	print -r -- '----'
	zpty -w -n z $'\C-u'
done
zpty -d z
EOF
zsh_try() { # zsh_try LINE...: what zsh shows after LINE<TAB>, blocks split by ----
	timeout 120 zsh -f "$T/pty.zsh" "$H" "$(dirname "$CASEFILE")" "$T/fpath" "$@"
}
zsh_try "casefile collect --no-pu" "casefile collect --host kh2" "casefile collect --host " \
	"casefile rules show clocks" "casefile upload x.tar.gz sftp://we" >"$T/zsh" 2>&1
awk -v d="$T" 'BEGIN { RS = "----\n" } { print > (d "/zsh." NR) }' "$T/zsh"
check "zsh: collect --no-pu<TAB> is --no-push" grep -q "BUF:casefile collect --no-push :END" "$T/zsh.1"
check "zsh: --host kh2<TAB> is kh2:2222" grep -q "BUF:casefile collect --host kh2:2222 :END" "$T/zsh.2"
check "zsh: --host <TAB> lists the hosts, not options" sh -c \
	"for h in db1 db2 inc2 kh2:2222 web1; do grep -q \"\$h\" '$T/zsh.3' || exit 1; done
	 ! grep -q -- '^--' '$T/zsh.3' && ! grep -q 'corp' '$T/zsh.3'"
check "zsh: rules show clocks<TAB> is the rule id" \
	grep -q "BUF:casefile rules show clocksource-unstable :END" "$T/zsh.4"
check "zsh: upload's URL completes the host" grep -q "BUF:casefile upload x.tar.gz sftp://web1/:END" "$T/zsh.5"
