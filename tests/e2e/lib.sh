# lib.sh: helpers for the numbered end-to-end tests (TAP-like output).
# Each test script: . tests/e2e/lib.sh; ok/not_ok lines; the runner counts.
set -u
: "${CASEFILE:=$PWD/build/casefile}"
SHARED=${SHARED:-$PWD/../shared/data}
T=$(mktemp -d "${TMPDIR:-/tmp}/casefile-test.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
n=0

check() { # check "description" command...
	desc=$1; shift
	n=$((n + 1))
	if "$@" >"$T/.check.out" 2>&1; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		sed 's/^/#   /' "$T/.check.out" | head -20
	fi
}

skip() { echo "# skip: $*"; }

# manifest_field FILE KEY: the first "key": value of a pretty-printed JSON
manifest_field() {
	sed -n "s/^ *\"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1" | head -n 1
}

# verify_bundle BUNDLE: every manifest sha256 matches its member
verify_bundle() {
	d=$T/verify.$$
	rm -rf "$d"; mkdir -p "$d"
	tar xzf "$1" -C "$d" || return 1
	top=$(ls "$d")
	awk '/"path": "/ { gsub(/[",]/, "", $2); p = $2 }
	     /"sha256": "/ { gsub(/[",]/, "", $2); if (p != "") print $2 "  " p; p = "" }' \
		"$d/$top/casefile/manifest.json" >"$d/sums"
	[ -s "$d/sums" ] || { echo "no sums in manifest"; return 1; }
	(cd "$d/$top" && sha256sum -c --quiet ../sums)
}
