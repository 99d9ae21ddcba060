#!/usr/bin/env python3
"""gen-redact-corpus.py: a labelled corpus that measures how redaction generalises.

usage: tools/gen-redact-corpus.py OUTDIR [--seed N]

Writes, from a fixed seed (the same bytes on every run and machine):
  OUTDIR/secrets/<format>.<ext>  files and logs in ~60 formats holding synthetic
                                 secrets: values generated with the structure of the
                                 real thing, never real credentials
  OUTDIR/ordinary/<name>         lines that must come out untouched: package logs
                                 and metadata, digests, UUIDs, public keys and
                                 certificates, base64 of non-secrets, ordinary logs
  OUTDIR/labels.tsv              file, byte start, byte end, format, group, half,
                                 kind: exactly which bytes are secret (kind secret:
                                 every byte must go; kind any: may go or stay, such
                                 as the BEGIN line of a private key)
  OUTDIR/groups.tsv              every format, vendor and language with its half

Held-out split: formats, vendors (tests/redact/vendors.tsv, each vendor's own
documentation cited there) and languages of key names are each sorted by the
SHA-256 of their name; the first half of each list is half A, the rest half B.
A secret belongs to half B when its format, its vendor or its language is in B.
The redaction patterns were written looking only at half A; tools/score-redact.py
reports recall on both halves and on the whole (docs/redaction.md).
"""
import base64
import hashlib
import os
import random
import string
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
VENDORS_TSV = os.path.join(HERE, "..", "tests", "redact", "vendors.tsv")

R = random.Random(1)

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
CHARSETS = {
    "d": DIGITS, "hex": "0123456789abcdef", "HEX": "0123456789ABCDEF",
    "an": LOWER + DIGITS, "AN": UPPER + DIGITS, "A": UPPER, "a": LOWER,
    "b62": UPPER + LOWER + DIGITS, "b64": UPPER + LOWER + DIGITS + "+/",
    "b64u": UPPER + LOWER + DIGITS + "_-", "b32": UPPER + "234567",
    "b32l": LOWER + "234567",
    "b58": "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz",
    "BECH": "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
}
SYMBOLS = "!@#$%^&*-_+=.?~"
BECH = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"  # bech32, lower case (age1...)
WORDS = ("apple river stone cloud tiger maple orbit pixel amber delta falcon harbor "
         "lemon comet willow quartz meadow copper violet summit ember cobalt "
         "lantern tundra saffron glacier beacon cactus marble nectar walnut").split()
USERS = "admin root app deploy backup svc_api jenkins grafana postgres www-data alice bob " \
        "carol dave monitor replicator".split()
HOSTS = "db1.internal cache.internal mq.example.net ldap.corp.example.com smtp.example.org " \
        "10.20.1.15 git.example.com registry.example.io vault.internal s3.example.com".split()


def rand(cs, n):
    return "".join(R.choice(CHARSETS.get(cs, cs)) for _ in range(n))


def ruuid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def b64(data):
    return base64.b64encode(data).decode()


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def pw(style=None, avoid="", minlen=0):
    """A password as people and generators make them; no character of avoid."""
    while True:
        s = style or R.choices(
            ["random", "human", "alnum", "b64", "hex", "phrase", "short"],
            [35, 20, 15, 8, 7, 7, 8])[0]
        if s == "random":
            n = R.randint(10, 24)
            v = [R.choice(UPPER), R.choice(LOWER), R.choice(DIGITS), R.choice(SYMBOLS)]
            v += [R.choice(UPPER + LOWER + DIGITS + SYMBOLS) for _ in range(n - 4)]
            R.shuffle(v)
            v = "".join(v)
        elif s == "human":
            w = R.choice(WORDS)
            v = R.choice([w.capitalize(), w, w.upper()[:1] + w[1:]])
            v += R.choice(["", str(R.randint(1, 99))]) + str(R.randint(1990, 2026))
            v += R.choice(["!", "#", "$", "?", "*", ""])
            if R.random() < 0.3:
                v = v.replace("a", "@").replace("o", "0")
        elif s == "alnum":
            v = rand("b62", R.randint(12, 32))
        elif s == "b64":
            v = b64(rbytes(R.choice([18, 24, 32])))
        elif s == "hex":
            v = rand("hex", R.choice([32, 40, 64]))
        elif s == "phrase":
            v = R.choice("-._").join(R.choice(WORDS) for _ in range(R.randint(3, 4)))
        else:
            v = R.choice(WORDS)[:5] + str(R.randint(1, 999)) + R.choice(["", "!", "x"])
        if len(v) >= minlen and not any(c in avoid for c in v):
            return v


def expand(template):
    """The text of a vendors.tsv template, its fields filled at random."""
    out, i = [], 0
    while i < len(template):
        if template[i] == "{":
            j = template.index("}", i)
            field = template[i + 1:j]
            if field == "uuid":
                out.append(ruuid())
            else:
                cs, _, n = field.partition(":")
                lo, _, hi = n.partition("-")
                out.append(rand(cs, R.randint(int(lo), int(hi or lo))))
            i = j + 1
        else:
            out.append(template[i])
            i += 1
    return "".join(out)


def token_from(template):
    """A token of a vendors.tsv template: (public part, secret part). The public
    part is the literal prefix, or what stands before a {|} marker (the account
    id before its secret)."""
    if "{|}" in template:
        pub, sec = template.split("{|}", 1)
        return expand(pub), expand(sec)
    cut = template.find("{")
    cut = len(template) if cut < 0 else cut
    return template[:cut], expand(template[cut:])


def jwt(claims=None):
    def enc(obj):
        raw = obj.encode() if isinstance(obj, str) else obj
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    head = enc('{"alg":"%s","typ":"JWT"}' % R.choice(["HS256", "RS256", "ES256"]))
    body = enc(claims or '{"sub":"%s","iat":%d,"exp":%d,"scope":"%s"}' % (
        R.choice(USERS), 1700000000 + R.randint(0, 10**6), 1800000000,
        R.choice(["read", "admin", "api write"])))
    return "%s.%s.%s" % (head, body, rand("b64u", R.choice([43, 86, 342])))


def pem_body(kind):
    """Base64 lines of a private key of kind, with the DER start of the real thing."""
    starts = {"RSA": b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00",
              "EC": b"\x30\x77\x02\x01\x01\x04\x20",
              "PKCS8": b"\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7",
              "DSA": b"\x30\x82\x01\xbb\x02\x01\x00\x02\x81\x81\x00",
              "OPENSSH": b"openssh-key-v1\x00\x00\x00\x00\x04none",
              "ENC": b"\x30\x82\x05\x13\x30\x3d\x06\x09\x2a\x86\x48\x86\xf7"}
    n = {"EC": 121, "DSA": 443}.get(kind, R.choice([400, 900, 1190]))
    raw = b64(starts[kind] + rbytes(n))
    width = 70 if kind == "OPENSSH" else 64
    return [raw[i:i + width] for i in range(0, len(raw), width)]


class Sec:
    """A labelled span: kind 'secret' (must go) or 'any' (may go)."""

    def __init__(self, value, group=None, kind="secret"):
        self.value, self.group, self.kind = value, group, kind


def S(value, group=None):
    return Sec(value, group)


def ANY(value):
    return Sec(value, None, "any")


class Doc:
    def __init__(self, name, fmt):
        self.name, self.fmt, self.parts = name, fmt, []

    def __call__(self, *items):
        self.parts.extend(items)
        return self

    def nsecrets(self):
        return sum(1 for p in self.parts if isinstance(p, Sec) and p.kind == "secret")


# ---------------------------------------------------------------------------
# vendors

def load_vendors(path=VENDORS_TSV):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            vendor, name, template, key, placement, doc = line.rstrip("\n").split("\t")
            rows.append(dict(vendor=vendor, name=name, template=template, key=key,
                             placement=placement, doc=doc))
    return rows


def vtoken(v):
    """(prefix, secret) of a fresh token of vendor row v."""
    return token_from(v["template"])


# ---------------------------------------------------------------------------
# formats: each builds one Doc with its own secrets, and renders the vendor
# tokens handed to it as its kind of key/value (config) or log line (logs)

def snake(key):
    return key.lower()


def dotted(key):
    return key.lower().replace("_", ".")


def camel(key):
    parts = key.lower().split("_")
    return parts[0] + "".join(p.capitalize() for p in parts[1:])


def q(v):
    return v  # a value with no quote character in it (pw(avoid=...))


def kvpw(d, key, sep, avoid="", quote="", group=None, style=None, tail="\n"):
    d(key, sep, quote, S(pw(style, avoid + quote), group), quote, tail)


def f_ini(d):
    d("; application settings\n[database]\nhost = db1.internal\nport = 5432\n")
    d("user = orders\nname = orders\n")
    kvpw(d, "password", " = ", "#;\"' ")
    d("\n[mail]\nserver = smtp.example.org\n")
    kvpw(d, "smtp_pass", "=", "#;\"' ")
    d("sender = noreply@example.org\n\n[ldap]\nbind_dn = cn=reader,dc=corp,dc=example,dc=com\n")
    kvpw(d, "bind_pw", " = ", "#;\"' ")
    d("\n[api]\nendpoint = https://api.example.com/v2\n")
    kvpw(d, "key", " = ", "#;\"' ", style="alnum")
    kvpw(d, "secret", " = ", "#;\"' ", style="b64")
    d("timeout = 30\n\n[cache]\n")
    kvpw(d, "Pass", "=", "#;\"' ")
    kvpw(d, "auth", " = ", "#;\"' ", style="hex")
    d("\n[admin]\nusername = admin\n")
    kvpw(d, "PW", " = ", "#;\"' ", quote='"')
    kvpw(d, "pwd", "=", "#;\"' ", quote="'")
    d("[session]\ncookie_name = sid\n")
    kvpw(d, "cookie_secret", " = ", "#;\"' ", style="random")
    kvpw(d, "signing", " = ", "#;\"' ", style="b64")
    kvpw(d, "master", " = ", "#;\"' ", style="random")


def kv_ini(d, key, sec):
    d(snake(key), " = ", sec, "\n")


def f_dotenv(d):
    d("# .env for docker compose\nAPP_ENV=production\nDB_HOST=db1.internal\n")
    kvpw(d, "DB_PASSWORD", "=", "#\"' $`\\")
    kvpw(d, "DB_PASS", "=", "#\"' $`\\", quote='"')
    kvpw(d, "MYSQL_ROOT_PASSWORD", "=", "#\"' $`\\")
    kvpw(d, "POSTGRES_PASSWORD", "=", "#\"' $`\\", quote="'")
    kvpw(d, "REDIS_AUTH", "=", "#\"' $`\\")
    d("REDIS_URL=redis://:", S(pw(avoid="@:/#?\"' $`\\%")), "@cache.internal:6379/0\n")
    kvpw(d, "SECRET_KEY", "=", "#\"' $`\\", style="b64")
    kvpw(d, "JWT_SECRET", "=", "#\"' $`\\", style="random")
    kvpw(d, "SMTP_PASS", "=", "#\"' $`\\")
    kvpw(d, "ADMIN_PW", "=", "#\"' $`\\")
    kvpw(d, "RABBITMQ_DEFAULT_PASS", "=", "#\"' $`\\")
    kvpw(d, "MINIO_ROOT_PASSWORD", "=", "#\"' $`\\")
    kvpw(d, "LDAP_BINDPW", "=", "#\"' $`\\")
    kvpw(d, "ENCRYPTION_KEY", "=", "#\"' $`\\", style="hex")
    kvpw(d, "WEBHOOK_SIGNING_SECRET", "=", "#\"' $`\\", style="alnum")
    d("LOG_LEVEL=info\nPASSWORD_MIN_LENGTH=12\nTOKEN_TTL=3600\n")


def kv_env(d, key, sec):
    d(key, "=", sec, "\n")


def f_yaml(d):
    d("# app.yaml\nserver:\n  port: 8443\n  tls:\n    cert: /etc/app/tls.crt\n    key: /etc/app/tls.key\n")
    d("database:\n  primary:\n    host: db1.internal\n    user: app\n")
    kvpw(d, "    password", ": ", ":#\"'{}[],&*!|>%@`")
    d("  replica:\n    host: db2.internal\n")
    kvpw(d, "    passwd", ": ", "\"", quote='"')
    d("messaging:\n  amqp:\n    url: amqps://app:", S(pw(avoid="@:/#?\"' %")),
      "@mq.example.net:5671/prod\n")
    kvpw(d, "    secret", ": ", "'", quote="'")
    d("auth:\n  oidc:\n    client_id: casefile-web\n")
    kvpw(d, "    client_secret", ": ", ":#\"'{}[],&*!|>%@` ", style="alnum")
    d("    issuer: https://login.example.com/\n  jwt:\n")
    kvpw(d, "    signingKey", ": ", ":#\"'{}[],&*!|>%@` ", style="b64")
    d("    ttl: 15m\nintegrations:\n  - name: billing\n")
    kvpw(d, "    apiKey", ": ", ":#\"'{}[],&*!|>%@` ", style="alnum")
    d("  - name: search\n")
    kvpw(d, "    token", ": ", "\"", quote='"')
    d("smtp:\n  host: smtp.example.org\n  username: mailer\n")
    kvpw(d, "  pass", ": ", "\"", quote='"')
    d("storage:\n  s3:\n    bucket: backups\n    access_key: ", "AKIA", S(rand("AN", 16)), "\n")
    kvpw(d, "    secret_key", ": ", ":#\"'{}[],&*!|>%@` ", style="b64")
    d("cluster:\n  join:\n")
    kvpw(d, "    psk", ": ", "'", quote="'")
    d("  gossip:\n    encrypt: ", S(b64(rbytes(32))), "\n")


def kv_yaml(d, key, sec):
    d("  ", snake(key), ": ", sec, "\n")


def f_json_deep(d):
    pw_ = lambda **kw: S(pw(avoid="\"\\", **kw))  # noqa: E731
    d('{\n  "service": "orders",\n  "env": {\n    "stages": {\n      "prod": {\n')
    d('        "datasource": {\n          "url": "jdbc:postgresql://db1.internal/orders",\n')
    d('          "username": "orders",\n          "password": "', pw_(), '",\n')
    d('          "pool": {"max": 20, "auth": {"mode": "scram", "pwd": "', pw_(), '"}}\n        },\n')
    d('        "providers": [\n          {"name": "stripe", "config": {"credentials": ')
    d('{"secret": "', pw_(style="alnum"), '"}}},\n')
    d('          {"name": "maps", "config": {"params": {"key": "', pw_(style="alnum"), '"}}},\n')
    d('          {"name": "mailer", "config": {"smtp": {"user": "m", "pass": "', pw_(), '"}}}\n')
    d('        ],\n        "security": {"crypto": {"keys": {"primary": {"material": "',
      S(b64(rbytes(32))), '", "kid": "k1"}}}},\n')
    d('        "features": {"beta": true, "max_items": 500}\n      },\n')
    d('      "dev": {"datasource": {"url": "jdbc:h2:mem:test", "password": "', pw_(), '"}}\n')
    d('    }\n  },\n  "clients": {"web": {"oauth": {"clientId": "web-app", "clientSecret": "',
      pw_(style="alnum"), '"}}},\n')
    d('  "webhooks": [{"url": "https://hooks.example.com/in", "signingSecret": "',
      pw_(style="hex"), '"}],\n')
    d('  "cache": {"redis": {"nodes": ["cache1:6379"], "options": {"password": "', pw_(), '"}}},\n')
    d('  "admin": {"accounts": [{"login": "root", "passphrase": "', pw_(style="phrase"), '"}]},\n')
    d('  "vault": {"auth": {"approle": {"role_id": "', ruuid(), '", "secret_id": "',
      S(ruuid()), '"}}},\n')
    d('  "ldap": {"bind": {"dn": "cn=svc,dc=example,dc=com", "credentials": "', pw_(), '"}},\n')
    d('  "pins": {"door": {"code": "', S(str(R.randint(100000, 999999))), '"}}\n')
    d("}\n")


def kv_json(d, key, sec):
    d('{"env": {"name": "', key, '", "value": "', sec, '"}}\n')


def f_xml(d):
    a = "\"'<>&"
    d('<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>\n')
    d('    <add key="ApiBaseUrl" value="https://api.example.com/" />\n')
    d('    <add key="DbPassword" value="', S(pw(avoid=a)), '" />\n')
    d('    <add key="StorageAccountKey" value="', S(b64(rbytes(64))), '" />\n')
    d('    <add key="Smtp.Pass" value="', S(pw(avoid=a)), '" />\n  </appSettings>\n')
    d('  <connectionStrings>\n    <add name="Main" connectionString="Server=sql1;Database=Shop;'
      'User Id=shop;Password=', S(pw(avoid=a + ";")), ';" />\n  </connectionStrings>\n')
    d('  <tomcat-users>\n    <user username="manager" password="', S(pw(avoid=a)),
      '" roles="manager-gui"/>\n  </tomcat-users>\n')
    d("  <servers>\n    <server>\n      <id>nexus-releases</id>\n      <username>deploy</username>\n")
    d("      <password>", S(pw(avoid=a)), "</password>\n    </server>\n  </servers>\n")
    d('  <bean id="ds" class="org.apache.commons.dbcp2.BasicDataSource">\n')
    d('    <property name="username" value="app"/>\n')
    d('    <property name="password" value="', S(pw(avoid=a)), '"/>\n  </bean>\n')
    d("  <ldap><bindPassword>", S(pw(avoid=a)), "</bindPassword></ldap>\n")
    d('  <credentials user="svc" secret="', S(pw(avoid=a, style="alnum")), '"/>\n')
    d("  <keystore><storepass>", S(pw(avoid=a)), "</storepass><keypass>", S(pw(avoid=a)),
      "</keypass></keystore>\n")
    d("  <mail><smtp><auth><pw>", S(pw(avoid=a)), "</pw></auth></smtp></mail>\n")
    d("</configuration>\n")


