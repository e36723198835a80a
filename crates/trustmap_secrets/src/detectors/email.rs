//! Email delivery services.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-SENDGRID-001",
        name: "sendgrid-api-key",
        title: r#"SendGrid API key"#,
        provider: r#"Twilio SendGrid"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"SG."#],
        min_entropy: 4.0,
        rotate: r#"Delete the key in SendGrid (Settings → API Keys) and create one with the smallest scopes."#,
        examples: &[
            r#"SENDGRID_API_KEY=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"#,
        ],
        counter_examples: &[
            r#"SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-MAILGUN-001",
        name: "mailgun-api-key",
        title: r#"Mailgun private API key"#,
        provider: r#"Mailgun"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>key-[a-f0-9]{32})\b"#,
        keywords: &[r#"key-"#],
        min_entropy: 3.3,
        rotate: r#"Regenerate the key in Mailgun (Account settings → API security)."#,
        examples: &[r#"MAILGUN_API_KEY=key-4f8c6a386b47cd93c9824a1f012d7c1b"#],
        counter_examples: &[
            r#"key-00000000000000000000000000000000"#,
            r#"key-value-store"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-MAILGUN-002",
        name: "mailgun-api-key-v2",
        title: r#"Mailgun API key"#,
        provider: r#"Mailgun"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:mailgun|mg)[a-z0-9_.-]{0,30}?(?:api_?key|key|secret)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8})\b"#,
        keywords: &[r#"mailgun"#, r#"mg_api"#],
        rotate: r#"Regenerate the key in Mailgun (Account settings → API security)."#,
        examples: &[r#"MAILGUN_API_KEY=3a46403741aeb6dd95a8c48975ba23dc-826692ed-7904a275"#],
        counter_examples: &[r#"MAILGUN_API_KEY=<key>"#],
        ..BASE
    },
    Detector {
        id: "SEC-MAILCHIMP-001",
        name: "mailchimp-api-key",
        title: r#"Mailchimp API key"#,
        provider: r#"Intuit Mailchimp"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>[a-f0-9]{32}-us\d{1,2})\b"#,
        keywords: &[r#"-us"#],
        min_entropy: 3.3,
        rotate: r#"Disable the key in Mailchimp (Account → Extras → API keys) and create a new one."#,
        examples: &[r#"MAILCHIMP_API_KEY=05a391fc75b4c249a91e11dc905aa6f8-us4"#],
        counter_examples: &[r#"0123456789abcdef0123456789abcdef-us6"#],
        ..BASE
    },
    Detector {
        id: "SEC-MANDRILL-001",
        name: "mandrill-api-key",
        title: r#"Mailchimp Transactional (Mandrill) API key"#,
        provider: r#"Intuit Mailchimp"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:mandrill)[a-z0-9_.-]{0,30}?(?:api_?key|key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[A-Za-z0-9_-]{22})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"mandrill"#],
        min_entropy: 3.8,
        rotate: r#"Delete the key in Mailchimp Transactional (Settings → SMTP & API Info)."#,
        examples: &[r#"MANDRILL_API_KEY=Vk-2lClD1odwyCaRaMW81j"#],
        counter_examples: &[r#"MANDRILL_API_KEY=<key>"#],
        ..BASE
    },
    Detector {
        id: "SEC-POSTMARK-001",
        name: "postmark-server-token",
        title: r#"Postmark server or account token"#,
        provider: r#"Postmark"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:postmark)[a-z0-9_.-]{0,30}?(?:token|api_?key|key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"#,
        keywords: &[r#"postmark"#],
        rotate: r#"Regenerate the token in Postmark (Server → API Tokens)."#,
        examples: &[r#"POSTMARK_SERVER_TOKEN=2cfa7116-3338-4fbb-a58b-8fe16577efef"#],
        counter_examples: &[r#"POSTMARK_SERVER_TOKEN=POSTMARK_API_TEST"#],
        ..BASE
    },
    Detector {
        id: "SEC-SPARKPOST-001",
        name: "sparkpost-api-key",
        title: r#"SparkPost API key"#,
        provider: r#"SparkPost"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:sparkpost)[a-z0-9_.-]{0,30}?(?:api_?key|key|token)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[a-f0-9]{40})\b"#,
        keywords: &[r#"sparkpost"#],
        rotate: r#"Delete the key in SparkPost (Configuration → API Keys)."#,
        examples: &[r#"SPARKPOST_API_KEY=b92f8790283b6439ec9284e0f9b8f8641d73d140"#],
        counter_examples: &[r#"SPARKPOST_API_KEY=<key>"#],
        ..BASE
    },
    Detector {
        id: "SEC-BREVO-001",
        name: "brevo-api-key",
        title: r#"Brevo (Sendinblue) API key"#,
        provider: r#"Brevo"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})\b"#,
        keywords: &[r#"xkeysib-"#],
        rotate: r#"Delete the key in Brevo (SMTP & API → API keys)."#,
        examples: &[
            r#"BREVO_API_KEY=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"#,
        ],
        counter_examples: &[r#"xkeysib-xxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-RESEND-001",
        name: "resend-api-key",
        title: r#"Resend API key"#,
        provider: r#"Resend"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>re_[A-Za-z0-9]{8}_[A-Za-z0-9]{24})\b"#,
        keywords: &[r#"re_"#],
        min_entropy: 3.8,
        rotate: r#"Delete the key in Resend (API Keys)."#,
        examples: &[r#"RESEND_API_KEY=re_hFqu1xav_kpZaNaXMbjDomvvjuo2b1ISz"#],
        counter_examples: &[r#"re_xxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-MAILERSEND-001",
        name: "mailersend-api-token",
        title: r#"MailerSend API token"#,
        provider: r#"MailerSend"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>mlsn\.[a-f0-9]{64})\b"#,
        keywords: &[r#"mlsn."#],
        rotate: r#"Delete the token in MailerSend (Integrations → API tokens)."#,
        examples: &[
            r#"MAILERSEND_API_KEY=mlsn.fdf9892a28ccec43aa8fac16617dff75ea74ea1c901f568228c7d4dcc090035b"#,
        ],
        counter_examples: &[r#"mlsn.abc"#],
        ..BASE
    },
    Detector {
        id: "SEC-MAILJET-001",
        name: "mailjet-secret-key",
        title: r#"Mailjet API secret key"#,
        provider: r#"Mailjet"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:mailjet|mj)[a-z0-9_.-]{0,30}?(?:secret_?key|api_?secret|secret)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[a-f0-9]{32})\b"#,
        keywords: &[r#"mailjet"#, r#"mj_apikey"#, r#"mj_secret"#],
        rotate: r#"Regenerate the secret key in Mailjet (Account settings → API keys)."#,
        examples: &[r#"MAILJET_SECRET_KEY=fda56db851618e0521f44ead11c5254b"#],
        counter_examples: &[r#"MAILJET_SECRET_KEY=00000000000000000000000000000000"#],
        ..BASE
    },
];
