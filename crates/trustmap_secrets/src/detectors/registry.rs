//! Package registries and code-quality services.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Check, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-NPM-001",
        name: "npm-access-token",
        title: r#"npm access token"#,
        provider: r#"npm"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>npm_[A-Za-z0-9]{36})\b"#,
        keywords: &[r#"npm_"#],
        check: Check::Base62Crc32 { prefix_len: 4 },
        rotate: r#"Revoke the token on npmjs.com (Access Tokens) or with `npm token revoke`, and publish from CI with trusted publishing (OIDC)."#,
        examples: &[r#"//registry.npmjs.org/:_authToken=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"#],
        counter_examples: &[
            r#"NPM_TOKEN=npm_koTR5ebJuYwKcbB1IlDroMcrDDiOAw2MunIA"#,
            r#"npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-NPM-002",
        name: "npmrc-auth-token",
        title: r#"Registry auth token in .npmrc"#,
        provider: r#"npm"#,
        severity: Severity::High,
        pattern: r#"//[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~/-]*)?:_authToken\s*=\s*(?P<s>[A-Za-z0-9_.+/=-]{20,200})"#,
        keywords: &[r#":_authToken"#],
        min_entropy: 3.5,
        rotate: r#"Revoke the token at the registry and read it from an environment variable in .npmrc (`_authToken=${NPM_TOKEN}`)."#,
        examples: &[r#"//npm.pkg.acme.internal/:_authToken=6fcb73e2-b53a-4973-a7c4-e07ba7fede5a"#],
        counter_examples: &[r#"//registry.npmjs.org/:_authToken=${NPM_TOKEN}"#],
        ..BASE
    },
    Detector {
        id: "SEC-NPM-003",
        name: "npmrc-basic-auth",
        title: r#"Registry basic-auth credentials in .npmrc"#,
        provider: r#"npm"#,
        severity: Severity::High,
        pattern: r#"(?:(?m:^)|[\s:])_auth\s*=\s*(?P<s>[A-Za-z0-9+/]{12,200}={0,2})"#,
        keywords: &[r#"_auth"#],
        check: Check::Base64UserPass,
        rotate: r#"Change the password at the registry and use a token from an environment variable."#,
        examples: &[r#"_auth = ZGVwbG95Om9CUVhqZioyWkdSbA=="#],
        counter_examples: &[r#"_auth = ${NPM_AUTH}"#],
        ..BASE
    },
    Detector {
        id: "SEC-PYPI-001",
        name: "pypi-api-token",
        title: r#"PyPI API token"#,
        provider: r#"Python Package Index"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,300})"#,
        keywords: &[r#"pypi-AgEIcHlwaS5vcmc"#],
        check: Check::PypiMacaroon,
        rotate: r#"Remove the token on pypi.org (Account settings → API tokens) and publish with trusted publishing (OIDC)."#,
        examples: &[
            r#"password = pypi-AgEIcHlwaS5vcmcCJblqpK4cPEBVJxwQ7LVuYJaQT_TFbqZmxZFVb6noCgSOqUYKbiiLp7CRR5rryNiRP63YFRGk30Tj8smyxiryXSSMqdv5xbX1PuoID9llmlsH"#,
        ],
        counter_examples: &[r#"password = pypi-AgEIcHlwaS5vcmc"#],
        ..BASE
    },
    Detector {
        id: "SEC-PYPI-002",
        name: "testpypi-api-token",
        title: r#"TestPyPI API token"#,
        provider: r#"Python Package Index"#,
        severity: Severity::Low,
        pattern: r#"\b(?P<s>pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9_-]{50,300})"#,
        keywords: &[r#"pypi-AgENdGVzdC5weXBpLm9yZw"#],
        check: Check::PypiMacaroon,
        rotate: r#"Remove the token on test.pypi.org."#,
        examples: &[
            r#"password = pypi-AgENdGVzdC5weXBpLm9yZwIl7ROQxE285FfaFqiKq-I1R4P9m3BHl4dJIXj_qBkbI3AL6m9VtPDLaxiIPA4JNHhqQ74grdil0kYIqOwFSNgSCcqM_V6OxknZ_Aw46_635qc"#,
        ],
        counter_examples: &[r#"pypi-AgENdGVzdC5weXBpLm9yZw"#],
        ..BASE
    },
    Detector {
        id: "SEC-RUBYGEMS-001",
        name: "rubygems-api-key",
        title: r#"RubyGems API key"#,
        provider: r#"RubyGems.org"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>rubygems_[a-f0-9]{48})\b"#,
        keywords: &[r#"rubygems_"#],
        rotate: r#"Delete the key on rubygems.org (Settings → API keys) and use trusted publishing."#,
        examples: &[
            r#":rubygems_api_key: rubygems_c7e64964c33f8366dd5ac9d9be54da227bfd07cbf60220c9"#,
        ],
        counter_examples: &[r#"rubygems_000000000000000000000000000000000000000000000000"#],
        ..BASE
    },
    Detector {
        id: "SEC-NUGET-001",
        name: "nuget-api-key",
        title: r#"NuGet.org API key"#,
        provider: r#"NuGet"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>oy2[a-z0-9]{43})\b"#,
        keywords: &[r#"oy2"#],
        min_entropy: 3.8,
        rotate: r#"Regenerate or delete the key on nuget.org (API Keys)."#,
        examples: &[
            r#"dotnet nuget push pkg.nupkg --api-key oy2jmffbku3vuz811wmbohmj2dzq0vfzkzajn9wuxrji1u"#,
        ],
        counter_examples: &[r#"oy2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"#],
        ..BASE
    },
    Detector {
        id: "SEC-DOCKER-001",
        name: "docker-hub-personal-access-token",
        title: r#"Docker Hub personal access token"#,
        provider: r#"Docker"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>dckr_pat_[A-Za-z0-9_-]{27})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"dckr_pat_"#],
        rotate: r#"Delete the token in Docker Hub (Account settings → Personal access tokens)."#,
        examples: &[r#"DOCKERHUB_TOKEN=dckr_pat_ZAIw83nmCkoV8D0k4WmeeKrtRuH"#],
        counter_examples: &[r#"dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-DOCKER-002",
        name: "docker-hub-organization-token",
        title: r#"Docker Hub organization access token"#,
        provider: r#"Docker"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>dckr_oat_[A-Za-z0-9_-]{32})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"dckr_oat_"#],
        rotate: r#"Delete the token in the Docker Hub organization settings."#,
        examples: &[r#"DOCKER_ORG_TOKEN=dckr_oat_lj8QPc4p2Qh2VB0gJgn4I_YR2tukAU4t"#],
        counter_examples: &[r#"dckr_oat_"#],
        ..BASE
    },
    Detector {
        id: "SEC-DOCKER-003",
        name: "docker-config-auth",
        title: r#"Registry credentials in a Docker config file"#,
        provider: r#"Docker"#,
        severity: Severity::High,
        pattern: r#"\"auth\"\s*:\s*\"(?P<s>[A-Za-z0-9+/]{12,400}={0,2})\""#,
        keywords: &[r#""auth""#],
        check: Check::Base64UserPass,
        rotate: r#"Change the registry password or revoke the token, and use a credential helper (`credsStore`) instead of `auth` entries."#,
        examples: &[r#"{"auths": {"registry.acme.io": {"auth": "Y2ktYm90OmdmMmZFdStDcHU3Qw=="}}}"#],
        counter_examples: &[r#"{"auths": {"registry.acme.io": {"auth": ""}}}"#],
        ..BASE
    },
    Detector {
        id: "SEC-CRATES-001",
        name: "crates-io-api-token",
        title: r#"crates.io API token"#,
        provider: r#"crates.io"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>cio[A-Za-z0-9]{32})\b"#,
        keywords: &[r#"cio"#],
        min_entropy: 4.0,
        rotate: r#"Revoke the token on crates.io (Account settings → API Tokens) and publish with trusted publishing."#,
        examples: &[r#"CARGO_REGISTRY_TOKEN=ciox25wKbdYIJtoXTkJ9xfdlBWsKKduiG02"#],
        counter_examples: &[
            r#"cioxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"#,
            r#"CARGO_REGISTRY_TOKEN=${{ secrets.CRATES_TOKEN }}"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-CLOJARS-001",
        name: "clojars-deploy-token",
        title: r#"Clojars deploy token"#,
        provider: r#"Clojars"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>CLOJARS_[a-z0-9]{60})\b"#,
        keywords: &[r#"CLOJARS_"#],
        rotate: r#"Disable the deploy token on clojars.org (Dashboard → Deploy Tokens)."#,
        examples: &[
            r#"CLOJARS_PASSWORD=CLOJARS_v7qys34iyrfnwzz1c7p8puvb7gakj64q8otxcap96d2bav2spxc1cukvcy78"#,
        ],
        counter_examples: &[r#"CLOJARS_USERNAME"#],
        ..BASE
    },
    Detector {
        id: "SEC-SNYK-001",
        name: "snyk-api-token",
        title: r#"Snyk API token"#,
        provider: r#"Snyk"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:snyk)[a-z0-9_.-]{0,30}?(?:token|api_?key|key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"#,
        keywords: &[r#"snyk"#],
        rotate: r#"Revoke and regenerate the token in Snyk (Account settings) or use a service account token."#,
        examples: &[r#"SNYK_TOKEN=ce954b34-d6b2-41fd-a220-02ae792de53b"#],
        counter_examples: &[r#"SNYK_TOKEN=${{ secrets.SNYK_TOKEN }}"#],
        ..BASE
    },
    Detector {
        id: "SEC-SONAR-001",
        name: "sonarqube-token",
        title: r#"SonarQube / SonarCloud token"#,
        provider: r#"SonarSource"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>sq[apu]_[a-f0-9]{40})\b"#,
        keywords: &[r#"sqa_"#, r#"sqp_"#, r#"squ_"#],
        rotate: r#"Revoke the token in SonarQube (My Account → Security)."#,
        examples: &[r#"SONAR_TOKEN=squ_32d6fe54e816040e60e5ccf9dae45c5faf4032c3"#],
        counter_examples: &[r#"SONAR_TOKEN=squ_0000000000000000000000000000000000000000"#],
        ..BASE
    },
    Detector {
        id: "SEC-CODECOV-001",
        name: "codecov-token",
        title: r#"Codecov upload token"#,
        provider: r#"Codecov"#,
        severity: Severity::Low,
        pattern: r#"(?i:(?P<k>(?:codecov)[a-z0-9_.-]{0,30}?(?:token)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"#,
        keywords: &[r#"codecov"#],
        rotate: r#"Regenerate the upload token in the repository's Codecov settings."#,
        examples: &[r#"CODECOV_TOKEN=54c87332-f3be-4688-ae22-6782eff209a2"#],
        counter_examples: &[r#"CODECOV_TOKEN=${{ secrets.CODECOV_TOKEN }}"#],
        ..BASE
    },
];