def kv_xml(d, key, sec):
    d('<add key="', key, '" value="', sec, '" />\n')


def f_toml(d):
    d('# config.toml\ntitle = "billing"\n\n[database]\nurl = "postgres://billing@db1/billing"\n')
    kvpw(d, "password", " = ", "\\", quote='"')
    d("\n[registry]\n")
    d('token = "', S(rand("b62", 32)), '"\n')
    d("\n[registries.internal]\nindex = \"https://crates.example.com/index\"\n")
    kvpw(d, "auth", " = ", "\\", quote='"', style="alnum")
    d("\n[smtp]\nhost = \"smtp.example.org\"\n")
    kvpw(d, "pass", " = ", "'", quote="'")
    d("\n[secrets]\n")
    kvpw(d, "session", " = ", "\\", quote='"', style="b64")
    kvpw(d, "csrf", " = ", "\\", quote='"', style="hex")
    d("\n[[users]]\nname = \"ops\"\n")
    kvpw(d, "passwd", " = ", "\\", quote='"')
    d("\n[s3]\naccess_key_id = \"", "AKIA", S(rand("AN", 16)), "\"\n")
    kvpw(d, "secret_access_key", " = ", "\\", quote='"', style="b64")
    d("\n[webhook]\n")
    kvpw(d, "signing_secret", " = ", "\\", quote='"', style="alnum")
    d("max_retries = 5\n")


def kv_toml(d, key, sec):
    d(snake(key), ' = "', sec, '"\n')


def f_properties(d):
    a = "\\ #!=:"
    d("# application.properties\nspring.application.name=inventory\n")
    d("spring.datasource.url=jdbc:mysql://db1.internal:3306/inventory\n")
    d("spring.datasource.username=inventory\n")
    kvpw(d, "spring.datasource.password", "=", a)
    kvpw(d, "spring.mail.password", "=", a)
    kvpw(d, "javax.net.ssl.keyStorePassword", "=", a)
    kvpw(d, "javax.net.ssl.trustStorePassword", ": ", a)
    kvpw(d, "jwt.secret", "=", a, style="b64")
    kvpw(d, "app.crypto.key", "=", a, style="hex")
    kvpw(d, "hibernate.connection.password", " ", a)
    kvpw(d, "ldap.manager.pwd", "=", a)
    kvpw(d, "kafka.sasl.jaas.password", "=", a)
    d("kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
      "username=\"bus\" password=\"", S(pw(avoid=a + "\"")), "\";\n")
    kvpw(d, "oauth2.client.client-secret", "=", a, style="alnum")
    d("server.port=8080\nmanagement.endpoints.web.exposure.include=health\n")


def kv_properties(d, key, sec):
    d(dotted(key), "=", sec, "\n")


def f_shell(d):
    a = "\"'$`\\ ;&|<>()#"
    d("#!/bin/sh\n# nightly backup\nset -eu\n")
    d("export PGPASSWORD=", S(pw(avoid=a)), "\n")
    d("DB_PASS='", S(pw(avoid="'")), "'\n")
    d('MYSQL_PWD="', S(pw(avoid="\"$`\\")), '"\n')
    d("mysqldump -u backup -p", S(pw(avoid=a)), " --all-databases | gzip > /backup/all.sql.gz\n")
    d("curl -fsS -u backup:", S(pw(avoid=a + ":")), " -T /backup/all.sql.gz https://files.example.com/up/\n")
    d("sshpass -p '", S(pw(avoid="'")), "' rsync -a /backup/ backup@10.0.0.9:/srv/backup/\n")
    d('echo "deploy:', S(pw(avoid="\"$`\\: ")), '" | chpasswd\n')
    d("htpasswd -b /etc/nginx/.htpasswd admin ", S(pw(avoid=a)), "\n")
    d("openssl enc -aes-256-cbc -salt -in db.tar -out db.tar.enc -pass pass:", S(pw(avoid=a)), "\n")
    d("redis-cli -h cache.internal -a ", S(pw(avoid=a)), " BGSAVE\n")
    d("ldapsearch -x -D cn=admin,dc=example,dc=com -w ", S(pw(avoid=a)), " -b dc=example,dc=com\n")
    d("smbclient //fs1/backup -U backup%", S(pw(avoid=a + "%")), " -c 'put all.sql.gz'\n")
    d("docker login -u ci -p ", S(pw(avoid=a)), " registry.example.io\n")
    d("export API_TOKEN=\"", S(pw(style="alnum")), "\"\n")
    d("useradd -m -p '", S("$6$" + rand("b64", 16).replace("+", ".") + "$" +
                          rand("b64", 86).replace("+", ".")), "' ops\n")
    d('read -r -s -p "Password: " PASS\n')


def kv_shell(d, key, sec):
    d("export ", key, '="', sec, '"\n')


def f_systemd(d):
    a = "\"' \\%$"
    d("[Unit]\nDescription=Orders API\nAfter=network-online.target\n\n[Service]\nUser=orders\n")
    d('Environment="DB_PASSWORD=', S(pw(avoid=a)), '"\n')
    d("Environment=REDIS_PASS=", S(pw(avoid=a)), " LOG_LEVEL=info\n")
    d('Environment="API_KEY=', S(pw(avoid=a, style="alnum")), '" "MODE=prod"\n')
    d("Environment=SMTP_PASSWORD=", S(pw(avoid=a)), "\n")
    d("ExecStart=/usr/bin/orders --listen :8080 --db-password=", S(pw(avoid=a)),
      " --token ", S(pw(avoid=a, style="alnum")), "\n")
    d("ExecStartPre=/usr/bin/curl -sf -u health:", S(pw(avoid=a + ":")), " http://127.0.0.1:8081/ready\n")
    d("LoadCredential=tls.key:/etc/orders/tls.key\nSetCredential=db.pass:", S(pw(avoid=a + ":")), "\n")
    d("EnvironmentFile=-/etc/default/orders\nRestart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n")


def kv_systemd(d, key, sec):
    d('Environment="', key, "=", sec, '"\n')


def f_nginx(d):
    a = "\"';{} \\$"
    d("server {\n    listen 443 ssl;\n    server_name shop.example.com;\n")
    d("    ssl_certificate /etc/nginx/tls/shop.crt;\n    ssl_certificate_key /etc/nginx/tls/shop.key;\n")
    d("    ssl_password_file /etc/nginx/tls/pass;\n")
    d("    location /api/ {\n        proxy_pass http://backend;\n")
    d('        proxy_set_header Authorization "Basic ', S(b64(("api:" + pw(avoid=":")).encode())), '";\n')
    d('        proxy_set_header X-Api-Key "', S(pw(avoid=a, style="alnum")), '";\n    }\n')
    d("    location /legacy/ {\n        proxy_pass http://legacy:", S(pw(avoid=a + "@:/")),
      "@10.0.0.7:8080;\n    }\n")
    d("    location /files/ {\n        secure_link $arg_md5,$arg_expires;\n")
    d('        secure_link_md5 "$secure_link_expires$uri ', S(pw(avoid=a)), '";\n    }\n')
    d("    location /s/ {\n        secure_link_secret ", S(pw(avoid=a)), ";\n    }\n")
    d("    location /private/ {\n        auth_basic \"Staff\";\n")
    d("        auth_basic_user_file /etc/nginx/.htpasswd;\n    }\n")
    d('    set $upstream_token "', S(pw(avoid=a, style="hex")), '";\n')
    d('    proxy_set_header Authorization "Bearer ', S(jwt()), '";\n}\n')


def kv_nginx(d, key, sec):
    d("    fastcgi_param ", key, " ", sec, ";\n")


def f_apache(d):
    a = "\"' \\"
    d("<VirtualHost *:443>\n    ServerName intranet.example.com\n")
    d("    SSLCertificateKeyFile /etc/ssl/private/intranet.key\n")
    d("    <Location />\n        AuthType Basic\n        AuthName \"Intranet\"\n")
    d("        AuthBasicProvider ldap\n        AuthLDAPURL \"ldap://ldap.corp.example.com/dc=corp\"\n")
    d("        AuthLDAPBindDN \"cn=apache,ou=svc,dc=corp\"\n")
    d("        AuthLDAPBindPassword ", S(pw(avoid=a)), "\n        Require valid-user\n    </Location>\n")
    d("    SetEnv DB_PASS ", S(pw(avoid=a)), "\n")
    d('    DBDParams "host=db1 dbname=auth user=apache password=', S(pw(avoid=a)), '"\n')
    d("    ProxyPass /app http://svc:", S(pw(avoid=a + "@:/")), "@10.0.0.5:8080/app\n")
    d('    RequestHeader set Authorization "Bearer ', S(pw(avoid=a, style="alnum")), '"\n')
    d('    RequestHeader set X-Auth-Token "', S(pw(avoid=a, style="hex")), '"\n')
    d("    SSLProxyMachineCertificateFile /etc/ssl/proxy.pem\n")
    d("    AuthDBMUserFile /etc/apache2/users.dbm\n</VirtualHost>\n")


def kv_apache(d, key, sec):
    d("    SetEnv ", key, " ", sec, "\n")


def f_haproxy(d):
    d("global\n    log /dev/log local0\n\nuserlist admins\n")
    d("    user admin password ", S("$6$" + rand("b64", 16).replace("+", ".") + "$"
                                    + rand("b64", 86).replace("+", ".")), "\n")
    d("    user ops insecure-password ", S(pw(avoid=" #\"'")), "\n")
    d("\nlisten stats\n    bind :8404\n    stats enable\n    stats uri /stats\n")
    d("    stats auth admin:", S(pw(avoid=" #\"':")), "\n")
    d("\nbackend api\n    http-request set-header Authorization \"Bearer ", S(pw(style="alnum")), "\"\n")
    d("    http-request set-header X-Api-Key ", S(pw(avoid=" #\"'", style="alnum")), "\n")
    d("    server api1 10.0.0.11:8080 check\n\nbackend redis\n    option tcp-check\n")
    d("    tcp-check send AUTH\\ ", S(pw(avoid=" #\"'\\")), "\\r\\n\n")
    d("    tcp-check expect string +OK\n    server r1 10.0.0.21:6379 check\n")


def kv_haproxy(d, key, sec):
    d("    http-request set-var(txn.", snake(key), ") str(", sec, ")\n")


def f_sql(d):
    a = "'\\"
    d("-- provisioning\nCREATE DATABASE shop;\n")
    d("CREATE USER 'shop'@'%' IDENTIFIED BY '", S(pw(avoid=a)), "';\n")
    d("ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY '", S(pw(avoid=a)), "';\n")
    d("GRANT ALL PRIVILEGES ON shop.* TO 'report'@'10.0.%' IDENTIFIED BY '", S(pw(avoid=a)), "';\n")
    d("SET PASSWORD FOR 'legacy'@'%' = PASSWORD('", S(pw(avoid=a)), "');\n")
    d("CREATE ROLE app WITH LOGIN PASSWORD '", S(pw(avoid=a)), "' VALID UNTIL 'infinity';\n")
    d("ALTER ROLE postgres PASSWORD '", S(pw(avoid=a)), "';\n")
    d("CREATE USER replicator REPLICATION LOGIN ENCRYPTED PASSWORD '", S(pw(avoid=a)), "';\n")
    d("CREATE LOGIN sa_app WITH PASSWORD = '", S(pw(avoid=a)), "', CHECK_POLICY = OFF;\n")
    d("CREATE USER scott IDENTIFIED BY ", S(pw(avoid=a + " ;\"", style="alnum")), ";\n")
    d("CREATE DATABASE LINK remote CONNECT TO hr IDENTIFIED BY ", S(pw(avoid=a + " ;\"", style="alnum")),
      " USING 'orcl';\n")
    d("INSERT INTO settings (name, value) VALUES ('smtp_password', '", S(pw(avoid=a)), "');\n")
    d("UPDATE users SET password_hash = '", S("$2b$12$" + rand("b64", 53).replace("+", ".")),
      "' WHERE login = 'admin';\n")
    d("CREATE SERVER fdw FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'db2', dbname 'x');\n")
    d("CREATE USER MAPPING FOR app SERVER fdw OPTIONS (user 'app', password '", S(pw(avoid=a)), "');\n")


def kv_sql(d, key, sec):
    d("INSERT INTO config (k, v) VALUES ('", key, "', '", sec, "');\n")


def f_powershell(d):
    a = "'\"`$ "
    d("# provision.ps1\n$ErrorActionPreference = 'Stop'\n")
    d("$secure = ConvertTo-SecureString '", S(pw(avoid=a)), "' -AsPlainText -Force\n")
    d('$pw2 = ConvertTo-SecureString -String "', S(pw(avoid=a)), '" -AsPlainText -Force\n')
    d("$cred = New-Object System.Management.Automation.PSCredential('CORP\\svc_sql', "
      "(ConvertTo-SecureString '", S(pw(avoid=a)), "' -AsPlainText -Force))\n")
    d('$Password = "', S(pw(avoid=a)), '"\n')
    d("net user backup ", S(pw(avoid=a + "/")), " /add /y\n")
    d("cmdkey /add:fs01.corp.example.com /user:CORP\\backup /pass:", S(pw(avoid=a + "/")), "\n")
    d("$nc = [System.Net.NetworkCredential]::new('deploy', '", S(pw(avoid=a)), "')\n")
    d("Invoke-RestMethod -Uri https://api.example.com/v1/jobs -Headers @{Authorization = \"Bearer ",
      S(pw(avoid=a, style="alnum")), "\"}\n")
    d("New-LocalUser -Name kiosk -Password (ConvertTo-SecureString \"", S(pw(avoid=a)),
      "\" -AsPlainText -Force)\n")
    d("Set-ADAccountPassword -Identity jdoe -Reset -NewPassword (ConvertTo-SecureString -AsPlainText '",
      S(pw(avoid=a)), "' -Force)\n")
    d("Connect-VIServer -Server vc01 -User administrator@vsphere.local -Password '", S(pw(avoid=a)), "'\n")


def kv_powershell(d, key, sec):
    d("$env:", key, ' = "', sec, '"\n')


def f_cli(d):
    a = "\"'$`\\ ;&|<>()#"
    lines = [
        ("curl -u admin:", ":", " https://jenkins.example.com/api/json"),
        ("curl --user ci:", ":", " -X POST https://ci.example.com/job/x/build"),
        ("wget --http-user=mirror --http-password=", "", " https://mirror.example.com/iso/"),
        ("wget --ftp-password=", "", " ftp://ftp.example.com/pub/"),
        ("mysql -uroot -p", "", " -e 'SHOW DATABASES'"),
        ("mysqladmin -u root --password=", "", " status"),
        ("redis-cli -a ", "", " -n 2 KEYS 'session:*'"),
        ("ldapwhoami -x -D uid=bob,ou=people,dc=example,dc=com -w ", "", ""),
        ("sqlcmd -S sql1 -U sa -P ", "", " -Q \"SELECT 1\""),
        ("keytool -importcert -keystore app.jks -storepass ", "", " -file ca.crt -noprompt"),
        ("zip -P ", "", " logs.zip /var/log/app/*.log"),
        ("7z a -p", "", " archive.7z report.pdf"),
        ("rabbitmqctl add_user monitor ", "", ""),
        ("mongosh mongodb://db1:27017 -u admin -p ", "", " --authenticationDatabase admin"),
        ("psql \"host=db1 user=app password=", "", " dbname=app\""),
        ("git clone https://deploy:", "@:/", "@git.example.com/infra/site.git"),
        ("ansible-playbook site.yml -e ansible_become_password=", "", ""),
        ("az login -u ops@example.com -p ", "", ""),
        ("kubectl create secret generic db --from-literal=password=", "", ""),
        ("vault write auth/userpass/users/bob password=", "", " policies=dev"),
        ("openssl pkcs12 -export -in c.crt -inkey c.key -out c.p12 -passout pass:", "", ""),
        ("htpasswd -bB /srv/registry/htpasswd ci ", "", ""),
        ("ipmitool -I lanplus -H 10.0.9.1 -U ADMIN -P ", "", " chassis status"),
        ("snmpwalk -v3 -u mon -l authPriv -a SHA -A ", "", " -x AES -X priv12345 10.0.0.1"),
    ]
    for pre, extra, post in lines:
        d(pre, S(pw(avoid=a + extra)), post, "\n")


def kv_cli(d, key, sec):
    d("docker run -d -e ", key, "=", sec, " registry.example.io/app:1.4.2\n")


