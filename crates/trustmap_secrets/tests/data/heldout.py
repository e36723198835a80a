#!/usr/bin/env python3
"""Writes the held-out labelled secrets set, `heldout.txt`, next to this script.

    python3 crates/trustmap_secrets/tests/data/heldout.py

Held out means: the records were written from the providers' documented token formats and
from how real repositories hold (and reference) credentials, without running the detectors
on them, and they are never used to tune the detectors (tune on `labelled.txt` and real
corpora). Every value is generated here from a fixed seed: none is a real credential.

Format (the same as `labelled.txt`, plus the secret's lines): a record starts with a header

    ### true <DETECTOR-ID> <path> L<first>-<last>     a secret on those lines of the body
    ### false - <path>                                 nothing in the body is a secret

and its body runs to the next header. The detector id names the detector that should
report the secret; precision and recall are counted per record and line range, the same
for trustmap and for other tools (`bench/secrets-quality.py`).
"""

import base64
import json
import os
import random
import string
import uuid
import zlib

R = random.Random(20261123)

ALNUM = string.ascii_letters + string.digits
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
UPPER_NUM = string.ascii_uppercase + string.digits
BASE32 = string.ascii_uppercase + "234567"


def pick(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


def alnum(n):
    return pick(ALNUM, n)


def hexs(n):
    return pick(HEX, n)


def b64url(n):
    return pick(B64URL, n)


def uid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def b64_bytes(n):
    return base64.b64encode(bytes(R.getrandbits(8) for _ in range(n))).decode()


def b64u_json(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def base62(n, width):
    out = ""
    while n:
        n, d = divmod(n, 62)
        out = B62[d] + out
    return out.rjust(width, "0")


def crc_token(prefix, n):
    """GitHub/npm style: prefix, n random base62 characters, 6 of base62 CRC32."""
    body = pick(ALNUM, n)
    return prefix + body + base62(zlib.crc32(body.encode()), 6)


def password():
    # What people choose when they do not use a generator: words, digits, symbols.
    words = ["Summer", "Orange", "Falcon", "Rocket", "Harbor", "Velvet", "Copper", "Maple"]
    return R.choice(words) + R.choice(["!", "#", "@", "$", "%"]) + str(R.randint(1000, 99999)) + R.choice(words).lower()


def strong_password():
    return pick(ALNUM + "!#%*+-=?@^_", 24)


def pem(label, der_len, first=b"\x30\x82"):
    body = base64.b64encode(first + bytes(R.getrandbits(8) for _ in range(der_len))).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return [f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]


def openssh_key():
    raw = b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x003\x00\x00\x00\x0bssh-ed25519"
    raw += bytes(R.getrandbits(8) for _ in range(300))
    body = base64.b64encode(raw).decode()
    lines = [body[i : i + 70] for i in range(0, len(body), 70)]
    return ["-----BEGIN OPENSSH PRIVATE KEY-----", *lines, "-----END OPENSSH PRIVATE KEY-----"]


def macaroon_v2(location):
    """Binary macaroon, version 2: location, identifier, end, a caveat, end, signature."""
    ident = b"\x02\x10" + bytes(R.getrandbits(8) for _ in range(16))
    caveat = json.dumps({"version": 1, "permissions": "user"}).encode()
    return (b"\x02\x01" + bytes([len(location)]) + location + ident + b"\x00"
            + b"\x02" + bytes([len(caveat)]) + caveat + b"\x00\x00"
            + b"\x06\x20" + bytes(R.getrandbits(8) for _ in range(32)))


def jwt():
    header = b64u_json({"alg": "HS256", "typ": "JWT"})
    payload = b64u_json({"sub": str(R.randint(10**6, 10**7)), "name": "svc-orders", "iat": 1760000000 + R.randint(0, 10**6)})
    return f"{header}.{payload}.{b64url(43)}"


# --- provider tokens in their documented shapes: (detector id, variable name, value) -------

def providers():
    aws_id = lambda p="AKIA": p + pick(BASE32, 16)  # noqa: E731
    aws_secret = lambda: pick(B64, 40)  # noqa: E731
    return [
        ("SEC-AWS-002", "AWS_ACCESS_KEY_ID", aws_id()),
        ("SEC-AWS-003", "AWS_SECRET_ACCESS_KEY", aws_secret()),
        ("SEC-AWS-005", "aws_access_key_id", aws_id("ASIA")),
        ("SEC-AWS-006", "MWS_AUTH_TOKEN", "amzn.mws." + uid()),
        ("SEC-GH-001", "GITHUB_TOKEN", crc_token("ghp_", 30)),
        ("SEC-GH-002", "github_oauth_token", crc_token("gho_", 30)),
        ("SEC-GH-003", "GH_USER_TOKEN", crc_token("ghu_", 30)),
        ("SEC-GH-004", "installation_token", crc_token("ghs_", 30)),
        ("SEC-GH-005", "refresh_token", crc_token("ghr_", 30)),
        ("SEC-GH-006", "GH_PAT", "github_pat_" + pick(ALNUM, 22) + "_" + pick(ALNUM, 59)),
        ("SEC-GL-001", "GITLAB_TOKEN", "glpat-" + pick(ALNUM + "-_", 20)),
        ("SEC-GL-002", "runner_token", "glrt-" + pick(ALNUM + "-_", 20)),
        ("SEC-GL-003", "DEPLOY_TOKEN", "gldt-" + pick(ALNUM + "-_", 20)),
        ("SEC-GL-004", "TRIGGER_TOKEN", "glptt-" + hexs(40)),
        ("SEC-SLACK-001", "SLACK_BOT_TOKEN", f"xoxb-{R.randint(10**10, 10**11)}-{R.randint(10**12, 10**13)}-{alnum(24)}"),
        ("SEC-SLACK-002", "SLACK_USER_TOKEN", f"xoxp-{R.randint(10**10, 10**11)}-{R.randint(10**10, 10**11)}-{R.randint(10**12, 10**13)}-{hexs(32)}"),
        ("SEC-SLACK-003", "SLACK_APP_TOKEN", f"xapp-1-A{pick(UPPER_NUM, 10)}-{R.randint(10**12, 10**13)}-{hexs(64)}"),
        ("SEC-SLACK-004", "SLACK_WEBHOOK_URL", f"https://hooks.slack.com/services/T{pick(UPPER_NUM, 8)}/B{pick(UPPER_NUM, 10)}/{alnum(24)}"),
        ("SEC-DISCORD-001", "DISCORD_WEBHOOK", f"https://discord.com/api/webhooks/{R.randint(10**17, 10**18)}/{b64url(68)}"),
        ("SEC-TELEGRAM-001", "TELEGRAM_BOT_TOKEN", f"{R.randint(10**8, 10**9)}:AA{b64url(33)}"),
        ("SEC-TEAMS-001", "TEAMS_WEBHOOK_URL", f"https://contoso.webhook.office.com/webhookb2/{uid()}@{uid()}/IncomingWebhook/{hexs(32)}/{uid()}"),
        ("SEC-STRIPE-001", "STRIPE_SECRET_KEY", "sk_live_" + alnum(99)),
        ("SEC-STRIPE-002", "STRIPE_RESTRICTED_KEY", "rk_live_" + alnum(99)),
        ("SEC-STRIPE-004", "STRIPE_WEBHOOK_SECRET", "whsec_" + alnum(32)),
        ("SEC-OPENAI-001", "OPENAI_API_KEY", "sk-proj-" + b64url(74) + "T3BlbkFJ" + b64url(74)),
        ("SEC-ANTHROPIC-001", "ANTHROPIC_API_KEY", "sk-ant-api03-" + b64url(93) + "AA"),
        ("SEC-HF-001", "HF_TOKEN", "hf_" + pick(string.ascii_letters, 34)),
        ("SEC-GROQ-001", "GROQ_API_KEY", "gsk_" + alnum(52)),
        ("SEC-REPLICATE-001", "REPLICATE_API_TOKEN", "r8_" + alnum(37)),
        ("SEC-PPLX-001", "PERPLEXITY_API_KEY", "pplx-" + alnum(48)),
        ("SEC-XAI-001", "XAI_API_KEY", "xai-" + alnum(80)),
        ("SEC-LANGSMITH-001", "LANGCHAIN_API_KEY", f"lsv2_pt_{hexs(32)}_{hexs(10)}"),
        ("SEC-GCP-002", "GOOGLE_API_KEY", "AIza" + b64url(35)),
        ("SEC-GCP-003", "client_secret", "GOCSPX-" + b64url(28)),
        ("SEC-GCP-004", "refresh_token", "1//0" + b64url(99)),
        ("SEC-GCP-005", "access_token", "ya29.a0" + b64url(150)),
        ("SEC-SENDGRID-001", "SENDGRID_API_KEY", f"SG.{b64url(22)}.{b64url(43)}"),
        ("SEC-MAILGUN-001", "MAILGUN_API_KEY", "key-" + hexs(32)),
        ("SEC-MAILCHIMP-001", "MAILCHIMP_API_KEY", hexs(32) + "-us" + str(R.randint(1, 21))),
        ("SEC-NPM-001", "NPM_TOKEN", crc_token("npm_", 30)),
        ("SEC-PYPI-001", "PYPI_API_TOKEN", "pypi-" + base64.urlsafe_b64encode(macaroon_v2(b"pypi.org")).decode().rstrip("=")),
        ("SEC-DOCKER-001", "DOCKERHUB_TOKEN", "dckr_pat_" + b64url(27)),
        ("SEC-SHOPIFY-001", "SHOPIFY_ACCESS_TOKEN", "shpat_" + hexs(32)),
        ("SEC-SHOPIFY-004", "SHOPIFY_API_SECRET", "shpss_" + hexs(32)),
        ("SEC-DO-001", "DIGITALOCEAN_TOKEN", "dop_v1_" + hexs(64)),
        ("SEC-DATABRICKS-001", "DATABRICKS_TOKEN", "dapi" + hexs(32)),
        ("SEC-VAULT-001", "VAULT_TOKEN", "hvs." + alnum(92)),
        ("SEC-TFC-001", "TFE_TOKEN", alnum(14) + ".atlasv1." + alnum(67)),
        ("SEC-PULUMI-001", "PULUMI_ACCESS_TOKEN", "pul-" + hexs(40)),
        ("SEC-DOPPLER-001", "DOPPLER_TOKEN", "dp.st.prd." + alnum(43)),
        ("SEC-GRAFANA-002", "GRAFANA_SA_TOKEN", "glsa_" + alnum(32) + "_" + hexs(8)),
        ("SEC-SENTRY-003", "SENTRY_AUTH_TOKEN", "sntryu_" + hexs(64)),
        ("SEC-NR-001", "NEW_RELIC_API_KEY", "NRAK-" + pick(UPPER_NUM, 27)),
        ("SEC-LINEAR-001", "LINEAR_API_KEY", "lin_api_" + alnum(40)),
        ("SEC-NOTION-001", "NOTION_TOKEN", "ntn_" + str(R.randint(10**10, 10**11)) + alnum(35)),
        ("SEC-POSTMAN-001", "POSTMAN_API_KEY", f"PMAK-{hexs(24)}-{hexs(34)}"),
        ("SEC-AIRTABLE-001", "AIRTABLE_TOKEN", f"pat{alnum(14)}.{hexs(64)}"),
        ("SEC-FIGMA-001", "FIGMA_TOKEN", f"figd_{b64url(40)}"),
        ("SEC-HUBSPOT-001", "HUBSPOT_ACCESS_TOKEN", "pat-na1-" + uid()),
        ("SEC-TYPEFORM-001", "TYPEFORM_TOKEN", "tfp_" + b64url(44) + "_" + alnum(14)),
        ("SEC-CONTENTFUL-001", "CONTENTFUL_MANAGEMENT_TOKEN", "CFPAT-" + b64url(43)),
        ("SEC-SONAR-001", "SONAR_TOKEN", "sqp_" + hexs(40)),
        ("SEC-SNYK-001", "SNYK_TOKEN", uid()),
        ("SEC-CODECOV-001", "CODECOV_TOKEN", uid()),
        ("SEC-CIRCLE-001", "CIRCLE_TOKEN", f"CCIPAT_{alnum(22)}_{hexs(40)}"),
        ("SEC-BUILDKITE-001", "BUILDKITE_API_TOKEN", "bkua_" + hexs(40)),
        ("SEC-SG-001", "SRC_ACCESS_TOKEN", f"sgp_{hexs(16)}_{hexs(40)}"),
        ("SEC-RUBYGEMS-001", "GEM_HOST_API_KEY", "rubygems_" + hexs(48)),
        ("SEC-NUGET-001", "NUGET_API_KEY", "oy2" + pick(string.ascii_lowercase + string.digits, 43)),
        ("SEC-CRATES-001", "CARGO_REGISTRY_TOKEN", "cio" + alnum(32)),
        ("SEC-CLOJARS-001", "CLOJARS_TOKEN", "CLOJARS_" + hexs(60)),
        ("SEC-SUPABASE-001", "SUPABASE_ACCESS_TOKEN", "sbp_" + hexs(40)),
        ("SEC-PSCALE-001", "PLANETSCALE_SERVICE_TOKEN", "pscale_tkn_" + b64url(43)),
        ("SEC-PSCALE-002", "DATABASE_PASSWORD", "pscale_pw_" + b64url(43)),
        ("SEC-NETLIFY-001", "NETLIFY_AUTH_TOKEN", "nfp_" + alnum(36)),
        ("SEC-FLY-001", "FLY_API_TOKEN", "fo1_" + b64url(43)),
        ("SEC-ALI-001", "ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI" + alnum(20)),
        ("SEC-TENCENT-001", "TENCENTCLOUD_SECRET_ID", "AKID" + alnum(32)),
        ("SEC-CF-003", "CLOUDFLARE_ORIGIN_CA_KEY", f"v1.0-{hexs(24)}-{hexs(146)}"),
        ("SEC-DYNATRACE-001", "DT_API_TOKEN", f"dt0c01.{pick(UPPER_NUM, 24)}.{pick(UPPER_NUM, 64)}"),
        ("SEC-BRAINTREE-001", "BRAINTREE_ACCESS_TOKEN", f"access_token$production${pick(string.ascii_lowercase + string.digits, 16)}${hexs(32)}"),
        ("SEC-SQUARE-002", "SQUARE_APP_SECRET", "sq0csp-" + b64url(43)),
        ("SEC-FLW-001", "FLW_SECRET_KEY", f"FLWSECK-{hexs(32)}-X"),
        ("SEC-PLAID-001", "PLAID_ACCESS_TOKEN", "access-production-" + uid()),
        ("SEC-1PASSWORD-001", "OP_SERVICE_ACCOUNT_TOKEN", "ops_" + b64u_json({"signInAddress": "acme.1password.com", "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000, "salt": b64url(22)}, "email": f"{alnum(12).lower()}@1passwordserviceaccounts.com", "srpX": hexs(64), "muk": {"alg": "A256GCM", "ext": True, "k": b64url(43), "key_ops": ["encrypt", "decrypt"], "kty": "oct", "kid": "mp"}, "secretKey": "A3-" + pick(UPPER_NUM, 6) + "-" + pick(UPPER_NUM, 6), "throttleSecret": {"seed": hexs(64), "uuid": "CAP" + pick(UPPER_NUM, 23)}, "deviceUuid": pick(string.ascii_lowercase + string.digits, 26)})),
        ("SEC-MAPBOX-001", "MAPBOX_SECRET_TOKEN", "sk." + b64u_json({"u": "acme-maps", "a": alnum(25).lower()}) + "." + b64url(22)),
        ("SEC-AGE-001", "SOPS_AGE_KEY", "AGE-SECRET-KEY-1" + pick("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)),
        ("SEC-TAILSCALE-001", "TS_AUTHKEY", f"tskey-auth-k{alnum(10)}CNTRL-{alnum(32)}"),
        ("SEC-PREFECT-001", "PREFECT_API_KEY", "pnu_" + alnum(36)),
        ("SEC-INFRACOST-001", "INFRACOST_API_KEY", "ico-" + alnum(32)),
        ("SEC-JFROG-002", "JFROG_ACCESS_TOKEN", "cmVmdGtuOjAxOjE3" + alnum(48)),
        ("SEC-ATLASSIAN-001", "JIRA_API_TOKEN", "ATATT3xFfGF0" + b64url(170) + "=" + pick(HEX.upper(), 8)),
        ("SEC-BB-001", "BITBUCKET_APP_PASSWORD", "ATBB" + alnum(28) + pick(HEX.upper(), 8)),
        ("SEC-DO-002", "DO_OAUTH_TOKEN", "doo_v1_" + hexs(64)),
        ("SEC-RESEND-001", "RESEND_API_KEY", f"re_{alnum(8)}_{alnum(24)}"),
        ("SEC-BREVO-001", "BREVO_API_KEY", f"xkeysib-{hexs(64)}-{alnum(16)}"),
        ("SEC-MAILERSEND-001", "MAILERSEND_API_TOKEN", "mlsn." + hexs(64)),
        ("SEC-AZ-006", "AZURE_DEVOPS_PAT", pick(string.ascii_lowercase + "234567", 52)),
        ("SEC-AZ-003", "AZURE_CLIENT_SECRET", f"{alnum(3)}{R.randint(0, 9)}Q~{pick(ALNUM + '_~.-', 34)}"),
        ("SEC-TWILIO-001", "TWILIO_AUTH_TOKEN", hexs(32)),
        ("SEC-DD-001", "DD_API_KEY", hexs(32)),
        ("SEC-DD-002", "DD_APP_KEY", hexs(40)),
        ("SEC-HEROKU-001", "HEROKU_API_KEY", uid()),
        ("SEC-CF-001", "CLOUDFLARE_API_TOKEN", b64url(40)),
        ("SEC-LINODE-001", "LINODE_TOKEN", hexs(64)),
        ("SEC-HETZNER-001", "HCLOUD_TOKEN", alnum(64)),
        ("SEC-OKTA-001", "OKTA_API_TOKEN", "00" + b64url(40)),
        ("SEC-ALGOLIA-001", "ALGOLIA_ADMIN_KEY", hexs(32)),
        ("SEC-PAGERDUTY-001", "PAGERDUTY_TOKEN", "u+" + b64url(18)),
        ("SEC-ROLLBAR-001", "ROLLBAR_ACCESS_TOKEN", hexs(32)),
        ("SEC-JWT-001", "SESSION_JWT", jwt()),
        ("SEC-GEN-002", "API_SECRET", b64url(40)),
        ("SEC-GEN-002", "webhook_signing_secret", hexs(64)),
        ("SEC-GEN-001", "DB_PASSWORD", password()),
        ("SEC-GEN-001", "admin_password", strong_password()),
    ]


# --- how files hold an assignment -----------------------------------------------------------

def snake(name):
    return name.lower()


def camel(name):
    parts = name.lower().split("_")
    return parts[0] + "".join(p.title() for p in parts[1:])


# Each context: (path, lines before, the assignment line(s), lines after).
CONTEXTS = [
    (".env", lambda k, v: (["# local development settings", "NODE_ENV=production", "PORT=3000"], [f"{k.upper()}={v}"], ["LOG_LEVEL=info"])),
    ("config/production.yaml", lambda k, v: (["service:", "  name: billing", "  replicas: 3", "integrations:"], [f"  {snake(k)}: \"{v}\""], ["  timeout_seconds: 30"])),
    ("deploy/docker-compose.yml", lambda k, v: (["services:", "  worker:", "    image: ghcr.io/acme/worker:2.4.0", "    environment:"], [f"      - {k.upper()}={v}"], ["      - QUEUE=default", "    restart: unless-stopped"])),
    ("app/settings.py", lambda k, v: (["import os", "", "DEBUG = False", "ALLOWED_HOSTS = [\"api.acme.io\"]"], [f"{k.upper()} = \"{v}\""], ["CACHE_TTL = 300"])),
    ("src/lib/client.ts", lambda k, v: (["import { Client } from \"./http\";", ""], [f"const {camel(k)} = \"{v}\";"], ["", f"export const client = new Client({{ token: {camel(k)} }});"])),
    ("cmd/server/main.go", lambda k, v: (["package main", "", "import \"log\"", ""], [f"const {camel(k)} = \"{v}\""], ["", "func main() {", "\tlog.Println(\"starting\")", "}"])),
    ("src/main/resources/application.properties", lambda k, v: (["spring.application.name=orders", "server.port=8080"], [f"app.{snake(k).replace('_', '.')}={v}"], ["management.endpoints.web.exposure.include=health"])),
    ("infra/terraform.tfvars", lambda k, v: (["region      = \"eu-west-1\"", "environment = \"prod\""], [f"{snake(k)} = \"{v}\""], ["instance_count = 2"])),
    (".github/workflows/deploy.yml", lambda k, v: (["name: deploy", "on:", "  push:", "    branches: [main]", "jobs:", "  deploy:", "    runs-on: ubuntu-latest", "    env:"], [f"      {k.upper()}: {v}"], ["    steps:", "      - uses: actions/checkout@v4", "      - run: make deploy"])),
    (".gitlab-ci.yml", lambda k, v: (["stages: [build, deploy]", "variables:"], [f"  {k.upper()}: \"{v}\""], ["deploy:", "  stage: deploy", "  script:", "    - ./deploy.sh"])),
    ("scripts/deploy.sh", lambda k, v: (["#!/usr/bin/env bash", "set -euo pipefail", ""], [f"export {k.upper()}=\"{v}\""], ["./bin/release --env prod"])),
    ("k8s/secret.yaml", lambda k, v: (["apiVersion: v1", "kind: Secret", "metadata:", "  name: app-credentials", "type: Opaque", "stringData:"], [f"  {k.upper()}: \"{v}\""], [])),
    ("config/appsettings.json", lambda k, v: (["{", "  \"Logging\": { \"LogLevel\": { \"Default\": \"Information\" } },", "  \"Integrations\": {"], [f"    \"{camel(k)}\": \"{v}\""], ["  }", "}"])),
    ("Dockerfile", lambda k, v: (["FROM python:3.12-slim", "WORKDIR /app", "COPY . ."], [f"ENV {k.upper()}={v}"], ["CMD [\"python\", \"-m\", \"app\"]"])),
    ("config/settings.toml", lambda k, v: (["[server]", "host = \"0.0.0.0\"", "port = 8080", "", "[integrations]"], [f"{snake(k)} = \"{v}\""], [])),
    ("src/main/java/com/acme/Config.java", lambda k, v: (["package com.acme;", "", "public final class Config {"], [f"    static final String {k.upper()} = \"{v}\";"], ["}"])),
    ("notebooks/explore.ipynb", lambda k, v: (["{", " \"cells\": [", "  {", "   \"cell_type\": \"code\",", "   \"execution_count\": 3,", "   \"metadata\": {},", "   \"source\": [", "    \"import os\\n\","], [f"    \"os.environ[\\\"{k.upper()}\\\"] = \\\"{v}\\\"\\n\","], ["    \"client = make_client()\"", "   ]", "  }", " ]", "}"])),
    ("logs/worker.log", lambda k, v: (["2026-03-02T10:14:07Z INFO worker started pid=4121", "2026-03-02T10:14:08Z DEBUG loaded configuration"], [f"2026-03-02T10:14:08Z DEBUG env {k.upper()}={v}"], ["2026-03-02T10:14:09Z INFO connected to queue"])),
    ("config/config.rb", lambda k, v: (["Rails.application.configure do", "  config.cache_classes = true"], [f"  config.x.{snake(k)} = \"{v}\""], ["end"])),
    ("Makefile", lambda k, v: (["SHELL := /bin/bash", ""], [f"{k.upper()} ?= {v}"], ["", "deploy:", "\t./scripts/release.sh"])),
]


def emit(out, truth, det, path, lines, secret_lines=None):
    if truth:
        out.append(f"### true {det} {path} L{secret_lines[0]}-{secret_lines[1]}")
    else:
        out.append(f"### false - {path}")
    out.extend(lines)


def place(out, det, ctx_index, key, value):
    path, make = CONTEXTS[ctx_index % len(CONTEXTS)]
    before, middle, after = make(key, value)
    first = len(before) + 1
    emit(out, True, det, path, before + middle + after, (first, first + len(middle) - 1))


def special_true(out):
    """Credentials whose shape is a file format rather than one assignment."""
    def block(det, path, before, secret, after):
        first = len(before) + 1
        emit(out, True, det, path, before + secret + after, (first, first + len(secret) - 1))

    kid, ksec = "AKIA" + pick(BASE32, 16), pick(B64, 40)
    block("SEC-AWS-001", ".aws/credentials", ["[default]", "region = eu-central-1"], [f"aws_access_key_id = {kid}", f"aws_secret_access_key = {ksec}"], [])
    kid, ksec = "AKIA" + pick(BASE32, 16), pick(B64, 40)
    block("SEC-AWS-001", "infra/provider.tf", ["provider \"aws\" {", "  region     = \"us-east-1\""], [f"  access_key = \"{kid}\"", f"  secret_key = \"{ksec}\""], ["}"])
    kid, ksec = "AKIA" + pick(BASE32, 16), pick(B64, 40)
    block("SEC-AWS-001", "src/upload.js", ["const { S3Client } = require(\"@aws-sdk/client-s3\");", "const s3 = new S3Client({", "  region: \"eu-west-1\",", "  credentials: {"], [f"    accessKeyId: \"{kid}\",", f"    secretAccessKey: \"{ksec}\","], ["  },", "});"])
    block("SEC-AWS-004", "scripts/assume.sh", ["#!/bin/sh", f"export AWS_ACCESS_KEY_ID=ASIA{pick(BASE32, 16)}"], [f"export AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjE{b64_bytes(280)}"], ["aws s3 ls"])
    for det, label, n in [("SEC-KEY-001", "RSA PRIVATE KEY", 1190), ("SEC-KEY-002", "EC PRIVATE KEY", 115), ("SEC-KEY-005", "PRIVATE KEY", 1210), ("SEC-KEY-007", "DSA PRIVATE KEY", 440)]:
        block(det, "deploy/keys/server.key" if det != "SEC-KEY-002" else "certs/signing.pem", [], pem(label, n), [])
    block("SEC-KEY-001", "ansible/group_vars/all.yml", ["deploy_user: ubuntu", "deploy_key: |"], ["  " + line for line in pem("RSA PRIVATE KEY", 1190)], ["deploy_port: 22"])
    block("SEC-KEY-003", "home/ci/.ssh/id_ed25519", [], openssh_key(), [])
    block("SEC-KEY-003", "terraform/bastion.tf", ["resource \"tls_private_key\" \"unused\" {", "  algorithm = \"ED25519\"", "}", "", "locals {", "  bastion_key = <<-EOT"], ["    " + line for line in openssh_key()], ["  EOT", "}"])
    block("SEC-KEY-004", "release/signing.asc", [], ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "", *[b64_bytes(48) for _ in range(20)], "=" + pick(B64, 4), "-----END PGP PRIVATE KEY BLOCK-----"], [])
    block("SEC-KEY-009", "certs/legacy.key", [], ["-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED", f"DEK-Info: AES-256-CBC,{hexs(32).upper()}", "", *pem("X", 1190)[1:-1], "-----END RSA PRIVATE KEY-----"], [])
    # A service-account key file, as downloaded from the console.
    sa_key = pem("PRIVATE KEY", 1210)
    sa = ["{", "  \"type\": \"service_account\",", "  \"project_id\": \"acme-prod-4821\",", f"  \"private_key_id\": \"{hexs(40)}\","]
    block("SEC-GCP-001", "secrets/gcp-sa.json", sa, ["  \"private_key\": \"" + "\\n".join(sa_key) + "\\n\","], ["  \"client_email\": \"deployer@acme-prod-4821.iam.gserviceaccount.com\",", f"  \"client_id\": \"{R.randint(10**20, 10**21)}\",", "  \"token_uri\": \"https://oauth2.googleapis.com/token\"", "}"])
    # kubeconfig with an embedded client key.
    ck = base64.b64encode("\n".join(pem("RSA PRIVATE KEY", 1190)).encode()).decode()
    block("SEC-K8S-001", "clusters/prod/kubeconfig", ["apiVersion: v1", "kind: Config", "users:", "- name: admin", "  user:", f"    client-certificate-data: {base64.b64encode(b'-----BEGIN CERTIFICATE-----').decode()}"], [f"    client-key-data: {ck}"], ["current-context: prod"])
    # Registry credentials.
    block("SEC-NPM-002", ".npmrc", ["registry=https://npm.acme.io/"], [f"//npm.acme.io/:_authToken={b64url(36)}"], ["always-auth=true"])
    block("SEC-NPM-001", "frontend/.npmrc", ["@acme:registry=https://registry.npmjs.org/"], [f"//registry.npmjs.org/:_authToken={crc_token('npm_', 30)}"], [])
    auth = base64.b64encode(f"ci-bot:{strong_password()}".encode()).decode()
    block("SEC-DOCKER-003", ".docker/config.json", ["{", "  \"auths\": {", "    \"registry.acme.io\": {"], [f"      \"auth\": \"{auth}\""], ["    }", "  }", "}"])
    # Connection strings.
    for det, path, line in [
        ("SEC-DB-001", ".env", f"DATABASE_URL=postgres://orders:{strong_password().replace('@', 'a').replace('#', 'b').replace('?', 'c').replace('%', 'd').replace('^', 'e')}@db.internal.acme.io:5432/orders"),
        ("SEC-DB-001", "config/database.yml", f"  url: postgresql://app_rw:{password().replace('@', 'x').replace('#', 'y').replace('%', 'z').replace('$', 's')}@10.0.3.12/app"),
        ("SEC-DB-002", "app/db.py", f"ENGINE_URL = \"mysql://report:{alnum(18)}@mysql.acme.io:3306/reports\""),
        ("SEC-DB-003", "src/db.js", f"const uri = \"mongodb+srv://api:{alnum(16)}@cluster0.ab12c.mongodb.net/shop?retryWrites=true\";"),
        ("SEC-DB-004", "deploy/values-prod.yaml", f"redisUrl: redis://:{alnum(32)}@redis-master.cache.svc:6379/0"),
        ("SEC-DB-005", "config/celery.py", f"broker_url = \"amqp://celery:{alnum(20)}@rabbitmq.acme.io:5672/prod\""),
        ("SEC-DB-007", "src/main/resources/application.yml", f"    url: jdbc:sqlserver://sql.acme.io:1433;databaseName=ledger;user=ledger;password={alnum(18)}"),
        ("SEC-DB-008", "web.config", f"    <add name=\"Main\" connectionString=\"Server=tcp:acme.database.windows.net,1433;Database=main;User ID=appuser;Password={alnum(20)};Encrypt=True;\" />"),
        ("SEC-AZ-001", "appsettings.Production.json", f"  \"StorageConnection\": \"DefaultEndpointsProtocol=https;AccountName=acmeprodlogs;AccountKey={b64_bytes(64)};EndpointSuffix=core.windows.net\","),
        ("SEC-AZ-005", "local.settings.json", f"    \"ServiceBus\": \"Endpoint=sb://acme-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={b64_bytes(32)}\","),
        ("SEC-AZ-004", "config/cosmos.env", f"COSMOS_CONNECTION=AccountEndpoint=https://acme-db.documents.azure.com:443/;AccountKey={b64_bytes(64)};"),
        ("SEC-AZ-002", "scripts/upload.ps1", f"$sas = \"https://acmeartifacts.blob.core.windows.net/builds?sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2027-01-01T00:00:00Z&st=2026-01-01T00:00:00Z&spr=https&sig={b64_bytes(32).replace('+', '%2B').replace('/', '%2F').replace('=', '%3D')}\""),
        ("SEC-SENTRY-001", "src/sentry.py", f"sentry_sdk.init(dsn=\"https://{hexs(32)}:{hexs(32)}@o{R.randint(10**5, 10**6)}.ingest.sentry.io/{R.randint(10**6, 10**7)}\")"),
        ("SEC-URL-001", "scripts/mirror.sh", f"git clone https://deploy:{alnum(20)}@git.acme.io/platform/infra.git"),
        ("SEC-GEN-003", "logs/proxy.log", f"2026-03-02 10:01:02 GET /api/v1/orders headers={{'Authorization': 'Basic {base64.b64encode(f'admin:{password()}'.encode()).decode()}'}}"),
        ("SEC-GEN-004", "scripts/smoke.sh", f"curl -fsS -H \"Authorization: Bearer {b64url(48)}\" https://api.acme.io/v1/health"),
        ("SEC-GEN-006", "scripts/fetch.sh", f"curl -u deployer:{password()} https://nexus.acme.io/repository/releases/app.jar -o app.jar"),
        ("SEC-GEN-007", "settings.xml", f"      <password>{strong_password().replace('<', 'l').replace('&', 'a')}</password>"),
    ]:
        emit(out, True, det, path, [line], (1, 1))
    block("SEC-GEN-005", "home/ci/.netrc", ["machine github.com"], [f"  login ci-bot", f"  password {strong_password()}"], [])
    block("SEC-GEN-008", "infra/variables.tf", ["variable \"db_password\" {", "  type      = string", "  sensitive = true"], [f"  default   = \"{password()}\""], ["}"])
    block("SEC-GEN-001", "k8s/helm/values.yaml", ["postgresql:", "  auth:", "    username: app"], [f"    password: {password()}"], ["    database: app"])
    block("SEC-GEN-001", "src/config/db.go", ["func dsn() string {"], [f"\tpassword := \"{strong_password()}\""], ["\treturn fmt.Sprintf(\"host=db user=app password=%s\", password)", "}"])
    block("SEC-GEN-002", "config/oauth.json", ["{", f"  \"client_id\": \"{uid()}\","], [f"  \"client_secret\": \"{b64url(40)}\""], ["}"])
    block("SEC-TWILIO-002", "src/notify.py", [f"TWILIO_API_KEY = \"SK{hexs(32)}\""], [f"TWILIO_API_SECRET = \"{alnum(32)}\""], [])


# --- hard negatives -------------------------------------------------------------------------

def negatives(out):
    gh_bad = "ghp_" + alnum(36)  # structure right, checksum (almost surely) wrong
    neg = [
        ("README.md", ["## Configure", "", "```sh", "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "```"]),
        ("docs/aws.md", ["Use the documented example pair to try the CLI:", "", "    aws_access_key_id = AKIAI44QH8DHBEXAMPLE", "    aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"]),
        (".github/workflows/ci.yml", ["jobs:", "  deploy:", "    runs-on: ubuntu-latest", "    env:", "      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}", "      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}", "      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}"]),
        (".github/workflows/release.yml", ["      - uses: docker/login-action@v3", "        with:", "          username: ${{ vars.DOCKERHUB_USERNAME }}", "          password: ${{ secrets.DOCKERHUB_TOKEN }}"]),
        ("charts/api/templates/secret.yaml", ["apiVersion: v1", "kind: Secret", "metadata:", "  name: {{ include \"api.fullname\" . }}", "stringData:", "  DB_PASSWORD: {{ .Values.db.password | quote }}", "  API_TOKEN: {{ required \"token\" .Values.apiToken }}"]),
        ("charts/api/values.yaml", ["db:", "  host: postgres", "  password: \"\"", "apiToken: \"\"", "existingSecret: api-credentials"]),
        ("infra/rds.tf", ["resource \"aws_db_instance\" \"main\" {", "  engine   = \"postgres\"", "  username = \"app\"", "  password = var.db_password", "  manage_master_user_password = false", "}"]),
        ("infra/secrets.tf", ["resource \"aws_secretsmanager_secret_version\" \"db\" {", "  secret_id     = aws_secretsmanager_secret.db.id", "  secret_string = jsonencode({ password = random_password.db.result })", "}"]),
        ("infra/vars.tf", ["variable \"api_token\" {", "  type        = string", "  sensitive   = true", "  description = \"Token for the billing API; set TF_VAR_api_token\"", "}"]),
        ("infra/module.tf", ["module \"app\" {", "  source       = \"./modules/app\"", "  db_password  = \"${var.db_password}\"", "  secret_arn   = \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-Ab12Cd\"", "}"]),
        ("cloudformation/db.yaml", ["  Database:", "    Type: AWS::RDS::DBInstance", "    Properties:", "      MasterUsername: admin", "      MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'", "      DBInstanceClass: db.t4g.micro"]),
        ("cloudformation/app.yaml", ["Parameters:", "  ApiKey:", "    Type: String", "    NoEcho: true", "Resources:", "  Fn:", "    Properties:", "      Environment:", "        Variables:", "          API_KEY: !Ref ApiKey"]),
        (".env.example", ["STRIPE_SECRET_KEY=sk_live_your_key_here", "OPENAI_API_KEY=<your-openai-key>", "DATABASE_URL=postgres://user:password@localhost:5432/app", "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"]),
        (".env", ["DB_PASSWORD=${DB_PASSWORD}", "API_TOKEN=$API_TOKEN", "SECRET_KEY=changeme", "REDIS_PASSWORD="]),
        ("config/settings.yaml", ["database:", "  password: <REPLACE_ME>", "  token: \"********\"", "api_key: YOUR_API_KEY_HERE"]),
        ("app/settings.py", ["import os", "", "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]", "DB_PASSWORD = os.getenv(\"DB_PASSWORD\", \"\")", "API_TOKEN = settings.get(\"api_token\")"]),
        ("src/config.ts", ["export const config = {", "  apiKey: process.env.STRIPE_SECRET_KEY ?? \"\",", "  password: process.env.DB_PASSWORD!,", "  token: getToken(),", "};"]),
        ("cmd/main.go", ["\tpassword := os.Getenv(\"DB_PASSWORD\")", "\ttoken, err := vault.ReadToken(ctx, \"secret/data/ci\")", "\tif err != nil {", "\t\treturn err", "\t}"]),
        ("src/main/java/com/acme/Db.java", ["    String password = System.getenv(\"DB_PASSWORD\");", "    String apiKey = props.getProperty(\"api.key\");", "    char[] secret = readSecret(\"/run/secrets/api\");"]),
        ("package-lock.json", ["    \"node_modules/lodash\": {", "      \"version\": \"4.17.21\",", f"      \"resolved\": \"https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz\",", f"      \"integrity\": \"sha512-{b64_bytes(64)}\"", "    },"]),
        ("go.sum", [f"github.com/aws/aws-sdk-go-v2 v1.30.3 h1:{b64_bytes(32)}", f"github.com/aws/aws-sdk-go-v2 v1.30.3/go.mod h1:{b64_bytes(32)}", f"golang.org/x/crypto v0.25.0 h1:{b64_bytes(32)}"]),
        ("Cargo.lock", ["[[package]]", "name = \"serde\"", "version = \"1.0.210\"", "source = \"registry+https://github.com/rust-lang/crates.io-index\"", f"checksum = \"{hexs(64)}\""]),
        ("yarn.lock", ["axios@^1.7.2:", "  version \"1.7.2\"", "  resolved \"https://registry.yarnpkg.com/axios/-/axios-1.7.2.tgz#" + hexs(40) + "\"", f"  integrity sha512-{b64_bytes(64)}"]),
        ("poetry.lock", ["[[package]]", "name = \"requests\"", "version = \"2.32.3\"", "files = [", f"    {{file = \"requests-2.32.3-py3-none-any.whl\", hash = \"sha256:{hexs(64)}\"}},", "]"]),
        (".terraform.lock.hcl", ["provider \"registry.terraform.io/hashicorp/aws\" {", "  version = \"5.60.0\"", "  hashes = [", f"    \"h1:{b64_bytes(32)}\",", f"    \"zh:{hexs(64)}\",", "  ]", "}"]),
        ("k8s/deployment.yaml", ["      containers:", f"        - image: ghcr.io/acme/api@sha256:{hexs(64)}", "          env:", "            - name: DB_PASSWORD", "              valueFrom:", "                secretKeyRef:", "                  name: db-credentials", "                  key: password"]),
        ("k8s/configmap.yaml", ["apiVersion: v1", "kind: ConfigMap", "data:", f"  request_id_salt_version: \"3\"", f"  tenant_id: \"{uid()}\"", f"  build_commit: \"{hexs(40)}\""]),
        ("k8s/webhook.yaml", ["webhooks:", "  - name: validate.acme.io", "    clientConfig:", f"      caBundle: {base64.b64encode(chr(10).join(['-----BEGIN CERTIFICATE-----', b64_bytes(300)[:64], '-----END CERTIFICATE-----']).encode()).decode()}"]),
        ("infra/azure.tf", ["provider \"azurerm\" {", "  features {}", f"  subscription_id = \"{uid()}\"", f"  tenant_id       = \"{uid()}\"", f"  client_id       = \"{uid()}\"", "  client_secret   = var.client_secret", "}"]),
        ("ci/release.log", ["2026-03-02 10:00:01 INFO logging in to registry", "2026-03-02 10:00:01 DEBUG Authorization: Bearer ***", "2026-03-02 10:00:02 INFO token=[REDACTED]", f"2026-03-02 10:00:03 INFO pushed digest sha256:{hexs(64)}"]),
        ("src/hash_test.py", ["def test_digest():", f"    assert sha256(b\"orders\") == \"{hexs(64)}\"", f"    assert md5(b\"orders\") == \"{hexs(32)}\"", f"    assert sha1(b\"orders\") == \"{hexs(40)}\""]),
        ("tests/fixtures/users.json", ["[", f"  {{\"email\": \"ann@example.com\", \"password_hash\": \"$2b$12${pick(ALNUM + './', 53)}\"}},", f"  {{\"email\": \"bob@example.com\", \"password_hash\": \"$argon2id$v=19$m=65536,t=3,p=4${b64_bytes(16).rstrip('=')}${b64_bytes(32).rstrip('=')}\"}}", "]"]),
        ("tests/test_auth.py", ["def test_login(client):", "    resp = client.post(\"/login\", json={\"user\": \"alice\", \"password\": \"test-password\"})", "    assert resp.status_code == 200", "    token = resp.json()[\"token\"]", "    assert token"]),
        ("tests/test_github.py", ["# A token of the right shape but a wrong checksum: the client must reject it.", f"INVALID = \"{gh_bad}\"", "", "def test_rejects_bad_checksum():", "    assert not is_valid(INVALID)"]),
        ("spec/fixtures/stripe.yml", ["customer:", "  id: cus_NffrFeUfNV2Hib", "  api_key: sk_test_xxxxxxxxxxxxxxxxxxxxxxxx", "  publishable_key: pk_test_TYooMQauvdEDq54NiTphI7jx"]),
        ("web/index.html", ["<script", f"  src=\"https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js\"", f"  integrity=\"sha384-{b64_bytes(48)}\"", "  crossorigin=\"anonymous\"></script>"]),
        ("web/logo.css", [".logo {", f"  background-image: url(\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQ{b64_bytes(120)}\");", "}"]),
        ("infra/userdata.tf", ["resource \"aws_instance\" \"web\" {", "  ami       = \"ami-0abcdef1234567890\"", "  user_data_base64 = \"" + base64.b64encode(b"#!/bin/bash\nyum update -y\nsystemctl enable --now nginx\n").decode() + "\"", "}"]),
        ("home/ci/.ssh/authorized_keys", [f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{b64_bytes(32)[:43]} ci@build-01", f"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{b64_bytes(380)} deploy@bastion"]),
        ("certs/ca.pem", ["-----BEGIN CERTIFICATE-----", *[b64_bytes(48) for _ in range(12)], "-----END CERTIFICATE-----"]),
        ("keys/release.pub", ["-----BEGIN PUBLIC KEY-----", *[b64_bytes(48) for _ in range(5)], "-----END PUBLIC KEY-----"]),
        ("web/src/sentry.js", ["Sentry.init({", f"  dsn: \"https://{hexs(32)}@o{R.randint(10**5, 10**6)}.ingest.sentry.io/{R.randint(10**6, 10**7)}\",", "  tracesSampleRate: 0.1,", "});"]),
        ("web/src/firebase.js", ["const firebaseConfig = {", "  authDomain: \"acme-web.firebaseapp.com\",", "  projectId: \"acme-web\",", f"  appId: \"1:{R.randint(10**11, 10**12)}:web:{hexs(22)}\",", "};"]),
        ("src/oauth.py", ["TOKEN_URL = \"https://oauth2.googleapis.com/token\"", "PASSWORD_RESET_URL = \"https://acme.io/account/reset\"", "API_KEY_HEADER = \"X-Api-Key\"", "SECRET_NAME = \"prod/billing/stripe\""]),
        ("src/constants.py", ["PASSWORD_MIN_LENGTH = 12", "TOKEN_TTL_SECONDS = 3600", "SECRET_ROTATION_DAYS = 90", "MAX_API_KEYS_PER_USER = 5"]),
        ("src/ids.ts", [f"export const DEFAULT_TENANT = \"{uid()}\";", f"export const CORRELATION_SEED = \"{hexs(32)}\";", f"export const RELEASE_SHA = \"{hexs(40)}\";"]),
        (".gitlab-ci.yml", ["deploy:", "  script:", "    - echo \"$CI_REGISTRY_PASSWORD\" | docker login -u \"$CI_REGISTRY_USER\" --password-stdin $CI_REGISTRY", "    - curl --header \"JOB-TOKEN: $CI_JOB_TOKEN\" \"$CI_API_V4_URL/projects\""]),
        ("scripts/login.sh", ["#!/bin/sh", "aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com", "export VAULT_TOKEN=\"$(vault login -token-only -method=oidc)\""]),
        ("docs/setup.md", ["1. Create a token in GitHub (Settings → Developer settings).", "2. Run `export GITHUB_TOKEN=<your token>`.", "3. For Slack use a bot token (`xoxb-...`) with `chat:write`.", "4. Put `glpat-<token>` in `~/.gitlab-token`."]),
        ("config/app.yaml", ["secrets:", "  db_password: vault:secret/data/prod/db#password", "  api_key: ssm:/prod/api/key", "  stripe: \"@Microsoft.KeyVault(SecretUri=https://acme-kv.vault.azure.net/secrets/stripe/)\""]),
        ("deploy/sealed-secret.yaml", ["apiVersion: bitnami.com/v1alpha1", "kind: SealedSecret", "spec:", "  encryptedData:", f"    password: AgB{b64_bytes(200)}"]),
        ("secrets.enc.yaml", [f"db_password: ENC[AES256_GCM,data:{b64_bytes(18)},iv:{b64_bytes(32)},tag:{b64_bytes(16)},type:str]", "sops:", "    age:", "        - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"]),
        ("notebooks/analysis.ipynb", ["   \"source\": [", "    \"import os\\n\",", "    \"openai.api_key = os.environ[\\\"OPENAI_API_KEY\\\"]\\n\",", "    \"token = getpass.getpass()\"", "   ]"]),
        ("ansible/vars.yml", ["db_password: \"{{ vault_db_password }}\"", "api_token: \"{{ lookup('env', 'API_TOKEN') }}\"", "admin_password: !vault |", f"          $ANSIBLE_VAULT;1.1;AES256", f"          {hexs(64)}"]),
        ("docker-compose.yml", ["services:", "  db:", "    image: postgres:16", "    environment:", "      POSTGRES_PASSWORD_FILE: /run/secrets/db_password", "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}"]),
        ("src/main/resources/application.yml", ["spring:", "  datasource:", "    url: jdbc:postgresql://db:5432/app", "    username: ${DB_USER}", "    password: ${DB_PASSWORD}"]),
        ("config/database.yml", ["production:", "  adapter: postgresql", "  password: <%= ENV['DATABASE_PASSWORD'] %>", "  url: <%= ENV.fetch('DATABASE_URL') %>"]),
        ("logs/access.log", [f"10.0.4.17 - - [02/Mar/2026:10:12:01 +0000] \"GET /static/app.{hexs(20)}.js HTTP/1.1\" 200 51234", f"10.0.4.17 - - [02/Mar/2026:10:12:02 +0000] \"GET /api/orders?page=2&request={uid()} HTTP/1.1\" 200 812"]),
        ("src/test/java/com/acme/AuthTest.java", ["    @Test", "    void rejectsWrongPassword() {", "        assertFalse(auth.login(\"alice\", \"wrong-password\"));", "        assertFalse(auth.login(\"alice\", \"\"));", "    }"]),
        ("terraform/random.tf", ["resource \"random_password\" \"db\" {", "  length  = 32", "  special = true", "}", "", "output \"db_password\" {", "  value     = random_password.db.result", "  sensitive = true", "}"]),
        ("k8s/external-secret.yaml", ["kind: ExternalSecret", "spec:", "  secretStoreRef:", "    name: aws-secrets", "  data:", "    - secretKey: api-token", "      remoteRef:", "        key: prod/api/token"]),
        ("src/crypto.rs", ["/// SHA-256 of the empty string.", "const EMPTY_SHA256: &str = \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\";", "const TOKEN_PREFIX: &str = \"tm_\";"]),
        ("Makefile", ["docker-login:", "\t@echo $$REGISTRY_PASSWORD | docker login -u $(REGISTRY_USER) --password-stdin", "deploy:", "\thelm upgrade --install api charts/api --set db.password=$(DB_PASSWORD)"]),
        ("mocks/slack.json", ["{", "  \"ok\": true,", "  \"access_token\": \"xoxb-not-a-real-token\",", "  \"team\": {\"id\": \"T0000000\", \"name\": \"Example\"}", "}"]),
        ("src/api.py", ["headers = {\"Authorization\": f\"Bearer {token}\"}", "resp = requests.get(url, headers=headers, auth=(user, password))", "password = getpass.getpass(\"Password: \")"]),
        ("src/version.go", [f"var Commit = \"{hexs(40)}\"", f"var BuildID = \"{uid()}\"", f"var Checksum = \"sha256:{hexs(64)}\""]),
        ("app/migrations/0003_keys.py", ["    operations = [", "        migrations.AddField(", "            model_name=\"apikey\",", "            name=\"hashed_key\",", "            field=models.CharField(max_length=128),", "        ),", "    ]"]),
        ("config/nginx.conf", ["server {", "  listen 443 ssl;", "  ssl_certificate /etc/ssl/acme.crt;", "  ssl_certificate_key /etc/ssl/private/acme.key;", "  ssl_password_file /run/secrets/ssl_pass;", "}"]),
        ("config/grafana.ini", ["[security]", "admin_user = admin", "admin_password = $__file{/run/secrets/grafana_admin}", "secret_key = $__env{GF_SECRET_KEY}"]),
        ("docs/api.md", ["Send the key in a header:", "", "    curl -H \"Authorization: Bearer YOUR_TOKEN\" https://api.acme.io/v1/me", "    curl -u admin:<password> https://api.acme.io/v1/admin"]),
        ("src/i18n/en.json", ["{", "  \"password\": \"Password\",", "  \"password_hint\": \"At least 12 characters\",", "  \"token_expired\": \"Your session token has expired\",", "  \"api_key\": \"API key\"", "}"]),
        ("src/components/Login.tsx", ["<input type=\"password\" name=\"password\" placeholder=\"Enter password\" />", "<input name=\"token\" value={token} onChange={e => setToken(e.target.value)} />"]),
        ("charts/api/templates/deployment.yaml", ["          env:", "            - name: API_KEY", "              value: {{ .Values.apiKey | default \"\" | quote }}", "            - name: JWT_SECRET", "              valueFrom: {secretKeyRef: {name: {{ .Release.Name }}-jwt, key: secret}}"]),
        (".github/workflows/pr.yml", ["      - run: npm publish", "        env:", "          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}", "      - run: echo \"token=${{ steps.auth.outputs.token }}\" >> $GITHUB_OUTPUT"]),
        ("src/uuid_test.go", [f"\tid := uuid.MustParse(\"{uid()}\")", f"\twant := \"{uid()}\"", "\tif id.String() != want {", "\t\tt.Fatal(\"mismatch\")", "\t}"]),
        ("data/sample.csv", ["id,email,created_at,api_key_last4", f"{uid()},ann@example.com,2026-01-02,4f2a", f"{uid()},bob@example.com,2026-01-03,91c0"]),
        ("tests/fixtures/jwt.txt", ["eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ0ZXN0In0."]),
        ("src/settings/base.py", ["AUTH_PASSWORD_VALIDATORS = [", "    {\"NAME\": \"django.contrib.auth.password_validation.MinimumLengthValidator\"},", "]", "PASSWORD_HASHERS = [\"django.contrib.auth.hashers.Argon2PasswordHasher\"]"]),
        ("infra/kms.tf", ["resource \"aws_kms_key\" \"secrets\" {", "  description             = \"Encrypts application secrets\"", "  deletion_window_in_days = 30", "  enable_key_rotation     = true", "}"]),
        ("config/keycloak.json", ["{", "  \"realm\": \"acme\",", "  \"auth-server-url\": \"https://sso.acme.io/\",", "  \"resource\": \"web\",", "  \"public-client\": true", "}"]),
        ("scripts/gen-key.sh", ["#!/bin/sh", "openssl genrsa -out \"$KEY_DIR/server.key\" 4096", "ssh-keygen -t ed25519 -N \"\" -f \"$HOME/.ssh/id_ed25519\"", "age-keygen -o key.txt"]),
        ("CHANGELOG.md", ["## 2.4.0", "- Rotate the API token every 90 days (#412)", "- Redact passwords in logs (#398)", f"- Bump lodash to 4.17.21 ({hexs(7)})"]),
        ("k8s/kubeconfig-template.yaml", ["users:", "- name: ci", "  user:", "    exec:", "      apiVersion: client.authentication.k8s.io/v1beta1", "      command: aws", "      args: [eks, get-token, --cluster-name, prod]"]),
        ("deploy/values-prod.yaml", ["image:", "  repository: ghcr.io/acme/api", f"  digest: sha256:{hexs(64)}", "auth:", "  existingSecret: api-prod", "  passwordKey: password"]),
        ("web/.env.production", ["NEXT_PUBLIC_API_URL=https://api.acme.io", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY=pk_live_" + alnum(24), f"NEXT_PUBLIC_POSTHOG_KEY=phc_{alnum(43)}"]),
        ("src/samples.py", ["# Values from the provider's documentation, for the parser tests.", "SAMPLE_KEY = \"sk-ant-api03-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\"", "SAMPLE_SLACK = \"xoxb-123456789012-123456789012-XXXXXXXXXXXXXXXXXXXXXXXX\""]),
        ("docs/examples/.env.sample", ["OPENAI_API_KEY=sk-...", "HF_TOKEN=hf_...", "ANTHROPIC_API_KEY=", "SENDGRID_API_KEY=SG.xxxxxx.yyyyyy"]),
        ("src/oauth.ts", ["const params = new URLSearchParams({", "  grant_type: \"refresh_token\",", "  refresh_token: storedRefreshToken,", "  client_secret: env.CLIENT_SECRET,", "});"]),
        ("infra/outputs.tf", ["output \"db_password_secret_arn\" {", "  value = aws_secretsmanager_secret.db.arn", "}", "output \"api_token_ssm\" {", "  value = aws_ssm_parameter.api_token.name", "}"]),
        ("README.md", ["Set your key with `trustmap login --token $TOKEN`.", "The token looks like `tm_live_...` and is shown once.", f"Build {hexs(40)} passed."]),
        ("scripts/backup.sh", ["#!/bin/bash", "PGPASSWORD=\"$(cat /run/secrets/pg)\" pg_dump -h db -U app app > /backup/app.sql", "mysqldump -u root -p\"$MYSQL_ROOT_PASSWORD\" --all-databases > /backup/all.sql"]),
        ("config/redis.conf", ["bind 0.0.0.0", "port 6379", "# requirepass is set at runtime from REDIS_PASSWORD", "maxmemory-policy allkeys-lru"]),
        ("src/uploader.go", ["\tsess := session.Must(session.NewSession(&aws.Config{", "\t\tRegion:      aws.String(\"eu-west-1\"),", "\t\tCredentials: credentials.NewEnvCredentials(),", "\t}))"]),
        ("docs/tokens.md", ["| kind | prefix | example |", "|---|---|---|", "| personal | `ghp_` | `ghp_1234567890abcdefghijklmnopqrstuvwxyz` |", "| npm | `npm_` | `npm_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789` |"]),
        ("tests/test_tokens.py", ["FAKE_STRIPE = \"sk_live_\" + \"0\" * 24", "FAKE_AWS = \"AKIA\" + \"A\" * 16", "FAKE_GH = \"ghp_\" + \"a\" * 36"]),
        ("src/regex.py", ["AWS_KEY = re.compile(r\"AKIA[0-9A-Z]{16}\")", "GH_TOKEN = re.compile(r\"gh[pousr]_[A-Za-z0-9]{36}\")", "SLACK = re.compile(r\"xox[baprs]-[0-9A-Za-z-]+\")"]),
        ("config/feature-flags.json", ["{", f"  \"checkout_v2\": {{\"enabled\": true, \"rollout\": 25, \"salt\": \"{hexs(16)}\"}},", f"  \"search\": {{\"enabled\": false, \"id\": \"{uid()}\"}}", "}"]),
        ("Dockerfile", ["FROM node:20-alpine", "ARG NPM_TOKEN", "RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci", "ENV NODE_ENV=production"]),
        ("deploy/kustomization.yaml", ["secretGenerator:", "  - name: api", "    envs:", "      - secrets.env", "generatorOptions:", "  disableNameSuffixHash: true"]),
        (".pre-commit-config.yaml", ["repos:", "  - repo: https://github.com/acme/hooks", f"    rev: {hexs(40)}", "    hooks:", "      - id: detect-secrets"]),
        ("src/webhook.py", ["def verify(payload, header, secret):", "    mac = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()", "    return hmac.compare_digest(mac, header)"]),
        ("ops/vault-policy.hcl", ["path \"secret/data/prod/*\" {", "  capabilities = [\"read\"]", "}", "path \"auth/token/lookup-self\" {", "  capabilities = [\"read\"]", "}"]),
        ("config/oauth.yaml", ["google:", "  client_id: 123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com", "  client_secret: ${GOOGLE_CLIENT_SECRET}", "  redirect_uri: https://acme.io/auth/callback"]),
        ("src/db/seed.sql", ["INSERT INTO users (email, password_hash) VALUES", f"  ('admin@acme.io', '$2a$10${pick(ALNUM + './', 53)}');", "INSERT INTO api_keys (prefix, hashed) VALUES", f"  ('ak_7f3', '{hexs(64)}');"]),
    ]
    for path, lines in neg:
        emit(out, False, "-", path, lines)
    # Placeholders of each provider's shape, in the contexts real files use.
    shapes = [
        ("AWS_SECRET_ACCESS_KEY", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        ("GITHUB_TOKEN", "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
        ("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX"),
        ("STRIPE_SECRET_KEY", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"),
        ("OPENAI_API_KEY", "sk-your-key-here"),
        ("DATABASE_URL", "postgres://postgres:postgres@localhost:5432/dev"),
        ("DB_PASSWORD", "password"),
        ("API_TOKEN", "{{ api_token }}"),
        ("SECRET_KEY", "${SECRET_KEY}"),
        ("VAULT_TOKEN", "$(cat /run/secrets/vault)"),
        ("GOOGLE_API_KEY", "AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
        ("SENDGRID_API_KEY", "SG.XXXXXXXXXXXXXXXXXXXXXX.XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
        ("TWILIO_AUTH_TOKEN", "your_auth_token"),
        ("DD_API_KEY", "<DATADOG_API_KEY>"),
        ("NPM_TOKEN", "${NPM_TOKEN}"),
        ("ADMIN_PASSWORD", "admin"),
        ("JWT_SECRET", "secret"),
        ("REDIS_URL", "redis://localhost:6379/0"),
        ("HF_TOKEN", "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        ("AZURE_CLIENT_SECRET", "$(AZURE_CLIENT_SECRET)"),
        ("DOCKER_PASSWORD", "${{ secrets.DOCKER_PASSWORD }}"),
        ("SENTRY_DSN", "https://public@sentry.example.com/1"),
        ("CLIENT_SECRET", "00000000-0000-0000-0000-000000000000"),
        ("API_KEY", "test"),
    ]
    for i, (key, value) in enumerate(shapes):
        for ctx in (i * 7 + 3, i * 5 + 8):
            path, make = CONTEXTS[ctx % len(CONTEXTS)]
            before, middle, after = make(key, value)
            emit(out, False, "-", path, before + middle + after)


def main():
    out = [
        "# Held-out labelled secrets set for trustmap_secrets (tests/heldout.rs, bench/secrets-quality.py).",
        "# Generated by tests/data/heldout.py (fixed seed): values in the providers' documented",
        "# formats, none a real credential. Written without running the detectors and never used",
        "# to tune them. Header: `### true <DETECTOR-ID> <path> L<first>-<last>` (the secret's",
        "# lines in the body) or `### false - <path>`; the body runs to the next header.",
        "",
    ]
    # Two records per format, with fresh values of the same shape, in different files.
    first, second = providers(), providers()
    for i, ((det, key, value), (_, _, value2)) in enumerate(zip(first, second)):
        place(out, det, i, key, value)
        place(out, det, i * 3 + 11, key.lower() if i % 2 else key, value2)
    special_true(out)
    negatives(out)
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "heldout.txt"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
