#!/bin/sh
# t0040: files: rotations and .gz siblings, end kept within caps, redaction,
# permission denials recorded
. tests/e2e/lib.sh

mkdir -p "$T/rules" "$T/log" "$T/out" "$T/etc"
i=0
while [ $i -lt 3000 ]; do echo "Nov 20 03:12:09 host app[1]: line $i"; i=$((i + 1)); done >"$T/log/app.log"
echo "Nov 19 01:00:00 host app[1]: yesterday password=hunter2" >"$T/log/app.log.1"
printf 'Nov 18 01:00:00 host app[1]: two days ago\n' | gzip >"$T/log/app.log.2.gz"
echo "not a rotation" >"$T/log/app.logger"
cp "$SHARED/secrets/detect-secrets/config.ini" "$T/etc/app.ini"
echo "secret stuff" >"$T/etc/private.conf"; chmod 600 "$T/etc/private.conf"
cat >"$T/rules/sources.yaml" <<YAML
sources:
  - name: app_log
    kind: log
    files: [$T/log/app.log]
    cap: 8K
  - name: app_config
    kind: config
    files: [$T/etc/app.ini]
  - name: private
    kind: config
    files: [$T/etc/private.conf]
YAML
"$CASEFILE" collect --rules "$T/rules" --only app_log,app_config,private -o "$T/out" -q >"$T/path"
b=$(cat "$T/path")
tar xzf "$b" -C "$T/out"
top=$(ls -d "$T"/out/casefile-*/)
L=$top${T#/}/log
check "rotated sibling is collected" test -s "$L/app.log.1"
check ".gz sibling is collected, decompressed" grep -q 'two days ago' "$L/app.log.2"
check "a file that only shares the prefix is not" test ! -e "$L/app.logger"
check "the cap keeps the end of the log" sh -c "tail -n 1 '$L/app.log' | grep -q 'line 2999'"
check "the kept part starts at a whole line" sh -c "head -n 1 '$L/app.log' | grep -q '^Nov 20 03:12:09 host app\[1\]: line [0-9]*\$'"
check "the kept part is within the cap" sh -c "[ \$(wc -c <'$L/app.log') -le 8192 ]"
check "manifest marks it truncated" sh -c "grep -B2 -A12 'app.log\"' '$top/casefile/manifest.json' | grep -q '\"truncated\": true'"
check "log secrets are redacted" sh -c "grep -q 'password=<redacted>' '$L/app.log.1' && ! grep -rq hunter2 '$top'"
check "config secrets are redacted" sh -c "! grep -q 123456789a1234 '$top${T#/}/etc/app.ini' && grep -q 'keyB = value1' '$top${T#/}/etc/app.ini'"
check "redactions are counted in the manifest" sh -c "grep -q '\"redactions\": [1-9]' '$top/casefile/manifest.json'"
check "every member verifies" verify_bundle "$b"
check "--no-redact keeps secrets" sh -c \
	"'$CASEFILE' collect --rules '$T/rules' --only app_log --no-redact -o '$T/out' -q | xargs tar xzOf | grep -q hunter2"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	mkdir -p "$T/nr"; chmod 777 "$T/nr"; chmod 755 "$T" "$T/rules"; chmod 644 "$T/rules/sources.yaml"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$CASEFILE" collect --rules "$T/rules" --only app_config,private -o "$T/nr" -q >"$T/nrpath" 2>"$T/nrerr"
	check "as non-root: the collection still finishes" test -s "$(cat "$T/nrpath")"
	mkdir -p "$T/nrx"; tar xzf "$(cat "$T/nrpath")" -C "$T/nrx"
	check "as non-root: a denied file is recorded as denied" sh -c \
		"grep -A8 '\"source\": \"private\"' '$T'/nrx/*/casefile/manifest.json | grep -q '\"status\": \"denied\"'"
	check "as non-root: the manifest names the user" sh -c \
		"grep -q '\"user\": \"nobody\"' '$T'/nrx/*/casefile/manifest.json"
	check "as non-root -q: the denied source is still a warning, with what to do" sh -c \
		"grep -q '^casefile: warning: 1 source was denied to uid [0-9]*: run it again with sudo' '$T/nrerr' &&
		 grep -q '^casefile: warning: 1 item failed, denied or timed out: casefile/collect.log' '$T/nrerr'"
	check "as non-root -q: stdout is the bundle's path alone" test "$(wc -l <"$T/nrpath")" -eq 1
else
	skip "non-root collection needs root and setpriv"
fi

# a support engineer's own redaction: --rules DIR/redact.yaml, no rebuild
mkdir -p "$T/rr/rules" "$T/rr/out" "$T/rr/etc"
echo "internal_code: ACME-7731-XYZ and more" >"$T/rr/etc/app.conf"
cat >"$T/rr/rules/sources.yaml" <<YAML
sources:
  - name: app_conf
    kind: log
    files: ["$T/rr/etc/app.conf"]
YAML
cat >"$T/rr/rules/redact.yaml" <<'YAML'
patterns:
  - name: acme-code
    pattern: 'ACME-\d{4}-[A-Z]+'
YAML
"$CASEFILE" collect --rules "$T/rr/rules" --only app_conf -o "$T/rr/out" -q >"$T/rr/p"
check "a pattern of --rules DIR/redact.yaml redacts" sh -c \
	"tar xzOf \$(cat '$T/rr/p') --wildcards '*app.conf' | grep -qx 'internal_code: <redacted> and more'"
printf 'patterns:\n  - name: broken\n    pattern: "(unclosed"\n' >"$T/rr/rules/redact.yaml"
"$CASEFILE" collect --rules "$T/rr/rules" --only app_conf -o "$T/rr/out" -q >/dev/null 2>"$T/rr/err"
check "a broken redaction pattern stops the collection with why" \
	grep -q "pattern 'broken' does not compile" "$T/rr/err"