def f_urls(d):
    a = "@:/#?%\"' <>\\"
    for scheme, port, path in [("mysql", 3306, "/shop"), ("postgresql", 5432, "/app?sslmode=require"),
                               ("redis", 6379, "/0"), ("amqp", 5672, "/vhost"),
                               ("mongodb+srv", None, "/prod?retryWrites=true"),
                               ("ftp", 21, "/pub/"), ("https", None, "/repo/simple/"),
                               ("smtp", 587, ""), ("ldaps", 636, ""), ("sftp", 22, "/upload"),
                               ("http", 8080, "/metrics"), ("nats", 4222, ""),
                               ("git+https", None, "/org/lib.git"), ("s3", None, "/bucket")]:
        host = R.choice(HOSTS) + (":%d" % port if port else "")
        d("url", str(R.randint(1, 9)), " = ", scheme, "://", R.choice(USERS), ":",
          S(pw(avoid=a)), "@", host, path, "\n")
    d("REDIS_URL=redis://:", S(pw(avoid=a)), "@cache.internal:6380\n")
    d("jdbc:mysql://db1.internal:3306/shop?user=shop&password=", S(pw(avoid=a + "&")), "&useSSL=true\n")
    d("proxy: http://proxyuser:", S(pw(avoid=a)), "@proxy.corp.example.com:3128\n")


def kv_urls(d, key, sec):
    d(snake(key), "_url = https://api.example.com/v1?", "key=", sec, "\n")


def f_docker(d):
    creds = b64(("ci:" + pw(avoid=":")).encode())
    d('{\n  "auths": {\n    "registry.example.io": {\n      "auth": "', S(creds), '"\n    },\n')
    d('    "https://index.docker.io/v1/": {\n      "auth": "', S(b64(("me:" + pw()).encode())), '",\n')
    d('      "identitytoken": "', S(rand("b64u", 64)), '"\n    }\n  },\n')
    d('  "credHelpers": {"123456789012.dkr.ecr.eu-west-1.amazonaws.com": "ecr-login"}\n}\n')
    d("# docker-compose.yml\nservices:\n  db:\n    image: mariadb:11\n    environment:\n")
    d("      MARIADB_ROOT_PASSWORD: ", S(pw(avoid=":#\"'{}[],&*!|>%@` ")), "\n")
    d("      - MYSQL_PASSWORD=", S(pw(avoid=":#\"'{}[],&*!|>%@` ")), "\n")
    d("  app:\n    image: registry.example.io/shop:2.1\n    command: [\"--db-pass\", \"",
      S(pw(avoid="\"\\")), "\"]\n")
    d("    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./secrets/db.txt\n")


def kv_docker(d, key, sec):
    d("      - ", key, "=", sec, "\n")


def f_k8s(d):
    d("apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-secrets\n  namespace: shop\ntype: Opaque\ndata:\n")
    d("  username: ", ANY(b64(b"shop")), "\n")
    d("  password: ", S(b64(pw().encode())), "\n")
    d("  db-conn: ", S(b64(("postgres://shop:" + pw(avoid="@:/") + "@db1/shop").encode())), "\n")
    d("  api.key: ", S(b64(rand("b62", 32).encode())), "\n")
    key_pem = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(pem_body("PKCS8")) + "\n-----END PRIVATE KEY-----\n"
    d("  tls.key: ", S(b64(key_pem.encode())), "\n")
    d("stringData:\n  REDIS_PASSWORD: ", S(pw(avoid=":#\"'{}[],&*!|>%@` ")), "\n")
    d("  config.yaml: |\n    upstream:\n      token: ", S(pw(style="alnum")), "\n")
    d("---\napiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n")
    d("  name: prod\nusers:\n- name: admin\n  user:\n    client-key-data: ", S(b64(key_pem.encode())), "\n")
    d("    token: ", S(jwt()), "\n")
    d("- name: legacy\n  user:\n    username: admin\n    password: ", S(pw(avoid=":#\"'{}[],&*!|>%@` ")), "\n")
    d("- name: oidc\n  user:\n    auth-provider:\n      config:\n        client-secret: ",
      S(pw(style="alnum")), "\n        refresh-token: ", S(rand("b64u", 48)), "\n")
    d("        id-token: ", S(jwt()), "\n")


def kv_k8s(d, key, sec):
    d("  ", key, ": ", sec, "\n")


def b64u(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def f_jwk(d):
    n = b64u(rbytes(256))
    d('{\n  "keys": [\n    {\n      "kty": "RSA",\n      "kid": "', ruuid(), '",\n      "use": "sig",\n')
    d('      "n": "', n, '",\n      "e": "AQAB",\n')
    d('      "d": "', S(b64u(rbytes(256))), '",\n')
    d('      "p": "', S(b64u(rbytes(128))), '",\n      "q": "', S(b64u(rbytes(128))), '",\n')
    d('      "dp": "', S(b64u(rbytes(128))), '",\n      "dq": "', S(b64u(rbytes(128))), '",\n')
    d('      "qi": "', S(b64u(rbytes(128))), '"\n    },\n')
    d('    {"kty": "EC", "crv": "P-256", "x": "', b64u(rbytes(32)), '", "y": "', b64u(rbytes(32)),
      '", "d": "', S(b64u(rbytes(32))), '"},\n')
    d('    {"kty": "oct", "kid": "hmac-1", "alg": "HS256", "k": "', S(b64u(rbytes(32))), '"},\n')
    d('    {"kty": "OKP", "crv": "Ed25519", "x": "', b64u(rbytes(32)), '", "d": "',
      S(b64u(rbytes(32))), '"}\n  ]\n}\n')
    d('{"kty":"EC","crv":"P-384","d":"', S(b64u(rbytes(48))), '","x":"', b64u(rbytes(48)),
      '","y":"', b64u(rbytes(48)), '"}\n')
    d('{"kty":"oct","k":"', S(b64u(rbytes(64))), '","alg":"HS512"}\n')


def kv_jwk(d, key, sec):
    d('{"kid": "', snake(key), '", "kty": "oct", "k": "', sec, '"}\n')


def pem_block(d, label, kind, headers=()):
    d(ANY("-----BEGIN %s-----" % label), "\n")
    for h in headers:
        d(ANY(h), "\n")
    if headers:
        d("\n")
    d(S("\n".join(pem_body(kind))), "\n", ANY("-----END %s-----" % label), "\n")


def f_pem(d):
    pem_block(d, "RSA PRIVATE KEY", "RSA")
    pem_block(d, "EC PRIVATE KEY", "EC")
    pem_block(d, "PRIVATE KEY", "PKCS8")
    pem_block(d, "DSA PRIVATE KEY", "DSA")
    pem_block(d, "OPENSSH PRIVATE KEY", "OPENSSH")
    pem_block(d, "ENCRYPTED PRIVATE KEY", "ENC")
    pem_block(d, "RSA PRIVATE KEY", "RSA",
              ("Proc-Type: 4,ENCRYPTED", "DEK-Info: AES-128-CBC," + rand("HEX", 32)))
    d(ANY("-----BEGIN PGP PRIVATE KEY BLOCK-----"), "\n", ANY("Comment: backup key"), "\n\n")
    raw = b64(b"\x95\x07\x46\x04" + rbytes(1300))
    d(S("\n".join(raw[i:i + 64] for i in range(0, len(raw), 64))), "\n")
    d(ANY("=" + rand("b64", 4)), "\n", ANY("-----END PGP PRIVATE KEY BLOCK-----"), "\n")
    d("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ed25519-key-20240101\n")
    d("Public-Lines: 2\n", b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + rbytes(32))[:64], "\n",
      b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + rbytes(32))[64:], "\n")
    d(ANY("Private-Lines: 1"), "\n", S(b64(rbytes(48))), "\n")
    d(ANY("Private-MAC: " + rand("hex", 64)), "\n")
    d('{"type": "service_account", "project_id": "shop-prod", "private_key_id": "',
      rand("hex", 40), '", "private_key": "-----BEGIN PRIVATE KEY-----\\n',
      S("\\n".join(pem_body("PKCS8"))), '\\n-----END PRIVATE KEY-----\\n", '
      '"client_email": "shop@shop-prod.iam.gserviceaccount.com"}\n')


def kv_pem(d, key, sec):
    d("# ", key, "\n", sec, "\n")


def f_age(d):
    for _ in range(3):
        d("# created: 2024-0", str(R.randint(1, 9)), "-1", str(R.randint(0, 9)), "T10:2",
          str(R.randint(0, 9)), ":00Z\n# public key: age1", rand(BECH, 58),
          "\n", ANY("AGE-SECRET-KEY-1"), S(rand("BECH", 58)), "\n")
    d("export SOPS_AGE_KEY=", ANY("AGE-SECRET-KEY-1"), S(rand("BECH", 58)), "\n")
    d("creation_rules:\n  - age: age1", rand(BECH, 58), "\n")


def kv_age(d, key, sec):
    d("# ", key, "\n", sec, "\n")


def f_nats(d):
    d(ANY("-----BEGIN NATS USER JWT-----"), "\n", ANY(jwt()), "\n", ANY("------END NATS USER JWT------"),
      "\n\n************************* IMPORTANT *************************\n"
      "NKEY Seed printed below can be used to sign and prove identity.\n"
      "NKEYs are sensitive and should be treated as secrets.\n\n")
    d(ANY("-----BEGIN USER NKEY SEED-----"), "\n", ANY("SU"), S(rand("b32", 56)), "\n",
      ANY("------END USER NKEY SEED------"), "\n\n*************************************************************\n")
    d("# nats-server.conf\nauthorization {\n  users = [\n")
    d("    { nkey: U", rand("b32", 55), " }\n    { nkey: U", rand("b32", 55), ", permissions: {} }\n  ]\n}\n")
    d("system_account: A", rand("b32", 55), "\n")
    d("# leafnode credentials\nleafnodes { remotes = [ { url: \"nats-leaf://hub:7422\", "
      "credentials: \"/etc/nats/leaf.creds\" } ] }\n")
    d("nkey seed for the operator: ", ANY("SO"), S(rand("b32", 56)), "\n")
    d("seed: ", ANY("SA"), S(rand("b32", 56)), "\n")
    d("nsc: generated account key pair A", rand("b32", 55), " with seed ", ANY("SA"), S(rand("b32", 56)), "\n")


def kv_nats(d, key, sec):
    d(snake(key), ": ", sec, "\n")


def ntlm(msg_type):
    return b64(b"NTLMSSP\x00" + bytes([msg_type, 0, 0, 0]) + rbytes(R.choice([180, 260, 330])))


def f_http_headers(d):
    d("GET /ews/exchange.asmx HTTP/1.1\nHost: mail.corp.example.com\n")
    d("Authorization: NTLM ", S(ntlm(3)), "\n\n")
    d("GET /share/ HTTP/1.1\nHost: intranet.corp.example.com\n")
    d("Authorization: Negotiate ", S(b64(b"\x60\x82\x06\x2a\x06\x06\x2b\x06\x01\x05\x05\x02" + rbytes(600))), "\n\n")
    d("POST /token HTTP/1.1\nHost: auth.example.com\n")
    d("Authorization: Basic ", S(b64(("client:" + pw(avoid=":")).encode())), "\n")
    d("Content-Type: application/x-www-form-urlencoded\n\n")
    d("grant_type=password&username=bob&password=", S(pw(avoid="&=%+ ")), "&client_id=web\n\n")
    d("GET /api/v1/me HTTP/1.1\nAuthorization: Bearer ", S(jwt()), "\n")
    d("Cookie: sessionid=", S(rand("an", 32)), "; csrftoken=", S(rand("b62", 64)), "; theme=dark\n")
    d("X-Api-Key: ", S(rand("b62", 40)), "\nX-Auth-Token: ", S(rand("hex", 40)), "\n\n")
    d("GET /api/v2/users HTTP/1.1\nAuthorization: SSWS ", S("00" + rand("b64u", 40)), "\n\n")
    d("POST /services/collector HTTP/1.1\nAuthorization: Splunk ", S(ruuid()), "\n\n")
    d("POST /_bulk HTTP/1.1\nAuthorization: ApiKey ", S(b64((rand("b62", 20) + ":" + rand("b64u", 22)).encode())), "\n\n")
    d("GET /repos HTTP/1.1\nAuthorization: token ", S(rand("b62", 40)), "\n\n")
    d("GET /v1/secret HTTP/1.1\nX-Vault-Token: ", S(rand("b62", 26)), "\n")
    d("Proxy-Authorization: Basic ", S(b64(("proxy:" + pw(avoid=":")).encode())), "\n\n")
    d("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Negotiate\nWWW-Authenticate: NTLM\n")
    d("Set-Cookie: JSESSIONID=", S(rand("HEX", 32)), "; Path=/; HttpOnly\n\n")
    d('GET /dir/index.html HTTP/1.1\nAuthorization: Digest username="Mufasa", realm="x@example.com", '
      'nonce="', rand("hex", 32), '", uri="/dir/index.html", response="', ANY(rand("hex", 32)), '"\n')


def kv_http(d, key, sec):
    d("X-", key.title().replace("_", "-"), ": ", sec, "\n")


def f_otp(d):
    for issuer, user in [("ACME", "alice@example.com"), ("GitLab", "bob"), ("VPN", "carol")]:
        d("otpauth://totp/", issuer, ":", user, "?secret=", S(rand("b32", R.choice([16, 32]))),
          "&issuer=", issuer, "&algorithm=SHA1&digits=6&period=30\n")
    d("otpauth://hotp/Backup:root?secret=", S(rand("b32", 26)), "&counter=12\n")
    d("otpauth-migration://offline?data=", S(b64(rbytes(60)).replace("+", "%2B").replace("/", "%2F")), "\n")
    d("# ~/.google_authenticator\n", S(rand("b32", 26)), '\n" RATE_LIMIT 3 30 1700000000\n'
      '" WINDOW_SIZE 17\n" DISALLOW_REUSE 56666666\n" TOTP_AUTH\n')
    for _ in range(3):
        d(S(str(R.randint(10000000, 99999999))), "\n")
    d('{"issuer": "Example", "account": "dave", "type": "TOTP", "secret": "', S(rand("b32", 32)),
      '", "digits": 6}\n')
    d("oathtool --totp -b ", S(rand("b32", 32)), "\n")
    d("HOTP/T30 alice - ", S(rand("hex", 40)), "\n")


def kv_otp(d, key, sec):
    d(snake(key), " = ", sec, "\n")


def f_typed_decl(d):
    q2 = "\"\\"
    d("# settings.py\n")
    d('passwd: str = "', S(pw(avoid=q2)), '"\n')
    d('db_password: Final[str] = "', S(pw(avoid=q2)), '"\n')
    d("api_token: Optional[str] = '", S(pw(avoid="'\\", style="alnum")), "'\n")
    d("// config.ts\nconst apiKey: string = '", S(pw(avoid="'\\", style="alnum")), "';\n")
    d('export const DB_PASS: string = "', S(pw(avoid=q2)), '";\n')
    d('// main.go\nvar dbPassword string = "', S(pw(avoid=q2)), '"\n')
    d('\tsecret := "', S(pw(avoid=q2)), '"\n')
    d('const signingKey = "', S(pw(avoid=q2, style="b64")), '"\n')
    d('// lib.rs\nlet password: &str = "', S(pw(avoid=q2)), '";\n')
    d('static TOKEN: &str = "', S(pw(avoid=q2, style="alnum")), '";\n')
    d('// App.kt\nval pwd: String = "', S(pw(avoid=q2 + "$")), '"\n')
    d('private const val CLIENT_SECRET = "', S(pw(avoid=q2 + "$", style="alnum")), '"\n')
    d('// Config.java\nprivate static final String PASSWORD = "', S(pw(avoid=q2)), '";\n')
    d('String pass = "', S(pw(avoid=q2)), '";\n')
    d('// Program.cs\nstring connStr = "Server=sql1;Database=app;User Id=app;Password=',
      S(pw(avoid=q2 + ";")), ';";\n')
    d('var adminPassword = "', S(pw(avoid=q2)), '";\n')
    d('// Keys.swift\nlet token: String = "', S(pw(avoid=q2, style="alnum")), '"\n')
    d("<?php\n$db_pass = '", S(pw(avoid="'\\")), "';\n")
    d("# app.rb\nPASSWORD = '", S(pw(avoid="'\\")), "'\n")
    d('/* config.h */\n#define DB_PASS "', S(pw(avoid=q2)), '"\n')
    d('static const char *mqtt_pw = "', S(pw(avoid=q2)), '";\n')
    d("let pw = '", S(pw(avoid="'\\")), "'\n")


def kv_typed(d, key, sec):
    d("const ", key, ': string = "', sec, '";\n')


def f_prose(d):
    a = " \n"
    d("Handover notes for the ticket\n==============================\n")
    d("DB server: db1.internal\nPW: ", S(pw(avoid=a)), "\n")
    d("MYSQLPASS: ", S(pw(avoid=a)), "\n")
    d("root pw - ", S(pw(avoid=a)), "\n")
    d("Jenkins login (admin/", S(pw(avoid=a + "/)")), ")\n")
    d("router (master/", S(pw(avoid=a + "/)")), ") at 10.0.0.1\n")
    d("Login: admin / Password: ", S(pw(avoid=a)), "\n")
    d("creds: deploy/", S(pw(avoid=a + "/")), "\n")
    d("The new VPN password is ", S(pw(avoid=a + ".,")), " (changed last week).\n")
    d("user bob pass ", S(pw(avoid=a)), "\n")
    d("Passphrase for the backup key: ", S(pw(style="phrase", avoid=a)), "\n")
    d("WiFi: Office-Guest key ", S(pw(avoid=a)), "\n")
    d("api key for the monitoring account = ", S(pw(style="alnum")), "\n")
    d("Token: ", S(pw(style="alnum")), "\n")
    d("iDRAC root/", S(pw(avoid=a + "/")), "\n")
    d("sa password was reset to ", S(pw(avoid=a + ".,")), " by the DBA\n")
    d("pwd=", S(pw(avoid=a)), "\n")
    d("Secret: ", S(pw(avoid=a)), "\n")
    d("Thanks, Carol\n")


