//! Secret managers and infrastructure-as-code platforms.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-VAULT-001",
        name: "vault-service-token",
        title: r#"HashiCorp Vault service token"#,
        provider: r#"HashiCorp Vault"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>hvs\.[A-Za-z0-9_-]{90,200})"#,
        keywords: &[r#"hvs."#],
        rotate: r#"Revoke it with `vault token revoke` (or its accessor) and check the audit log for its use."#,
        examples: &[
            r#"VAULT_TOKEN=hvs.jlFOwUAZx8net0H_JxzaK36FT1Pd-zH2HGX_FAfvywXRsYjReiHooe_E99bnG_lr5PueHxMVXmFaTJRe74CCHrbrRD8xz0HJ7Z9z"#,
        ],
        counter_examples: &[r#"VAULT_TOKEN=hvs.xxxxxxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-VAULT-002",
        name: "vault-batch-token",
        title: r#"HashiCorp Vault batch token"#,
        provider: r#"HashiCorp Vault"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>hvb\.[A-Za-z0-9_-]{100,300})"#,
        keywords: &[r#"hvb."#],
        rotate: r#"Batch tokens cannot be revoked one by one: revoke their parent token or wait for the TTL, and shorten it."#,
        examples: &[
            r#"token: hvb.5LojCy-AGRuz0ZW5RsF_G11DNw3CgJ6cxhei-Kh6aY8tIn9B7v2053FwOBxFeNSH_1b7XyBmeipYK_-pF78TcHYKty7e9NeOI5Kueo-Rxj1Fytr-563hSBWEKBGJoghu5HHIhY9eXS_z"#,
        ],
        counter_examples: &[r#"hvb.short"#],
        ..BASE
    },
    Detector {
        id: "SEC-VAULT-003",
        name: "vault-legacy-token",
        title: r#"HashiCorp Vault token (legacy format)"#,
        provider: r#"HashiCorp Vault"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:vault)[a-z0-9_.-]{0,30}?(?:token)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>s\.[A-Za-z0-9]{24})\b"#,
        keywords: &[r#"vault"#],
        min_entropy: 3.5,
        rotate: r#"Revoke it with `vault token revoke`."#,
        examples: &[r#"VAULT_TOKEN=s.oHXpXZ4guCjYwuO7wMk0Y5SE"#],
        counter_examples: &[r#"VAULT_TOKEN=s.xxxxxxxxxxxxxxxxxxxxxxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-TFC-001",
        name: "terraform-cloud-token",
        title: r#"Terraform Cloud / Enterprise API token"#,
        provider: r#"HashiCorp Terraform Cloud"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})"#,
        keywords: &[r#".atlasv1."#],
        rotate: r#"Delete the token in Terraform Cloud (User settings → Tokens, or the team/organization token) and use dynamic provider credentials."#,
        examples: &[r#"credentials "app.terraform.io" {
  token = "GEb9ygeMN2IOOs.atlasv1.8dvpxkxD4beT_kio2KcjO58qdEb7Z2rozcuapPPPRDJ4lY9UYuRTTx6h43EOWydrfjb"
}"#],
        counter_examples: &[r#"token = "xxxxxxxxxxxxxx.atlasv1.zzz""#],
        ..BASE
    },
    Detector {
        id: "SEC-PULUMI-001",
        name: "pulumi-access-token",
        title: r#"Pulumi access token"#,
        provider: r#"Pulumi"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>pul-[a-f0-9]{40})\b"#,
        keywords: &[r#"pul-"#],
        rotate: r#"Delete the token in Pulumi Cloud (Settings → Access tokens) and use OIDC for CI."#,
        examples: &[r#"PULUMI_ACCESS_TOKEN=pul-8f339b043e6c50801264308150db1e699297762b"#],
        counter_examples: &[r#"pul-0000000000000000000000000000000000000000"#],
        ..BASE
    },
    Detector {
        id: "SEC-DOPPLER-001",
        name: "doppler-token",
        title: r#"Doppler token"#,
        provider: r#"Doppler"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>dp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{40,44})\b"#,
        keywords: &[
            r#"dp.pt."#,
            r#"dp.st."#,
            r#"dp.ct."#,
            r#"dp.sa."#,
            r#"dp.scim."#,
            r#"dp.audit."#,
        ],
        rotate: r#"Revoke the token in the Doppler dashboard (Access → tokens) or with `doppler configs tokens revoke`."#,
        examples: &[
            r#"DOPPLER_TOKEN=dp.st.bZ9Mak8YMP8nuO0m18jGwdrqK9KQmmJjguzGtmTlZWc"#,
            r#"DOPPLER_TOKEN=dp.pt.2bFG86H3fzl4rlbwXJm9yJT0HlZdbx10lZEPD3jrPKG"#,
        ],
        counter_examples: &[r#"dp.st.prd"#],
        ..BASE
    },
    Detector {
        id: "SEC-GRAFANA-001",
        name: "grafana-cloud-api-token",
        title: r#"Grafana Cloud access policy token"#,
        provider: r#"Grafana Labs"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>glc_[A-Za-z0-9+/]{32,400}={0,2})"#,
        keywords: &[r#"glc_"#],
        min_entropy: 4.0,
        rotate: r#"Delete the token in Grafana Cloud (Administration → Access policies)."#,
        examples: &[
            r#"GRAFANA_CLOUD_TOKEN=glc_eyJvIjogIjIyOTU5MCIsICJuIjogImRlcGxveSIsICJrIjogIjBib3hwUEh6YTBhZ21KMk5VZGVMNnBsNiIsICJtIjogeyJyIjogInByb2QtZXUtd2VzdC0yIn19"#,
        ],
        counter_examples: &[r#"glc_abc"#],
        ..BASE
    },
    Detector {
        id: "SEC-GRAFANA-002",
        name: "grafana-service-account-token",
        title: r#"Grafana service account token"#,
        provider: r#"Grafana Labs"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b"#,
        keywords: &[r#"glsa_"#],
        rotate: r#"Delete the token under Administration → Service accounts in Grafana."#,
        examples: &[r#"GRAFANA_TOKEN=glsa_NIvKejZZbAVdo9XaXUPFsnamH9KNUsE9_9321bb21"#],
        counter_examples: &[r#"glsa_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_00000000"#],
        ..BASE
    },
    Detector {
        id: "SEC-GRAFANA-003",
        name: "grafana-api-key",
        title: r#"Grafana API key (legacy)"#,
        provider: r#"Grafana Labs"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>eyJrIjoi[A-Za-z0-9]{60,400}={0,2})"#,
        keywords: &[r#"eyJrIjoi"#],
        min_entropy: 4.0,
        rotate: r#"Delete the API key in Grafana and migrate to service accounts."#,
        examples: &[
            r#"grafana_api_key: eyJrIjoia1NZVGpwNmpGQmF0TFh0dlRsWFR2VnJ1SExkN2pjQ2ciLCJuIjoiY2kiLCJpZCI6MX0"#,
        ],
        counter_examples: &[r#"eyJrIjoi"#],
        ..BASE
    },
];
