#!/bin/sh
# t0140: false alarms are bugs. Each real log from lnav's test suite is put
# where every log source of the catalogue would find it; the findings must
# be exactly those its lines really show. None of these logs records a
# problem our rules know (an OTel record saying "out of memory" is an
# application message, not the kernel OOM killer; automount lookup failures,
# haproxy 200s and postgres start-up are normal), so each expects none.
# Error lines no rule recognises may show, low (a burst of automount lookup
# failures is worth a look), never higher: nothing failed.
. tests/e2e/lib.sh

L=$SHARED/logs/lnav
expect() { # file expected-rules(comma-separated, sorted)
	d=$T/$1
	mkdir -p "$d/var/log/postgresql" "$d/var/log/mysql" "$d/var/log/nginx" "$d/var/log/apache2" \
		"$d/var/log/tomcat9" "$d/var/log/audit" "$d/commands" "$d/var/log/redis" \
		"$d/var/log/elasticsearch" "$d/var/log/rabbitmq" "$d/var/log/mongodb" "$d/var/log/php-fpm"
	for p in var/log/syslog var/log/auth.log var/log/kern.log var/log/postgresql/main.log \
		var/log/mysql/error.log var/log/nginx/error.log var/log/apache2/error.log \
		var/log/tomcat9/catalina.out var/log/audit/audit.log commands/journal commands/kernel_log \
		var/log/mail.log var/log/haproxy.log var/log/redis/redis.log var/log/elasticsearch/es.log \
		var/log/rabbitmq/rabbit@h.log var/log/mongodb/mongod.log var/log/php-fpm/error.log \
		commands/kubelet_journal commands/containerd_journal commands/docker_journal \
		commands/docker_exited_logs; do
		cp "$L/$1" "$d/$p"
	done
	"$CASEFILE" analyze --format json "$d" >"$T/r.json" 2>/dev/null
	got=$(jq -r '[.findings[] | select(.rule != "unrecognised-errors" or .severity != "low") | .rule] | sort | join(",")' "$T/r.json")
	check "$1: findings are [$2]" test "$got" = "$2"
	if [ "$1" = textfile_ctrl.0 ]; then
		# half of its 63 bytes are control characters: skipped as binary, and said so
		check "$1: is skipped as binary, with a note" sh -c \
			"jq -r '.bundle.notes[]' '$T/r.json' | grep -q 'var/log/syslog: binary content, skipped'"
	elif [ -s "$L/$1" ]; then
		check "$1: was read" sh -c "jq -e '.bundle.bytes_read > 0 and .bundle.members_read >= 11' '$T/r.json' >/dev/null"
	fi
}

for f in "$L"/logfile_* "$L"/logsample-* "$L"/textfile_* "$L"/UTF-8-test.txt; do
	expect "$(basename "$f")" ""
done
