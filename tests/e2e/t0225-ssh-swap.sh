#!/bin/sh
# t0225: item by item over SSH (--no-push) as root, a file is read only if
# it is the one the listing judged: a local user who owns the folder swaps
# a file, then a folder on its way, for a link to root's secret between the
# listing and the read (a source run in between does it, no timing); the
# planted-link rule holds on every hop of a chain, as in t0045
. tests/e2e/lib.sh
. tests/e2e/sshd.sh

if ! sshd_can_run || ! id nobody >/dev/null 2>&1; then
	skip "needs root, openssh-server and the user nobody"
	exit 0
fi
sshd_start || { echo "not ok 1 - sshd did not start"; cat "$SSHD_DIR/sshd.log"; exit 1; }
H=$SSH_USER@127.0.0.1:$SSHD_PORT
R=$T/r
mkdir -p "$R/rules" "$R/out" "$R/app/logs" "$R/rootdir" "$R/log"
chmod 755 "$R"
echo "TOPSECRET-6037 root only" >"$R/secret"
echo "TOPSECRET-6037 in root's folder" >"$R/rootdir/app.log"
chmod 600 "$R/secret" "$R/rootdir/app.log"
echo "app line" >"$R/app/app.log"
echo "app logs line" >"$R/app/logs/app.log"
echo "app stays" >"$R/app/stay.log"
# nobody is an existing uid, the local user who owns the folder: no account is made
chown -R nobody "$R/app"
ln -s "$R/secret" "$R/app/hop.log" && chown -h nobody "$R/app/hop.log"
ln -s "$R/app/hop.log" "$R/log/chain.log"
ln -s "$R/rootdir" "$R/app/dirlink" && chown -h nobody "$R/app/dirlink"
ln -s "$R/app/dirlink" "$R/log/dir"
ln -s "$R/app/stay.log" "$R/log/theirs.log"
# the catalogue's order: every file source is listed first, then 'swap'
# runs, then 'race' is read
cat >"$R/rules/sources.yaml" <<YAML
sources:
  - name: swap
    shell: |
      cd '$R/app' && rm app.log && ln -s '$R/secret' app.log && chown -h nobody app.log &&
      rm -r logs && ln -s '$R/rootdir' logs && chown -h nobody logs && echo swapped
  - name: race
    kind: log
    files: ["$R/app/app.log", "$R/app/logs/app.log", "$R/app/stay.log"]
    rotated: false
  - name: chained
    kind: log
    files: ["$R/log/*.log", "$R/log/dir/*.log"]
    rotated: false
YAML
"$CASEFILE" collect --host "$H" -i "$SSHD_DIR/user_key" --known-hosts "$SSHD_KNOWN" --sudo \
	--no-push --rules "$R/rules" --only swap,race,chained -o "$R/out" -q >"$T/p" 2>"$T/e"
b=$(cat "$T/p")
check "the collection ends with a bundle" test -s "$b"
tar xzOf "$b" --wildcards '*/manifest.json' >"$T/mf"
item() { jq -c ".items[] | select(.origin == \"$R/$1\")" "$T/mf"; }
check "the swap ran between the listing and the read" sh -c \
	"tar xzOf '$b' --wildcards '*/commands/swap' | grep -qx swapped"
check "root's secret is nowhere in the bundle" sh -c "! tar xzOf '$b' | grep -q TOPSECRET-6037"
check "a file swapped for a link since the listing is refused, with why" sh -c \
	"echo '$(item app/app.log)' | jq -e '.status == \"refused\" and (.error | test(\"not the file listed\"))'"
check "a file whose folder was swapped for a link is refused" sh -c \
	"echo '$(item app/logs/app.log)' | jq -e '.status == \"refused\"'"
check "a file left as it was is read" sh -c \
	"echo '$(item app/stay.log)' | jq -e '.status == \"ok\"' && tar xzOf '$b' --wildcards '*/app/stay.log' | grep -qx 'app stays'"
check "root's link to the user's link to root's file is refused" sh -c \
	"echo '$(item log/chain.log)' | jq -e '.status == \"refused\" and (.error | test(\"could have planted\"))'"
check "a folder on the way that is the user's link to root's folder is refused" sh -c \
	"echo '$(item log/dir/app.log)' | jq -e '.status == \"refused\"'"
check "root's link to the user's own file is read" sh -c \
	"echo '$(item log/theirs.log)' | jq -e '.status == \"ok\"'"