def kv_prose(d, key, sec):
    d("the ", key.replace("_", " ").lower(), " is ", sec, "\n")


# Key names in other languages: (code, names used as a setting, a prose phrase)
LANGS = {
    "de": (["Passwort", "Kennwort"], "Das Passwort lautet: "),
    "fr": (["mot_de_passe", "mdp"], "Le mot de passe est : "),
    "es": (["contraseña", "clave"], "La contraseña es: "),
    "pt": (["senha", "palavra_passe"], "A senha é: "),
    "nl": (["wachtwoord"], "Het wachtwoord is: "),
    "pl": (["hasło", "haslo"], "Hasło: "),
    "ru": (["пароль"], "Пароль: "),
    "zh": (["密码", "口令"], "密码："),
    "ja": (["パスワード", "暗証番号"], "パスワード："),
    "ko": (["비밀번호", "암호"], "비밀번호: "),
    "tr": (["şifre", "parola"], "Şifre: "),
    "sv": (["lösenord"], "Lösenordet är: "),
    "cs": (["heslo"], "Heslo: "),
    "fi": (["salasana"], "Salasana: "),
    "it": (["parola_chiave", "chiave"], "La parola d'ordine è: "),
    "uk": (["пароль_адміна"], "Пароль адміністратора: "),
    "el": (["κωδικός"], "Κωδικός: "),
    "vi": (["mật_khẩu"], "Mật khẩu: "),
    "id": (["kata_sandi", "sandi"], "Kata sandi: "),
    "hu": (["jelszó"], "Jelszó: "),
}


def f_i18n_config(d):
    for lang in sorted(LANGS):
        names, _ = LANGS[lang]
        d("[", lang, "]\n")
        for name in names:
            d(name, " = ", S(pw(avoid=" #;\"'"), "lang:" + lang), "\n")
        d(names[0], "_db: ", S(pw(avoid=" #;\"'"), "lang:" + lang), "\n")


def f_i18n_prose(d):
    for lang in sorted(LANGS):
        names, phrase = LANGS[lang]
        d(phrase, S(pw(avoid=" \n"), "lang:" + lang), "\n")
        d("admin (", names[-1], "): ", S(pw(avoid=" \n()"), "lang:" + lang), "\n")


def f_netrc(d):
    for h in ["api.heroku.com", "git.example.com", "ftp.example.org", "uploads.example.io"]:
        d("machine ", h, "\n  login ", R.choice(USERS), "\n  password ", S(pw(avoid=" \n")), "\n")
    d("machine mirror.example.com login anon password ", S(pw(avoid=" \n")), "\n")
    d("default login anonymous password ", S(pw(avoid=" \n")), "\n")


def f_pgpass(d):
    for _ in range(5):
        d(R.choice(["db1.internal", "*", "localhost", "10.0.0.5"]), ":", R.choice(["5432", "*"]), ":",
          R.choice(["app", "*", "reporting"]), ":", R.choice(USERS), ":", S(pw(avoid=":\\ \n")), "\n")
    d("# ~/.my.cnf\n[client]\nuser=root\npassword=", S(pw(avoid=" #;\"'\n")), "\n")
    d("[mysqldump]\nuser=backup\npassword=\"", S(pw(avoid="\"\\\n")), "\"\n")
    d("# ~/.git-credentials\nhttps://", R.choice(USERS), ":", S(pw(avoid="@:/ \n%")), "@github.com\n")
    d("https://oauth2:", S(rand("b64u", 20)), "@gitlab.example.com\n")
    d("# /etc/rsyncd.secrets\nbackup:", S(pw(avoid=": \n")), "\nmirror:", S(pw(avoid=": \n")), "\n")


def kv_cred(d, key, sec):
    d("machine api.example.com login ", snake(key), " password ", sec, "\n")


def f_dev_credentials(d):
    d("# ~/.npmrc\n//registry.npmjs.org/:_authToken=", S(rand("b62", 36)), "\n")
    d("//npm.example.com/:_password=", S(b64(pw().encode())), "\n//npm.example.com/:username=ci\n")
    d("_auth=", S(b64(("ci:" + pw(avoid=":")).encode())), "\nalways-auth=true\n")
    d("# ~/.pypirc\n[distutils]\nindex-servers = pypi internal\n\n[internal]\n")
    d("repository = https://pypi.example.com/\nusername = uploader\npassword = ", S(pw(avoid=" #;\n")), "\n")
    d("# pip.conf\n[global]\nindex-url = https://ci:", S(pw(avoid="@:/ \n%#")),
      "@pypi.example.com/simple/\n")
    d("# ~/.cargo/credentials.toml\n[registry]\ntoken = \"", S(rand("b62", 32)), "\"\n")
    d("# ~/.gem/credentials\n---\n:rubygems_api_key: ", S(rand("hex", 32)), "\n")
    d('# auth.json\n{"http-basic": {"repo.example.com": {"username": "ci", "password": "',
      S(pw(avoid="\"\\")), '"}}, "github-oauth": {"github.com": "', S(rand("b62", 40)), '"}}\n')
    d("# gradle.properties\nnexusUsername=ci\nnexusPassword=", S(pw(avoid=" \n\\")), "\n")
    d("signing.password=", S(pw(avoid=" \n\\")), "\n")
    d("# NuGet.Config\n<add key=\"Username\" value=\"ci\" />\n<add key=\"ClearTextPassword\" value=\"",
      S(pw(avoid="\"<>&")), "\" />\n")
    d("# ~/.s3cfg\n[default]\naccess_key = ", "AKIA", S(rand("AN", 16)), "\nsecret_key = ",
      S(b64(rbytes(30))), "\n")


def kv_dev(d, key, sec):
    d(snake(key), "=", sec, "\n")


def f_aws_credentials(d):
    for prof in ["default", "prod", "backup"]:
        d("[", prof, "]\naws_access_key_id = ", ANY("AKIA"), S(rand("AN", 16)), "\n")
        d("aws_secret_access_key = ", S(b64(rbytes(30))), "\n")
    d("[profile temp]\naws_access_key_id = ", ANY("ASIA"), S(rand("AN", 16)), "\n")
    d("aws_secret_access_key=", S(b64(rbytes(30))), "\n")
    d("aws_session_token=", S(b64(rbytes(267))), "\nregion = eu-west-1\n")


def kv_aws(d, key, sec):
    d(snake(key), " = ", sec, "\n")


def crypt_b64(n):
    return rand("./" + UPPER + LOWER + DIGITS, n)


def f_hashes(d):
    d("# /etc/shadow\n")
    for u, h in [("root", "$6$" + crypt_b64(16) + "$" + crypt_b64(86)),
                 ("deploy", "$y$j9T$" + crypt_b64(24) + "$" + crypt_b64(43)),
                 ("legacy", "$1$" + crypt_b64(8) + "$" + crypt_b64(22)),
                 ("web", "$5$rounds=5000$" + crypt_b64(16) + "$" + crypt_b64(43))]:
        d(u, ":", S(h), ":19700:0:99999:7:::\n")
    d("daemon:*:19700:0:99999:7:::\nnobody:!:19700::::::\n")
    d("# .htpasswd\nadmin:", S("$apr1$" + crypt_b64(8) + "$" + crypt_b64(22)), "\n")
    d("ci:", S("$2y$05$" + crypt_b64(53)), "\n")
    d("old:", S("{SHA}" + b64(rbytes(20))), "\n")
    d("# ldif\nuserPassword: ", S("{SSHA}" + b64(rbytes(24))), "\n")
    d("userPassword:: ", S(b64(("{SSHA}" + b64(rbytes(24))).encode())), "\n")
    d("# mysql.user\nauthentication_string: ", S("*" + rand("HEX", 40)), "\n")
    d("# pg_authid\nrolpassword: ", S("SCRAM-SHA-256$4096:" + b64(rbytes(16)) + "$" + b64(rbytes(32))
                                       + ":" + b64(rbytes(32))), "\n")
    d("rolpassword: ", S("md5" + rand("hex", 32)), "\n")
    d("# django auth_user\npassword: ", S("pbkdf2_sha256$600000$" + rand("b62", 22) + "$"
                                          + b64(rbytes(32))), "\n")
    d("# grub.cfg\npassword_pbkdf2 root ", S("grub.pbkdf2.sha512.10000." + rand("HEX", 128) + "."
                                             + rand("HEX", 128)), "\n")


def kv_hashes(d, key, sec):
    d(snake(key), ":", sec, ":19700:0:99999:7:::\n")


def f_php(d):
    a = "'\\"
    d("<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp' );\n")
    d("define( 'DB_PASSWORD', '", S(pw(avoid=a)), "' );\n")
    for k in ["AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_SALT", "NONCE_SALT"]:
        d("define( '", k, "', '", S(rand(UPPER + LOWER + DIGITS + "!@#$%^&*()-_ []{}<>~`+=,.;:/?|", 64)
                                    .replace("'", "x").replace("\\", "y")), "' );\n")
    d("$config['db_pass'] = '", S(pw(avoid=a)), "';\n")
    d("return [\n    'mysql' => [\n        'username' => 'forge',\n        'password' => '",
      S(pw(avoid=a)), "',\n    ],\n")
    d("    'mail' => ['password' => env('MAIL_PASSWORD', '", S(pw(avoid=a)), "')],\n")
    d("    'stripe' => ['secret' => '", S(pw(avoid=a, style="alnum")), "'],\n];\n")
    d("$dbpass = \"", S(pw(avoid="\"\\$")), "\";\n")
    d("$settings['hash_salt'] = '", S(rand("b64u", 55)), "';\n")


def kv_php(d, key, sec):
    d("define( '", key, "', '", sec, "' );\n")


def f_terraform(d):
    a = "\"\\$"
    d('# terraform.tfvars\nregion = "eu-west-1"\ndb_password = "', S(pw(avoid=a)), '"\n')
    d('admin_pass = "', S(pw(avoid=a)), '"\n')
    d('provider "aws" {\n  region     = "eu-west-1"\n  access_key = "', "AKIA", S(rand("AN", 16)),
      '"\n  secret_key = "', S(b64(rbytes(30))), '"\n}\n')
    d('resource "aws_db_instance" "main" {\n  engine   = "postgres"\n  username = "app"\n'
      '  password = "', S(pw(avoid=a)), '"\n}\n')
    d('variable "api_token" {\n  type    = string\n  default = "', S(pw(avoid=a, style="alnum")), '"\n}\n')
    d('terraform {\n  backend "http" {\n    address  = "https://gitlab.example.com/api/v4/projects/7/terraform/state/prod"\n'
      '    username = "ci"\n    password = "', S(pw(avoid=a)), '"\n  }\n}\n')
    d('resource "random_password" "x" {\n  length = 24\n  special = true\n}\n')
    d('module "vpn" {\n  source = "./vpn"\n  preshared_key = "', S(pw(avoid=a)), '"\n}\n')


def kv_tf(d, key, sec):
    d(snake(key), ' = "', sec, '"\n')


def f_ansible(d):
    a = " #:\"'{}[],&*!|>%@`"
    d("# group_vars/all.yml\nansible_user: deploy\n")
    kvpw(d, "ansible_password", ": ", a)
    kvpw(d, "ansible_become_pass", ": ", a)
    kvpw(d, "mysql_root_password", ": ", a)
    d("vault_db_password: ", S(pw(avoid=a)), "\n")
    d("db_password: \"{{ vault_db_password }}\"\n")
    d("users:\n  - name: ops\n    password: \"", S("$6$" + crypt_b64(16) + "$" + crypt_b64(86)), "\"\n")
    d("# inventory\n[web]\nweb1 ansible_host=10.0.1.11 ansible_user=root ansible_ssh_pass=",
      S(pw(avoid=" \"'=")), "\n")
    d("web2 ansible_host=10.0.1.12 ansible_become_password=", S(pw(avoid=" \"'=")), "\n")
    d("[win]\nwin1 ansible_connection=winrm ansible_winrm_password=", S(pw(avoid=" \"'=")), "\n")
    kvpw(d, "rabbitmq_users_pass", ": ", a)
    kvpw(d, "keepalived_auth", ": ", a)


def kv_ansible(d, key, sec):
    d(snake(key), ": ", sec, "\n")


def f_rails(d):
    a = " #:\"'{}[],&*!|>%@`"
    d("# config/database.yml\nproduction:\n  adapter: postgresql\n  database: shop\n  username: shop\n")
    kvpw(d, "  password", ": ", a)
    d("  host: db1.internal\nstaging:\n  url: postgres://shop:", S(pw(avoid="@:/ #%")), "@db2/shop\n")
    d("development:\n  password: <%= ENV['DATABASE_PASSWORD'] %>\n")
    d("# config/secrets.yml\nproduction:\n  secret_key_base: ", S(rand("hex", 128)), "\n")
    d("  devise_pepper: ", S(rand("hex", 64)), "\n")
    d("# config/storage.yml\namazon:\n  service: S3\n  access_key_id: ", "AKIA", S(rand("AN", 16)),
      "\n  secret_access_key: ", S(b64(rbytes(30))), "\n")
    d("# config/cable.yml\nproduction:\n  adapter: redis\n  url: redis://:", S(pw(avoid="@:/ #%")), "@cache:6379/1\n")


def kv_rails(d, key, sec):
    d("  ", snake(key), ": ", sec, "\n")


def f_django(d):
    a = "'\\"
    d("# settings.py\nSECRET_KEY = '", S("django-insecure-" + rand("an" + "!@#$%^&*(-_=+)", 50)
                                         .replace("'", "x")), "'\n")
    d("DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n")
    d("        'NAME': 'shop',\n        'USER': 'shop',\n        'PASSWORD': '", S(pw(avoid=a)), "',\n")
    d("        'HOST': 'db1.internal',\n    }\n}\n")
    d("EMAIL_HOST_PASSWORD = '", S(pw(avoid=a)), "'\n")
    d("AWS_SECRET_ACCESS_KEY = '", S(b64(rbytes(30))), "'\n")
    d("CELERY_BROKER_URL = 'amqp://shop:", S(pw(avoid="@:/ #%'")), "@mq:5672//'\n")
    d("SOCIAL_AUTH_GITHUB_SECRET = '", S(rand("hex", 40)), "'\n")
    d("CACHES = {'default': {'BACKEND': 'django_redis.cache.RedisCache', 'OPTIONS': "
      "{'PASSWORD': '", S(pw(avoid=a)), "'}}}\n")
    d("AUTH_PASSWORD_VALIDATORS = [{'NAME': 'django.contrib.auth.password_validation."
      "MinimumLengthValidator'}]\n")


def kv_django(d, key, sec):
    d(key, " = '", sec, "'\n")


def f_wifi(d):
    d("# /etc/wpa_supplicant/wpa_supplicant.conf\nctrl_interface=DIR=/run/wpa_supplicant\nnetwork={\n")
    d('    ssid="Office"\n    psk="', S(pw(avoid="\"\\")), '"\n    key_mgmt=WPA-PSK\n}\n')
    d('network={\n    ssid="Lab"\n    psk=', S(rand("hex", 64)), "\n}\n")
    d('network={\n    ssid="Corp"\n    key_mgmt=WPA-EAP\n    eap=PEAP\n    identity="bob@corp"\n'
      '    password="', S(pw(avoid="\"\\")), '"\n    phase2="auth=MSCHAPV2"\n}\n')
    d("# NetworkManager Office.nmconnection\n[wifi-security]\nkey-mgmt=wpa-psk\npsk=", S(pw(avoid="\n")), "\n")
    d("[802-1x]\neap=peap;\nidentity=carol\npassword=", S(pw(avoid="\n")), "\n")
    d("# hostapd.conf\ninterface=wlan0\nssid=Guest\nwpa=2\nwpa_passphrase=", S(pw(avoid="\n")), "\n")
    d("# iwd Home.psk\n[Security]\nPassphrase=", S(pw(avoid="\n")), "\nPreSharedKey=", S(rand("hex", 64)), "\n")
    d("wep_key0=", S(rand("HEX", 26)), "\n")


def kv_wifi(d, key, sec):
    d(snake(key), "=", sec, "\n")


def f_vpn(d):
    d("# /etc/ipsec.secrets\n: PSK \"", S(pw(avoid="\"\\")), "\"\n")
    d("10.1.0.1 10.2.0.1 : PSK 0s", S(b64(rbytes(24))), "\n")
    d("bob : EAP \"", S(pw(avoid="\"\\")), "\"\n")
    d("alice : XAUTH \"", S(pw(avoid="\"\\")), "\"\n: RSA /etc/ipsec.d/private/gw.key\n")
    d("# wg0.conf\n[Interface]\nAddress = 10.9.0.1/24\nPrivateKey = ", S(b64(rbytes(32))), "\nListenPort = 51820\n")
    d("[Peer]\nPublicKey = ", b64(rbytes(32)), "\nPresharedKey = ", S(b64(rbytes(32))), "\nAllowedIPs = 10.9.0.2/32\n")
    d("# swanctl.conf\nsecrets {\n  ike-site {\n    id = site-b\n    secret = ", S(pw(avoid=" \"{}#")), "\n  }\n}\n")
    d("# /etc/openvpn/auth.txt\nvpnuser\n", S(pw(avoid=" \n")), "\n")
    d(ANY("-----BEGIN OpenVPN Static key V1-----"), "\n")
    d(S("\n".join(rand("hex", 32) for _ in range(16))), "\n", ANY("-----END OpenVPN Static key V1-----"), "\n")
    d("# /etc/ppp/chap-secrets\n\"vpnuser\" * \"", S(pw(avoid="\"\\")), "\" *\n")
    d("l2tp * ", S(pw(avoid=" \"\\#")), " *\n")


