#!/bin/sh
# Style checks the compiler does not make (after curl's checksrc):
#   - tabs for indentation, no trailing white space, no line over 100 columns,
#     every .c starts with a comment that says what it is;
#   - one prefix for the public functions of a file (a few files own two);
#   - messages of error()/warning()/die() start lowercase and end without '.';
#   - functions over 80 lines are listed, over 100 lines fail; files over 600 fail;
#   - shellcheck over tests/ and tools/ when it is installed.
# Banned functions are compile errors (include/banned.h).
cd "$(dirname "$0")/.." || exit 1
bad=0
src="common/*.c collect/*.c analyze/*.c"
for f in $src include/*.h tests/unit/*.c tests/unit/*.h tests/fuzz/*.c; do
	[ -f "$f" ] || continue
	if grep -nE '[[:space:]]+$' "$f" | head -3 | grep .; then echo "$f: trailing whitespace"; bad=1; fi
	if grep -nE '^ {8}' "$f" | head -3 | grep .; then echo "$f: indent with tabs"; bad=1; fi
	awk 'length($0) > 100 { print FILENAME ":" NR ": line over 100 columns"; b = 1 } END { exit b }' "$f" || bad=1
	head -n 1 "$f" | grep -q '^/\*' || { echo "$f: must start with a comment saying what it is"; bad=1; }
done

# Files whose public functions carry more than one prefix, and which ones.
owners='
common/alloc.c xmalloc xcalloc xrealloc xstrdup xstrndup
common/catalog.c catalog source rotation
collect/redact.c redact redactor
collect/secrets.c secret ssh key
analyze/analyze.c analyze analysis
common/buf.c buf tailbuf
common/casefile.c main
common/message.c error warning die cf
common/units.c parse fmt now
collect/ssh.c ssh sh
collect/spawn.c spawn
collect/transport_local.c transport fcontent
analyze/bundle.c bundle layout
analyze/rule.c rule severity cond
'
for f in $src; do
	[ -f "$f" ] || continue
	# public definitions: a line at column 0 that is no static, no type, no
	# declaration, with a '(' and the function's '{' on a line of its own later
	names=$(awk '/^[a-z][^;]*\(/ && !/^static/ && !/^(struct|enum|union|typedef)[^(]*$/ {
			sig = $0; sub(/\(.*/, "", sig); n = split(sig, w, /[ *]+/); name = w[n]
		}
		/^\{/ && name != "" { print name; name = "" }
		/;[[:space:]]*$/ { name = "" }' "$f")
	[ -n "$names" ] || continue
	allowed=$(printf '%s\n' "$owners" | awk -v f="$f" '$1 == f { $1 = ""; print }')
	prefixes=$(for n in $names; do echo "${n%%_*}"; done | sort -u)
	case "$f" in */cmd_*.c) allowed="cmd" ;; esac
	if [ -n "$allowed" ]; then
		for p in $prefixes; do
			case " $allowed " in *" $p "*) ;; *)
				echo "$f: public function prefix '$p' (this file owns:$allowed)"; bad=1 ;;
			esac
		done
	elif [ "$(printf '%s\n' "$prefixes" | wc -l)" -gt 1 ]; then
		echo "$f: public functions with more than one prefix:" $prefixes; bad=1
	fi
done

# Message style: lowercase start, no final full stop.
if grep -nE '\b(error|warning|die)\("[A-Z][a-z]' $src | grep -v '"[A-Z][A-Z]'; then
	echo "messages start lowercase (error(\"cannot open ...\"))"; bad=1
fi
if grep -nE '\b(error|warning|die)\("[^"]*\.("|\\n")' $src | grep -v '\.\.\.'; then
	echo "messages end without a full stop"; bad=1
fi

# File length: a file over 600 lines is doing more than one job.
for f in $src; do
	n=$(wc -l <"$f")
	[ "$n" -le 600 ] || { echo "$f: $n lines (over 600): split it by job"; bad=1; }
done

# Function length.
for f in $src; do
	awk -v f="$f" '/^\{/ { start = NR } /^\}/ && start { n = NR - start - 1;
		if (n > 100) { print f ":" start ": function of " n " lines (over 100)"; bad = 1 }
		else if (n > 80) print f ":" start ": note: function of " n " lines"; start = 0 }
		END { exit bad }' "$f" || bad=1
done

if command -v shellcheck >/dev/null 2>&1; then
	shellcheck -s sh -S warning tests/*.sh tests/e2e/*.sh tools/*.sh .ci/run || bad=1
else
	echo "style: shellcheck is not installed; shell scripts not checked"
fi
[ $bad -eq 0 ] && echo "style: ok"
exit $bad
