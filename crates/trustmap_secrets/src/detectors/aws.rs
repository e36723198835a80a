//! Amazon Web Services credentials.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-AWS-001",
        name: "aws-access-key-pair",
        title: r#"AWS access key id with its secret access key"#,
        provider: r#"Amazon Web Services"#,
        severity: Severity::Critical,
        pattern: r#"\b(?:AKIA|ASIA)[A-Z2-7]{16}[\s,;:|\"']{1,8}(?P<s>[A-Za-z0-9/+]{40})\b"#,
        keywords: &[r#"AKIA"#, r#"ASIA"#],
        min_entropy: 3.5,
        rotate: r#"Deactivate and delete the access key in IAM (Users → Security credentials), create a new one only if a long-lived key is unavoidable, and review CloudTrail for its use. Prefer roles: IAM Identity Center for people, OIDC or instance/task roles for workloads."#,
        examples: &[r#"AKIAO7DZJQSZNF3OXOZG,fwM34uppHrFKDE1bQhazgIGY5tlAfFsx3Hd+QGr2"#],
        counter_examples: &[r#"AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"#],
        ..BASE
    },
    Detector {
        id: "SEC-AWS-002",
        name: "aws-access-key-id",
        title: r#"AWS access key id"#,
        provider: r#"Amazon Web Services"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>(?:AKIA|ABIA|ACCA)[A-Z2-7]{16})\b"#,
        keywords: &[r#"AKIA"#, r#"ABIA"#, r#"ACCA"#],
        rotate: r#"Deactivate and delete the access key in IAM (Users → Security credentials), create a new one only if a long-lived key is unavoidable, and review CloudTrail for its use. Prefer roles: IAM Identity Center for people, OIDC or instance/task roles for workloads."#,
        examples: &[
            r#"aws_access_key_id = AKIAF7BDSQPYVCFNZJUH"#,
            r#""AccessKeyId": "AKIA7AS3FAHTCXX3N6L7""#,
        ],
        counter_examples: &[
            r#"aws_access_key_id = AKIAIOSFODNN7EXAMPLE"#,
            r#"AKIA1234"#,
            r#"xAKIAZZZZZZZZZZZZZZZZZ"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-AWS-003",
        name: "aws-secret-access-key",
        title: r#"AWS secret access key"#,
        provider: r#"Amazon Web Services"#,
        severity: Severity::Critical,
        pattern: r#"(?i:(?P<k>aws[a-z0-9_.-]{0,20}?secret[_-]?(?:access[_-]?)?key|secret[_-]?access[_-]?key))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[A-Za-z0-9/+]{40})\b"#,
        keywords: &[
            r#"secret_access_key"#,
            r#"secretaccesskey"#,
            r#"secret-access-key"#,
            r#"aws_secret"#,
            r#"awssecret"#,
            r#"aws-secret"#,
        ],
        min_entropy: 3.5,
        rotate: r#"Deactivate and delete the access key in IAM (Users → Security credentials), create a new one only if a long-lived key is unavoidable, and review CloudTrail for its use. Prefer roles: IAM Identity Center for people, OIDC or instance/task roles for workloads."#,
        examples: &[
            r#"aws_secret_access_key = q+0Lmua9WRNfzLplqUezPpqH1sIGVYEroNPHCWVr"#,
            r#"  SecretAccessKey: "eRPwg18EpyQ6aQ+BERgfLLY6eK2x83At4IxUJhbP""#,
        ],
        counter_examples: &[
            r#"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"#,
            r#"aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}"#,
            r#"secret_access_key = 0000000000000000000000000000000000000000"#,
            r#"SECRET_KEY = 'Zq8rT2vX9kLm4NpB7sWc1yHd6fGj3aEo5uIiQwRe'"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-AWS-004",
        name: "aws-session-token",
        title: r#"AWS session token"#,
        provider: r#"Amazon Web Services"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:aws|amazon)[a-z0-9_.-]{0,30}?(?:session_?token|security_?token|sessiontoken)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[A-Za-z0-9/+=]{100,1200})"#,
        keywords: &[
            r#"session_token"#,
            r#"sessiontoken"#,
            r#"security_token"#,
            r#"session-token"#,
        ],
        min_entropy: 4.0,
        max_len: 1400,
        rotate: r#"Session tokens expire on their own (at most 36 hours); revoke the role's active sessions in IAM (Roles → Revoke active sessions) and find out which principal issued it."#,
        examples: &[
            r#"aws_session_token = IQoJb3JpZ2luX2VjjMnNolPEzAypJpitAYYNPuIjQUh7CNDsllCEI5RyekKyGY4NX2aLY21r+cLJ+FBwDYk9G3nWqRsCfdU25vgIQCQ+6IJP+dcmmHvTIEsF8nXcgGX2OC3KAUXgxepbqChgwajFtR5cDyUNvnlvj4WYK3xSkyBy7wPunR5PypMhG/6sZmOugFyTfw/Tsnt3oGEhs3LtH130RKhC2j3eN0Fi9cF+WLhRK8+9U6E8j/+S7rcBXz0TbuyDTGqr39B2MaayThzZoX0akZCwPRekMw3fTu+AA1F5+7bvl0uEeSitMqO/"#,
        ],
        counter_examples: &[r#"aws_session_token = ${AWS_SESSION_TOKEN}"#],
        ..BASE
    },
    Detector {
        id: "SEC-AWS-005",
        name: "aws-temporary-access-key-id",
        title: r#"AWS temporary access key id"#,
        provider: r#"Amazon Web Services"#,
        severity: Severity::Medium,
        pattern: r#"\b(?P<s>ASIA[A-Z2-7]{16})\b"#,
        keywords: &[r#"ASIA"#],
        rotate: r#"Temporary credentials expire on their own; revoke the role's active sessions in IAM if the matching secret and session token were committed too."#,
        examples: &[r#"AWS_ACCESS_KEY_ID=ASIAOZNWVOALSPSPVDN4"#],
        counter_examples: &[r#"ASIAN_MARKET_REGION_CODE"#],
        ..BASE
    },
    Detector {
        id: "SEC-AWS-006",
        name: "aws-mws-auth-token",
        title: r#"Amazon MWS auth token"#,
        provider: r#"Amazon"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b"#,
        keywords: &[r#"amzn.mws."#],
        rotate: r#"Revoke the developer authorisation in Seller Central (Apps and Services → Manage Your Apps)."#,
        examples: &[r#"mws_auth_token: amzn.mws.5a1067f8-7ee0-4044-a382-1b6c3f0acac2"#],
        counter_examples: &[r#"amzn.mws.00000000-0000-0000-0000-000000000000"#],
        ..BASE
    },
    Detector {
        id: "SEC-AWS-007",
        name: "aws-bedrock-api-key",
        title: r#"Amazon Bedrock API key"#,
        provider: r#"Amazon Web Services"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>ABSK[A-Za-z0-9+/]{100,300}={0,2})"#,
        keywords: &[r#"ABSK"#],
        min_entropy: 4.0,
        rotate: r#"Delete the Bedrock API key (IAM service-specific credential) and create a short-term key instead."#,
        examples: &[
            r#"BEDROCK_API_KEY=ABSKeWTmNp7Ty4S/jAhgSMMF1whKU68V5R7oEA8LqYObgz7/WbxCYRbxJsUeArRPtNoFfuYYzmCJ8NLhMn27LSM12uRDn9mNjtxfe8TEkLgqS7dVjROJ0+6pV3U6ana7biBMO4wr"#,
        ],
        counter_examples: &[r#"ABSK"#],
        ..BASE
    },
];