def kv_vpn(d, key, sec):
    d(snake(key), " = ", sec, "\n")


def f_snmp(d):
    d("# /etc/snmp/snmpd.conf\nsysLocation Rack 4\nrocommunity ", S(pw(avoid=" \"#")), " default\n")
    d("rwcommunity ", S(pw(avoid=" \"#")), " 10.0.0.0/8\n")
    d("com2sec readonly default ", S(pw(avoid=" \"#")), "\n")
    d("createUser monitor SHA \"", S(pw(avoid="\"\\", minlen=8)), "\" AES \"", S(pw(avoid="\"\\", minlen=8)), "\"\n")
    d("createUser backup MD5 ", S(pw(avoid=" \"#", minlen=8)), " DES ", S(pw(avoid=" \"#", minlen=8)), "\n")
    d("rouser monitor priv\n# snmptrapd.conf\nauthCommunity log,execute,net ", S(pw(avoid=" \"#")), "\n")
    d("trapsink monitor.example.com ", S(pw(avoid=" \"#")), "\n")


def kv_snmp(d, key, sec):
    d("# ", key, "\nrocommunity ", sec, " 127.0.0.1\n")


def f_ldap_sssd(d):
    d("# /etc/sssd/sssd.conf\n[domain/corp]\nid_provider = ldap\nldap_uri = ldaps://ldap.corp.example.com\n")
    d("ldap_default_bind_dn = cn=sssd,ou=svc,dc=corp\nldap_default_authtok_type = password\n")
    d("ldap_default_authtok = ", S(pw(avoid=" \n")), "\n")
    d("# /etc/nslcd.conf\nbinddn cn=nslcd,ou=svc,dc=corp\nbindpw ", S(pw(avoid=" \n")), "\n")
    d("# slapd.conf\nrootdn \"cn=admin,dc=corp\"\nrootpw ", S(pw(avoid=" \n")), "\n")
    d("# /etc/ldap.secret\n", S(pw(avoid=" \n")), "\n")
    d("# /etc/pam_ldap.conf\nbindpw ", S(pw(avoid=" \n")), "\n")
    d("# /etc/krb5.conf\n[libdefaults]\n  default_realm = CORP.EXAMPLE.COM\n")
    d("# olcRootPW\nolcRootPW: ", S("{SSHA}" + b64(rbytes(24))), "\n")
    d("# realmd join\nrealm join --one-time-password=", S(pw(avoid=" \n")), " corp.example.com\n")


def kv_ldap(d, key, sec):
    d(snake(key), " = ", sec, "\n")


def f_samba_cifs(d):
    d("# /etc/samba/creds.fs1\nusername=backup\npassword=", S(pw(avoid="\n")), "\ndomain=CORP\n")
    d("# /etc/fstab\n//fs1/share /mnt/share cifs username=bob,password=", S(pw(avoid=", \n")),
      ",uid=1000,vers=3.0 0 0\n")
    d("//fs2/media /mnt/media cifs user=media,pass=", S(pw(avoid=", \n")), ",ro 0 0\n")
    d("# /etc/auto.smb\nshare -fstype=cifs,username=svc,password=", S(pw(avoid=", \n")), " ://fs3/share\n")
    d("# /etc/davfs2/secrets\nhttps://dav.example.com/files alice ", S(pw(avoid=" \n\"")), "\n")
    d("# /etc/iscsi/iscsid.conf\nnode.session.auth.authmethod = CHAP\nnode.session.auth.username = init1\n")
    d("node.session.auth.password = ", S(pw(avoid=" \n")), "\n")
    d("discovery.sendtargets.auth.password_in = ", S(pw(avoid=" \n")), "\n")


def kv_samba(d, key, sec):
    d(snake(key), "=", sec, "\n")


def f_mail(d):
    d("# /etc/postfix/sasl_passwd\n[smtp.gmail.com]:587 alerts@example.com:", S(pw(avoid=" \n")), "\n")
    d("[mail.example.org]:submission relay:", S(pw(avoid=" \n")), "\n")
    d("# ~/.msmtprc\naccount default\nhost smtp.example.org\nuser alerts\npassword ", S(pw(avoid=" \n")), "\n")
    d("# ~/.fetchmailrc\npoll imap.example.org protocol IMAP user \"bob\" password \"",
      S(pw(avoid="\"\\")), "\" ssl\n")
    d("# dovecot passwd-file\nalice:{PLAIN}", S(pw(avoid=": \n")), ":1001:1001::/home/alice::\n")
    d("# exim passwd.client\nsmtp.example.org:relay:", S(pw(avoid=": \n")), "\n")
    d("# ~/.muttrc\nset smtp_pass=\"", S(pw(avoid="\"\\")), "\"\nset imap_pass = ", S(pw(avoid=" \n\"'")), "\n")
    d("# /etc/ssmtp/ssmtp.conf\nAuthUser=alerts@example.com\nAuthPass=", S(pw(avoid=" \n")), "\n")
    d("# /etc/mail/authinfo\nAuthInfo:smtp.example.org \"U:relay\" \"P:", S(pw(avoid="\"\\")), "\" \"M:PLAIN\"\n")


def kv_mail(d, key, sec):
    d("# ", key, "\n[relay.example.com]:587 ", snake(key), ":", sec, "\n")


def f_cluster_auth(d):
    d("# keepalived.conf\nvrrp_instance VI_1 {\n    authentication {\n        auth_type PASS\n")
    d("        auth_pass ", S(pw(avoid=" \n", style="alnum")[:8]), "\n    }\n}\n")
    d("# drbd.d/r0.res\nresource r0 {\n  net {\n    cram-hmac-alg sha1;\n    shared-secret \"",
      S(pw(avoid="\"\\")), "\";\n  }\n}\n")
    d("# /etc/ha.d/authkeys\nauth 1\n1 sha1 ", S(pw(avoid=" \n")), "\n")
    d("# redis sentinel\nsentinel auth-pass mymaster ", S(pw(avoid=" \n")), "\n")
    d("# /etc/redis/redis.conf\nrequirepass ", S(pw(avoid=" \n\"")), "\nmasterauth ", S(pw(avoid=" \n\"")), "\n")
    d("user worker on >", S(pw(avoid=" \n")), " ~jobs:* +@all\n")
    d("# pgbouncer userlist.txt\n\"app\" \"", S(pw(avoid="\"\\")), "\"\n")
    d("\"stats\" \"", S("md5" + rand("hex", 32)), "\"\n")
    d("# consul\nencrypt = \"", S(b64(rbytes(32))), "\"\nacl { tokens { initial_management = \"", S(ruuid()), "\" } }\n")
    d("# etcd\n--peer-client-cert-auth --auth-token simple --root-password ", S(pw(avoid=" \n\"'")), "\n")


def kv_cluster(d, key, sec):
    d(snake(key), " ", sec, "\n")


def f_database_config(d):
    d("# /etc/odbc.ini\n[reporting]\nDriver = PostgreSQL Unicode\nServername = db1\nUsername = report\n")
    d("Password = ", S(pw(avoid=" \n;")), "\n")
    d("# my.cnf\n[client]\nuser = root\npassword = ", S(pw(avoid=" \n#;\"'")), "\n")
    d("# pgbackrest.conf\n[global]\nrepo1-s3-key=", "AKIA", S(rand("AN", 16)), "\n")
    d("repo1-s3-key-secret=", S(b64(rbytes(30))), "\nrepo1-cipher-pass=", S(pw(avoid=" \n")), "\n")
    d("# mongod keyfile\n", S(b64(rbytes(96))), "\n")
    d("# recovery.conf\nprimary_conninfo = 'host=db1 port=5432 user=replicator password=",
      S(pw(avoid=" \n'\\")), " application_name=db2'\n")
    d("# cassandra.yaml\nauthenticator: PasswordAuthenticator\n")
    d("# elasticsearch keystore dump\nbootstrap.password: ", S(pw(avoid=" \n")), "\n")
    d("xpack.security.http.ssl.keystore.secure_password: ", S(pw(avoid=" \n")), "\n")
    d("# influxdb.conf\n  admin-token = \"", S(rand("b64u", 86) + "=="), "\"\n")


def kv_dbconf(d, key, sec):
    d(key, " = ", sec, "\n")


def f_ci_pipelines(d):
    d("# .gitlab-ci.yml\nvariables:\n  DOCKER_DRIVER: overlay2\n  DEPLOY_PASSWORD: \"", S(pw(avoid="\"\\$")), "\"\n")
    d("deploy:\n  script:\n    - curl -u deploy:", S(pw(avoid=" :\"'$")), " -T app.tar https://files.example.com/\n")
    d("# .github/workflows/ci.yml\nenv:\n  REGISTRY_TOKEN: ${{ secrets.REGISTRY_TOKEN }}\n")
    d("  SONAR_LOGIN: ", S(rand("hex", 40)), "\n")
    d("jobs:\n  build:\n    steps:\n      - run: echo \"", S(pw(avoid="\"\\$` ")),
      "\" | docker login -u ci --password-stdin registry.example.io\n")
    d("# Jenkinsfile\nenvironment {\n    API_KEY = '", S(pw(avoid="'\\$", style="alnum")), "'\n")
    d("    NEXUS = credentials('nexus-creds')\n}\n")
    d("# .travis.yml\nenv:\n  global:\n    - secure: \"", ANY(b64(rbytes(256))), "\"\n")
    d("# bitbucket-pipelines.yml\n        - pipe: atlassian/ssh-run:0.4.0\n          variables:\n"
      "            PASSWORD: '", S(pw(avoid="'\\")), "'\n")
    d("# .drone.yml\nsettings:\n  password:\n    from_secret: docker_password\n")


def kv_ci(d, key, sec):
    d("  ", key, ": \"", sec, "\"\n")


def f_connection_strings(d):
    a = ";\"' \n"
    d("Server=sql1.corp;Database=Shop;User Id=shop;Password=", S(pw(avoid=a)), ";Encrypt=true;\n")
    d("Data Source=10.0.0.9;Initial Catalog=Hr;User ID=hr;Pwd=", S(pw(avoid=a)), "\n")
    d("DRIVER={ODBC Driver 18 for SQL Server};SERVER=sql2;UID=etl;PWD={", S(pw(avoid=a + "{}")), "};\n")
    d("jdbc:oracle:thin:scott/", S(pw(avoid=a + "@/", style="alnum")), "@db3.corp:1521:ORCL\n")
    d("jdbc:sqlserver://sql1:1433;databaseName=Shop;user=shop;password=", S(pw(avoid=a)), ";\n")
    d("host=db1 port=5432 dbname=app user=app password=", S(pw(avoid=a)), " sslmode=verify-full\n")
    d("mongodb://admin:", S(pw(avoid=a + "@:/%")), "@mongo1:27017,mongo2:27017/?replicaSet=rs0\n")
    d("DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey=", S(b64(rbytes(64))),
      ";EndpointSuffix=core.windows.net\n")
    d("Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
      "SharedAccessKey=", S(b64(rbytes(32))), "\n")
    d("cache1.example.com:6380,password=", S(pw(avoid=a + ",")), ",ssl=True,abortConnect=False\n")
    d("sqlplus system/", S(pw(avoid=a + "@/", style="alnum")), "@//db3.corp:1521/ORCLPDB1\n")
    d("Provider=MSOLEDBSQL;Data Source=sql3;User ID=sa;Password=", S(pw(avoid=a)), ";\n")
    d("AccountEndpoint=https://shop.documents.azure.com:443/;AccountKey=", S(b64(rbytes(64))), ";\n")


def kv_connstr(d, key, sec):
    d("Server=app1;", key, "=", sec, ";\n")


def f_cron(d):
    d("# m h dom mon dow user command\nSHELL=/bin/sh\nMAILTO=ops@example.com\n")
    d("0 2 * * * root mysqldump -u root -p", S(pw(avoid=" \"'$%`\\;&|")), " shop | gzip > /backup/shop.sql.gz\n")
    d("*/5 * * * * monitor curl -s -u status:", S(pw(avoid=" :\"'$%`\\;&|")),
      " https://status.example.com/api/ping >/dev/null\n")
    d("@daily backup PGPASSWORD=", S(pw(avoid=" \"'$%`\\;&|")), " pg_dump -h db1 app > /backup/app.sql\n")
    d("30 3 * * 0 root /usr/local/bin/rotate --token ", S(pw(avoid=" \"'$%`\\;&|", style="alnum")), "\n")
    d("15 * * * * www-data wget -q -O- 'https://shop.example.com/cron.php?key=", S(pw(avoid=" \"'$%`\\;&|&", style="alnum")),
      "'\n")
    d("0 4 * * * root rsync -a --password-file=/etc/rsync.pass /srv/ backup@nas::srv\n")


def kv_cron(d, key, sec):
    d("0 * * * * root ", key, "=", sec, " /usr/local/bin/sync\n")


def f_dockerfile(d):
    d("FROM python:3.12-slim\nWORKDIR /app\nENV DB_PASSWORD=", S(pw(avoid=" \"'$\\")), "\n")
    d("ENV API_TOKEN=\"", S(pw(avoid="\"$\\", style="alnum")), "\" LOG_LEVEL=info\n")
    d("ARG NPM_TOKEN=", S(rand("b62", 36)), "\n")
    d("RUN pip install --index-url https://ci:", S(pw(avoid="@:/ \"'$%\\")),
      "@pypi.example.com/simple/ -r requirements.txt\n")
    d("RUN echo 'root:", S(pw(avoid="':$ \\")), "' | chpasswd\n")
    d("ENV SECRET_KEY ", S(pw(avoid=" \"'$\\", style="b64")), "\n")
    d("COPY . .\nCMD [\"gunicorn\", \"app:app\"]\n")


def kv_dockerfile(d, key, sec):
    d("ENV ", key, "=", sec, "\n")


# ---- logs: the secret sits inside a longer line

def ts():
    return "Nov %d %02d:%02d:%02d" % (R.randint(10, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))


def iso():
    return "2024-11-%02dT%02d:%02d:%02d.%03dZ" % (R.randint(10, 28), R.randint(0, 23), R.randint(0, 59),
                                                  R.randint(0, 59), R.randint(0, 999))


def sys_prefix(prog="app"):
    return "%s %s %s[%d]: " % (ts(), R.choice(["web1", "db1", "app3", "worker2"]), prog, R.randint(100, 65000))


def f_syslog_app(d):
    a = " \"'\n,;&"
    d(sys_prefix("orders"), "starting orders 2.4.1 (pid file /run/orders.pid)\n")
    d(sys_prefix("orders"), "connecting to redis://:", S(pw(avoid=a + "@:/%")), "@cache.internal:6379/0\n")
    d(sys_prefix("orders"), "login ok user=bob password=", S(pw(avoid=a)), " src=10.0.4.7\n")
    d(sys_prefix("orders"), "settings loaded {db_pass: ", S(pw(avoid=a + "}")), ", pool: 20}\n")
    d(sys_prefix("worker"), "job 4411 failed: upstream rejected key ", S(rand("b62", 32)), " (HTTP 403)\n")
    d(sys_prefix("worker"), "retrying with secret=", S(pw(avoid=a)), "&client=web\n")
    d(sys_prefix("sshd"), "Failed password for invalid user admin from 203.0.113.9 port 52113 ssh2\n")
    d(sys_prefix("app"), "DEBUG auth header: Basic ", S(b64(("svc:" + pw(avoid=":")).encode())), "\n")
    d(sys_prefix("app"), "mail: smtp login failed for alerts (pass ", S(pw(avoid=a + ")")), ")\n")
    d(sys_prefix("app"), "WARN deprecated option --password=", S(pw(avoid=a)), " on the command line\n")
    d(sys_prefix("node"), "Error: connect ECONNREFUSED amqp://guest:", S(pw(avoid=a + "@:/%")), "@mq:5672\n")
    d(sys_prefix("app"), "session created sid=", S(rand("b64u", 43)), " user=carol ttl=3600\n")
    d(sys_prefix("backup"), "uploaded with AccessKey ", "AKIA", S(rand("AN", 16)), " and secret ",
      S(b64(rbytes(30))), " to s3://backups\n")
    d(sys_prefix("app"), "reset link https://shop.example.com/reset?token=", S(rand("b64u", 40)), " sent to bob\n")


def kv_syslog(d, key, sec):
    d(sys_prefix("app"), "environment: ", key, "=", sec, " LOG_LEVEL=info\n")


BARE_LINES = [
    "retrying request with credential {} (attempt 2)",
    "upload failed for {}: 401 Unauthorized",
    "rotated key {} -> new key stored in keyring",
    "loaded {} from the environment",
    "webhook delivery to {} returned 404",
    "using {} for the nightly export",
    "invalid value {} rejected by upstream",
]


def bare_syslog(d, prefix, sec):
    fmt = R.choice(BARE_LINES)
    head, tail = fmt.split("{}")
    d(sys_prefix("app"), head, ANY(prefix) if prefix else "", sec, tail, "\n")


