#!/bin/sh
# nightly backup
mysqldump -u root -pShellPw101 --all-databases > /backup/all.sql
curl -u admin:curlPw102 -T /backup/all.sql https://files.example.com/upload
sshpass -p sshpassPw103 scp /backup/all.sql backup@vault:/srv
psql "postgresql://app:pgUrlPw104@db/app" -c 'select 1'
/opt/tool/bin/sync --password shellPw105 --verbose
/opt/tool/bin/sync --password=shellPw106 --dry-run
