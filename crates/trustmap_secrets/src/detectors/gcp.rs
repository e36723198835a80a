//! Google Cloud and Google API credentials.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Check, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-GCP-001",
        name: "gcp-service-account-key",
        title: r#"Google Cloud service-account private key"#,
        provider: r#"Google Cloud"#,
        severity: Severity::Critical,
        pattern: r#"\"private_key\"\s*:\s*\"(?P<s>-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\n|\\r|[A-Za-z0-9+/=\s])+-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)\""#,
        keywords: &[r#""private_key""#],
        check: Check::PrivateKey,
        max_len: 8192,
        rotate: r#"Delete the key in the Google Cloud console (IAM → Service accounts → Keys, or APIs & Services → Credentials) and use workload identity federation or attached service accounts instead of keys."#,
        examples: &[r#"{
  "type": "service_account",
  "project_id": "billing-prod",
  "private_key_id": "cc4bc64b4b3153e30e3338777df8afbf23c1ed43",
  "private_key": "-----BEGIN PRIVATE KEY-----\nMIKZoQa9Kjc10Ll6AH/XKOyGlR6WCeOBMzReDjM/tJFxTgftSkSfnTsUduSMzOyo\nvaefWobHnM+YhDpkvopA2K8XaA1xKEVbx3b5Kz0pKYaDPQnfqLyskqxrRL5O4t7B\nChqhdqaTBeLjBN/hyFAyQQOEKipG+HUXrCQz3IZiIppCoGhhtX2UKOGH7FHRsvgX\nPSQLk0diDg/S+DMnsqCdkUvA0CHkWlDSEIrOo17B6PEe+ktg/IwnhZWyRV7HYc7v\nZtkozngsI+bMoRPxxylg+3rSzf5a/i0TVZWRIm35uHy2kuDzHWZoXH66TzB+/xBV\nSfLqKyWMOUTYEmOS0i23OsKTMJ2BRVLP/QkhmuuaorWgQOIsNMbl3XRQn887tc5c\nocUs2qt+YwqL53UqUg0nX4Eo8x+rQ4Kt3tYbf/y1rh2MwYHWyYqCKUivOgysJF8Z\nitAcT/HD+VVgzKW4N3BWy4R3MhpLvBGo+6U52Sb7wfNyOH5n3NrW+d4oTMlnSPh3\nsOqstOz6Hj8WqLI6s6OUcFC0G2V8mkUrLEX9hxXYGeEwxI2Z9Nof/sebJmZRswWK\nxnXT6z6JJ6OY0gDXgLmG47nRGQYOjaKX8UWPmtXDFTj8fAtCtzDeusn198W2XL15\noKv3U+DjQiD4uu4204WQzV5kXNI8nb3QgpC1ejtdZZ/fZ+BbaXnckGHHkRxtrs0A\nNsuai9MbvPMBxK7XUzKqLM4CElGkJO4PXD4d8+RszrK62oTxx08rcofb7kYFjlUj\n7EUjlQCNU0B7ytW3Yhlp2KGO159/DLLXvlYapNMdxASoqt1pnMNbBDbVjtLqsFk4\nD1e1BlGbe0yg5rXxKfRF6xa3/u9SZGkchOa8Ts/VISGWObx9riv6dzLx9JTwvCr6\n+M0YP4/Nr/XEux7AC6ivcju3dLBrDZ2ETnOwz+ZgSyN8DrzdGZJsl07j8S+jyXT/\nw0jAo4zijIbeW+bJSMJnYZ9BtrOS384EKz6xC4PWFXBaIyAg0N3/N/naKdCQbmGF\n+swnmUDngsYzig8NoupkjTRJMwBQfXMrzsKxq2d9Rpb/f9HDV0JikYhrz+j6yWjm\nb58D0FjAQ3jGsc9n/sOfLRbFULalzoDCMqt4JwOwO07xWxu9bzYxqvFOn7Shugjx\nG/XTEgSXaC470cgw5P0lJltaJdAd3sVAZem49KBxUbfMlaRvjNSjL8OUp3tKGr2H\nOKt/M7+zKkTHtRf4DFyL9N81lWU/6Csz0zUJRyOvN3WSWDthEERlliMav1bjzsGR\n8JP/7F3B5NEjsKmqlS6GipB8eLLyrDJ5J4yOKY4YnkdhAPbnC28x61Czo6YLiO9V\n55Ex5UGWEZzS3DnvZqAL1rREZC6G8cWLqs7sdX3TThLjyLxSbQ4xi0Si8vi5nZ6Y\nRLFn3G4PpHr0AJ48Nw0wmdimR6jmRBq0paVoVEI4LMphfizqeJViWVGXSTeA3ADd\nKy48kp+Vxfs04V4ZXXTtNUkWT4QKFMEtRGGixjsS4ebqZ0w5wCezLP6R9JWK2emD\nKGYLJub3BLpaQp/Y4eUzTQrVDQ+2MiABzqhH9aLqBn1bDBjRcJRZ4Abn4hNnKI2N\n/3g=\n-----END PRIVATE KEY-----\n",
  "client_email": "deployer@billing-prod.iam.gserviceaccount.com"
}"#],
        counter_examples: &[
            r#"{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"}"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-GCP-002",
        name: "gcp-api-key",
        title: r#"Google API key"#,
        provider: r#"Google Cloud"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>AIza[0-9A-Za-z_-]{35})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"AIza"#],
        min_entropy: 3.5,
        rotate: r#"Delete or regenerate the key in APIs & Services → Credentials, and restrict the new one by API and by referrer/IP."#,
        examples: &[
            r#"GOOGLE_MAPS_KEY=AIzaQbo6to3RoqdOPFHzhhf0_efT8P-Bd6I9bpK"#,
            r#"<string name="google_api_key">AIzadJ3ZhDO1b055yJNHdXs3AqhBoZG7gcI2dyP</string>"#,
        ],
        counter_examples: &[r#"AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"#, r#"AIzaShort"#],
        ..BASE
    },
    Detector {
        id: "SEC-GCP-003",
        name: "google-oauth-client-secret",
        title: r#"Google OAuth client secret"#,
        provider: r#"Google"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>GOCSPX-[A-Za-z0-9_-]{28})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"GOCSPX-"#],
        rotate: r#"Reset the client secret in APIs & Services → Credentials → OAuth 2.0 Client IDs."#,
        examples: &[r#"client_secret: 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"#],
        counter_examples: &[r#"GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-GCP-004",
        name: "google-oauth-refresh-token",
        title: r#"Google OAuth refresh token"#,
        provider: r#"Google"#,
        severity: Severity::High,
        pattern: r#"(?:(?m:^)|[^A-Za-z0-9/])(?P<s>1//0[A-Za-z0-9_-]{60,120})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"1//0"#],
        min_entropy: 4.0,
        rotate: r#"Revoke the app's access in the Google account (Security → Third-party access) or via the OAuth revoke endpoint."#,
        examples: &[
            r#""refresh_token": "1//0_3mNfWgsjlJx3JmfBZR23FGOQy_gp0zX5bNNyI7FjbwXXpa3I46qe1Vnn7R3M4Ns-6398jgSxqfAXmmwBDljenmcB9hehCYpnbe""#,
        ],
        counter_examples: &[r#"http://1//0"#],
        ..BASE
    },
    Detector {
        id: "SEC-GCP-005",
        name: "google-oauth-access-token",
        title: r#"Google OAuth access token"#,
        provider: r#"Google"#,
        severity: Severity::Medium,
        pattern: r#"\b(?P<s>ya29\.[A-Za-z0-9_-]{50,300})"#,
        keywords: &[r#"ya29."#],
        min_entropy: 4.0,
        rotate: r#"Access tokens expire within an hour; revoke the grant that issued it and the refresh token behind it."#,
        examples: &[
            r#"Authorization: Bearer ya29.w2Onne9R78mp7eajKuQT4XMIcIXG684JHDI414K5XOcSZkJVK3rzADFx5FCG1-0xaTR_Ha8GC9zJpDF6t4o_N6XQrzHGe1xzHv4KqS969V6tCDufqm3gdXp8QWN2OL0YW-N1bnJy_8zxqHitTENNOe"#,
        ],
        counter_examples: &[r#"ya29.short"#],
        ..BASE
    },
    Detector {
        id: "SEC-GCP-006",
        name: "firebase-cloud-messaging-server-key",
        title: r#"Firebase Cloud Messaging legacy server key"#,
        provider: r#"Google Firebase"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{120,160})"#,
        keywords: &[r#":APA91b"#],
        rotate: r#"Delete the legacy server key in the Firebase console (Project settings → Cloud Messaging) and migrate to the HTTP v1 API with a service account."#,
        examples: &[
            r#"fcm_server_key = "AAAA0M1awqn:APA91b_Ry8DNYkLbHLbhXRYjTIUSC3_zms8RLUxzRqERjNklWwMkCfel1xaY5FOXWrkBebWT1xgWf1dfjScHVaiZ5RPOtZycmQdn_WXrPh6zcefkssuuO3YZzb-iT-IpuadKYetoaKLt""#,
        ],
        counter_examples: &[r#"AAAA:APA91b"#],
        ..BASE
    },
];
