//! Chat and notification webhooks and bots.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-SLACK-001",
        name: "slack-bot-token",
        title: r#"Slack bot token"#,
        provider: r#"Slack"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>xoxb-\d{10,13}-\d{10,13}-[A-Za-z0-9]{24})\b"#,
        keywords: &[r#"xoxb-"#],
        rotate: r#"Revoke the token or webhook in the Slack app's settings (api.slack.com/apps → OAuth & Permissions / Incoming Webhooks) and reinstall the app to issue a new one."#,
        examples: &[r#"SLACK_BOT_TOKEN=xoxb-185957089572-0869736078948-G3qjkap2u0Wc6KSmF2RAumjW"#],
        counter_examples: &[
            r#"xoxb-not-a-real-token"#,
            r#"xoxb-000000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-SLACK-002",
        name: "slack-user-token",
        title: r#"Slack user token"#,
        provider: r#"Slack"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>xox[pe]-\d{10,13}-\d{10,13}-\d{10,13}-[a-f0-9]{32})\b"#,
        keywords: &[r#"xoxp-"#, r#"xoxe-"#],
        rotate: r#"Revoke the token or webhook in the Slack app's settings (api.slack.com/apps → OAuth & Permissions / Incoming Webhooks) and reinstall the app to issue a new one."#,
        examples: &[
            r#"slack_token: xoxp-979179289575-501244115935-3699831255875-d41f42667091a5a7ca3400c8f5369920"#,
        ],
        counter_examples: &[r#"xoxp-1-2-3-abc"#],
        ..BASE
    },
    Detector {
        id: "SEC-SLACK-003",
        name: "slack-app-token",
        title: r#"Slack app-level token"#,
        provider: r#"Slack"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>xapp-\d-[A-Z0-9]{9,11}-\d{10,13}-[a-f0-9]{64})\b"#,
        keywords: &[r#"xapp-"#],
        rotate: r#"Revoke the token or webhook in the Slack app's settings (api.slack.com/apps → OAuth & Permissions / Incoming Webhooks) and reinstall the app to issue a new one."#,
        examples: &[
            r#"SLACK_APP_TOKEN=xapp-1-AQ9B15O44EU-5907678035862-a0886eec382a9081cfa0dd27f4391b4c2407f4dee0911474e0609e262936ae37"#,
        ],
        counter_examples: &[r#"xapp-1-A0000000000-0000000000000-abc"#],
        ..BASE
    },
    Detector {
        id: "SEC-SLACK-004",
        name: "slack-webhook-url",
        title: r#"Slack incoming webhook URL"#,
        provider: r#"Slack"#,
        severity: Severity::Medium,
        pattern: r#"(?P<s>https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{8,12}/[A-Z0-9]{8,12}/[A-Za-z0-9]{24,32})"#,
        keywords: &[r#"hooks.slack.com/"#],
        rotate: r#"Revoke the token or webhook in the Slack app's settings (api.slack.com/apps → OAuth & Permissions / Incoming Webhooks) and reinstall the app to issue a new one."#,
        examples: &[
            r#"webhook_url: https://hooks.slack.com/services/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"#,
        ],
        counter_examples: &[
            r#"https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-SLACK-005",
        name: "slack-config-token",
        title: r#"Slack app configuration token"#,
        provider: r#"Slack"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>xoxe\.xox[bp]-\d-[A-Z0-9]{160,170})\b"#,
        keywords: &[r#"xoxe.xox"#],
        rotate: r#"Revoke the token or webhook in the Slack app's settings (api.slack.com/apps → OAuth & Permissions / Incoming Webhooks) and reinstall the app to issue a new one."#,
        examples: &[
            r#"SLACK_CONFIG_TOKEN=xoxe.xoxp-1-I7EJVOMZVOMNUOULFQAXWZG5KCPHTC1A1Y4DJE8W73UJHPJRZFF69GWYEOVZ8I5673XF0MBNWEY2O4PVC6YLV8P7HUTCWM48FH1UP4FA46Z91R9ID32GGMSHVMW3NARG6P2MK5HBPMBP1C4D5VCU12TWTYB7A787LRUW"#,
        ],
        counter_examples: &[r#"xoxe.xoxp-1-"#],
        ..BASE
    },
    Detector {
        id: "SEC-SLACK-006",
        name: "slack-refresh-token",
        title: r#"Slack configuration refresh token"#,
        provider: r#"Slack"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>xoxe-\d-[A-Z0-9]{140,150})\b"#,
        keywords: &[r#"xoxe-"#],
        rotate: r#"Revoke the token or webhook in the Slack app's settings (api.slack.com/apps → OAuth & Permissions / Incoming Webhooks) and reinstall the app to issue a new one."#,
        examples: &[
            r#"refresh: xoxe-1-R793R4FH6VN7GTGHQOT23Y0TW3QK8VEC6GH2GY7HSMZZUF9F73OJDONQWB3HGR4CLYIMFSDD54PM35SZTT3WJJOOMHGO89EZT8TDLUK56NKQWHHQ9Q8F13V09Y5B24SLLF0OQAQ2TI6LS6ZIZL"#,
        ],
        counter_examples: &[r#"xoxe-1-ABC"#],
        ..BASE
    },
    Detector {
        id: "SEC-DISCORD-001",
        name: "discord-webhook-url",
        title: r#"Discord webhook URL"#,
        provider: r#"Discord"#,
        severity: Severity::Medium,
        pattern: r#"(?P<s>https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d{17,20}/[A-Za-z0-9_-]{60,68})"#,
        keywords: &[
            r#"discord.com/api/webhooks/"#,
            r#"discordapp.com/api/webhooks/"#,
        ],
        min_entropy: 4.0,
        rotate: r#"Delete the webhook in the Discord channel's settings (Integrations → Webhooks)."#,
        examples: &[
            r#"DISCORD_WEBHOOK=https://discord.com/api/webhooks/5968536687213216394/EuBMMi5A07qtnVbqeXXvacUC8BCRx6eKIxpTL63vqa4IwwdjhQoSKoJ46bfHRo7mD0aA"#,
        ],
        counter_examples: &[r#"https://discord.com/api/webhooks/123/abc"#],
        ..BASE
    },
    Detector {
        id: "SEC-DISCORD-002",
        name: "discord-bot-token",
        title: r#"Discord bot token"#,
        provider: r#"Discord"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:discord)[a-z0-9_.-]{0,30}?(?:token|bot)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[MN][A-Za-z0-9]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"discord"#],
        rotate: r#"Reset the token in the Discord developer portal (Applications → Bot → Reset Token)."#,
        examples: &[
            r#"DISCORD_BOT_TOKEN=MbglofSL9j3mFeczBBbpMlSGWP.gmSkg1.20rzPXHg8bQS6LAjOyAM6Sqk7aKcPQKDGhmdmb"#,
        ],
        counter_examples: &[r#"DISCORD_BOT_TOKEN=<bot token>"#],
        ..BASE
    },
    Detector {
        id: "SEC-TELEGRAM-001",
        name: "telegram-bot-token",
        title: r#"Telegram bot token"#,
        provider: r#"Telegram"#,
        severity: Severity::High,
        pattern: r#"(?:(?m:^)|[^0-9A-Za-z])(?P<s>\d{8,10}:AA[A-Za-z0-9_-]{33})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#":AA"#],
        min_entropy: 3.8,
        rotate: r#"Revoke the token with @BotFather (/revoke) and issue a new one."#,
        examples: &[r#"TELEGRAM_BOT_TOKEN=4900469763:AACvldapQ5uKmxiPqdNEt_mIVmz-JQburng"#],
        counter_examples: &[r#"123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-TEAMS-001",
        name: "microsoft-teams-webhook-url",
        title: r#"Microsoft Teams incoming webhook URL"#,
        provider: r#"Microsoft Teams"#,
        severity: Severity::Medium,
        pattern: r#"(?P<s>https://[A-Za-z0-9-]+\.webhook\.office\.com/webhookb2/[a-f0-9-]{36}@[a-f0-9-]{36}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9-]{36}(?:/[A-Za-z0-9_-]{40,60})?)"#,
        keywords: &[r#".webhook.office.com/webhookb2/"#],
        rotate: r#"Remove the connector from the Teams channel and create a new one (or move to Workflows)."#,
        examples: &[
            r#"teams_webhook: https://contoso.webhook.office.com/webhookb2/309e2c8f-3fcd-4f5a-a436-756ebc447e07@8cdf7913-c5a1-46b9-aac5-958c6ce5aa2d/IncomingWebhook/e630ec964870b203f64e8b14621784ef/b76c1f96-bf81-4bd6-a166-4fb3764d447b"#,
        ],
        counter_examples: &[r#"https://contoso.webhook.office.com/webhookb2/<id>"#],
        ..BASE
    },
    Detector {
        id: "SEC-TEAMS-002",
        name: "azure-logic-app-trigger-url",
        title: r#"Azure Logic App / Teams workflow trigger URL with signature"#,
        provider: r#"Microsoft Azure"#,
        severity: Severity::Medium,
        pattern: r#"https://[A-Za-z0-9.-]+\.logic\.azure\.com(?::443)?/workflows/[a-f0-9]{32}/triggers/[A-Za-z0-9_-]+/paths/invoke\?[A-Za-z0-9=&%._-]{0,200}?sig=(?P<s>[A-Za-z0-9_-]{43})"#,
        keywords: &[r#".logic.azure.com"#],
        max_len: 500,
        rotate: r#"Regenerate the Logic App's access keys (Settings → Access keys) so old trigger URLs stop working."#,
        examples: &[
            r#"WEBHOOK=https://prod-12.westeurope.logic.azure.com:443/workflows/943307428e2140d072a7f75493cc3179/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=XTrr1ErVLInis7ib5JdYSn6MNKs4hyT-6oGJFHiUY6q"#,
        ],
        counter_examples: &[
            r#"https://prod-1.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=<sig>"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-GCHAT-001",
        name: "google-chat-webhook-url",
        title: r#"Google Chat webhook URL"#,
        provider: r#"Google"#,
        severity: Severity::Medium,
        pattern: r#"https://chat\.googleapis\.com/v1/spaces/[A-Za-z0-9_-]{8,20}/messages\?key=AIza[0-9A-Za-z_-]{35}&token=(?P<s>[A-Za-z0-9_%-]{40,60})"#,
        keywords: &[r#"chat.googleapis.com/v1/spaces/"#],
        rotate: r#"Delete the webhook in the Chat space (Apps & integrations → Webhooks)."#,
        examples: &[
            r#"url: https://chat.googleapis.com/v1/spaces/AAAA6s4p3LB/messages?key=AIzaB6KOZruD_LJHYwbTjgQ7KLPPEXHvO7tXdrl&token=Vn71s9K3o8T6MZ1QKEs-Qmsf4vAvnY-saepC0MItAhT%3D"#,
        ],
        counter_examples: &[
            r#"https://chat.googleapis.com/v1/spaces/XXXX/messages?key=KEY&token=TOKEN"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-MATTERMOST-001",
        name: "mattermost-access-token",
        title: r#"Mattermost access token"#,
        provider: r#"Mattermost"#,
        severity: Severity::Medium,
        pattern: r#"(?i:(?P<k>(?:mattermost|mm)[a-z0-9_.-]{0,30}?(?:token|access_?token)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[a-z0-9]{26})\b"#,
        keywords: &[r#"mattermost"#, r#"mm_token"#, r#"mm_access"#],
        min_entropy: 3.5,
        rotate: r#"Revoke the token in Mattermost (Profile → Security → Personal access tokens)."#,
        examples: &[r#"MATTERMOST_TOKEN=6z7n716y2f80woqhv0cntc83ah"#],
        counter_examples: &[r#"MATTERMOST_TOKEN=${MM_TOKEN}"#],
        ..BASE
    },
];
