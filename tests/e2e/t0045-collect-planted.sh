#!/bin/sh
# t0045: run as root, the collector reads nothing another user could have
# planted: a link to root's secret in a folder that user owns, a hard link
# to it, a link in a folder anyone can write; the same on every hop of a
# chain (root's link to the user's link, a folder on the way that is the
# user's link, a relative link up and out); what the user owns is read
. tests/e2e/lib.sh

if [ "$(id -u)" -ne 0 ] || ! id nobody >/dev/null 2>&1; then
	skip "needs root and the user nobody"
	exit 0
fi
chmod 755 "$T"
mkdir -p "$T/pg" "$T/world" "$T/out" "$T/rules"
echo "TOPSECRET-4815 root only" >"$T/secret"
chmod 600 "$T/secret"
echo "pg log line" >"$T/pg/own.data"
chown -R nobody "$T/pg"
# what the postgres user could do to root's collection
ln -s "$T/secret" "$T/pg/postgresql-planted.log"
chown -h nobody "$T/pg/postgresql-planted.log"
ln "$T/secret" "$T/pg/postgresql-hard.log"
ln -s own.data "$T/pg/postgresql-own.log"
chown -h nobody "$T/pg/postgresql-own.log"
chmod 1777 "$T/world"
ln -s "$T/secret" "$T/world/app.log"
# chains: root's links (in root's folder) into the user's folder, where the
# user's links lead on to what is root's (nobody is an existing uid: no account is made)
mkdir -p "$T/log" "$T/rootdir" "$T/pg/logs"
echo "TOPSECRET-4815 in root's folder" >"$T/rootdir/x.log"
chmod 600 "$T/rootdir/x.log"
echo "pg own log line" >"$T/pg/logs/mine.log"
chown -R nobody "$T/pg/logs"
ln -s "$T/secret" "$T/pg/hop.log" && chown -h nobody "$T/pg/hop.log"
ln -s "$T/pg/hop.log" "$T/log/chain.log"
ln -s ../secret "$T/pg/up.log" && chown -h nobody "$T/pg/up.log"
ln -s "$T/pg/up.log" "$T/log/chain-up.log"
ln -s "$T/rootdir" "$T/pg/dirlink" && chown -h nobody "$T/pg/dirlink"
ln -s "$T/pg/dirlink" "$T/log/dir"
ln -s "$T/pg/logs/mine.log" "$T/log/theirs.log"
ln -s loop.log "$T/log/loop.log"
cat >"$T/rules/sources.yaml" <<YAML
sources:
  - name: planted
    kind: log
    files: ["$T/pg/postgresql-*.log", "$T/world/*.log"]
    rotated: false
  - name: chained
    kind: log
    files: ["$T/log/*.log", "$T/log/dir/*.log"]
    rotated: false
YAML
"$CASEFILE" collect --rules "$T/rules" --only planted,chained -o "$T/out" -q >"$T/path" 2>"$T/err"
b=$(cat "$T/path")
check "the collection ends" test -s "$b"
check "root's secret is nowhere in the bundle" sh -c "! tar xzOf '$b' | grep -q TOPSECRET-4815"
check "the planted link is refused, with why" sh -c "tar xzOf '$b' --wildcards '*/manifest.json' | jq -e '.items[] | select(.origin | endswith(\"postgresql-planted.log\")) | .status == \"refused\" and (.error | test(\"could have planted\"))'"
check "the hard link is refused" sh -c "tar xzOf '$b' --wildcards '*/manifest.json' | jq -e '.items[] | select(.origin | endswith(\"postgresql-hard.log\")) | .status == \"refused\"'"
check "a link in a folder anyone can write is refused" sh -c "tar xzOf '$b' --wildcards '*/manifest.json' | jq -e '.items[] | select(.origin | endswith(\"world/app.log\")) | .status == \"refused\"'"
check "the user's link to its own file is read" sh -c "tar xzOf '$b' --wildcards '*postgresql-own.log' | grep -q 'pg log line'"
item() { tar xzOf "$b" --wildcards '*/manifest.json' | jq -c ".items[] | select(.origin == \"$T/$1\")"; }
check "root's link to the user's link to root's file is refused" sh -c \
	"echo '$(item log/chain.log)' | jq -e '.status == \"refused\" and (.error | test(\"could have planted\"))'"
check "the same through the user's relative link up and out" sh -c \
	"echo '$(item log/chain-up.log)' | jq -e '.status == \"refused\"'"
check "a folder on the way that is the user's link to root's folder is refused" sh -c \
	"echo '$(item log/dir/x.log)' | jq -e '.status == \"refused\"'"
check "root's link to the user's own file is read" sh -c \
	"echo '$(item log/theirs.log)' | jq -e '.status == \"ok\"' && tar xzOf '$b' --wildcards '*log/theirs.log' | grep -q 'pg own log line'"
check "a link to itself is an error, not a hang" sh -c \
	"echo '$(item log/loop.log)' | jq -e '.status == \"error\" and (.error | test(\"levels of symbolic links\"))'"
