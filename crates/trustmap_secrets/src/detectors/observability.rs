//! Monitoring, logging and incident tools.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-DD-001",
        name: "datadog-api-key",
        title: r#"Datadog API key"#,
        provider: r#"Datadog"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:datadog|dd)[a-z0-9_.-]{0,30}?(?:api_?key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[a-f0-9]{32})\b"#,
        keywords: &[r#"datadog"#, r#"dd_api"#, r#"dd-api"#, r#"ddapi"#],
        rotate: r#"Revoke the key in Datadog (Organization settings → API keys)."#,
        examples: &[
            r#"DD_API_KEY=4563a76869b3facebcad55fdb3d62f2b"#,
            r#"datadog_api_key: "2cec4d6d741929e71487952964b351e8""#,
        ],
        counter_examples: &[
            r#"DD_API_KEY=00000000000000000000000000000000"#,
            r#"DD_API_KEY=<DATADOG_API_KEY>"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-DD-002",
        name: "datadog-application-key",
        title: r#"Datadog application key"#,
        provider: r#"Datadog"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:datadog|dd)[a-z0-9_.-]{0,30}?(?:app(?:lication)?_?key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[a-f0-9]{40})\b"#,
        keywords: &[r#"datadog"#, r#"dd_app"#, r#"dd-app"#, r#"ddapp"#],
        rotate: r#"Revoke the key in Datadog (Organization settings → Application keys)."#,
        examples: &[r#"DD_APP_KEY=560dc81c4fd035eb41f26169a8b682944080a15c"#],
        counter_examples: &[r#"DD_APP_KEY=${DD_APP_KEY}"#],
        ..BASE
    },
    Detector {
        id: "SEC-NR-001",
        name: "new-relic-user-api-key",
        title: r#"New Relic user API key"#,
        provider: r#"New Relic"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>NRAK-[A-Z0-9]{27})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"NRAK-"#],
        rotate: r#"Delete the key in New Relic (API keys UI) and create a new one."#,
        examples: &[r#"NEW_RELIC_KEY=NRAK-XQ39EWZ08M2W11INJ51MKT5YL16"#],
        counter_examples: &[r#"NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX"#],
        ..BASE
    },
    Detector {
        id: "SEC-NR-002",
        name: "new-relic-browser-api-key",
        title: r#"New Relic browser API key"#,
        provider: r#"New Relic"#,
        severity: Severity::Low,
        pattern: r#"\b(?P<s>NRJS-[a-f0-9]{19})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"NRJS-"#],
        rotate: r#"Delete the key in New Relic (API keys UI) and create a new one."#,
        examples: &[r#"NEW_RELIC_KEY=NRJS-f5cd388e6e58e826ba6"#],
        counter_examples: &[r#"NRJS-XXXXXXXXXXXXXXXXXXXXXXXXXXX"#],
        ..BASE
    },
    Detector {
        id: "SEC-NR-003",
        name: "new-relic-insert-key",
        title: r#"New Relic insights insert key"#,
        provider: r#"New Relic"#,
        severity: Severity::Medium,
        pattern: r#"\b(?P<s>NRII-[A-Za-z0-9_-]{32})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"NRII-"#],
        rotate: r#"Delete the key in New Relic (API keys UI) and create a new one."#,
        examples: &[r#"NEW_RELIC_KEY=NRII-v0V7ESofSD1Zrmr_ZLxEaz6ZUDaM7FZy"#],
        counter_examples: &[r#"NRII-XXXXXXXXXXXXXXXXXXXXXXXXXXX"#],
        ..BASE
    },
    Detector {
        id: "SEC-NR-004",
        name: "new-relic-license-key",
        title: r#"New Relic ingest license key"#,
        provider: r#"New Relic"#,
        severity: Severity::Medium,
        pattern: r#"\b(?P<s>[a-f0-9]{36}NRAL)\b"#,
        keywords: &[r#"NRAL"#],
        rotate: r#"Delete the license key in New Relic (API keys UI) and update the agents."#,
        examples: &[r#"NEW_RELIC_LICENSE_KEY=1f952d7e339a828142a6ad4834fecae27b82NRAL"#],
        counter_examples: &[r#"NRAL"#],
        ..BASE
    },
    Detector {
        id: "SEC-SENTRY-001",
        name: "sentry-dsn-with-secret",
        title: r#"Sentry DSN with its secret key"#,
        provider: r#"Sentry"#,
        severity: Severity::Medium,
        pattern: r#"https://[a-f0-9]{32}:(?P<s>[a-f0-9]{32})@[A-Za-z0-9.-]*sentry[A-Za-z0-9.-]*(?::\d+)?/\d+"#,
        keywords: &[r#"sentry"#],
        rotate: r#"Revoke the client key in Sentry (Project settings → Client Keys (DSN)); modern DSNs need no secret part."#,
        examples: &[
            r#"SENTRY_DSN=https://40f53368b1d69e8958dae3af0ae8ac55:e1ce7d463d15b877d3d80e07c2b34ad8@o123295.ingest.sentry.io/1892931"#,
        ],
        counter_examples: &[
            r#"SENTRY_DSN=https://a5d3e6a370ffd4e7eaf010bd7c985327@o123456.ingest.sentry.io/1234567"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-SENTRY-002",
        name: "sentry-org-auth-token",
        title: r#"Sentry organization auth token"#,
        provider: r#"Sentry"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>sntrys_eyJ[A-Za-z0-9+/=_-]{60,400})"#,
        keywords: &[r#"sntrys_"#],
        min_entropy: 4.0,
        rotate: r#"Revoke the token in Sentry (Settings → Auth Tokens)."#,
        examples: &[
            r#"SENTRY_AUTH_TOKEN=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"#,
        ],
        counter_examples: &[r#"sntrys_eyJ"#],
        ..BASE
    },
    Detector {
        id: "SEC-SENTRY-003",
        name: "sentry-user-auth-token",
        title: r#"Sentry user auth token"#,
        provider: r#"Sentry"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>sntryu_[a-f0-9]{64})\b"#,
        keywords: &[r#"sntryu_"#],
        rotate: r#"Revoke the token in Sentry (User settings → Auth Tokens)."#,
        examples: &[
            r#"SENTRY_AUTH_TOKEN=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"#,
        ],
        counter_examples: &[r#"sntryu_"#],
        ..BASE
    },
    Detector {
        id: "SEC-HONEYCOMB-001",
        name: "honeycomb-api-key",
        title: r#"Honeycomb API key"#,
        provider: r#"Honeycomb"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>hc[ax]i[kc]_[a-z0-9]{58,64})\b"#,
        keywords: &[r#"hcaik_"#, r#"hcxik_"#, r#"hcaic_"#, r#"hcxic_"#],
        rotate: r#"Delete the key in Honeycomb (Environment settings → API keys)."#,
        examples: &[
            r#"HONEYCOMB_API_KEY=hcaik_gyi7j1wlmzkn0zroievf3gcp3gkzonolhulzmhi2skno7w74gbrkjqo49l"#,
        ],
        counter_examples: &[r#"hcaik_"#],
        ..BASE
    },
    Detector {
        id: "SEC-HONEYCOMB-002",
        name: "honeycomb-legacy-key",
        title: r#"Honeycomb API key (legacy)"#,
        provider: r#"Honeycomb"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:honeycomb)[a-z0-9_.-]{0,30}?(?:api_?key|write_?key|key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[a-zA-Z0-9]{22}|[a-f0-9]{32})\b"#,
        keywords: &[r#"honeycomb"#],
        min_entropy: 3.5,
        rotate: r#"Delete the key in Honeycomb (Environment settings → API keys)."#,
        examples: &[r#"HONEYCOMB_API_KEY=vwAXP04vWGnwOCJbtZ6m38"#],
        counter_examples: &[r#"HONEYCOMB_API_KEY=${HONEYCOMB_KEY}"#],
        ..BASE
    },
    Detector {
        id: "SEC-DYNATRACE-001",
        name: "dynatrace-api-token",
        title: r#"Dynatrace API token"#,
        provider: r#"Dynatrace"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>dt0[a-z]01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b"#,
        keywords: &[r#"dt0c01."#, r#"dt0s01."#],
        rotate: r#"Revoke the token in Dynatrace (Access tokens)."#,
        examples: &[
            r#"DT_API_TOKEN=dt0c01.U7WAZOQQHUCMDL9RWRNV5HCM.TVHW4HAN9YGFZQRSNKJG5WV32IT44UBK5DIUL8P9ADQZK45DJSG1QNJ0WL9H78L5"#,
        ],
        counter_examples: &[r#"dt0c01.ABC.DEF"#],
        ..BASE
    },
    Detector {
        id: "SEC-SPLUNK-001",
        name: "splunk-hec-token",
        title: r#"Splunk HTTP Event Collector token"#,
        provider: r#"Splunk"#,
        severity: Severity::Medium,
        pattern: r#"(?i:(?P<k>(?:splunk|hec)[a-z0-9_.-]{0,30}?(?:token)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\b"#,
        keywords: &[r#"splunk"#, r#"hec_token"#, r#"hec-token"#],
        rotate: r#"Disable the token in Splunk (Settings → Data inputs → HTTP Event Collector) and create a new one."#,
        examples: &[r#"SPLUNK_HEC_TOKEN=FD12C5DE-6D05-4D48-A271-672E65513B3C"#],
        counter_examples: &[r#"SPLUNK_HEC_TOKEN=00000000-0000-0000-0000-000000000000"#],
        ..BASE
    },
    Detector {
        id: "SEC-PAGERDUTY-001",
        name: "pagerduty-api-key",
        title: r#"PagerDuty API key"#,
        provider: r#"PagerDuty"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:pagerduty|pd)[a-z0-9_.-]{0,30}?(?:api_?key|token|key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[A-Za-z0-9_+-]{20})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"pagerduty"#, r#"pd_api"#, r#"pd_token"#],
        min_entropy: 3.8,
        rotate: r#"Delete the key in PagerDuty (Integrations → API Access Keys)."#,
        examples: &[r#"PAGERDUTY_TOKEN=u+hytpfzVQcGnzufdWfk"#],
        counter_examples: &[r#"PAGERDUTY_TOKEN=${PD_TOKEN}"#],
        ..BASE
    },
    Detector {
        id: "SEC-OPSGENIE-001",
        name: "opsgenie-api-key",
        title: r#"Opsgenie API key"#,
        provider: r#"Atlassian Opsgenie"#,
        severity: Severity::Medium,
        pattern: r#"(?i:(?P<k>(?:opsgenie|genie)[a-z0-9_.-]{0,30}?(?:api_?key|key|token)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"#,
        keywords: &[r#"opsgenie"#, r#"genie"#],
        rotate: r#"Delete the API integration key in Opsgenie."#,
        examples: &[r#"OPSGENIE_API_KEY=907d6646-417b-4253-ae82-77314dfe4b63"#],
        counter_examples: &[r#"OPSGENIE_API_KEY=<key>"#],
        ..BASE
    },
    Detector {
        id: "SEC-ROLLBAR-001",
        name: "rollbar-access-token",
        title: r#"Rollbar access token"#,
        provider: r#"Rollbar"#,
        severity: Severity::Medium,
        pattern: r#"(?i:(?P<k>(?:rollbar)[a-z0-9_.-]{0,30}?(?:token|access_?token|key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[a-f0-9]{32})\b"#,
        keywords: &[r#"rollbar"#],
        rotate: r#"Disable the token in Rollbar (Project settings → Access tokens)."#,
        examples: &[r#"ROLLBAR_ACCESS_TOKEN=ae8418ff09f46bb7ec48442ec2caf217"#],
        counter_examples: &[r#"ROLLBAR_ACCESS_TOKEN=00000000000000000000000000000000"#],
        ..BASE
    },
];