def f_json_log(d):
    q2 = "\"\\"
    for _ in range(2):
        d('{"ts":"', iso(), '","level":"debug","msg":"outgoing request","req":{"method":"POST",'
          '"url":"https://api.example.com/v1/charge","headers":{"Authorization":"Bearer ', S(jwt()),
          '","Content-Type":"application/json"}}}\n')
    d('{"ts":"', iso(), '","level":"info","msg":"signup","body":{"user":{"email":"bob@example.com",'
      '"profile":{"password":"', S(pw(avoid=q2)), '","password_confirm":"', S(pw(avoid=q2)), '"}}}}\n')
    d('{"ts":"', iso(), '","level":"error","msg":"db connect failed","dsn":"postgres://app:',
      S(pw(avoid=q2 + "@:/% ")), '@db1:5432/app","err":"timeout"}\n')
    d('{"ts":"', iso(), '","level":"debug","msg":"config","cfg":{"a":{"b":{"c":{"d":{"secret":"',
      S(pw(avoid=q2)), '"}}}}}}\n')
    d('{"ts":"', iso(), '","level":"info","msg":"token issued","token":"', S(rand("b64u", 43)),
      '","expires_in":3600}\n')
    d('{"ts":"', iso(), '","level":"warn","msg":"retry","headers":{"x-api-key":"', S(rand("b62", 32)), '"}}\n')
    d('{"ts":"', iso(), '","level":"debug","msg":"login","params":{"user":"admin","pw":"', S(pw(avoid=q2)), '"}}\n')
    d('{"ts":"', iso(), '","level":"info","msg":"ok","trace_id":"', rand("hex", 32), '","span_id":"',
      rand("hex", 16), '"}\n')


def kv_jsonlog(d, key, sec):
    d('{"ts":"', iso(), '","level":"debug","msg":"env","env":{"', key, '":"', sec, '"}}\n')


def bare_jsonlog(d, prefix, sec):
    d('{"ts":"', iso(), '","level":"warn","msg":"rejected","value":"', ANY(prefix) if prefix else "",
      sec, '","status":401}\n')


def access_line(d, path_parts):
    d('10.0.%d.%d - - [20/Nov/2024:03:12:09 +0000] "GET ' % (R.randint(0, 9), R.randint(1, 250)))
    d(*path_parts)
    d(' HTTP/1.1" 200 %d "-" "Mozilla/5.0 (X11; Linux x86_64)"\n' % R.randint(100, 90000))


def f_access_log(d):
    access_line(d, ["/api/v1/items?access_token=", S(rand("b64u", 40)), "&page=2"])
    access_line(d, ["/login?user=bob&pass=", S(pw(avoid="& \"%+#?=")), "&next=/"])
    access_line(d, ["/download/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=",
                    ANY("AKIA"), S(rand("AN", 16)), "%2F20241120%2Feu-west-1%2Fs3%2Faws4_request"
                    "&X-Amz-Signature=", S(rand("hex", 64))])
    access_line(d, ["/maps/api/geocode/json?address=Berlin&key=", S(rand("b64u", 39))])
    access_line(d, ["/blob/x.png?sv=2022-11-02&ss=b&srt=o&sp=r&se=2024-12-01T00:00:00Z&sig=",
                    S(b64(rbytes(32)).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"))])
    access_line(d, ["/hooks/deploy?secret=", S(pw(avoid="& \"%+#?="))])
    access_line(d, ["/api/export?apikey=", S(rand("hex", 32)), "&format=csv"])
    access_line(d, ["/reset/confirm/", S(rand("b64u", 32)), "/"])
    access_line(d, ["/static/app.", rand("hex", 8), ".js"])
    access_line(d, ["/oauth/callback?code=", S(rand("b64u", 40)), "&state=", rand("b64u", 16)])
    access_line(d, ["/wp-login.php?pwd=", S(pw(avoid="& \"%+#?="))])


def kv_access(d, key, sec):
    access_line(d, ["/api?", key.lower(), "=", sec])


def bare_access(d, prefix, sec):
    access_line(d, ["/api/v2/check/", ANY(prefix) if prefix else "", sec])


def f_http_debug_log(d):
    d("* Connected to api.example.com (203.0.113.5) port 443\n> GET /v1/account HTTP/2\n")
    d("> Host: api.example.com\n> authorization: Bearer ", S(rand("b62", 40)), "\n> user-agent: curl/8.5.0\n")
    d("< HTTP/2 200\n< set-cookie: session=", S(rand("b64u", 48)), "; Path=/; Secure\n")
    d("send: b'POST /api/token HTTP/1.1\\r\\nHost: auth.example.com\\r\\nAuthorization: Basic ",
      S(b64(("cli:" + pw(avoid=":'\\")).encode())), "\\r\\n\\r\\n'\n")
    d("DEBUG:urllib3.connectionpool:https://api.example.com:443 \"GET /v2/items?api_key=",
      S(rand("hex", 32)), " HTTP/1.1\" 200 512\n")
    d("2024-11-20 03:12:09 DEBUG wire - http-outgoing-0 >> \"Authorization: Bearer ", S(rand("b64u", 64)),
      "[\\r][\\n]\"\n")
    d("2024-11-20 03:12:09 DEBUG headers - http-outgoing-1 >> Cookie: JSESSIONID=", S(rand("HEX", 32)), "\n")
    d("> POST /login HTTP/1.1\n> Content-Type: application/x-www-form-urlencoded\n>\n")
    d("username=admin&password=", S(pw(avoid="& \n%+")), "\n")
    d("> Proxy-Authorization: Basic ", S(b64(("p:" + pw(avoid=":")).encode())), "\n")
    d("> Authorization: NTLM ", S(ntlm(3)), "\n")


def kv_httpdebug(d, key, sec):
    d("> ", key.replace("_", "-").title(), ": ", sec, "\n")


def bare_httpdebug(d, prefix, sec):
    d("> GET /v1/ping?", "q=", ANY(prefix) if prefix else "", sec, " HTTP/1.1\n")


def f_auth_log(d):
    a = " ;\n\"'"
    sp = lambda: "%s %s sudo: " % (ts(), R.choice(["web1", "db1"]))  # noqa: E731
    d(sp(), "    bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/mysql -uroot -p",
      S(pw(avoid=a)), "\n")
    d(sp(), "  alice : TTY=pts/1 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/htpasswd -b /etc/nginx/.htpasswd ops ",
      S(pw(avoid=a)), "\n")
    d(sp(), "   carol : TTY=pts/2 ; PWD=/root ; USER=root ; COMMAND=/usr/local/bin/vault login ",
      S(rand("b62", 26)), "\n")
    d(sp(), "    dave : TTY=pts/0 ; PWD=/home/dave ; USER=postgres ; COMMAND=/usr/bin/psql -c ALTER USER app PASSWORD '",
      S(pw(avoid=a + "'")), "'\n")
    d(sp(), "    bob : TTY=pts/3 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/smbpasswd -a svc ", S(pw(avoid=a)), "\n")
    d(ts(), " web1 sshd[812]: Accepted publickey for deploy from 10.0.0.4 port 50022 ssh2: ED25519 SHA256:",
      b64(rbytes(32))[:43], "\n")
    d(ts(), " web1 su[900]: (to root) bob on pts/0\n")
    d(sp(), "    bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/docker login -u ci -p ",
      S(pw(avoid=a)), " registry.example.io\n")
    d(ts(), " db1 sshpass[77]: executing: sshpass -p ", S(pw(avoid=a)), " ssh backup@nas\n")


def kv_authlog(d, key, sec):
    d(ts(), " web1 sudo:     bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/env ",
      key, "=", sec, " /opt/app/run\n")


def bare_authlog(d, prefix, sec):
    d(ts(), " web1 sudo:     bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/opt/app/bin/rotate ",
      ANY(prefix) if prefix else "", sec, "\n")


def f_shell_history(d):
    a = " \"'$`\\;&|\n"
    d("ls -la\ncd /srv/app\nexport GITHUB_TOKEN=", S(rand("b62", 40)), "\n")
    d("mysql -h db1 -u root -p", S(pw(avoid=a)), " shop\n")
    d("curl -H \"Authorization: token ", S(rand("b62", 40)), "\" https://api.example.com/user\n")
    d("git remote set-url origin https://bob:", S(pw(avoid=a + "@:/%")), "@git.example.com/app.git\n")
    d("echo '", S(pw(avoid=a)), "' | docker login -u bob --password-stdin\n")
    d("openssl passwd -6 '", S(pw(avoid=a)), "'\n")
    d("kubectl create secret generic api --from-literal=token=", S(pw(avoid=a, style="alnum")), "\n")
    d("PGPASSWORD='", S(pw(avoid=a)), "' psql -h db1 -U app\n")
    d("aws configure set aws_secret_access_key ", S(b64(rbytes(30))), "\n")
    d("vault kv put secret/app db_password=", S(pw(avoid=a)), "\n")
    d("systemctl restart nginx\nhistory -c\n")


def kv_history(d, key, sec):
    d("export ", key, "=", sec, "\n")


def bare_history(d, prefix, sec):
    d("./deploy.sh prod ", ANY(prefix) if prefix else "", sec, "\n")


def f_db_log(d):
    a = "'\\\n"
    d("2024-11-20T03:12:09.123456Z    42 Query\tCREATE USER 'etl'@'%' IDENTIFIED BY '", S(pw(avoid=a)), "'\n")
    d("2024-11-20T03:12:10.223456Z    42 Query\tALTER USER 'root'@'localhost' IDENTIFIED BY '", S(pw(avoid=a)), "'\n")
    d("2024-11-20 03:12:11.123 UTC [1234] app@shop LOG:  statement: ALTER ROLE app WITH PASSWORD '",
      S(pw(avoid=a)), "';\n")
    d("2024-11-20 03:12:12.123 UTC [1235] postgres@postgres LOG:  statement: CREATE ROLE etl LOGIN PASSWORD '",
      S(pw(avoid=a)), "';\n")
    d("2024-11-20 03:12:13.123 UTC [1236] ERROR:  syntax error at or near \"PASSWORD\"\n")
    d('1700000000.123456 [0 127.0.0.1:50122] "AUTH" "', S(pw(avoid="\"\\ \n")), '"\n')
    d('1700000001.123456 [0 127.0.0.1:50123] "AUTH" "default" "', S(pw(avoid="\"\\ \n")), '"\n')
    d("2024-11-20T03:12:14.000+0000 I ACCESS [conn12] Successfully authenticated as principal app on admin\n")
    d("2024-11-20 03:12:15 [Note] Access denied for user 'app'@'10.0.0.5' (using password: YES)\n")
    d("2024-11-20T03:12:16.1Z 7 Query\tSET PASSWORD FOR 'x'@'%' = PASSWORD('", S(pw(avoid=a)), "')\n")


def kv_dblog(d, key, sec):
    d("2024-11-20T03:12:17.123456Z    43 Query\tSET @", snake(key), " = '", sec, "'\n")


def f_java_log(d):
    a = " ,\n\"'&"
    jp = lambda lvl="DEBUG": "2024-11-20 03:12:%02d,%03d %s [main] " % (R.randint(0, 59), R.randint(0, 999), lvl)  # noqa: E731
    d(jp(), "o.s.b.c.p.DataSourceProperties - url=jdbc:postgresql://db1/app, username=app, password=",
      S(pw(avoid=a)), "\n")
    d(jp("INFO"), "com.zaxxer.hikari.HikariConfig - jdbcUrl.....jdbc:mysql://db1/shop?user=shop&password=",
      S(pw(avoid=a)), "\n")
    d(jp("ERROR"), "o.a.k.c.n.Selector - SASL config: org.apache.kafka.common.security.plain.PlainLoginModule "
      "required username=\"bus\" password=\"", S(pw(avoid=a)), "\";\n")
    d(jp("WARN"), "c.e.shop.Client - request failed: https://svc:", S(pw(avoid=a + "@:/%")),
      "@inventory.internal/api returned 503\n")
    d("java.sql.SQLException: Access denied for user 'app'@'10.0.0.5' (using password: YES)\n"
      "\tat com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:129)\n")
    d(jp(), "c.e.shop.Config - loaded properties {mail.password=", S(pw(avoid=a + "}")),
      ", mail.host=smtp.example.org}\n")
    d(jp("INFO"), "o.a.c.c.C.[Tomcat].[localhost].[/] - Initializing Spring DispatcherServlet\n")
    d(jp(), "c.e.auth.TokenService - issued refresh_token=", S(rand("b64u", 64)), " for user 42\n")


def kv_javalog(d, key, sec):
    d("2024-11-20 03:12:18,000 DEBUG [main] c.e.Env - ", dotted(key), " = ", sec, "\n")


def bare_javalog(d, prefix, sec):
    d("2024-11-20 03:12:19,000 WARN [pool-1] c.e.Client - remote rejected ", ANY(prefix) if prefix else "",
      sec, ", falling back\n")


def f_python_log(d):
    a = "'\\\n"
    d("DEBUG:app.settings:settings={'DB_PASSWORD': '", S(pw(avoid=a)), "', 'DEBUG': False}\n")
    d("INFO:app.client:kwargs: {'api_key': '", S(rand("hex", 32)), "', 'timeout': 30}\n")
    d("ERROR:app.db:connection failed: OperationalError('FATAL: password authentication failed for user \"app\"')\n")
    d("  File \"/srv/app/db.py\", line 42, in connect\n    conn = psycopg2.connect(host=h, password='",
      S(pw(avoid=a)), "')\n")
    d("WARNING:celery:broker url amqp://app:", S(pw(avoid=a + "@:/% ")), "@mq:5672// unreachable\n")
    d("self = <Client object>, token = '", S(rand("b64u", 40)), "'\n")
    d("DEBUG:requests_oauthlib:Token {'access_token': '", S(rand("b64u", 40)), "', 'refresh_token': '",
      S(rand("b64u", 40)), "', 'expires_in': 3600}\n")
    d("INFO:root:user=bob secret=", S(pw(avoid=a + " ")), " action=login\n")


def kv_pylog(d, key, sec):
    d("DEBUG:app.env:", key, "='", sec, "'\n")


def bare_pylog(d, prefix, sec):
    d("WARNING:app.client:server refused ", ANY(prefix) if prefix else "", sec, " (401)\n")


def f_container_log(d):
    a = "\"\\ ,\n"
    d('"Env": ["PATH=/usr/local/sbin:/usr/local/bin", "DB_PASSWORD=', S(pw(avoid=a)), '", "TZ=UTC"],\n')
    d(iso(), " stdout F Container env: REDIS_PASS=", S(pw(avoid=a)), "\n")
    d('time="', iso(), '" level=info msg="starting container" args="[-e SECRET_KEY=',
      S(pw(avoid=a + "]", style="b64")), ']"\n')
    d("I1120 03:12:09.123456    1200 kubelet.go:2222] \"env\" pod=\"shop/api-7d9f8b6c5-xk2lp\" "
      "API_TOKEN=\"", S(pw(avoid=a, style="alnum")), "\"\n")
    d(iso(), " stderr F Warning: Using a password on the command line interface can be insecure.\n")
    d(iso(), " stdout F mysql: [Warning] using --password=", S(pw(avoid=a)), "\n")
    d("Events:\n  Normal  Pulled  12s  kubelet  Successfully pulled image \"registry.example.io/api@sha256:",
      rand("hex", 64), "\"\n")


def kv_container(d, key, sec):
    d('"Env": ["', key, "=", sec, '"],\n')


def bare_container(d, prefix, sec):
    d(iso(), " stdout F refusing stale credential ", ANY(prefix) if prefix else "", sec, "\n")


def f_cloud_init_log(d):
    d("2024-11-20 03:12:09,123 - util.py[DEBUG]: Running command ['kubeadm', 'join', '10.0.0.1:6443', "
      "'--token', '", S(rand("an", 6) + "." + rand("an", 16)), "', '--discovery-token-ca-cert-hash', "
      "'sha256:", rand("hex", 64), "']\n")
    d("2024-11-20 03:12:10,123 - cc_set_passwords.py[DEBUG]: chpasswd list: root:", S(pw(avoid=" '\n:")), "\n")
    d("2024-11-20 03:12:11,123 - util.py[DEBUG]: user-data: password: ", S(pw(avoid=" '\n")), "\n")
    d("2024-11-20 03:12:12,123 - handlers.py[DEBUG]: runcmd: [curl, -H, 'PRIVATE-TOKEN: ",
      S(rand("b64u", 20)), "', https://git.example.com/api]\n")
    d("2024-11-20 03:12:13,123 - util.py[DEBUG]: Writing to /etc/ssh/ssh_host_ed25519_key - wb: [600] 387 bytes\n")
    d("2024-11-20 03:12:14,123 - cc_ssh.py[DEBUG]: ssh_authorized_keys: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI",
      b64(rbytes(30))[:40], " ops@laptop\n")


def kv_cloudinit(d, key, sec):
    d("2024-11-20 03:12:15,123 - util.py[DEBUG]: write_files env: ", key, "=", sec, "\n")


# name, file name, builder, key/value renderer, bare-token renderer (logs), kind
FORMATS = [
    ("ini", "app.ini", f_ini, kv_ini, None, "config"),
    ("dotenv", "dot.env", f_dotenv, kv_env, None, "config"),
    ("yaml", "app.yaml", f_yaml, kv_yaml, None, "config"),
    ("json-deep", "app.json", f_json_deep, kv_json, None, "config"),
    ("xml", "web.config", f_xml, kv_xml, None, "config"),
    ("toml", "config.toml", f_toml, kv_toml, None, "config"),
    ("properties", "application.properties", f_properties, kv_properties, None, "config"),
    ("shell-script", "backup.sh", f_shell, kv_shell, None, "config"),
    ("systemd-unit", "orders.service", f_systemd, kv_systemd, None, "config"),
    ("nginx", "nginx-site.conf", f_nginx, kv_nginx, None, "config"),
    ("apache", "apache-vhost.conf", f_apache, kv_apache, None, "config"),
    ("haproxy", "haproxy.cfg", f_haproxy, kv_haproxy, None, "config"),
    ("sql", "provision.sql", f_sql, kv_sql, None, "config"),
    ("powershell", "provision.ps1", f_powershell, kv_powershell, None, "config"),
    ("command-lines", "commands.txt", f_cli, kv_cli, None, "config"),
    ("urls", "urls.conf", f_urls, kv_urls, None, "config"),
    ("docker", "docker-config.txt", f_docker, kv_docker, None, "config"),
    ("kubernetes", "k8s.yaml", f_k8s, kv_k8s, None, "config"),
    ("jwk", "keys.jwk.json", f_jwk, kv_jwk, None, "config"),
    ("private-keys", "keys.txt", f_pem, kv_pem, None, "config"),
    ("age", "age-keys.txt", f_age, kv_age, None, "config"),
    ("nats", "nats.creds", f_nats, kv_nats, None, "config"),
    ("http-headers", "http-requests.txt", f_http_headers, kv_http, None, "config"),
    ("otp-seeds", "otp.txt", f_otp, kv_otp, None, "config"),
    ("typed-declarations", "code.txt", f_typed_decl, kv_typed, None, "config"),
    ("prose", "notes.txt", f_prose, kv_prose, None, "config"),
    ("i18n-config", "i18n.conf", f_i18n_config, None, None, "config"),
    ("i18n-prose", "i18n-notes.txt", f_i18n_prose, None, None, "config"),
    ("netrc", "netrc", f_netrc, kv_cred, None, "config"),
    ("unix-credentials", "credentials.txt", f_pgpass, None, None, "config"),
    ("dev-credentials", "dev-credentials.txt", f_dev_credentials, kv_dev, None, "config"),
    ("aws-credentials", "aws-credentials", f_aws_credentials, kv_aws, None, "config"),
    ("password-hashes", "hashes.txt", f_hashes, kv_hashes, None, "config"),
    ("php", "wp-config.php", f_php, kv_php, None, "config"),
    ("terraform", "main.tf", f_terraform, kv_tf, None, "config"),
    ("ansible", "ansible-vars.yml", f_ansible, kv_ansible, None, "config"),
    ("rails", "rails-config.yml", f_rails, kv_rails, None, "config"),
    ("django", "settings.py", f_django, kv_django, None, "config"),
    ("wifi", "wifi.conf", f_wifi, kv_wifi, None, "config"),
    ("vpn", "vpn.conf", f_vpn, kv_vpn, None, "config"),
    ("snmp", "snmpd.conf", f_snmp, kv_snmp, None, "config"),
    ("ldap-sssd", "sssd.conf", f_ldap_sssd, kv_ldap, None, "config"),
    ("cifs-iscsi", "mounts.conf", f_samba_cifs, kv_samba, None, "config"),
    ("mail", "mail.conf", f_mail, kv_mail, None, "config"),
    ("cluster-auth", "cluster.conf", f_cluster_auth, kv_cluster, None, "config"),
    ("database-config", "database.conf", f_database_config, kv_dbconf, None, "config"),
    ("ci-pipelines", "ci.yml", f_ci_pipelines, kv_ci, None, "config"),
    ("connection-strings", "connections.txt", f_connection_strings, kv_connstr, None, "config"),
    ("crontab", "crontab", f_cron, kv_cron, None, "config"),
    ("dockerfile", "Dockerfile", f_dockerfile, kv_dockerfile, None, "config"),
    ("syslog-app", "app-syslog.log", f_syslog_app, kv_syslog, bare_syslog, "log"),
    ("json-log", "app-json.log", f_json_log, kv_jsonlog, bare_jsonlog, "log"),
    ("access-log", "access.log", f_access_log, kv_access, bare_access, "log"),
    ("http-debug-log", "http-debug.log", f_http_debug_log, kv_httpdebug, bare_httpdebug, "log"),
    ("auth-log", "auth.log", f_auth_log, kv_authlog, bare_authlog, "log"),
    ("shell-history", "bash_history", f_shell_history, kv_history, bare_history, "log"),
    ("db-log", "db-general.log", f_db_log, kv_dblog, None, "log"),
    ("java-log", "catalina.log", f_java_log, kv_javalog, bare_javalog, "log"),
    ("python-log", "python-app.log", f_python_log, kv_pylog, bare_pylog, "log"),
    ("container-log", "container.log", f_container_log, kv_container, bare_container, "log"),
    ("cloud-init-log", "cloud-init.log", f_cloud_init_log, kv_cloudinit, None, "log"),
]


def halves(names):
    """The first half (sorted by SHA-256 of the name) is A, the rest B."""
    order = sorted(names, key=lambda n: hashlib.sha256(n.encode()).hexdigest())
    cut = (len(order) + 1) // 2
    return {n: ("A" if i < cut else "B") for i, n in enumerate(order)}


def place_vendors(formats, vendors, token, other):
    """The formats' documents with each vendor's token three times: after its
    key in a configuration and in a log format, and bare in a log (a token
    that may stand alone) or after its key in a third format (other: how far
    on that one is). token(v) gives (prefix, secret)."""
    docs = {}
    for name, fname, builder, _kv, _bare, _kind in formats:
        d = Doc(fname, name)
        builder(d)
        docs[name] = d
    kv_cfg = [f for f in formats if f[3] and f[5] == "config"]
    kv_log = [f for f in formats if f[3] and f[5] == "log"]
    bare_log = [f for f in formats if f[4]]
    for i, v in enumerate(vendors):
        group = "vendor:" + v["vendor"]
        plan = [("kv", kv_cfg[i % len(kv_cfg)]), ("kv", kv_log[i % len(kv_log)])]
        if v["placement"] == "any":
            plan.append(("bare", bare_log[i % len(bare_log)]))
        else:
            plan.append(("kv", kv_cfg[(i + other) % len(kv_cfg)]))
        for how, f in plan:
            prefix, secret = token(v)
            d = docs[f[0]]
            if how == "kv":
                f[3](d, v["key"], [prefix, S(secret, group)])
            else:
                f[4](d, prefix, S(secret, group))
    return [docs[f[0]] for f in formats]


def build_secrets(vendors):
    return place_vendors(FORMATS, vendors, vtoken, 7)


def flatten(parts):
    for p in parts:
        if isinstance(p, list):
            yield from flatten(p)
        else:
            yield p


def write_doc(outdir, sub, d, half_of, rows):
    data = bytearray()
    for p in flatten(d.parts):
        text = p.value if isinstance(p, Sec) else p
        raw = text.encode("utf-8")
        if isinstance(p, Sec):
            group = p.group or d.fmt
            both = (half_of.get(d.fmt, "A"), half_of.get(group, "A"))
            half = "C" if "C" in both else "B" if "B" in both else "A"
            rows.append((sub + "/" + d.name, len(data), len(data) + len(raw), d.fmt, group, half, p.kind))
        data += raw
    with open(os.path.join(outdir, sub, d.name), "wb") as f:
        f.write(data)
    return data.count(b"\n")


# ---------------------------------------------------------------------------
# ordinary lines: none of these may change

# Debian package names that contain words a redactor looks for
PKGS = ("libsecret-1-0 libsecret-common gir1.2-secret-1 gnome-keyring libpam-gnome-keyring "
        "python3-keyring python3-secretstorage keyutils libkeyutils1 passwd base-passwd pass "
        "password-store libpasswdqc1 libpam-passwdqc pwgen makepasswd apg libcrypt-passwdmd5-perl "
        "ssh-askpass ksshaskpass libauthen-passphrase-perl git-secret git-secrets gopass "
        "libdata-password-perl golang-golang-x-oauth2-dev python3-oauthlib libtoken-perl "
        "golang-github-docker-docker-credential-helpers-dev amazon-ecr-credential-helper "
        "git-credential-oauth libapache2-mod-auth-openidc libpam-pwquality cracklib-runtime "
        "libsasl2-modules openssh-client libssl3 ca-certificates debian-archive-keyring "
        "libgcrypt20 libgpg-error0 gpg-agent pinentry-curses kpcli keepassxc "
        "libkf5wallet-bin kwalletmanager seahorse libpam-tmpdir cryptsetup-nuke-password "
        "libauthen-sasl-perl libnss-ldapd nslcd sssd-krb5 krb5-user libapr1 "
        "libsodium23 libargon2-1 python3-jwt node-jsonwebtoken libjwt2 sudo").split()


def version():
    return R.choice(["%d.%d.%d-%d" % (R.randint(0, 9), R.randint(0, 40), R.randint(0, 20), R.randint(1, 5)),
                     "1:%d.%d+dfsg1-%d" % (R.randint(1, 9), R.randint(0, 20), R.randint(1, 3)),
                     "%d.%d-%d+deb12u%d" % (R.randint(1, 9), R.randint(0, 40), R.randint(1, 9), R.randint(1, 9)),
                     "%d.%d.%d-%dubuntu%d.%d" % (R.randint(0, 9), R.randint(0, 20), R.randint(0, 9),
                                                 R.randint(1, 3), R.randint(1, 5), R.randint(1, 3))])


def o_dpkg_log():
    # the lines of issue 19: a package name with "secret" in it, its versions
    out = ["2024-05-01 10:00:00 install libsecret-1-0:amd64 <none> 0.20.5-1",
           "2024-05-01 10:00:00 status half-installed libsecret-1-0:amd64 0.20.5-1",
           "2024-05-01 10:00:01 status unpacked libsecret-1-0:amd64 0.20.5-1",
           "2024-05-01 10:00:02 configure libsecret-1-0:amd64 0.20.5-1 <none>",
           "2024-05-01 10:00:02 status installed libsecret-1-0:amd64 0.20.5-1"]
    for _ in range(220):
        p, arch = R.choice(PKGS), R.choice(["amd64", "all", "arm64"])
        t = "2024-%02d-%02d %02d:%02d:%02d" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23),
                                               R.randint(0, 59), R.randint(0, 59))
        v1, v2 = version(), version()
        out.append(R.choice([
            "%s install %s:%s <none> %s" % (t, p, arch, v1),
            "%s status half-installed %s:%s %s" % (t, p, arch, v1),
            "%s status unpacked %s:%s %s" % (t, p, arch, v1),
            "%s status installed %s:%s %s" % (t, p, arch, v1),
            "%s configure %s:%s %s <none>" % (t, p, arch, v1),
            "%s upgrade %s:%s %s %s" % (t, p, arch, v1, v2),
            "%s status triggers-pending %s:%s %s" % (t, p, arch, v1),
            "%s trigproc %s:%s %s <none>" % (t, p, arch, v1),
            "%s remove %s:%s %s <none>" % (t, p, arch, v1),
            "%s conffile /etc/pam.d/%s keep" % (t, R.choice(["passwd", "common-password", "chpasswd"])),
            "%s startup packages configure" % t,
        ]))
    return "\n".join(out) + "\n"


def o_apt_history():
    out = ["Start-Date: 2024-05-01  10:00:00",
           "Commandline: apt-get install -y gnome-keyring",
           "Install: libsecret-1-0:amd64 (0.20.5-1, automatic), libsecret-common:amd64 (0.20.5-1, "
           "automatic), gnome-keyring:amd64 (42.1-1+b2), libpam-gnome-keyring:amd64 (42.1-1+b2, automatic)",
           "End-Date: 2024-05-01  10:00:03", ""]
    for _ in range(40):
        t = "2024-%02d-%02d  %02d:%02d:%02d" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23),
                                                R.randint(0, 59), R.randint(0, 59))
        pk = R.sample(PKGS, R.randint(2, 6))
        out.append("Start-Date: " + t)
        out.append("Commandline: apt-get install -y " + " ".join(pk[:2]))
        out.append("Requested-By: admin (1000)")
        out.append(R.choice(["Install: ", "Upgrade: "]) + ", ".join(
            "%s:amd64 (%s%s)" % (p, version(), R.choice([", automatic", ", " + version(), ""])) for p in pk))
        out.append("End-Date: " + t)
        out.append("")
    return "\n".join(out) + "\n"


