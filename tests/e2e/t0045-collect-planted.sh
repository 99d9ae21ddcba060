#!/bin/sh
# t0045: run as root, the collector reads nothing another user could have
# planted: a link to root's secret in a folder that user owns, a hard link
# to it, a link in a folder anyone can write; what the user owns is read
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
cat >"$T/rules/sources.yaml" <<YAML
sources:
  - name: planted
    kind: log
    files: ["$T/pg/postgresql-*.log", "$T/world/*.log"]
    rotated: false
YAML
"$CASEFILE" collect --rules "$T/rules" --only planted -o "$T/out" -q >"$T/path" 2>"$T/err"
b=$(cat "$T/path")
check "the collection ends" test -s "$b"
check "root's secret is nowhere in the bundle" sh -c "! tar xzOf '$b' | grep -q TOPSECRET-4815"
check "the planted link is refused, with why" sh -c "tar xzOf '$b' --wildcards '*/manifest.json' | jq -e '.items[] | select(.origin | endswith(\"postgresql-planted.log\")) | .status == \"refused\" and (.error | test(\"could have planted\"))'"
check "the hard link is refused" sh -c "tar xzOf '$b' --wildcards '*/manifest.json' | jq -e '.items[] | select(.origin | endswith(\"postgresql-hard.log\")) | .status == \"refused\"'"
check "a link in a folder anyone can write is refused" sh -c "tar xzOf '$b' --wildcards '*/manifest.json' | jq -e '.items[] | select(.origin | endswith(\"world/app.log\")) | .status == \"refused\"'"
check "the user's link to its own file is read" sh -c "tar xzOf '$b' --wildcards '*postgresql-own.log' | grep -q 'pg log line'"
