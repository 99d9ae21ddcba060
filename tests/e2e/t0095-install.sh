#!/bin/sh
# t0095: make install and make uninstall, under a prefix of our own
. tests/e2e/lib.sh

case "$CASEFILE" in */asan/*) skip "installed once"; exit 0 ;; esac
make -s install DEVELOPER=1 PREFIX=/usr DESTDIR="$T/root" >"$T/log" 2>&1
P=$T/root/usr
check "make install: the binary" test -x "$P/bin/casefile"
check "the man pages" test -f "$P/share/man/man1/casefile.1" -a -f "$P/share/man/man1/casefile-collect.1"
check "bash completion" test -f "$P/share/bash-completion/completions/casefile"
check "zsh completion" test -f "$P/share/zsh/site-functions/_casefile"
check "the rule library" test -f "$P/share/casefile/rules/sources.yaml"
check "the Ansible playbook and its role" sh -c \
	"cmp ansible/collect.yml '$P/share/casefile/ansible/collect.yml' && \
	 cmp ansible/roles/casefile/tasks/main.yml '$P/share/casefile/ansible/roles/casefile/tasks/main.yml'"
if command -v ansible-playbook >/dev/null 2>&1; then
	check "the installed playbook parses, its role found beside it" \
		env ANSIBLE_HOME="$T/ansible-home" ANSIBLE_LOCAL_TEMP="$T/ansible-tmp" ansible-playbook --syntax-check -i localhost, "$P/share/casefile/ansible/collect.yml"
fi
check "the installed binary runs" sh -c "'$P/bin/casefile' --version | grep -q '^casefile '"
check "bash completion completes a command" bash -c \
	". '$P/share/bash-completion/completions/casefile'; COMP_WORDS=(casefile ana); COMP_CWORD=1; _casefile; [ \"\${COMPREPLY[*]}\" = analyze ]"
make -s uninstall DEVELOPER=1 PREFIX=/usr DESTDIR="$T/root" >>"$T/log" 2>&1
check "make uninstall leaves nothing" sh -c "[ -z \"\$(find '$P' -type f)\" ]"
