//! Generic password, secret and token assignments, judged by key, value and entropy.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Check, Detector, Severity, Tier};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-GEN-001",
        name: "generic-password",
        title: r#"Password"#,
        provider: r#"Generic"#,
        severity: Severity::Medium,
        tier: Tier::Generic,
        pattern: r#"(?i:(?P<k>(?:passw(?:or)?d|passphrase|pwd|passwort)s?))[\"']?[ \t]*(?:=|:=|=>|:|[ \t]*<-)[ \t]*(?:\"(?P<s>[^\"\r\n]{4,200})\"|'(?P<s1>[^'\r\n]{4,200})'|`(?P<s2>[^`\r\n]{4,200})`|(?P<s3>[^\s\"'`;,<>(){}\[\]]{4,200}))"#,
        keywords: &[r#"passw"#, r#"pwd"#, r#"passphrase"#],
        check: Check::GenericPassword,
        rotate: r#"Change the password, remove it from the file, and load it at runtime from a secret manager or an environment variable set by the platform."#,
        examples: &[
            r#"db_password = "LOFehy-sc6rX""#,
            r#"  password: nx4E6M*zhyOr"#,
            r#"export PGPASSWORD='6cKQ1c#EHPpr'"#,
        ],
        counter_examples: &[
            r#"password = var.db_password"#,
            r#"password: ${DB_PASSWORD}"#,
            r#"password: "{{ .Values.db.password }}""#,
            r#"password_min_length = 12"#,
            r#"if password == "":"#,
            r#""password": "string""#,
            r#"password: Passwort"#,
            r#"password = os.getenv("DB_PASSWORD")"#,
            r#"password: changeme"#,
            r#"json={"password": "wrong_password"}"#,
            "PASSWD   = \nLOG_SQL  = false",
        ],
        ..BASE
    },
    Detector {
        id: "SEC-GEN-002",
        name: "generic-secret",
        title: r#"Secret, token or API key"#,
        provider: r#"Generic"#,
        severity: Severity::Medium,
        tier: Tier::Generic,
        pattern: r#"(?i:(?P<k>(?:secret(?:_?key)?|token|api_?key|apikey|api-key|access_?key|auth_?key|private_?key|signing_?key|encryption_?key|master_?key|credentials?|client_?secret)))[\"']?[ \t]*(?:=|:=|=>|:)[ \t]*(?:\"(?P<s>[^\"\r\n]{4,200})\"|'(?P<s1>[^'\r\n]{4,200})'|`(?P<s2>[^`\r\n]{4,200})`|(?P<s3>[^\s\"'`;,<>(){}\[\]]{4,200}))"#,
        keywords: &[
            r#"secret"#,
            r#"token"#,
            r#"api_key"#,
            r#"apikey"#,
            r#"api-key"#,
            r#"access_key"#,
            r#"accesskey"#,
            r#"auth_key"#,
            r#"authkey"#,
            r#"private_key"#,
            r#"privatekey"#,
            r#"signing_key"#,
            r#"encryption_key"#,
            r#"master_key"#,
            r#"credential"#,
            r#"client_secret"#,
        ],
        check: Check::GenericToken,
        min_entropy: 3.0,
        rotate: r#"Revoke the credential where it was issued, remove it from the file, and load it at runtime from a secret manager."#,
        examples: &[
            r#"api_key = "wLwki3M7hXaswBsXqVbIZNhWZELChTcq""#,
            r#"SECRET_KEY=aZ7g0OqJ3xyxLse6xSEPQGDL9Qz3G8aOeRGGGhOTzr0wZwM05r"#,
            r#""clientSecret": "Y8TLVUwQaJ6MnBKYpFLziNxm6aXbDsUtyu-7MNqt""#,
        ],
        counter_examples: &[
            r#"api_key = "YOUR_API_KEY""#,
            r#"token: ${{ secrets.GITHUB_TOKEN }}"#,
            r#"secret_key = settings.SECRET_KEY"#,
            r#"token_url = "https://auth.acme.io/token""#,
            r#"api_key: 3f2b8c1e-9d4a-4e6b-8a2c-1b7d5e9f0a3c"#,
            r#""integrity": "sha512-Z3VpZGVsaW5lcw==""#,
            r#"secret: my-app-secret-name"#,
            r#"next_token = response.next_token"#,
            "apiToken:\n    creationOfLegacyTokenEnabled: false",
            r#"{withCredentials:e.xhrWithCredentials||!1}"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-GEN-003",
        name: "basic-auth-header",
        title: r#"HTTP Basic authorization header"#,
        provider: r#"Generic"#,
        severity: Severity::Medium,
        tier: Tier::Generic,
        pattern: r#"(?i:authorization[\"']?\s*[:=]\s*[\"']?basic\s+)(?P<s>[A-Za-z0-9+/]{12,300}={0,2})"#,
        keywords: &[r#"authorization"#],
        check: Check::Base64UserPass,
        rotate: r#"Change the password behind the header and build the header at runtime from a secret."#,
        examples: &[r#"curl -H "Authorization: Basic Y2k6REtUaUliI0dVYTk4" https://api.acme.io"#],
        counter_examples: &[
            r#"Authorization: Basic ${BASIC_AUTH}"#,
            r#"Authorization: Basic dXNlcjpwYXNzd29yZA=="#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-GEN-004",
        name: "bearer-token-header",
        title: r#"HTTP Bearer authorization header"#,
        provider: r#"Generic"#,
        severity: Severity::Medium,
        tier: Tier::Generic,
        pattern: r#"(?i:authorization[\"']?\s*[:=]\s*[\"']?bearer\s+)(?P<s>[A-Za-z0-9._~+/-]{20,500}=*)"#,
        keywords: &[r#"authorization"#],
        check: Check::HeaderToken,
        min_entropy: 3.5,
        rotate: r#"Revoke the token and build the header at runtime from a secret."#,
        examples: &[r#"-H 'Authorization: Bearer g6dmfo9gV7TGWluH2n44AaRAAmYXdCS0BRr2sfah'"#],
        counter_examples: &[
            r#"Authorization: Bearer $TOKEN"#,
            r#"Authorization: Bearer <token>"#,
            r#"Authorization: Bearer ${{ secrets.API_TOKEN }}"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-GEN-005",
        name: "netrc-password",
        title: r#"Password in a .netrc entry"#,
        provider: r#"Generic"#,
        severity: Severity::High,
        tier: Tier::Generic,
        pattern: r#"\bmachine\s+[A-Za-z0-9._-]+\s+login\s+\S+\s+password\s+(?P<s>\S{4,200})"#,
        keywords: &[r#"machine"#],
        check: Check::GenericPassword,
        rotate: r#"Change the password or token and keep .netrc out of the repository."#,
        examples: &[r#"machine api.github.com login deploy-bot password VUbl1v!C7zJ5"#],
        counter_examples: &[r#"machine api.acme.io login bot password $NETRC_PASSWORD"#],
        ..BASE
    },
    Detector {
        id: "SEC-GEN-006",
        name: "curl-user-password",
        title: r#"Password passed to curl/wget on the command line"#,
        provider: r#"Generic"#,
        severity: Severity::Medium,
        tier: Tier::Generic,
        pattern: r#"\b(?:curl|wget)\b[^\n]{0,200}?\s(?:-u|--user|--http-password=?)\s*[\"']?(?:[^:\s\"']{1,64}:)?(?P<s>[^\s\"'@]{4,128})[\"']?(?:\s|$)"#,
        keywords: &[r#"curl"#, r#"wget"#],
        check: Check::GenericPassword,
        rotate: r#"Change the password and pass it from a secret (`--netrc-file`, or `-u` from an environment variable)."#,
        examples: &[r#"curl -u deploy:J1idGF!fR2Cw https://nexus.acme.io/repository/releases/"#],
        counter_examples: &[
            r#"curl -u $USER:$PASS https://nexus.acme.io"#,
            r#"curl -u "${NEXUS_USER}:${NEXUS_PASSWORD}" https://nexus"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-GEN-007",
        name: "xml-password-element",
        title: r#"Password in an XML element"#,
        provider: r#"Generic"#,
        severity: Severity::Medium,
        tier: Tier::Generic,
        pattern: r#"(?i:(?P<k>passw(?:or)?d)>)(?P<s>[^<\s]{4,200})</"#,
        keywords: &[r#"passw"#],
        check: Check::GenericPassword,
        rotate: r#"Change the password and use the tool's encrypted or environment-based settings (e.g. Maven `settings-security.xml`, `${env.X}`)."#,
        examples: &[
            r#"<server><id>releases</id><username>deploy</username><password>Txuq1p!vZn2v</password></server>"#,
        ],
        counter_examples: &[
            r#"<password>${env.NEXUS_PASSWORD}</password>"#,
            r#"<password></password>"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-GEN-008",
        name: "terraform-variable-default-secret",
        title: r#"Secret as a Terraform variable default"#,
        provider: r#"Generic"#,
        severity: Severity::Medium,
        tier: Tier::Generic,
        pattern: r#"\bvariable\s+\"(?P<k>[A-Za-z0-9_-]{0,40}(?i:passw(?:or)?d|pwd|passphrase|secret|token|api_?key|access_?key|private_?key|auth_?key|credentials?)[A-Za-z0-9_-]{0,20})\"\s*\{[^}]{0,300}?\bdefault\s*=\s*\"(?P<s>[^\"\r\n]{6,200})\""#,
        keywords: &[r#"variable"#],
        check: Check::GenericByKey,
        min_entropy: 3.0,
        max_len: 600,
        rotate: r#"Revoke the credential, remove the default, and pass the value at apply time from a secret store (`TF_VAR_…` from CI secrets, or a data source reading a secret manager); mark the variable `sensitive = true`."#,
        examples: &[
            r#"variable "api_token" {
  type    = string
  default = "DvN6hsAkcftprqD1Zo2TuX7oZ9v80lGQelax"
}"#,
            r#"variable "db_password" {
  default = "ajV7UC*pPYgl"
}"#,
        ],
        counter_examples: &[
            r#"variable "db_password" {
  type      = string
  sensitive = true
}"#,
            r#"variable "token_ttl" {
  default = "3600s"
}"#,
        ],
        ..BASE
    },
];
