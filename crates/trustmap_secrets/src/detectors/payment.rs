//! Payment providers.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-STRIPE-001",
        name: "stripe-live-secret-key",
        title: r#"Stripe live secret key"#,
        provider: r#"Stripe"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>sk_live_[A-Za-z0-9]{24,247})\b"#,
        keywords: &[r#"sk_live_"#],
        min_entropy: 3.5,
        rotate: r#"Roll the key in the Stripe dashboard (Developers → API keys) and use restricted keys for integrations."#,
        examples: &[
            r#"STRIPE_SECRET_KEY=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"#,
            r#"Stripe.api_key = "sk_live_Dw2gwGVQbeYN4ltsD6BuLKR3""#,
        ],
        counter_examples: &[r#"sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"#, r#"sk_live_"#],
        ..BASE
    },
    Detector {
        id: "SEC-STRIPE-002",
        name: "stripe-restricted-key",
        title: r#"Stripe live restricted key"#,
        provider: r#"Stripe"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>rk_live_[A-Za-z0-9]{24,247})\b"#,
        keywords: &[r#"rk_live_"#],
        min_entropy: 3.5,
        rotate: r#"Roll the restricted key in the Stripe dashboard (Developers → API keys)."#,
        examples: &[
            r#"STRIPE_KEY=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"#,
        ],
        counter_examples: &[r#"rk_live_..."#],
        ..BASE
    },
    Detector {
        id: "SEC-STRIPE-003",
        name: "stripe-test-secret-key",
        title: r#"Stripe test-mode secret key"#,
        provider: r#"Stripe"#,
        severity: Severity::Low,
        pattern: r#"\b(?P<s>[sr]k_test_[A-Za-z0-9]{24,247})\b"#,
        keywords: &[r#"sk_test_"#, r#"rk_test_"#],
        min_entropy: 3.5,
        rotate: r#"Roll the test key in the Stripe dashboard; test keys cannot move money but expose test data and settings."#,
        examples: &[
            r#"STRIPE_SECRET_KEY=sk_test_h1OyHF0U6gxSPtjb899fhL3zn1yeaNLqHGFmhReCAKanUaXN7zSRrAraXqmtgglUiQHYGgFfJ9FX9ZIJLVmEZB8VhJ6TnhPsTPj"#,
        ],
        counter_examples: &[r#"sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-STRIPE-004",
        name: "stripe-webhook-secret",
        title: r#"Stripe webhook signing secret"#,
        provider: r#"Stripe"#,
        severity: Severity::Medium,
        pattern: r#"\b(?P<s>whsec_[A-Za-z0-9+/]{32,64})"#,
        keywords: &[r#"whsec_"#],
        min_entropy: 3.5,
        rotate: r#"Roll the endpoint's signing secret in the Stripe dashboard (Developers → Webhooks)."#,
        examples: &[r#"STRIPE_WEBHOOK_SECRET=whsec_YGM6Do9lPljSOKC1Y0Ng4MrPCmEEFQ93"#],
        counter_examples: &[r#"whsec_..."#],
        ..BASE
    },
    Detector {
        id: "SEC-SQUARE-001",
        name: "square-access-token",
        title: r#"Square access token"#,
        provider: r#"Square"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>EAAA[A-Za-z0-9_-]{60})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"EAAA"#],
        min_entropy: 4.0,
        rotate: r#"Revoke the token in the Square Developer Dashboard (Credentials) and rotate the application's tokens."#,
        examples: &[
            r#"SQUARE_ACCESS_TOKEN=EAAASVNpdRtGtzPUn6xQQIxXLz7wfbTvWPsPW_9Zcqr-TDsGD82No5QYywedafo6"#,
        ],
        counter_examples: &[r#"EAAAAAAAAAAAAAAAAAAAA"#],
        ..BASE
    },
    Detector {
        id: "SEC-SQUARE-002",
        name: "square-oauth-secret",
        title: r#"Square OAuth application secret"#,
        provider: r#"Square"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>sq0csp-[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"sq0csp-"#],
        rotate: r#"Replace the application secret in the Square Developer Dashboard (OAuth)."#,
        examples: &[r#"square_app_secret: sq0csp-r8sCVpar5u071Du9YgzH-YYrVd8Jzie0AJ_ZGV13n_-"#],
        counter_examples: &[r#"sq0csp-"#],
        ..BASE
    },
    Detector {
        id: "SEC-SQUARE-003",
        name: "square-legacy-access-token",
        title: r#"Square access token (legacy format)"#,
        provider: r#"Square"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>sq0atp-[A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"sq0atp-"#],
        rotate: r#"Revoke the token in the Square Developer Dashboard."#,
        examples: &[r#"SQUARE_TOKEN=sq0atp-Zc_VqAvoVQc6bEo1Z1BKlQ"#],
        counter_examples: &[r#"sq0atp-"#],
        ..BASE
    },
    Detector {
        id: "SEC-BRAINTREE-001",
        name: "braintree-access-token",
        title: r#"PayPal Braintree access token"#,
        provider: r#"PayPal Braintree"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32})\b"#,
        keywords: &[r#"access_token$production$"#],
        rotate: r#"Revoke the access token in the Braintree control panel and regenerate API keys."#,
        examples: &[
            r#"BRAINTREE_TOKEN=access_token$production$1ji4aasp06pedya0$67a72175df264520f68bd19a3dd26db2"#,
        ],
        counter_examples: &[r#"access_token$sandbox$abc$def"#],
        ..BASE
    },
    Detector {
        id: "SEC-PAYPAL-001",
        name: "paypal-client-secret",
        title: r#"PayPal REST client secret"#,
        provider: r#"PayPal"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:paypal)[a-z0-9_.-]{0,30}?(?:client_?secret|secret)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[A-Za-z0-9_-]{80})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"paypal"#],
        min_entropy: 4.0,
        rotate: r#"Generate a new secret for the app in the PayPal developer dashboard and disable the old one."#,
        examples: &[
            r#"PAYPAL_CLIENT_SECRET=O4lc6ENaVXhS7w90iPzCtkaWcMiAHpX8CvP5zLXSAvqYdCtsfnn-OsEQmU3LeqZxd_4AY3Y68Sud8Y1N"#,
        ],
        counter_examples: &[r#"PAYPAL_CLIENT_SECRET=<secret>"#],
        ..BASE
    },
    Detector {
        id: "SEC-ADYEN-001",
        name: "adyen-api-key",
        title: r#"Adyen API key"#,
        provider: r#"Adyen"#,
        severity: Severity::Critical,
        pattern: r#"(?i:(?P<k>(?:adyen)[a-z0-9_.-]{0,30}?(?:api_?key|key|x_api_key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>AQE[A-Za-z0-9+/=._-]{80,250})"#,
        keywords: &[r#"adyen"#],
        min_entropy: 4.0,
        max_len: 600,
        rotate: r#"Generate a new API key for the web service user in the Adyen Customer Area and revoke the old one."#,
        examples: &[
            r#"ADYEN_API_KEY=AQE0wzE.r657sQ+uOBY/TI/C0TVoOSJg824s1rejzMqnOQZsysvYXkYtP/Y5bBG24TaQiTVNsynreGL4EsRTH+ODhpzldxA9AkDZdquF41Qjrkzmsb5LcXJ8CcjSu8TJ"#,
        ],
        counter_examples: &[r#"ADYEN_API_KEY=AQE..."#],
        ..BASE
    },
    Detector {
        id: "SEC-FLW-001",
        name: "flutterwave-secret-key",
        title: r#"Flutterwave secret key"#,
        provider: r#"Flutterwave"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>FLWSECK(?:_TEST)?-[a-f0-9]{32}-X)\b"#,
        keywords: &[r#"FLWSECK"#],
        rotate: r#"Regenerate the API keys in the Flutterwave dashboard (Settings → API)."#,
        examples: &[r#"FLW_SECRET_KEY=FLWSECK-a759c33b2c1860944e1e3a67afe342b9-X"#],
        counter_examples: &[r#"FLWSECK-xxxxxxxx-X"#],
        ..BASE
    },
    Detector {
        id: "SEC-PLAID-001",
        name: "plaid-access-token",
        title: r#"Plaid access token"#,
        provider: r#"Plaid"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"#,
        keywords: &[
            r#"access-production-"#,
            r#"access-development-"#,
            r#"access-sandbox-"#,
        ],
        rotate: r#"Remove the Item (`/item/remove`) or rotate the access token (`/item/access_token/invalidate`)."#,
        examples: &[
            r#"plaid_access_token: access-production-bdfa4c6c-3580-4977-ad88-5d82963d2fcf"#,
        ],
        counter_examples: &[r#"access-production-<token>"#],
        ..BASE
    },
    Detector {
        id: "SEC-COINBASE-001",
        name: "coinbase-api-private-key",
        title: r#"Coinbase Developer Platform API private key"#,
        provider: r#"Coinbase"#,
        severity: Severity::Critical,
        pattern: r#"(?P<s>organizations/[0-9a-f-]{36}/apiKeys/[0-9a-f-]{36})"#,
        keywords: &[r#"/apiKeys/"#],
        rotate: r#"Delete the API key in the Coinbase Developer Platform; the private key next to this name is the secret."#,
        examples: &[
            r#"COINBASE_KEY_NAME=organizations/0e8e4898-f864-480b-ab09-14bd57863d1e/apiKeys/a0991396-cef7-4f02-a4b5-269c09e00878"#,
        ],
        counter_examples: &[r#"organizations/{org_id}/apiKeys/{key_id}"#],
        ..BASE
    },
];
