"""Half C of the redaction corpus (tools/gen-redact-corpus.py imports this).

Half C is held out from the start: formats of real programs, vendors
(tests/redact/vendors-c.tsv) and languages of key names that were not in the
corpus when the detectors were last changed, written before any detector was
changed for them. Nobody looks at C's misses while writing patterns; the scorer
reports only C's recall (and per-format recall under REDACT_FORMATS).

Sources of the formats (public documentation of each program): systemd.exec(5)
(SetCredential=), Terraform's variable definition files, Helm chart values of
common charts, Spring Boot's application.yml, npm's npmrc(5), pip.conf, NuGet.Config,
composer's auth.json, podman's containers-auth.json(5), kubeconfig (kubectl config
view), Kubernetes Secret manifests, the AWS CLI's config, GCP service account
key files, Azure connection strings and SAS URLs, JDBC/ODBC/MongoDB/Redis/AMQP URLs,
slapd.conf(5), ldap.conf(5), nslcd.conf(5), wg(8), ipsec.secrets(5), swanctl.conf(5),
snmpd.conf(5), Cisco IOS and Junos configuration, MikroTik RouterOS, proxy access
logs with captured headers (HAProxy, Envoy, Traefik), bash/zsh/fish history and
set -x traces, Tomcat server.xml, Kafka server.properties, Jetty's OBF: passwords,
unattend.xml, Group Policy Preferences (cpassword), cmdkey, restic/borg/duplicity,
mosquitto, ESPHome, Home Assistant secrets.yaml, OpenStack clouds.yaml and
nova.conf, libvirt domain XML, OAuth token responses, logfmt, Django/PHP/Python
error logs, Jupyter notebooks, git credential stores, chat transcripts.
"""
import os

from __main__ import (ANY, Doc, R, S, USERS, b64, b64u, iso, jwt, load_vendors,  # noqa: E402
                      pem_body, place_vendors, pw, rand, rbytes, ruuid, sys_prefix, ts, vtoken)

HERE = os.path.dirname(os.path.abspath(__file__))
VENDORS_C_TSV = os.path.join(HERE, "..", "tests", "redact", "vendors-c.tsv")

# Key names in languages not in LANGS of the generator: (names, prose phrase)
LANGS_C = {
    "no": (["passord", "hemmelig_nøkkel"], "Passordet er: "),
    "da": (["adgangskode"], "Adgangskoden er: "),
    "ro": (["parolă", "parola_bd"], "Parola este: "),
    "ar": (["كلمة_المرور"], "كلمة المرور: "),
    "he": (["סיסמה"], "הסיסמה היא: "),
    "hi": (["पासवर्ड"], "पासवर्ड: "),
    "th": (["รหัสผ่าน"], "รหัสผ่านคือ "),
    "fa": (["رمز_عبور"], "رمز عبور: "),
    "hr": (["lozinka"], "Lozinka je: "),
    "sr": (["лозинка"], "Лозинка: "),
    "sl": (["geslo"], "Geslo: "),
    "lt": (["slaptažodis"], "Slaptažodis: "),
    "lv": (["parole"], "Parole: "),
    "et": (["parool", "salasõna"], "Parool on: "),
    "ca": (["contrasenya"], "La contrasenya és: "),
    "bg": (["парола"], "Паролата е: "),
    "ms": (["kata_laluan"], "Kata laluan: "),
    "sw": (["nenosiri"], "Nenosiri ni: "),
    "is": (["lykilorð"], "Lykilorðið er: "),
    "eu": (["pasahitza"], "Pasahitza: "),
    "zh-tw": (["密碼"], "密碼是："),
    "ka": (["პაროლი"], "პაროლი: "),
}


def load_vendors_c():
    return load_vendors(VENDORS_C_TSV)


def P(avoid="", **kw):
    return S(pw(avoid=avoid, **kw))


