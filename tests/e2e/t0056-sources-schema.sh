#!/bin/sh
# t0056: the sources catalogue validates against docs/sources.schema.json,
# and the schema refuses what the loader refuses
. tests/e2e/lib.sh

case "$CASEFILE" in */asan/*) skip "the schema is checked once"; exit 0 ;; esac
V="/usr/bin/python3 tools/validate-rules.py docs/sources.schema.json"
check "the catalogue and the categories validate" sh -c \
	"$V rules/sources.yaml rules/categories.yaml | grep -q ' 0 problems'"

# each case: a sources.yaml the schema and the loader both refuse, and the
# words each says
refused() { # name, yaml text, what the schema says, what lint says
	mkdir -p "$T/$1"
	printf '%s\n' "$2" >"$T/$1/sources.yaml"
	check "the schema refuses $1" sh -c "! $V '$T/$1/sources.yaml' >'$T/$1/v'; grep -q \"$3\" '$T/$1/v'"
	check "lint refuses $1" sh -c \
		"! '$CASEFILE' rules lint --rules '$T/$1' >'$T/$1/l' 2>&1; grep -q \"$4\" '$T/$1/l'"
}
refused "a misspelt key" 'sources:
  - name: x
    comand: [true]' "'comand' was unexpected" "unknown key 'comand' in a source; did you mean 'command'"
refused "a source with files and a command" 'sources:
  - name: x
    files: [/etc/x]
    command: [true]' "is valid under each of" "needs exactly one of"
refused "an unknown kind" 'sources:
  - name: x
    kind: logs
    files: [/var/log/x]' "'logs' is not one of" "kind must be log, config or state"
refused "a relative file glob" 'sources:
  - name: x
    files: [var/log/x]' "does not match '^/'" "must be an absolute path"
refused "an empty command" 'sources:
  - name: x
    command: []' "is too short" "'command' is an empty list"
refused "an upper-case name" 'sources:
  - name: Kernel
    command: [dmesg]' "does not match" "lowercase letters, digits and _"
refused "a malformed cap" 'sources:
  - name: x
    command: [dmesg]
    cap: 16 MB' "is not valid under any" "cap '16 MB' is not a size"
refused "an aligned table without its header" 'sources:
  - name: x
    command: [df]
    table: {kind: aligned}' "'header' is a required property" "an aligned table needs 'header'"
refused "an unknown table separator" 'sources:
  - name: x
    command: [df]
    table: {kind: keyvalue, separator: ";"}' "is not one of" "table 'separator' is"
refused "a fact without its value" 'sources:
  - name: x
    files: [/proc/stat]
    facts: {boot_time: "^btime (\\d+)"}' "does not match" "a fact needs a name and a pattern"

refused "a requires that is no list" 'sources:
  - name: x
    command: [docker, ps]
    requires: docker' "is not of type 'array'" "'requires' must be a list"
refused "a requirement without its why" 'requirements:
  docker:
    exists: [/run/docker.sock]' "'why' is a required property" "a requirement needs a name"

# requires: a requirement's name or an absolute path, in a list
mkdir -p "$T/req"
printf 'sources:\n  - name: x\n    command: [docker, ps]\n    requires: [docker]\n  - name: y\n    files: [/etc/y]\n    requires: [systemd, /run/systemd/system]\n' \
	>"$T/req/sources.yaml"
check "requires: lists requirements and paths" sh -c "$V '$T/req/sources.yaml' | grep -q ' 0 problems'"
check "lint takes the same" "$CASEFILE" rules lint --rules "$T/req"
printf 'sources:\n  - name: x\n    command: [docker, ps]\n    requires: [Docker]\n' >"$T/req/bad.yaml"
check "requires: names no requirement in capitals" sh -c "! $V '$T/req/bad.yaml' >/dev/null"
printf 'sourcse:\n  - name: x\n    command: [true]\ngroups: {g: [x]}\n' >"$T/req/top.yaml"
check "a misspelt top-level key is refused" sh -c "$V '$T/req/top.yaml' | grep -q \"'sourcse' was unexpected\""