def o_package_metadata():
    out = []
    for p in PKGS[:40]:
        out += ["Package: " + p, "Status: install ok installed", "Priority: optional",
                "Section: " + R.choice(["libs", "admin", "utils", "perl", "python"]),
                "Installed-Size: %d" % R.randint(20, 9000), "Maintainer: Debian Maintainers <pkg@lists.debian.org>",
                "Architecture: amd64", "Multi-Arch: same", "Version: " + version(),
                "Depends: libc6 (>= 2.34), libglib2.0-0 (>= 2.40), " + R.choice(PKGS),
                "Filename: pool/main/%s/%s/%s_%s_amd64.deb" % (p[0], p, p, version()),
                "Size: %d" % R.randint(9000, 900000),
                "MD5sum: " + rand("hex", 32), "SHA256: " + rand("hex", 64),
                "Description: " + R.choice(["store and retrieve passwords and other secrets",
                                            "GNOME keyring services (daemon and tools)",
                                            "password strength checking library",
                                            "token bucket helpers", "credential helpers for registries"]),
                "Description-md5: " + rand("hex", 32),
                "Conffiles:", " /etc/pam.d/%s %s" % (R.choice(["passwd", "common-auth"]), rand("hex", 32)), ""]
    return "\n".join(out) + "\n"


def o_lockfiles():
    out = ["# requirements.txt"]
    for p in ["keyring", "secretstorage", "passlib", "pyjwt", "oauthlib", "requests", "cryptography"]:
        out.append("%s==%d.%d.%d \\" % (p, R.randint(0, 40), R.randint(0, 20), R.randint(0, 9)))
        out.append("    --hash=sha256:" + rand("hex", 64))
    out.append("# go.sum")
    for m in ["golang.org/x/oauth2", "github.com/golang-jwt/jwt/v5", "github.com/docker/docker-credential-helpers",
              "golang.org/x/crypto", "github.com/zalando/go-keyring"]:
        v = "v0.%d.%d" % (R.randint(0, 30), R.randint(0, 9))
        out.append("%s %s h1:%s" % (m, v, b64(rbytes(32))))
        out.append("%s %s/go.mod h1:%s" % (m, v, b64(rbytes(32))))
    out.append("# package-lock.json")
    for m in ["jsonwebtoken", "passport-local", "bcryptjs", "dotenv", "keytar"]:
        out.append('    "node_modules/%s": {' % m)
        out.append('      "version": "%d.%d.%d",' % (R.randint(0, 9), R.randint(0, 9), R.randint(0, 9)))
        out.append('      "resolved": "https://registry.npmjs.org/%s/-/%s-1.0.0.tgz",' % (m, m))
        out.append('      "integrity": "sha512-%s"' % b64(rbytes(64)))
        out.append("    },")
    out.append("# Cargo.lock")
    for m in ["secrecy", "zeroize", "keyring", "jsonwebtoken"]:
        out += ["[[package]]", 'name = "%s"' % m, 'version = "0.%d.%d"' % (R.randint(0, 9), R.randint(0, 9)),
                'source = "registry+https://github.com/rust-lang/crates.io-index"',
                'checksum = "%s"' % rand("hex", 64)]
    out.append("# yarn.lock")
    out += ['passport-jwt@^4.0.1:', '  version "4.0.1"',
            '  resolved "https://registry.yarnpkg.com/passport-jwt/-/passport-jwt-4.0.1.tgz#%s"' % rand("hex", 40),
            '  integrity sha512-%s' % b64(rbytes(64))]
    return "\n".join(out) + "\n"


def o_git():
    out = []
    for _ in range(30):
        c = rand("hex", 40)
        out += ["commit " + c, "Author: %s <%s@example.com>" % (R.choice(USERS), R.choice(USERS)),
                "Date:   Wed Nov 20 03:12:09 2024 +0000", "",
                "    " + R.choice(["Fix password reset token expiry", "Rotate secret handling in keyring",
                                   "Add credential helper docs", "Bump libsecret to 0.21",
                                   "Do not log the api key", "Refactor token refresh"]), ""]
    out += ["%s %s refs/heads/main" % (rand("hex", 40), rand("hex", 40)) for _ in range(5)]
    out += ["%s refs/tags/v%d.%d.%d" % (rand("hex", 40), R.randint(0, 3), R.randint(0, 20), R.randint(0, 9))
            for _ in range(5)]
    out += ["%s HEAD@{%d}: commit: update secrets docs" % (rand("hex", 7), i) for i in range(5)]
    return "\n".join(out) + "\n"