def cert_pem():
    """A certificate as PEM text (what kubeconfig's *-certificate-data encode)."""
    raw = b64(b"\x30\x82\x03\x55\x30\x82\x02\x3d\xa0\x03\x02\x01\x02" + rbytes(600))
    lines = [raw[i:i + 64] for i in range(0, len(raw), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n").encode()


def b64pw(user):
    return b64(("%s:%s" % (user, pw(avoid=":"))).encode())


# ---------------------------------------------------------------------------
# configuration formats

def f_systemd_cred(d):
    a = " \"'\\$%;"
    d("# /etc/systemd/system/api.service.d/override.conf\n[Service]\n")
    d("SetCredential=db.password:", P(a + ":"), "\n")
    d("SetCredential=smtp_secret:", P(a + ":"), "\n")
    d('Environment="APP_DB_PASSWD=', P(a), '" "APP_MODE=prod"\n')
    d("Environment=REGISTRY_AUTH_TOKEN=", S(rand("b62", 40)), "\n")
    d("LoadCredential=tls.key:/etc/api/tls.key\nDynamicUser=yes\n")


def kv_systemd_cred(d, key, sec):
    d("Environment=", key, "=", sec, "\n")


def f_tfvars(d):
    a = "\"\\$"
    d("# terraform.tfvars\nregion = \"eu-west-1\"\ninstance_type = \"t3.small\"\n")
    d('db_master_password = "', P(a), '"\n')
    d('admin_pass         = "', P(a), '"\n')
    d('azure_client_secret = "', P(a, style="alnum"), '"\n')
    d('vsphere_password = "', P(a), '"\n')
    d('datadog = {\n  api_key = "', S(rand("hex", 32)), '"\n  app_key = "', S(rand("hex", 40)),
      '"\n  site    = "datadoghq.eu"\n}\n')
    d('users = [{ name = "ops", initial_pw = "', P(a), '" }]\n')
    d('cloudflare_api_token = "', S(rand("b64u", 40)), '"\n')


def kv_tfvars(d, key, sec):
    d(key.lower(), ' = "', sec, '"\n')


def f_helm_values(d):
    a = ":#\"'{}[],&*!|>%@` "
    d("# values.yaml\nimage:\n  repository: bitnami/postgresql\n  tag: 16.2.0-debian-12-r8\n")
    d("auth:\n  enablePostgresUser: true\n  postgresPassword: ", P(a), "\n  username: app\n")
    d("  password: ", P(a), "\n  replicationPassword: ", P(a), "\n  existingSecret: \"\"\n")
    d("redis:\n  auth:\n    enabled: true\n    password: \"", P("\"\\"), "\"\n")
    d("rabbitmq:\n  auth:\n    username: user\n    password: ", P(a), "\n    erlangCookie: ",
      S(rand("AN", 20)), "\n")
    d("grafana:\n  adminUser: admin\n  adminPassword: ", P(a), "\n")
    d("keycloak:\n  auth:\n    adminPassword: '", P("'"), "'\n")
    d("minio:\n  rootUser: minio\n  rootPassword: ", P(a), "\n")
    d("gitlab:\n  runner:\n    registrationToken: \"", S(rand("b62", 29)), "\"\n")
    d("externalDatabase:\n  host: db1.internal\n  dbpass: ", P(a), "\n")


def kv_helm(d, key, sec):
    d("env:\n  - name: ", key, "\n    value: \"", sec, "\"\n")


def f_spring_yaml(d):
    a = ":#\"'{}[],&*!|>%@` "
    d("# application.yml\nspring:\n  datasource:\n    url: jdbc:postgresql://db1:5432/shop\n")
    d("    username: shop\n    password: ", P(a), "\n")
    d("  rabbitmq:\n    host: mq.example.net\n    password: ${RABBIT_PASS:", P(a + "}$"), "}\n")
    d("  mail:\n    password: ", P(a), "\n")
    d("  security:\n    oauth2:\n      client:\n        registration:\n          github:\n")
    d("            client-id: Iv1.", rand("hex", 16), "\n            client-secret: ",
      S(rand("hex", 40)), "\n")
    d("server:\n  ssl:\n    key-store: classpath:keystore.p12\n    key-store-password: ", P(a), "\n")
    d("    trust-store-password: ", P(a), "\n")
    d("jasypt:\n  encryptor:\n    password: ", P(a), "\n")
    d("app:\n  jwt:\n    secret-key: ", S(b64(rbytes(48))), "\n")


def kv_spring(d, key, sec):
    d("app.", key.lower().replace("_", "-"), "=", sec, "\n")


def f_package_auth(d):
    d("# ~/.npmrc\n//npm.example.com/:_authToken=", S(rand("b64u", 36)), "\n")
    d("//registry.example.io/npm/:_password=", S(b64(pw(avoid=":").encode())), "\n")
    d("//registry.example.io/npm/:username=ci\n_auth=", S(b64pw("ci")), "\n")
    d("# .yarnrc.yml\nnpmRegistries:\n  \"https://npm.example.com\":\n    npmAuthToken: ",
      S(rand("b64u", 36)), "\n")
    d("# pip.conf\n[global]\nindex-url = https://ci:", P("@:/ %#"), "@pypi.example.com/simple\n")
    d("# NuGet.Config\n<packageSourceCredentials><feed>\n  <add key=\"Username\" value=\"ci\" />\n")
    d("  <add key=\"ClearTextPassword\" value=\"", P("\"<>&"), "\" />\n</feed></packageSourceCredentials>\n")
    d("# auth.json (composer)\n{\"http-basic\": {\"repo.example.com\": {\"username\": \"ci\", "
      "\"password\": \"", P("\"\\"), "\"}},\n \"github-oauth\": {\"github.com\": \"",
      S(rand("b62", 40)), "\"}}\n")
    d("# gradle.properties\nmavenUser=ci\nmavenPassword=", P(" \\"), "\n")
    d("signing.keyId=24875D73\nsigning.password=", P(" \\"), "\n")
    d("# ~/.sbt/.credentials\nrealm=Artifactory Realm\nhost=repo.example.com\nuser=ci\npassword=",
      P(" "), "\n")


def kv_package(d, key, sec):
    d("//npm.example.com/:", key, "=", sec, "\n")


def f_registry_auth(d):
    d("{\n  \"auths\": {\n    \"registry.example.io\": {\"auth\": \"", S(b64pw("ci")), "\"},\n")
    d("    \"quay.io\": {\"auth\": \"", S(b64pw("robot+ci")), "\", \"email\": \"\"},\n")
    d("    \"ghcr.io\": {\"identitytoken\": \"", S(rand("b64u", 48)), "\"}\n  },\n")
    d("  \"credHelpers\": {\"123456789012.dkr.ecr.eu-west-1.amazonaws.com\": \"ecr-login\"}\n}\n")
    d("skopeo copy --src-creds ci:", P(" '\"@:"), " docker://a/b docker://c/d\n")
    d("helm repo add internal https://charts.example.com --username ci --password ",
      P(" '\""), "\n")
    d("kubectl create secret docker-registry regcred --docker-server=registry.example.io "
      "--docker-username=ci --docker-password=", P(" '\""), "\n")
    d("crane auth login registry.example.io -u ci -p ", P(" '\""), "\n")


def kv_registry(d, key, sec):
    d('{"auths": {"r.example.io": {"', key, '": "', sec, '"}}}\n')


def f_kubeconfig(d):
    d("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: ",
      b64(cert_pem()), "\n    server: https://10.0.0.1:6443\n  name: prod\nusers:\n- name: admin\n"
      "  user:\n")
    d("    client-certificate-data: ", b64(cert_pem()), "\n")
    key = b"-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(pem_body("RSA")).encode() + \
        b"\n-----END RSA PRIVATE KEY-----\n"
    d("    client-key-data: ", S(b64(key)), "\n")
    d("- name: ci\n  user:\n    token: ", S(jwt()), "\n")
    d("- name: basic\n  user:\n    username: admin\n    password: ", P(" :#'\"{}"), "\n")
    d("- name: oidc\n  user:\n    auth-provider:\n      config:\n        client-secret: ",
      S(rand("b62", 32)), "\n        id-token: ", S(jwt()), "\n        refresh-token: ",
      S(rand("b64u", 60)), "\n")


def kv_kubeconfig(d, key, sec):
    d("    ", key.lower().replace("_", "-"), ": ", sec, "\n")


def f_k8s_secret(d):
    d("apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-credentials\ntype: Opaque\ndata:\n")
    d("  db-password: ", S(b64(pw().encode())), "\n")
    d("  api_token: ", S(b64(rand("b62", 32).encode())), "\n")
    d("  ADMIN_PASS: ", S(b64(pw().encode())), "\n")
    d("  username: ", b64(b"app"), "\n")
    d("stringData:\n  smtp-pass: \"", P("\"\\"), "\"\n  config.ini: |\n    [auth]\n    secret = ",
      P(" "), "\n---\napiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n")
    dockercfg = '{"auths":{"registry.example.io":{"auth":"%s"}}}' % b64pw("ci")
    d("  .dockerconfigjson: ", S(b64(dockercfg.encode())), "\n")
    d("---\nkind: Secret\ntype: kubernetes.io/basic-auth\nstringData:\n  username: admin\n"
      "  password: ", P(" :#'\"{}"), "\n")


def kv_k8s_secret(d, key, sec):
    d("  ", key.lower().replace("_", "-"), ": ", sec, "\n")


def f_aws_tools(d):
    d("# ~/.aws/config\n[profile ci]\nregion = eu-west-1\naws_access_key_id = AKIA", S(rand("AN", 16)),
      "\naws_secret_access_key = ", S(rand("b64", 40)), "\n")
    d("aws_session_token = ", S("IQoJb3JpZ2luX2Vj" + rand("b64", 300)), "\n")
    d("# ~/.s3cfg\n[default]\naccess_key = AKIA", S(rand("AN", 16)), "\nsecret_key = ",
      S(rand("b64", 40)), "\n")
    d("# rclone.conf\n[b2]\ntype = b2\naccount = ", rand("hex", 12), "\nkey = ", S(rand("b64", 31)), "\n")
    d("[sftp]\ntype = sftp\nuser = backup\npass = ", S(rand("b64u", 40)), "\n")
    d("aws configure set aws_secret_access_key ", S(rand("b64", 40)), " --profile ci\n")
    d("s3 = boto3.client('s3', aws_access_key_id='AKIA", S(rand("AN", 16)),
      "', aws_secret_access_key='", S(rand("b64", 40)), "')\n")


def kv_aws_tools(d, key, sec):
    d("aws configure set ", key.lower(), " ", sec, "\n")


def f_gcp_sa(d):
    body = "\\n".join(pem_body("PKCS8"))
    d('{\n  "type": "service_account",\n  "project_id": "shop-prod-4711",\n')
    d('  "private_key_id": "', rand("hex", 40), '",\n')
    d('  "private_key": "-----BEGIN PRIVATE KEY-----\\n', S(body), '\\n-----END PRIVATE KEY-----\\n",\n')
    d('  "client_email": "deploy@shop-prod-4711.iam.gserviceaccount.com",\n  "client_id": "',
      str(R.randint(10**20, 10**21)), '",\n')
    d('  "token_uri": "https://oauth2.googleapis.com/token"\n}\n')
    d('{"installed": {"client_id": "', str(R.randint(10**11, 10**12)), '-', rand("an", 32),
      '.apps.googleusercontent.com", "client_secret": "GOCSPX-', S(rand("b64u", 28)), '"}}\n')
    d('{"type": "authorized_user", "client_id": "x.apps.googleusercontent.com", '
      '"refresh_token": "1//0', S(rand("b64u", 98)), '"}\n')


def kv_gcp(d, key, sec):
    d('  "', key.lower(), '": "', sec, '",\n')


def f_azure(d):
    d("StorageConnection=DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=",
      S(b64(rbytes(64))), ";EndpointSuffix=core.windows.net\n")
    d("ServiceBus=Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName="
      "RootManageSharedAccessKey;SharedAccessKey=", S(b64(rbytes(32))), "\n")
    d("Cosmos=AccountEndpoint=https://shop.documents.azure.com:443/;AccountKey=",
      S(b64(rbytes(64))), ";\n")
    d("BlobSas=https://shopdata.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl"
      "&se=2025-01-01T00:00:00Z&spr=https&sig=", S(b64(rbytes(32)).replace("+", "%2B")
                                                   .replace("/", "%2F").replace("=", "%3D")), "\n")
    d("az login --service-principal -u ", ruuid(), " -p ", S(rand("b64u", 40)), " --tenant ",
      ruuid(), "\n")
    d("APPINSIGHTS_CONNECTION_STRING=InstrumentationKey=", ruuid(),
      ";IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/\n")
    d("EventHub=Endpoint=sb://ev.servicebus.windows.net/;SharedAccessKeyName=send;"
      "SharedAccessKey=", S(b64(rbytes(32))), ";EntityPath=orders\n")


def kv_azure(d, key, sec):
    d(key, "=", sec, "\n")


def f_db_urls(d):
    u = "@:/?#&;% '\"\\"
    d("datasource.url=jdbc:mysql://db1.internal:3306/shop?user=shop&password=", P(u), "&useSSL=true\n")
    d("url=jdbc:sqlserver://sql1:1433;databaseName=shop;user=sa;password=", P(u + "{}"), ";\n")
    d("ORACLE_URL=jdbc:oracle:thin:scott/", P(u), "@db2.internal:1521/ORCL\n")
    d("odbc=Driver={ODBC Driver 18 for SQL Server};Server=sql1;Uid=report;Pwd=", P(u + "{}"), ";\n")
    d("MONGO_URI=mongodb+srv://app:", P(u), "@cluster0.abcde.mongodb.net/shop?retryWrites=true\n")
    d("CACHE=rediss://default:", P(u), "@cache.internal:6380/1\n")
    d("BROKER=amqps://orders:", P(u), "@mq.example.net:5671/%2Fprod\n")
    d("SQLALCHEMY_DATABASE_URI = 'mysql+pymysql://app:", P(u), "@db1/app'\n")
    d("clickhouse://default:", P(u), "@ch1:9000/default\n")
    d("export DATABASE_URL=\"postgres://app:", P(u), "@db1.internal:5432/app?sslmode=require\"\n")
    d("ldaps://cn=admin,dc=example,dc=org:", P(u + ","), "@ldap.example.org\n")


def kv_db_urls(d, key, sec):
    d(key.lower(), " = ", sec, "\n")


def f_ldap_dir(d):
    d("# slapd.conf\nrootdn \"cn=admin,dc=example,dc=org\"\nrootpw ", P(" "), "\n")
    d("rootpw {SSHA}", S(b64(rbytes(24))), "\n")
    d("# ldap.conf (pam_ldap)\nbinddn cn=proxy,dc=example,dc=org\nbindpw ", P(" "), "\n")
    d("# nslcd.conf\nbindpw ", P(" "), "\n")
    d("# cn=config\nolcRootPW: {SSHA}", S(b64(rbytes(24))), "\n")
    d("AuthLDAPBindPassword \"", P("\""), "\"\n")
    d("ldapmodify -x -D cn=admin,dc=example,dc=org -w '", P("'"), "' -f change.ldif\n")
    d("userPassword:: ", S(b64(b"{SSHA}" + rbytes(24))), "\n")
    d("gitlab_rails['ldap_servers'] = { 'main' => { 'bind_dn' => 'cn=gl', 'password' => '",
      P("'\\"), "' } }\n")


def kv_ldap_dir(d, key, sec):
    d(key.lower(), " ", sec, "\n")


def f_wg_ipsec(d):
    d("[Interface]\nAddress = 10.8.0.1/24\nPrivateKey = ", S(b64(rbytes(32))), "\nListenPort = 51820\n")
    d("[Peer]\nPublicKey = ", b64(rbytes(32)), "\nPresharedKey = ", S(b64(rbytes(32))), "\n")
    d("AllowedIPs = 10.8.0.2/32\n# ipsec.secrets\n: PSK \"", P("\""), "\"\n")
    d("%any 203.0.113.5 : PSK 0s", S(b64(rbytes(32))), "\n")
    d("carol : EAP \"", P("\""), "\"\n: RSA moonKey.pem\n")
    d("# swanctl.conf\nsecrets {\n  ike-1 {\n    id = moon.example.org\n    secret = ",
      P(" "), "\n  }\n  eap-carol {\n    id = carol\n    secret = \"", P("\""), "\"\n  }\n}\n")
    d("# openvpn tls-crypt-v2 / auth file\nvpnuser\n", P(" "), "\n")


def kv_wg(d, key, sec):
    d(key, " = ", sec, "\n")


def f_netdev(d):
    d("! Cisco IOS\nhostname edge1\nenable secret 5 $1$", rand("b64", 4).replace("+", "."), "$",
      S(rand("b64", 22).replace("+", ".")), "\n")
    d("username admin privilege 15 password 7 ", S(rand("HEX", 22)), "\n")
    d("username ops secret 9 $9$", S(rand("b64", 14).replace("+", ".") + "$" +
                                      rand("b64", 43).replace("+", ".")), "\n")
    d("snmp-server community ", P(" "), " RO 10\n")
    d("tacacs-server key ", P(" "), "\nradius-server key 0 ", P(" "), "\n")
    d(" key-string ", P(" "), "\n")
    d("crypto isakmp key ", P(" "), " address 203.0.113.9\n")
    d("# Junos\nset system root-authentication encrypted-password \"$6$",
      S(rand("b64", 8).replace("+", ".") + "$" + rand("b64", 86).replace("+", ".")), "\"\n")
    d("set system radius-server 10.0.0.5 secret \"$9$", S(rand("b64", 20).replace("+", ".")), "\"\n")
    d("# MikroTik\n/user add name=ops group=full password=", P(" \""), "\n")
    d("# FortiGate\n    set passwd ENC ", S(b64(rbytes(60))), "\n")
    d("    set psksecret ENC ", S(b64(rbytes(60))), "\n")
    d("wpa-psk ascii 0 ", P(" "), "\n")


def kv_netdev(d, key, sec):
    d("set ", key.lower(), " \"", sec, "\"\n")


def f_java_servers(d):
    a = "\"<>&"
    d('<Connector port="8443" protocol="HTTP/1.1" SSLEnabled="true" keystoreFile="conf/ks.p12" '
      'keystorePass="', P(a), '" truststorePass="', P(a), '"/>\n')
    d('<Resource name="jdbc/shop" auth="Container" username="shop" password="', P(a), '"/>\n')
    d("# Jetty\njetty.sslContext.keyStorePassword=OBF:", S(rand("an", 40)), "\n")
    d("# Kafka server.properties\nssl.keystore.password=", P(" \\"), "\nssl.key.password=", P(" \\"), "\n")
    d("listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram."
      "ScramLoginModule required username=\"admin\" password=\"", P("\"\\"), "\";\n")
    d("# WebLogic boot.properties\nusername=weblogic\npassword=", P(" \\"), "\n")
    d("# standalone.xml\n<security-domain><password>", P(a), "</password></security-domain>\n")
    d("# zookeeper jaas\nServer { org.apache.zookeeper.server.auth.DigestLoginModule required "
      "user_super=\"", P("\"\\"), "\"; };\n")


def kv_java_servers(d, key, sec):
    d("-D", key.lower().replace("_", "."), "=", sec, "\n")


def f_windows(d):
    a = "<>&\""
    d("<UserAccounts><AdministratorPassword><Value>", S(b64((pw() + "AdministratorPassword")
                                                            .encode("utf-16-le"))),
      "</Value><PlainText>false</PlainText></AdministratorPassword>\n")
    d("<LocalAccount><Password><Value>", P(a), "</Value><PlainText>true</PlainText></Password>\n")
    d("<AutoLogon><Password><Value>", P(a), "</Value></Password><Username>admin</Username></AutoLogon>\n")
    d('<Properties action="U" newName="" fullName="" cpassword="', S(b64(rbytes(32)).rstrip("=")),
      '" changeLogon="0" userName="Administrator (built-in)"/>\n')
    d("net use \\\\fs1\\share /user:CORP\\svc_backup ", P(" \"/"), " /persistent:no\n")
    d("cmdkey /add:fs1 /user:CORP\\svc /pass:", P(" \"/"), "\n")
    d("schtasks /Create /TN nightly /TR c:\\backup.cmd /RU CORP\\svc /RP ", P(" \"/"), "\n")
    d("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon    DefaultPassword    REG_SZ    ",
      P(" "), "\n")
    d("$cred = New-Object PSCredential('svc', (ConvertTo-SecureString -String \"", P("\"$`"),
      "\" -AsPlainText -Force))\n")


def kv_windows(d, key, sec):
    d("setx ", key, " \"", sec, "\" /M\n")


def f_backup(d):
    d("export RESTIC_PASSWORD='", P("'"), "'\nexport RESTIC_REPOSITORY=s3:s3.amazonaws.com/bk\n")
    d("export BORG_PASSPHRASE=\"", P("\"$`\\"), "\"\n")
    d("PASSPHRASE=", P(" '\"$`\\"), " duplicity /home s3://bk/home\n")
    d("# bacula-dir.conf\nDirector {\n  Name = bacula-dir\n  Password = \"", P("\""), "\"\n}\n")
    d("Client {\n  Name = web1-fd\n  Password = \"", P("\""), "\"\n}\n")
    d("# rsnapshot / rsync daemon\nRSYNC_PASSWORD=", P(" '\"$`\\"), " rsync -a rsync://bk@nas/data /srv\n")
    d("# Veeam agent\nveeamconfig repository create --name nas --location //nas/bk --username bk "
      "--password ", P(" '\""), "\n")


def kv_backup(d, key, sec):
    d("export ", key, "='", sec, "'\n")


def f_home_auto(d):
    a = ":#\"'{}[],&*!|>%@` "
    d("# secrets.yaml (Home Assistant)\nmqtt_password: ", P(a), "\nwifi_password: ", P(a), "\n")
    d("darksky_api_key: ", S(rand("hex", 32)), "\n")
    d("# ESPHome\napi:\n  encryption:\n    key: \"", S(b64(rbytes(32))), "\"\nota:\n  - platform: esphome\n")
    d("    password: \"", P("\"\\"), "\"\nwifi:\n  ssid: Office\n  password: \"", P("\"\\"), "\"\n")
    d("# mosquitto\nconnection bridge\nremote_username edge\nremote_password ", P(" "), "\n")
    d("# mosquitto passwd\nsensor:$7$101$", S(b64(rbytes(12)) + "$" + b64(rbytes(64))), "\n")
    d("# zigbee2mqtt\nadvanced:\n  network_key: [", S(", ".join(str(R.randint(0, 255))
                                                               for _ in range(16))), "]\n")


def kv_home(d, key, sec):
    d(key.lower(), ": ", sec, "\n")


def f_openstack(d):
    d("clouds:\n  prod:\n    auth:\n      auth_url: https://keystone.example.com:5000/v3\n")
    d("      username: admin\n      password: ", P(":#\"'{}[],&*!|>%@` "), "\n")
    d("      application_credential_secret: ", S(rand("b64u", 86)), "\n")
    d("# openrc\nexport OS_PASSWORD=", P(" '\"$`\\"), "\n")
    d("# nova.conf\n[keystone_authtoken]\nusername = nova\npassword = ", P(" "), "\n")
    d("[DEFAULT]\ntransport_url = rabbit://openstack:", P("@:/ #%"), "@controller:5672/\n")
    d("[api_database]\nconnection = mysql+pymysql://nova:", P("@:/ #%"), "@controller/nova_api\n")
    d("[neutron]\nmetadata_proxy_shared_secret = ", P(" "), "\n")
    d("[DEFAULT]\nadmin_token = ", S(rand("hex", 20)), "\n")


def kv_openstack(d, key, sec):
    d(key.lower(), " = ", sec, "\n")


def f_virt(d):
    d("<graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0' passwd='", P("'<>&"), "'/>\n")
    d("<graphics type='spice' autoport='yes' passwd='", P("'<>&"), "'/>\n")
    d("<auth username='libvirt'><secret type='ceph' uuid='", ruuid(), "'/></auth>\n")
    d("virsh secret-set-value --secret ", ruuid(), " --base64 ", S(b64(rbytes(40))), "\n")
    d("qm set 101 --ciuser ops --cipassword '", P("'"), "'\n")
    d("RemoteDisplay.vnc.password = \"", P("\""), "\"\n")
    d("govc about -u 'administrator@vsphere.local:", P("'@:"), "@vcenter.example.com'\n")
    d("export GOVC_PASSWORD='", P("'"), "'\n")


def kv_virt(d, key, sec):
    d("<", key.lower(), ">", sec, "</", key.lower(), ">\n")


def f_code_literals(d):
    a = "\"'\\"
    d("const apiKey = \"", S(rand("b62", 32)), "\"\n")
    d("let token: &str = \"", S(rand("b64u", 40)), "\";\n")
    d("private const string ConnectionPassword = \"", P(a), "\";\n")
    d("val dbPass = \"", P(a + "$"), "\"\n")
    d("let clientSecret = \"", S(rand("b62", 40)), "\"\n")
    d("const pw = process.env.DB_PASSWORD || '", P(a), "';\n")
    d("password = os.environ.get(\"DB_PASSWORD\", \"", P(a), "\")\n")
    d("String pass = System.getProperty(\"db.password\", \"", P(a), "\");\n")
    d("cnx = mysql.connector.connect(user='scott', password='", P(a), "', host='db1')\n")
    d("conn = psycopg2.connect(host=\"db1\", dbname=\"shop\", user=\"shop\", password=\"", P(a), "\")\n")
    d("r = requests.get(url, auth=('admin', '", P(a), "'))\n")
    d("new PasswordAuthentication(\"svc\", \"", P(a), "\".toCharArray());\n")
    d("$pdo = new PDO('mysql:host=db1;dbname=shop', 'shop', '", P(a), "');\n")
    d("redis.createClient({ url: 'redis://cache:6379', password: '", P(a), "' })\n")
    d("smtp.login('mailer@example.com', '", P(a), "')\n")


def kv_code(d, key, sec):
    d(key, ' := "', sec, '"\n')


def f_mail_clients(d):
    d("# ~/.fetchmailrc\npoll imap.example.org protocol IMAP user 'bob' password '", P("'"), "' ssl\n")
    d("# ~/.msmtprc\naccount work\nhost smtp.example.org\nuser bob\npassword ", P(" "), "\n")
    d("# ~/.muttrc\nset smtp_pass = \"", P("\""), "\"\nset imap_pass=\"", P("\""), "\"\n")
    d("# offlineimaprc\nremoteuser = bob\nremotepass = ", P(" "), "\n")
    d("# ~/.mbsyncrc\nIMAPAccount work\nUser bob\nPass ", P(" "), "\n")
    d("# ssmtp.conf\nAuthUser=bob\nAuthPass=", P(" "), "\n")
    d("# dovecot passwd-file\nbob:{PLAIN}", P(":"), ":1000:1000::/home/bob\n")
    d("alice:{SHA512-CRYPT}$6$", S(rand("b64", 16).replace("+", ".") + "$" +
                                   rand("b64", 86).replace("+", ".")), "\n")


def kv_mail_clients(d, key, sec):
    d("set ", key.lower(), "=\"", sec, "\"\n")


def f_monitoring(d):
    d("# prometheus.yml\nscrape_configs:\n  - job_name: node\n    basic_auth:\n      username: prom\n")
    d("      password: ", P(":#\"'{}[],&*!|>%@` "), "\n    bearer_token: ", S(rand("b64u", 40)), "\n")
    d("# alertmanager.yml\nglobal:\n  smtp_auth_password: '", P("'"), "'\n")
    d("  slack_api_url: https://hooks.slack.com/services/T", rand("AN", 8), "/B", rand("AN", 10),
      "/", S(rand("b62", 24)), "\n")
    d("# telegraf.conf\n[[outputs.influxdb_v2]]\n  token = \"", S(rand("b64u", 86) + "=="), "\"\n")
    d("# grafana.ini\n[security]\nadmin_password = ", P(" ;#"), "\nsecret_key = ", S(rand("b62", 16)), "\n")
    d("# nagios resource.cfg\n$USER3$=", P(" "), "\n")
    d("# zabbix psk file\n", S(rand("hex", 64)), "\n")
    d("# datadog.yaml\napi_key: ", S(rand("hex", 32)), "\n")
    d("# icinga2\nobject ApiUser \"root\" {\n  password = \"", P("\""), "\"\n}\n")


def kv_monitoring(d, key, sec):
    d("  ", key.lower(), ": ", sec, "\n")


def f_webhooks(d):
    d("https://hooks.slack.com/services/T", rand("AN", 8), "/B", rand("AN", 10), "/", S(rand("b62", 24)), "\n")
    d("https://discord.com/api/webhooks/", str(R.randint(10**17, 10**18)), "/", S(rand("b64u", 68)), "\n")
    d("https://corp.webhook.office.com/webhookb2/", ruuid(), "@", ruuid(), "/IncomingWebhook/",
      S(rand("hex", 32)), "/", ruuid(), "\n")
    d("https://chat.googleapis.com/v1/spaces/AAAA", rand("b64u", 7), "/messages?key=AIzaSy",
      S(rand("b64u", 33)), "&token=", S(rand("b64u", 43)), "\n")
    d("https://api.telegram.org/bot", str(R.randint(10**9, 10**10)), ":", S(rand("b64u", 35)),
      "/sendMessage\n")
    d("https://mattermost.example.com/hooks/", S(rand("an", 26)), "\n")
    d("https://hooks.zapier.com/hooks/catch/", str(R.randint(10**6, 10**7)), "/", S(rand("an", 6)), "/\n")
    d("https://api.example.com/v1/export?format=csv&api_key=", S(rand("b62", 32)), "\n")
    d("https://maps.example.com/tiles?access_token=", S(rand("b64u", 40)), "&style=dark\n")


def kv_webhooks(d, key, sec):
    d("https://api.example.com/v1/ping?", key.lower(), "=", sec, "\n")


def f_notebooks(d):
    d('{"cells": [{"cell_type": "code", "source": [\n')
    d('    "import openai\\n",\n    "openai.api_key = \\"', S(rand("b62", 48)), '\\"\\n",\n')
    d('    "client = Client(token=\\"', S(rand("b64u", 40)), '\\")\\n",\n')
    d('    "PASSWORD = \\"', P('"\\'), '\\"\\n"\n  ], "outputs": []},\n')
    d('  {"cell_type": "code", "source": ["%env HF_HUB_TOKEN=', S(rand("b62", 34)), '\\n"]}\n')
    d(']}\n')


def kv_notebooks(d, key, sec):
    d('    "os.environ[\\"', key, '\\"] = \\"', sec, '\\"\\n",\n')


def f_vcs_creds(d):
    d("# ~/.git-credentials\nhttps://bob:", S(rand("b62", 40)), "@github.example.com\n")
    d("https://oauth2:", S(rand("b64u", 20)), "@gitlab.example.com\n")
    d("# ~/.gitconfig\n[url \"https://ci:", P("@:/ \"%"), "@git.example.com/\"]\n\tinsteadOf = https://git.example.com/\n")
    d("[http]\n\textraheader = AUTHORIZATION: basic ", S(b64pw("ci")), "\n")
    d("# ~/.subversion/auth/svn.simple/x\nK 8\npassword\nV 14\n", P(" "), "\nK 15\nsvn:realmstring\n")
    d("# .hgrc\n[auth]\nrepo.prefix = hg.example.com\nrepo.username = bob\nrepo.password = ", P(" "), "\n")


def kv_vcs(d, key, sec):
    d("\t", key.lower(), " = ", sec, "\n")


def f_chat(d):
    d("[10:02] alice: the staging db creds are app / ", P(" "), "\n")
    d("[10:03] bob: thx. and the jenkins one?\n[10:03] alice: user jenkins pwd ", P(" "), "\n")
    d("[10:05] carol: use password ", P(" ."), " to log in to the switch\n")
    d("[10:06] dave: PIN for the safe: ", S(str(R.randint(1000, 9999))), "\n")
    d("[10:07] alice: passcode -> ", P(" "), "\n")
    d("[10:08] bob: new root pass: ", P(" "), " (rotate after)\n")
    d("[10:09] carol: API token is ", S(rand("b62", 32)), "\n")
    d("[10:10] dave: pass for the zip file = ", P(" "), "\n")
    d("[10:11] alice: login admin, password ", P(" ,"), ", then change it\n")


def kv_chat(d, key, sec):
    d("[10:12] ops: ", key.lower().replace("_", " "), ": ", sec, "\n")


def f_i18n_c(d):
    for lang in sorted(LANGS_C):
        names, phrase = LANGS_C[lang]
        for name in names:
            d(name, " = ", S(pw(avoid=" #;\"'"), "lang:" + lang), "\n")
        d(names[0].upper(), "=", S(pw(avoid=" #;\"'$`\\"), "lang:" + lang), "\n")
        d('"', names[0], '": "', S(pw(avoid="\"\\"), "lang:" + lang), '",\n')
        d(phrase, S(pw(avoid=" \n"), "lang:" + lang), "\n")


# ---------------------------------------------------------------------------
# logs

def f_proxy_logs(d):
    for _ in range(2):
        d(ts(), " lb1 haproxy[812]: 10.0.0.", str(R.randint(2, 250)), ":", str(R.randint(1024, 65535)),
          " [", iso(), "] fe be/web1 0/0/1/12/13 200 512 - - ---- 1/1/0/0/0 0/0 {Basic ",
          S(b64pw(R.choice(USERS))), "|curl/8.5.0} \"GET /api/v1/orders HTTP/1.1\"\n")
    d('{"start_time":"', iso(), '","method":"GET","path":"/v1/items","authorization":"Bearer ',
      S(jwt()), '","response_code":200}\n')
    d('{"level":"info","msg":"","request_Authorization":"Bearer ', S(rand("b64u", 40)),
      '","RequestPath":"/api"}\n')
    d("10.0.0.7 - - [20/Nov/2024:03:12:09 +0000] \"GET /download?file=a.csv&token=", S(rand("b62", 32)),
      " HTTP/1.1\" 200 1234 \"-\" \"curl/8.5.0\"\n")
    d("10.0.0.8 - - [20/Nov/2024:03:12:10 +0000] \"POST /login?user=bob&password=", P(" &\"%+#"),
      " HTTP/1.1\" 302 0\n")
    d("1700000000.123    45 10.0.0.9 TCP_MISS/200 1234 GET http://api.example.com/v2?apikey=",
      S(rand("hex", 32)), " - HIER_DIRECT/203.0.113.5 application/json\n")
    d(ts(), " proxy1 squid[99]: Proxy-Authorization: Basic ", S(b64pw("bob")), "\n")
    d("[", iso(), "] \"GET /metrics HTTP/1.1\" 200 - x-api-key=", S(rand("b62", 40)), "\n")


def kv_proxy(d, key, sec):
    d('{"time":"', iso(), '","request_header_', key.lower(), '":"', sec, '"}\n')


def bare_proxy(d, prefix, sec):
    d('{"time":"', iso(), '","status":401,"auth":"', ANY(prefix) if prefix else "", sec, '"}\n')


def f_history_exports(d):
    d(": 1700000000:0;export GITHUB_TOKEN=ghp_", S(rand("b62", 36)), "\n")
    d("set -x API_KEY ", S(rand("b62", 40)), "\n")
    d("PGPASSWORD='", P("'"), "' psql -h db1 -U app app\n")
    d("mysql -h db1 -uroot -p'", P("'"), "' shop\n")
    d("echo '", P("'"), "' | sudo -S systemctl restart api\n")
    d("htpasswd -bc /etc/nginx/.htpasswd admin '", P("'"), "'\n")
    d("openssl enc -aes-256-cbc -in db.sql -out db.enc -k '", P("'"), "'\n")
    d("gpg --batch --passphrase '", P("'"), "' -d secrets.gpg\n")
    d("zip -P '", P("'"), "' logs.zip *.log\n")
    d("vault login ", S("hvs." + rand("b64u", 90)), "\n")
    d("docker run -e DB_PASSWORD='", P("'"), "' -d shop/api\n")
    d("kubectl create secret generic app --from-literal=password='", P("'"), "'\n")
    d("+ curl -sf -H 'Authorization: token ", S(rand("b62", 40)), "' https://api.example.com/\n")
    d("+ docker login -u ci -p ", P(" '\""), " registry.example.io\n")
    d("wget --user=bob --password='", P("'"), "' https://files.example.com/a.tgz\n")
    d("lftp -u bob,", P(" ,'\""), " sftp://files.example.com\n")


def kv_history_exports(d, key, sec):
    d("export ", key, "=", sec, "\n")


def bare_history_exports(d, prefix, sec):
    d("curl -H 'X-Auth: ", ANY(prefix) if prefix else "", sec, "' https://api.example.com/\n")


def f_oauth_logs(d):
    d(sys_prefix("auth"), 'token response: {"access_token":"', S(rand("b64u", 43)),
      '","token_type":"Bearer","expires_in":3600,"refresh_token":"', S(rand("b64u", 43)), '"}\n')
    d(sys_prefix("auth"), 'id_token=', S(jwt()), ' scope=openid\n')
    d(sys_prefix("sts"), '{"Credentials": {"AccessKeyId": "ASIA', S(rand("AN", 16)),
      '", "SecretAccessKey": "', S(rand("b64", 40)), '", "SessionToken": "',
      S("FwoGZXIvYXdzE" + rand("b64", 200)), '"}}\n')
    d(sys_prefix("vault"), '{"auth": {"client_token": "hvs.', S(rand("b64u", 90)),
      '", "accessor": "', rand("b62", 24), '"}}\n')
    d(sys_prefix("app"), "POST /oauth/token grant_type=client_credentials&client_id=web&client_secret=",
      S(rand("b62", 32)), "\n")


def kv_oauth(d, key, sec):
    d(sys_prefix("app"), '{"', key.lower(), '": "', sec, '"}\n')


def bare_oauth(d, prefix, sec):
    d(sys_prefix("app"), "got credentials ", ANY(prefix) if prefix else "", sec, " from broker\n")


def f_logfmt(d):
    for _ in range(2):
        d("ts=", iso(), " level=info msg=\"login ok\" user=bob password=", P(" \""), " ip=10.0.0.4\n")
    d("ts=", iso(), " level=debug caller=client.go:88 msg=request api_key=", S(rand("b62", 32)),
      " status=200\n")
    d("time=\"", iso(), "\" level=warning msg=\"retry\" auth_token=", S(rand("b64u", 40)), "\n")
    d("ts=", iso(), " level=debug component=db dsn=\"postgres://app:", P("@:/ \"%"),
      "@db1/app\"\n")
    d("level=error msg=\"config\" secretKey=", S(rand("b64", 40)), " region=eu-west-1\n")


def kv_logfmt(d, key, sec):
    d("ts=", iso(), " level=debug ", key.lower(), "=", sec, " ok=true\n")


def bare_logfmt(d, prefix, sec):
    d("ts=", iso(), " level=warn msg=\"rejected ", ANY(prefix) if prefix else "", sec, "\"\n")


def f_error_logs(d):
    a = "'\"\\"
    d("[2024-11-20 03:12:09] production.ERROR: SQLSTATE[HY000] {\"exception\":\"PDOException\"}\n")
    d("#0 /var/www/vendor/laravel/Connector.php(70): PDO->__construct('mysql:host=db1;dbname=shop', "
      "'shop', '", P(a), "', Array)\n")
    d("Traceback (most recent call last):\n  File \"/srv/app/db.py\", line 12, in connect\n")
    d("    conn = connect(host=host, password=password)\n    password = '", P(a), "'\n")
    d("[20/Nov/2024 03:12:09] \"POST /accounts/login/\" <QueryDict: {'username': ['bob'], "
      "'password': ['", P(a + "[]"), "']}>\n")
    d("Started POST \"/users/sign_in\"\n  Parameters: {\"user\"=>{\"email\"=>\"bob@example.com\", "
      "\"password\"=>\"", P(a), "\"}}\n")
    d("java.sql.SQLException: Access denied; url=jdbc:mysql://db1/shop?user=shop&password=",
      P(a + "& "), "\n")
    d("Error: connect ECONNREFUSED: redis://:", P(a + "@ "), "@cache:6379\n")
    d("ERROR:  syntax error at or near \"PASSWORD\"\nSTATEMENT:  ALTER ROLE app WITH PASSWORD '",
      P(a), "' VALID UNTIL 'infinity'\n")


def kv_error_logs(d, key, sec):
    d("  ", key, ' = "', sec, '"\n')


def bare_error_logs(d, prefix, sec):
    d("Exception: HTTP 401 for credential '", ANY(prefix) if prefix else "", sec, "'\n")


def f_k8s_audit(d):
    d('{"kind":"Event","level":"RequestResponse","verb":"create","objectRef":{"resource":"secrets",'
      '"name":"db"},"requestObject":{"kind":"Secret","data":{"password":"', S(b64(pw().encode())),
      '","token":"', S(b64(rand("b62", 32).encode())), '"}}}\n')
    d('{"kind":"Event","verb":"patch","requestObject":{"stringData":{"api-key":"', S(rand("b62", 40)),
      '"}}}\n')
    d('{"kind":"Event","verb":"create","requestObject":{"spec":{"containers":[{"env":[{"name":'
      '"DB_PASS","value":"', P('"\\'), '"}]}]}}}\n')


def kv_k8s_audit(d, key, sec):
    d('{"kind":"Event","requestObject":{"data":{"', key.lower(), '":"', sec, '"}}}\n')


def bare_k8s_audit(d, prefix, sec):
    d('{"kind":"Event","annotations":{"note":"', ANY(prefix) if prefix else "", sec, '"}}\n')


# name, file name, builder, key/value renderer, bare-token renderer (logs), kind
FORMATS_C = [
    ("c-systemd-credentials", "c-override.conf", f_systemd_cred, kv_systemd_cred, None, "config"),
    ("c-tfvars", "c-terraform.tfvars", f_tfvars, kv_tfvars, None, "config"),
    ("c-helm-values", "c-values.yaml", f_helm_values, kv_helm, None, "config"),
    ("c-spring-yaml", "c-application.yml", f_spring_yaml, kv_spring, None, "config"),
    ("c-package-auth", "c-package-auth.txt", f_package_auth, kv_package, None, "config"),
    ("c-registry-auth", "c-auth.json", f_registry_auth, kv_registry, None, "config"),
    ("c-kubeconfig", "c-kubeconfig", f_kubeconfig, kv_kubeconfig, None, "config"),
    ("c-k8s-secret", "c-secret.yaml", f_k8s_secret, kv_k8s_secret, None, "config"),
    ("c-aws-tools", "c-aws-tools.txt", f_aws_tools, kv_aws_tools, None, "config"),
    ("c-gcp-json", "c-gcp-keys.json", f_gcp_sa, kv_gcp, None, "config"),
    ("c-azure", "c-azure.conf", f_azure, kv_azure, None, "config"),
    ("c-db-urls", "c-db-urls.conf", f_db_urls, kv_db_urls, None, "config"),
    ("c-ldap-directory", "c-slapd.conf", f_ldap_dir, kv_ldap_dir, None, "config"),
    ("c-wireguard-ipsec", "c-wg-ipsec.conf", f_wg_ipsec, kv_wg, None, "config"),
    ("c-network-devices", "c-router.cfg", f_netdev, kv_netdev, None, "config"),
    ("c-java-servers", "c-server.xml", f_java_servers, kv_java_servers, None, "config"),
    ("c-windows", "c-unattend.txt", f_windows, kv_windows, None, "config"),
    ("c-backup-tools", "c-backup.sh", f_backup, kv_backup, None, "config"),
    ("c-home-automation", "c-home.yaml", f_home_auto, kv_home, None, "config"),
    ("c-openstack", "c-openstack.conf", f_openstack, kv_openstack, None, "config"),
    ("c-virtualization", "c-virt.txt", f_virt, kv_virt, None, "config"),
    ("c-code-literals", "c-code.txt", f_code_literals, kv_code, None, "config"),
    ("c-mail-clients", "c-mailrc", f_mail_clients, kv_mail_clients, None, "config"),
    ("c-monitoring", "c-monitoring.yml", f_monitoring, kv_monitoring, None, "config"),
    ("c-webhook-urls", "c-webhooks.txt", f_webhooks, kv_webhooks, None, "config"),
    ("c-notebooks", "c-notebook.ipynb", f_notebooks, kv_notebooks, None, "config"),
    ("c-vcs-credentials", "c-vcs.txt", f_vcs_creds, kv_vcs, None, "config"),
    ("c-chat", "c-chat.txt", f_chat, kv_chat, None, "config"),
    ("c-i18n", "c-i18n.conf", f_i18n_c, None, None, "config"),
    ("c-proxy-logs", "c-proxy.log", f_proxy_logs, kv_proxy, bare_proxy, "log"),
    ("c-history-exports", "c-zsh_history", f_history_exports, kv_history_exports,
     bare_history_exports, "log"),
    ("c-oauth-logs", "c-oauth.log", f_oauth_logs, kv_oauth, bare_oauth, "log"),
    ("c-logfmt", "c-logfmt.log", f_logfmt, kv_logfmt, bare_logfmt, "log"),
    ("c-error-logs", "c-error.log", f_error_logs, kv_error_logs, bare_error_logs, "log"),
    ("c-k8s-audit", "c-audit.log", f_k8s_audit, kv_k8s_audit, bare_k8s_audit, "log"),
]


def build_secrets_c(vendors):
    return place_vendors(FORMATS_C, vendors, vtoken, 5)


# ---------------------------------------------------------------------------
# ordinary lines of half C: none of these may change

def oc_packages():
    out = ["# rpm -qa"]
    for p in ["libsecret-0.20.5-4.el9.x86_64", "passwd-0.80-12.el9.x86_64", "keyutils-libs-1.6.3-1.el9.x86_64",
              "python3-keyring-23.4.0-3.el9.noarch", "gnupg2-2.3.3-4.el9.x86_64", "krb5-libs-1.21.1-1.el9.x86_64",
              "openssl-libs-3.0.7-27.el9.x86_64", "cracklib-dicts-2.9.6-27.el9.x86_64"]:
        out.append(p)
    out.append("# pip freeze")
    for p in ["keyring==24.3.0", "SecretStorage==3.3.3", "PyJWT==2.8.0", "oauthlib==3.2.2", "passlib==1.7.4",
              "python-dotenv==1.0.1", "hvac==2.1.0", "azure-keyvault-secrets==4.8.0"]:
        out.append(p)
    out.append("# npm ls")
    for p in ["jsonwebtoken@9.0.2", "passport-local@1.0.0", "@aws-sdk/credential-providers@3.600.0",
              "bcryptjs@2.4.3", "secure-password@4.0.0"]:
        out.append("├── " + p)
    out.append("# apk info -v / APKINDEX")
    for p in ["libsecret", "shadow", "openssl"]:
        out += ["C:Q1" + b64(rbytes(20)), "P:" + p, "V:%d.%d.%d-r%d" % (R.randint(0, 3), R.randint(0, 20),
                                                                         R.randint(0, 9), R.randint(0, 5)),
                "A:x86_64", "S:%d" % R.randint(1000, 90000)]
    out.append("# Checksums-Sha256 (.dsc)")
    for _ in range(4):
        out.append(" %s %d libsecret_0.21.4.orig.tar.xz" % (rand("hex", 64), R.randint(10**5, 10**6)))
    out.append("# SHA256SUMS")
    for f in ["kubectl", "helm-v3.15.2-linux-amd64.tar.gz", "terraform_1.9.0_linux_amd64.zip"]:
        out.append("%s  %s" % (rand("hex", 64), f))
    out.append("# .terraform.lock.hcl")
    out += ['provider "registry.terraform.io/hashicorp/aws" {', '  version = "5.54.1"',
            '  hashes = [', '    "h1:%s",' % b64(rbytes(32)), '    "zh:%s",' % rand("hex", 64), '  ]', "}"]
    out.append("# Chart.lock")
    out += ["dependencies:", "- name: postgresql", "  repository: oci://registry-1.docker.io/bitnamicharts",
            "  version: 15.5.0", "digest: sha256:" + rand("hex", 64)]
    out.append("# nix")
    out += ["/nix/store/%s-openssl-3.0.13" % rand("0123456789abcdfghijklmnpqrsvwxyz", 32) for _ in range(3)]
    return "\n".join(out) + "\n"


def oc_ids():
    out = ["# docker images --digests"]
    for img in ["nginx", "postgres", "vault", "keycloak/keycloak"]:
        out.append("%-20s 1.27   sha256:%s   %s   2 weeks ago   187MB" % (img, rand("hex", 64), rand("hex", 12)))
    out.append("# kubectl get pod -o yaml")
    out.append("    imageID: docker-pullable://registry.example.io/api@sha256:" + rand("hex", 64))
    out.append("    containerID: containerd://" + rand("hex", 64))
    out.append("  uid: " + ruuid())
    out.append("  resourceVersion: \"%d\"" % R.randint(10**5, 10**7))
    out.append("# git log --oneline / submodules")
    out += ["%s Rotate token handling in the secrets module" % rand("hex", 7),
            " %s vendor/libsecret (0.21.4)" % rand("hex", 40),
            "Merge: %s %s" % (rand("hex", 7), rand("hex", 7))]
    out.append("# lsblk -f / systemd")
    out += ["sda1 vfat FAT32 EFI %s-%s" % (rand("HEX", 4), rand("HEX", 4)),
            "sda2 crypto_LUKS 2 %s" % ruuid(),
            "Invocation ID: %s" % rand("hex", 32), "Boot ID: " + ruuid()]
    out.append("# AWS / GCP / Azure identifiers")
    out += ["arn:aws:iam::123456789012:role/ci-deploy", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
            '"client_email": "deploy@shop-prod-4711.iam.gserviceaccount.com",',
            "/subscriptions/%s/resourceGroups/shop/providers/Microsoft.KeyVault/vaults/shop-kv" % ruuid(),
            "AZURE_TENANT_ID=" + ruuid(), "AZURE_CLIENT_ID=" + ruuid()]
    return "\n".join(out) + "\n"


def oc_public():
    out = ["# WireGuard peers (public)"]
    for _ in range(3):
        out += ["[Peer]", "PublicKey = " + b64(rbytes(32)), "AllowedIPs = 10.8.0.%d/32" % R.randint(2, 250)]
    out.append("# ssh host keys")
    out.append("ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB%s root@web1"
               % b64(rbytes(63)))
    out.append("# kubeconfig CA")
    out.append("    certificate-authority-data: " + b64(cert_pem()))
    out.append("# cosign / minisign public keys")
    out += ["-----BEGIN PUBLIC KEY-----", b64(b"\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01" + rbytes(52))[:64],
            "-----END PUBLIC KEY-----", "untrusted comment: minisign public key " + rand("HEX", 16),
            b64(b"Ed" + rbytes(40))]
    out.append("# settings that name secrets kept elsewhere")
    out += ["  existingSecret: postgresql-credentials", "  passwordSecretRef:", "    name: db-pass",
            "    key: password", "password_hash_algorithm = argon2id", "PasswordAuthentication=yes",
            "spring.datasource.password=${DB_PASSWORD}", "token_url = https://login.example.com/oauth2/token",
            "secret_backend = aws-secretsmanager", "api_key_header = X-Api-Key",
            "AuthLDAPBindPassword exec:/usr/local/bin/get-ldap-pw", "SetCredentialEncrypted=tls.key: \\",
            "credential_process = /usr/local/bin/aws-vault exec ci --json",
            "PasswordPolicy: MinimumLength=14", "key_exchange = curve25519-sha256"]
    return "\n".join(out) + "\n"


def oc_logs():
    out = []
    tpls = ["sshd[{p}]: Accepted publickey for ci from 10.0.0.{n} port {port} ssh2: RSA SHA256:{fp}",
            "kubelet[{p}]: Successfully pulled image \"registry.example.io/api@sha256:{hex64}\"",
            "vault[{p}]: expiration: revoked lease: lease_id=auth/token/create/{hex40}",
            "app[{p}]: GET /api/v1/tokens/{uuid} 200 12ms",
            "app[{p}]: rotated secret version {n} for db-credentials",
            "dockerd[{p}]: level=info msg=\"Pull complete\" digest=sha256:{hex64}",
            "gitlab-runner[{p}]: Checking for jobs... received job={n} repo_url=https://git.example.com/shop.git"
            " runner={an8}",
            "systemd[1]: Started user@1000.service - User Manager for UID 1000.",
            "app[{p}]: password policy check passed for user bob",
            "keycloak[{p}]: type=LOGIN, realmId={uuid}, clientId=web, userId={uuid}, ipAddress=10.0.0.{n}"]
    for _ in range(120):
        out.append(ts() + " web2 " + R.choice(tpls).format(
            p=R.randint(100, 65000), n=R.randint(1, 250), port=R.randint(1024, 65535),
            fp=b64(rbytes(32)).rstrip("="), hex64=rand("hex", 64), hex40=rand("hex", 40), uuid=ruuid(),
            an8=rand("an", 8)))
    return "\n".join(out) + "\n"


ORDINARY_C = [("c-packages.txt", oc_packages), ("c-ids.txt", oc_ids), ("c-public.txt", oc_public),
              ("c-syslog", oc_logs)]
