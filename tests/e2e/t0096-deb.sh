#!/bin/sh
# t0096: make deb builds a Debian package that installs what make install
# does (the Ansible playbook too), whose Depends are the packages of the
# libraries the binary links, versioned (dpkg-shlibdeps), with no lintian
# error
. tests/e2e/lib.sh

case "$CASEFILE" in */asan/*) skip "packaged once"; exit 0 ;; esac
for c in dpkg-deb fakeroot dpkg-shlibdeps; do
	if ! command -v "$c" >/dev/null 2>&1; then
		skip "needs dpkg-deb, fakeroot and dpkg-shlibdeps (dpkg-dev)"
		exit 0
	fi
done
make -s deb DEVELOPER=1 >"$T/log" 2>&1
deb=$(ls build/casefile_*_*.deb 2>/dev/null | head -n 1)
check "make deb: a package" test -f "$deb"
check "make deb: no warning from dpkg-shlibdeps" sh -c "! grep -i warning '$T/log'"
dpkg-deb -c "$deb" >"$T/contents"
check "it holds the binary, the man pages, completion and the rules" sh -c \
	"grep -q ' ./usr/bin/casefile\$' '$T/contents' && grep -q 'man1/casefile-collect.1.gz' '$T/contents' && \
	 grep -q 'completions/casefile\$' '$T/contents' && grep -q 'share/casefile/rules/sources.yaml' '$T/contents'"
check "it holds the Ansible playbook and its role under /usr/share/casefile/ansible" sh -c \
	"grep -q ' ./usr/share/casefile/ansible/collect.yml\$' '$T/contents' && \
	 grep -q ' ./usr/share/casefile/ansible/roles/casefile/tasks/main.yml\$' '$T/contents' && \
	 grep -q ' ./usr/share/casefile/ansible/roles/casefile/defaults/main.yml\$' '$T/contents' && \
	 ! grep -q 'ansible/bundles' '$T/contents'"
mkdir -p "$T/x"
dpkg-deb -x "$deb" "$T/x"
check "the playbook in it is the repository's" cmp ansible/collect.yml "$T/x/usr/share/casefile/ansible/collect.yml"
check "a man page per page of docs/man, each with its EXIT STATUS" sh -c "for m in docs/man/*.1; do \
	f='$T/x/usr/share/man/man1/'\$(basename \$m).gz; zcat \"\$f\" | grep -q '^\\.SH \"\\{0,1\\}EXIT STATUS' || \
	{ echo \"\$f\"; exit 1; }; done"

D=$(dpkg-deb -f "$deb" Depends)
echo "# Depends: $D"
check "Depends are versioned (libarchive13, libc6, libssh2-1, libjansson4)" sh -c \
	"echo '$D' | grep -Eq '(^|, )libarchive13 \\(>= [0-9]' && echo '$D' | grep -Eq '(^|, )libc6 \\(>= [0-9]' && \
	 echo '$D' | grep -Eq '(^|, )libssh2-1 \\(>= [0-9]' && echo '$D' | grep -Eq '(^|, )libjansson4 \\(>= [0-9]'"
check "Depends name no library the binary does not link itself (libicu, libxml2, ...)" sh -c \
	"! echo '$D' | grep -Eq 'libicu|libxml2|libstdc\\+\\+|liblzma|libzstd|libnettle|libacl|libgcc'"
# the packages of the binary's own NEEDED libraries, as ldd resolves them
B=$T/x/usr/bin/casefile
readelf -d "$B" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | sort >"$T/needed"
ldd "$B" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | sort | join - "$T/needed" |
	while read -r _ lib; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib"; done |
	cut -d: -f1 | sort -u >"$T/want"
echo "$D" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | sort -u >"$T/have"
check "Depends are exactly the packages of the libraries the binary links" sh -c \
	"[ -s '$T/want' ] && diff '$T/want' '$T/have'"
if command -v lintian >/dev/null 2>&1; then
	check "lintian finds no error" sh -c "! lintian '$deb' 2>&1 | grep '^E:'"
else
	skip "lintian is not installed"
fi