def o_public_keys():
    out = ["# authorized_keys"]
    for _ in range(6):
        out.append("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s %s@laptop" % (b64(rbytes(30))[:43], R.choice(USERS)))
        out.append("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ%s %s@ws" % (b64(rbytes(380)), R.choice(USERS)))
    out.append("# known_hosts")
    for _ in range(5):
        out.append("|1|%s|%s ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB%s" % (
            b64(rbytes(20)), b64(rbytes(20)), b64(rbytes(63))))
    out.append("# ssh-keygen -lf")
    for _ in range(4):
        out.append("256 SHA256:%s root@web1 (ED25519)" % b64(rbytes(32)).rstrip("="))
    out += ["-----BEGIN CERTIFICATE-----"]
    raw = b64(b"\x30\x82\x03\x55\x30\x82\x02\x3d\xa0\x03\x02\x01\x02" + rbytes(840))
    out += [raw[i:i + 64] for i in range(0, len(raw), 64)] + ["-----END CERTIFICATE-----"]
    out += ["-----BEGIN PUBLIC KEY-----"]
    raw = b64(b"\x30\x82\x01\x22\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01" + rbytes(270))
    out += [raw[i:i + 64] for i in range(0, len(raw), 64)] + ["-----END PUBLIC KEY-----"]
    out += ["-----BEGIN PGP PUBLIC KEY BLOCK-----", "", *[b64(rbytes(48)) for _ in range(12)],
            "=" + rand("b64", 4), "-----END PGP PUBLIC KEY BLOCK-----"]
    out += ["-----BEGIN PGP SIGNATURE-----", "", *[b64(rbytes(48)) for _ in range(6)],
            "=" + rand("b64", 4), "-----END PGP SIGNATURE-----"]
    out.append('{"keys": [{"kty": "RSA", "kid": "%s", "use": "sig", "alg": "RS256", "n": "%s", "e": "AQAB"},'
               % (ruuid(), b64u(rbytes(256))))
    out.append('  {"kty": "EC", "crv": "P-256", "x": "%s", "y": "%s"},' % (b64u(rbytes(32)), b64u(rbytes(32))))
    out.append('  {"kty": "OKP", "crv": "Ed25519", "x": "%s"}]}' % b64u(rbytes(32)))
    out.append("# public key: age1" + rand(BECH, 58))
    out.append("recipients: age1%s, age1%s" % (rand(BECH, 58), rand(BECH, 58)))
    out.append("authorization { users = [ { nkey: U%s } ] }" % rand("b32", 55))
    out.append("operator: O%s" % rand("b32", 55))
    out.append("[Peer]\nPublicKey = %s\nEndpoint = vpn.example.com:51820" % b64(rbytes(32)))
    spki = b"\x30\x81\x9f\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00\x03\x81\x8d\x00"
    out.append('default._domainkey IN TXT "v=DKIM1; k=rsa; p=%s"' % b64(spki + rbytes(141)))
    out.append("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel1; bh=%s; b=%s" % (
        b64(rbytes(32)), b64(rbytes(128))))
    return "\n".join(out) + "\n"


def o_ids():
    out = ["# /etc/fstab"]
    for mp in ["/", "/boot", "/home", "/var", "none"]:
        out.append("UUID=%s %s ext4 defaults 0 %d" % (ruuid(), mp, R.randint(0, 2)))
    out.append("# /etc/crypttab")
    out.append("luks-%s UUID=%s none luks,discard" % (ruuid(), ruuid()))
    out.append("cryptswap /dev/sdb2 /dev/urandom swap,cipher=aes-xts-plain64,size=512")
    out.append("# blkid")
    for dev in ["sda1", "sda2", "nvme0n1p1"]:
        out.append('/dev/%s: UUID="%s" BLOCK_SIZE="4096" TYPE="ext4" PARTUUID="%s"' % (dev, ruuid(), ruuid()))
    out.append("# machine-id")
    out.append(rand("hex", 32))
    out.append("product_uuid: " + ruuid().upper())
    out.append("BOOT_IMAGE=/vmlinuz-6.1.0-27-amd64 root=UUID=%s ro quiet" % ruuid())
    for _ in range(8):
        out.append("%s web1 containerd[640]: time=\"%s\" level=info msg=\"shim disconnected\" id=%s namespace=k8s.io"
                   % (ts(), iso(), rand("hex", 64)))
    for _ in range(6):
        out.append("%s web1 systemd[1]: Started run-r%s.scope - /usr/bin/systemctl start man-db.service."
                   % (ts(), rand("hex", 32)))
        out.append("%s web1 kubelet[1200]: I1120 03:12:09.123 pod_workers.go:1298] \"Pod started\" pod=\"shop/api-%s-%s\" "
                   "podUID=\"%s\"" % (ts(), rand("hex", 10), rand("an", 5), ruuid()))
    out.append("traceparent: 00-%s-%s-01" % (rand("hex", 32), rand("hex", 16)))
    out.append("X-Request-Id: %s" % ruuid())
    out.append("x-amz-request-id: %s" % rand("HEX", 16))
    out.append("Docker image registry.example.io/shop@sha256:%s" % rand("hex", 64))
    out.append("ELF 64-bit LSB pie executable, BuildID[sha1]=%s, stripped" % rand("hex", 40))
    out.append("_SYSTEMD_INVOCATION_ID=%s" % rand("hex", 32))
    out.append("__CURSOR=s=%s;i=%x;b=%s;m=%x;t=%x;x=%s" % (rand("hex", 32), R.randint(1, 99999), rand("hex", 32),
                                                          R.randint(1, 10**9), R.randint(1, 10**15), rand("hex", 16)))
    return "\n".join(out) + "\n"


def o_logs():
    out = []
    lines = [
        "sshd[{p}]: Failed password for root from 203.0.113.{n} port {port} ssh2",
        "sshd[{p}]: Accepted password for deploy from 10.0.0.{n} port {port} ssh2",
        "sshd[{p}]: Accepted publickey for deploy from 10.0.0.{n} port {port} ssh2: ED25519 SHA256:{fp}",
        "passwd[{p}]: pam_unix(passwd:chauthtok): password changed for bob",
        "chpasswd[{p}]: pam_unix(chpasswd:chauthtok): password changed for ops",
        "gnome-keyring-daemon[{p}]: GNOME_KEYRING_CONTROL=/run/user/1000/keyring",
        "gnome-keyring-daemon[{p}]: the Secret Service was already initialized",
        "systemd[1]: Started gnome-keyring-daemon.service - GNOME Keyring daemon.",
        "dbus-daemon[{p}]: [session uid=1000 pid={p}] Activating service name='org.freedesktop.secrets'",
        "sudo[{p}]: pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0",
        "sudo[{p}]:      bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/apt-get install libsecret-1-0",
        "sudo[{p}]:      bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/passwd carol",
        "app[{p}]: token refresh for user=bob ok (expires in 3600s)",
        "app[{p}]: invalid token supplied by 10.0.0.{n}",
        "app[{p}]: password reset requested for user id {n}",
        "app[{p}]: secret rotation finished: 4 secrets, 0 failures",
        "app[{p}]: Using keyring backend keyring.backends.SecretService.Keyring",
        "kernel: [    2.{n}] random: crng init done",
        "kernel: [    0.{n}] secureboot: Secure boot enabled",
        "kernel: [    1.{n}] Key type asymmetric registered",
        "kernel: [    1.{n}] Loaded X.509 cert 'Debian Secure Boot CA: {hex40}'",
        "postfix/smtpd[{p}]: {qid}: client=mail.example.com[192.0.2.{n}], sasl_method=PLAIN, sasl_username=relay",
        "postfix/cleanup[{p}]: {qid}: message-id=<{mid}@mail.example.com>",
        "dovecot: auth: passwd-file(alice,10.0.0.{n}): Password mismatch",
        "dovecot: imap-login: Login: user=<bob>, method=PLAIN, rip=10.0.0.{n}, mpid={p}, TLS",
        "polkitd[{p}]: Registered Authentication Agent for unix-session:3",
        "systemd-logind[{p}]: New session {n} of user bob.",
        "CRON[{p}]: (root) CMD (test -x /usr/sbin/anacron || run-parts --report /etc/cron.daily)",
        "nginx: 10.0.0.{n} - - [20/Nov/2024:03:12:09 +0000] \"GET /static/app.{hex8}.js HTTP/1.1\" 200 5123",
        "audit: type=USER_AUTH msg=audit(1700000000.{n}:{p}): pid={p} uid=0 auid=1000 ses=3 "
        "msg='op=PAM:authentication grantors=pam_unix acct=\"bob\" exe=\"/usr/bin/sudo\" res=success'",
        "NetworkManager[{p}]: <info>  [1700000000.{n}] device (wlan0): Activation: (wifi) connection 'Office' "
        "has security, and secrets exist.  No new secrets needed.",
        "wpa_supplicant[{p}]: wlan0: WPA: Key negotiation completed with 00:11:22:33:44:{n2}",
        "kubelet[{p}]: I1120 03:12:09.123 secret.go:194] Setting up volume \"default-token-{an5}\" for pod {uuid}",
        "kubelet[{p}]: MountVolume.SetUp succeeded for volume \"kube-api-access-{an5}\"",
        "containerd[{p}]: pulling image registry.example.io/api@sha256:{hex64}",
        "vault[{p}]: core: successfully mounted backend: type=kv path=secret/",
        "vault[{p}]: core: post-unseal setup complete",
        "snapd[{p}]: storehelpers.go:773: cannot refresh: snap has no updates available: \"core22\"",
        "apt-helper[{p}]: E: Sub-process /lib/systemd/systemd-networkd-wait-online returned an error code (1)",
        "systemd[1]: Starting secret-tool-cleanup.timer...",
        "pkexec[{p}]: bob: Executing command [USER=root] [TTY=unknown] [CWD=/home/bob] [COMMAND=/usr/lib/x]",
        "mysqld[{p}]: [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.",
        "postgres[{p}]: LOG:  database system is ready to accept connections",
        "postgres[{p}]: FATAL:  password authentication failed for user \"app\"",
        "grafana[{p}]: logger=sqlstore t={iso} level=info msg=\"Created default admin\" user=admin",
        "ansible-command[{p}]: Invoked with _raw_params=systemctl restart nginx _uses_shell=False",
    ]
    for _ in range(320):
        tpl = R.choice(lines)
        out.append(ts() + " " + R.choice(["web1", "db1", "ws1"]) + " " + tpl.format(
            p=R.randint(100, 65000), n=R.randint(1, 250), port=R.randint(1024, 65535),
            fp=b64(rbytes(32)).rstrip("="), hex40=rand("hex", 40), qid=rand("HEX", 10),
            mid=rand("b62", 24), hex8=rand("hex", 8), n2="%02x" % R.randint(0, 255),
            an5=rand("an", 5), uuid=ruuid(), hex64=rand("hex", 64), iso=iso()))
    return "\n".join(out) + "\n"


def o_config():
    return """# sshd_config
PasswordAuthentication no
PermitEmptyPasswords no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
# /etc/pam.d/common-password
password [success=1 default=ignore] pam_unix.so obscure yescrypt
password requisite pam_deny.so
password required pam_permit.so
password optional pam_gnome_keyring.so
# /etc/login.defs
PASS_MAX_DAYS 99999
PASS_MIN_DAYS 0
PASS_WARN_AGE 7
ENCRYPT_METHOD YESCRYPT
# /etc/nsswitch.conf
passwd:         files systemd
group:          files systemd
shadow:         files
gshadow:        files
# /etc/passwd
root:x:0:0:root:/root:/bin/bash
gnome-keyring:x:990:990:GNOME Keyring:/nonexistent:/usr/sbin/nologin
# postgresql.conf
password_encryption = scram-sha-256
ssl_passphrase_command = ''
ssl_key_file = '/etc/ssl/private/ssl-cert-snakeoil.key'
# pg_hba.conf
host    all    all    10.0.0.0/8    scram-sha-256
local   all    postgres             peer
# nginx
ssl_password_file /etc/keys/global.pass;
auth_basic_user_file /etc/nginx/.htpasswd;
ssl_session_tickets off;
ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:!aNULL:!MD5;
# postfix main.cf
smtp_sasl_auth_enable = yes
smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd
smtp_sasl_security_options = noanonymous
smtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-snakeoil.pem
# sysctl
net.ipv4.ipfrag_secret_interval = 0
kernel.random.uuid = 0
# k8s deployment
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-credentials
                  key: password
          volumeMounts:
            - name: api-token
              mountPath: /var/run/secrets/tokens
# compose with references
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
      DB_PASSWORD: ${DB_PASSWORD}
      API_TOKEN: ${{ secrets.API_TOKEN }}
      password: "{{ vault_db_password }}"
      password: !vault |
# systemd
LoadCredential=tls.key:/etc/app/tls.key
ImportCredential=app.*
# vault policy
path "secret/data/app/*" {
  capabilities = ["read", "list"]
}
# application settings without secrets
password_min_length = 12
token_ttl = 3600
max_token_age = 86400
token_endpoint = https://login.example.com/oauth2/v1/token
client_id = 0oa1b2c3d4e5f6g7h8i9
secret_store = vault
keyring_backend = secretservice
password_policy = strict
auth_method = ldap
api_version = 2024-11-20
key_size = 4096
hash_algorithm = sha256
# chrony
keyfile /etc/chrony/chrony.keys
# dovecot
passdb {
  driver = pam
}
auth_mechanisms = plain login
# openssl.cnf
default_md = sha256
private_key = $dir/private/cakey.pem
# apache
AuthUserFile /etc/apache2/.htpasswd
SSLCertificateKeyFile /etc/ssl/private/site.key
Require valid-user
# grub
GRUB_CMDLINE_LINUX_DEFAULT="quiet splash"
GRUB_ENABLE_CRYPTODISK=y
# ldap.conf
TLS_CACERT /etc/ssl/certs/ca-certificates.crt
# sudoers
Defaults env_reset,pwfeedback
%sudo ALL=(ALL:ALL) ALL
"""


def o_base64_text():
    out = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", ""]
    text = ("Hello team, the maintenance window is on Saturday. Please update your "
            "bookmarks; the status page moves to status.example.com. Thanks, ops.").encode()
    raw = b64(text * 2)
    out += [raw[i:i + 76] for i in range(0, len(raw), 76)]
    out.append("")
    out.append("# cloud-init write_files")
    out.append("- path: /usr/local/bin/hello.sh")
    out.append("  encoding: b64")
    out.append("  content: " + b64(b"#!/bin/sh\necho hello from cloud-init\nuptime\n"))
    out.append("  permissions: '0755'")
    out.append('<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9h' + b64(rbytes(60)) + '">')
    out.append("binaryData:\n  logo.svg: " + b64(b'<svg xmlns="http://www.w3.org/2000/svg" width="16" '
                                                  b'height="16"><circle r="8"/></svg>'))
    out.append("Description: " + b64(b"a plain description, nothing secret here at all"))
    out.append("X-Amz-Cf-Id: " + b64(rbytes(42)))
    out.append('ETag: "' + rand("hex", 32) + '"')
    return "\n".join(out) + "\n"


ORDINARY = [
    ("dpkg.log", o_dpkg_log), ("apt-history.log", o_apt_history), ("dpkg-status", o_package_metadata),
    ("lockfiles.txt", o_lockfiles), ("git.txt", o_git), ("public-keys.txt", o_public_keys),
    ("ids.txt", o_ids), ("syslog", o_logs), ("config.txt", o_config), ("base64.txt", o_base64_text),
]


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.stderr.write("usage: gen-redact-corpus.py OUTDIR [--seed N]\n")
        return 2
    outdir = argv[1]
    if "--seed" in argv:
        R.seed(int(argv[argv.index("--seed") + 1]))
    vendors = load_vendors()
    half_of = {}
    half_of.update(halves([f[0] for f in FORMATS]))
    half_of.update(halves(["vendor:" + v for v in sorted({v["vendor"] for v in vendors})]))
    half_of.update(halves(["lang:" + lang for lang in LANGS]))
    for sub in ("secrets", "ordinary"):
        os.makedirs(os.path.join(outdir, sub), exist_ok=True)
    rows, lines = [], 0
    for d in build_secrets(vendors):
        write_doc(outdir, "secrets", d, half_of, rows)
    for name, fn in ORDINARY:
        d = Doc(name, "ordinary")
        d(fn())
        lines += write_doc(outdir, "ordinary", d, half_of, rows)
    # half C (tools/redact_corpus_c.py): generated after A and B, which stay
    # byte for byte what they were; all of it held out
    import redact_corpus_c as c
    vendors_c = c.load_vendors_c()
    for n in [f[0] for f in c.FORMATS_C] + ["vendor:" + v["vendor"] for v in vendors_c] + \
            ["lang:" + lang for lang in c.LANGS_C]:
        half_of[n] = "C"
    nrows = len(rows)
    for d in c.build_secrets_c(vendors_c):
        write_doc(outdir, "secrets", d, half_of, rows)
    lines_c = 0
    for name, fn in c.ORDINARY_C:
        d = Doc(name, "ordinary")
        d(fn())
        lines_c += write_doc(outdir, "ordinary", d, half_of, rows)
    with open(os.path.join(outdir, "labels.tsv"), "w", encoding="utf-8") as f:
        f.write("# file\tstart\tend\tformat\tgroup\thalf\tkind\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    with open(os.path.join(outdir, "groups.tsv"), "w", encoding="utf-8") as f:
        f.write("# name\thalf\n")
        for n in sorted(half_of):
            f.write("%s\t%s\n" % (n, half_of[n]))
    secrets = [r for r in rows[:nrows] if r[6] == "secret"]
    secrets_c = [r for r in rows[nrows:] if r[6] == "secret"]
    sys.stderr.write("corpus: %d labelled secrets in %d formats (%d vendor token formats of %d vendors, "
                     "%d languages), %d ordinary lines\n" % (
                         len(secrets), len(FORMATS), len(vendors), len({v["vendor"] for v in vendors}),
                         len(LANGS), lines))
    sys.stderr.write("corpus C (held out, written before the detectors changed): %d labelled secrets "
                     "in %d formats (%d vendor token formats of %d vendors, %d languages), "
                     "%d ordinary lines\n" % (
                         len(secrets_c), len(c.FORMATS_C), len(vendors_c),
                         len({v["vendor"] for v in vendors_c}), len(c.LANGS_C), lines_c))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
