#!/bin/sh
# t0065: the docs stand alone and agree with the program: every man page has
# NAME, SYNOPSIS, DESCRIPTION and EXIT STATUS and renders without a warning;
# every option of 'casefile CMD --help' is in CMD's page; casefile(1) gives
# every exit status of enum cf_exit; nothing in README.md or docs/ points
# outside the repository, and the files they name exist
. tests/e2e/lib.sh

case "$CASEFILE" in */asan/*) skip "the docs are checked once"; exit 0 ;; esac

# the text of a page with its escapes undone: \- is -, fonts go
plain() { sed 's/\\-/-/g; s/\\f[BIRP]//g; s/\\(em/ /g' "$1"; }

sections() { # sections PAGE: every page has the four sections
	for s in NAME SYNOPSIS DESCRIPTION 'EXIT STATUS'; do
		grep -Eq "^\\.SH \"?$s\"?\$" "$1" || { echo "$1: no $s section"; return 1; }
	done
}

renders() { # renders PAGE: man and groff say nothing
	MANWIDTH=80 man --warnings -l "$1" 2>"$T/man.err" >/dev/null || { cat "$T/man.err"; return 1; }
	[ ! -s "$T/man.err" ] || { cat "$T/man.err"; return 1; }
	groff -ww -man -z "$1" 2>"$T/groff.err" || { cat "$T/groff.err"; return 1; }
	[ ! -s "$T/groff.err" ] || { cat "$T/groff.err"; return 1; }
}

have_man=1
for c in man groff; do command -v "$c" >/dev/null 2>&1 || have_man=0; done
for m in docs/man/*.1; do
	check "$m: NAME, SYNOPSIS, DESCRIPTION, EXIT STATUS" sections "$m"
	if [ "$have_man" = 1 ]; then
		check "$m: renders without warnings (man --warnings, groff -ww)" renders "$m"
	fi
done
[ "$have_man" = 1 ] || skip "man and groff are not installed: pages not rendered"

options_in_page() { # options_in_page CMD: each option of CMD --help is in its page
	page=docs/man/casefile-$1.1
	"$CASEFILE" "$1" --help >"$T/help" || return 1
	plain "$page" >"$T/page"
	sed -n 's/^  \(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\1\2/p' "$T/help" | tr -d ',' |
		tr ' ' '\n' | grep . >"$T/opts"
	[ -s "$T/opts" ] || { echo "no options in '$1 --help'"; return 1; }
	miss=0
	while read -r o; do
		grep -Eq -- "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)" "$T/page" ||
			{ echo "$page: no $o"; miss=1; }
	done <"$T/opts"
	return $miss
}

"$CASEFILE" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' >"$T/commands"
check "casefile --help lists the commands" test -s "$T/commands"
for c in $(cat "$T/commands"); do
	check "casefile $c: a page, named in casefile(1)" sh -c \
		"test -f docs/man/casefile-$c.1 && grep -q 'casefile-$c (1)' docs/man/casefile.1"
	check "casefile $c --help: every option is in casefile-$c(1)" options_in_page "$c"
done

# the exit statuses of include/casefile.h, each in casefile(1)'s EXIT STATUS
exit_statuses() {
	sed -n '/^enum cf_exit/,/^};/s/.*CF_EXIT_[A-Z]* = \([0-9]*\),.*/\1/p' include/casefile.h >"$T/codes"
	[ "$(wc -l <"$T/codes")" -ge 5 ] || { echo "enum cf_exit not found"; return 1; }
	sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' docs/man/casefile.1 | plain /dev/stdin >"$T/exit"
	while read -r v; do
		grep -Eq "^\\.BR? $v(\$|\\+)" "$T/exit" || { echo "casefile(1): no exit status $v"; return 1; }
	done <"$T/codes"
}
check "casefile(1) gives every exit status of enum cf_exit" exit_statuses

check "README.md and docs/ point nowhere outside the repository (../)" sh -c \
	"! grep -rn -e '\\.\\./shared' -e '](\\.\\./' README.md docs/"
check "the man pages name no repository path (docs/, rules/, ...)" sh -c \
	"! grep -nE '(^|[ (\"])(docs|rules|tests|tools|ansible)/' docs/man/*.1"
named_files() {
	grep -ohE '`(docs|ansible|tools|tests|rules|common|collect|analyze|include)/[A-Za-z0-9_./-]*\.(md|yml|yaml|json|sh|py|c|h)`' \
		README.md docs/*.md |
		tr -d '`' | sort -u >"$T/named"
	[ -s "$T/named" ] || { echo "no file named"; return 1; }
	bad=0
	while read -r f; do [ -e "$f" ] || { echo "named but missing: $f"; bad=1; }; done <"$T/named"
	return $bad
}
check "every file README.md and docs/ name is in the repository" named_files
check "docs/design.md gives both JSON contracts" sh -c \
	"grep -q 'casefile-report/1' docs/design.md && grep -q 'casefile-fleet/1' docs/design.md"
taxonomy() {
	sed -n 's/^ *- \([a-z]*\.[a-z-]*\) *$/\1/p' rules/categories.yaml >"$T/cats"
	[ "$(wc -l <"$T/cats")" -ge 20 ] || { echo "no categories read"; return 1; }
	bad=0
	while read -r c; do grep -qF -- "$c" docs/design.md || { echo "not in docs/design.md: $c"; bad=1; }; done <"$T/cats"
	return $bad
}
check "docs/design.md lists every category of rules/categories.yaml" taxonomy

# every key the JSON reports have is in docs/design.md (captures and
# entities aside: their keys are the rules' capture names)
json_keys() {
	mkdir -p "$T/h1/var/log"
	echo "Nov 20 03:12:09 h kernel: Out of memory: Killed process 42 (java)" >"$T/h1/var/log/kern.log"
	cp -r "$T/h1" "$T/h2"
	{ "$CASEFILE" analyze "$T/h1" --format json; "$CASEFILE" analyze "$T/h1" "$T/h2" --format json; } |
		jq -r 'paths | select(index("captures") == null and index("entities") == null) |
			.[] | strings' | sort -u >"$T/keys"
	[ "$(wc -l <"$T/keys")" -ge 30 ] || { echo "too few keys:"; cat "$T/keys"; return 1; }
	bad=0
	while read -r k; do grep -qF "\"$k\"" docs/design.md || { echo "not in docs/design.md: $k"; bad=1; }; done <"$T/keys"
	return $bad
}
check "docs/design.md names every key of casefile-report/1 and casefile-fleet/1" json_keys
