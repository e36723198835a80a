//! Microsoft Azure credentials and connection strings.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-AZ-001",
        name: "azure-storage-account-key",
        title: r#"Azure storage account key"#,
        provider: r#"Microsoft Azure"#,
        severity: Severity::Critical,
        pattern: r#"(?i:AccountKey\s*=\s*|(?:storage|account|primary|secondary)_?(?:access_?)?key[\"']?\s*[:=]\s*[\"']?)(?P<s>[A-Za-z0-9+/]{86}==)"#,
        keywords: &[
            r#"AccountKey"#,
            r#"storage_key"#,
            r#"storagekey"#,
            r#"account_key"#,
            r#"primary_access_key"#,
            r#"secondary_access_key"#,
            r#"storage_access_key"#,
            r#"accesskey"#,
        ],
        min_entropy: 4.5,
        rotate: r#"Rotate the key in the Azure portal (regenerate it), update the consumers from Key Vault, and prefer managed identities or Entra ID authentication over shared keys."#,
        examples: &[
            r#"DefaultEndpointsProtocol=https;AccountName=billingdata;AccountKey=rLmpKhEF67YDSO59w/ic08xDskcAL36JhElmu1YDrbUJR3BXxFvbSjqhHhBfCNJxjHnt8blRczsyA59UW93hyw==;EndpointSuffix=core.windows.net"#,
            r#"storage_account_key = "+gyDnVPT35/8oKalUpshEiAFiOvn8xK/yLhyh6U5yiW+qY+N/3pwNB2sCZsThxZdFhszLVrsApvB3SoabfMfDQ==""#,
        ],
        counter_examples: &[
            r#"AccountKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="#,
            r#"AccountKey=<storage-account-key>"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-AZ-002",
        name: "azure-sas-token",
        title: r#"Azure shared access signature"#,
        provider: r#"Microsoft Azure"#,
        severity: Severity::High,
        pattern: r#"\bsv=\d{4}-\d{2}-\d{2}&[A-Za-z0-9=&%:._-]{0,300}?\bsig=(?P<s>[A-Za-z0-9%+/]{40,90})"#,
        keywords: &[r#"sv=20"#],
        min_entropy: 4.0,
        max_len: 600,
        rotate: r#"Revoke the SAS by rotating the account key that signed it (or delete its stored access policy), and issue user-delegation SAS with short expiry instead."#,
        examples: &[
            r#"https://billingdata.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rwdlac&se=2027-01-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=RumIef0p7lmU3tca8RNhgaeNy7O0HObntyvfLZLzM3g%3D"#,
        ],
        counter_examples: &[r#"?sv=2022-11-02&ss=b&sig=<signature>"#],
        ..BASE
    },
    Detector {
        id: "SEC-AZ-003",
        name: "azure-entra-client-secret",
        title: r#"Microsoft Entra ID (Azure AD) client secret"#,
        provider: r#"Microsoft Azure"#,
        severity: Severity::High,
        pattern: r#"(?:(?m:^)|[^A-Za-z0-9_~.-])(?P<s>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)"#,
        keywords: &[r#"Q~"#],
        min_entropy: 3.5,
        rotate: r#"Delete the secret under App registrations → Certificates & secrets, and move the app to a certificate or a federated credential."#,
        examples: &[r#"AZURE_CLIENT_SECRET=TY08Q~RgSPmk-Zv2I88F1ybA0m-BVP.YCWljgxXq"#],
        counter_examples: &[r#"Q~ not a secret"#],
        ..BASE
    },
    Detector {
        id: "SEC-AZ-004",
        name: "azure-cosmosdb-connection-string",
        title: r#"Azure Cosmos DB connection string"#,
        provider: r#"Microsoft Azure"#,
        severity: Severity::Critical,
        pattern: r#"AccountEndpoint=https://[A-Za-z0-9.-]+\.documents\.azure\.com(?::443)?/?;\s*AccountKey=(?P<s>[A-Za-z0-9+/]{86}==)"#,
        keywords: &[r#"AccountEndpoint="#],
        rotate: r#"Rotate the key in the Azure portal (regenerate it), update the consumers from Key Vault, and prefer managed identities or Entra ID authentication over shared keys."#,
        examples: &[
            r#"COSMOS=AccountEndpoint=https://orders-prod.documents.azure.com:443/;AccountKey=BKDF4icMkiCIy0gtY+7Acefjq9eyhQtx0K9tFW6NaMqnX4CDkeiTQSZtZMCx5XE67pIus8mn77BB2TaAPXUh2w==;"#,
        ],
        counter_examples: &[r#"AccountEndpoint=https://localhost:8081/;AccountKey=<key>"#],
        ..BASE
    },
    Detector {
        id: "SEC-AZ-005",
        name: "azure-service-bus-connection-string",
        title: r#"Azure Service Bus / Event Hubs connection string"#,
        provider: r#"Microsoft Azure"#,
        severity: Severity::High,
        pattern: r#"Endpoint=sb://[A-Za-z0-9.-]+/?;\s*SharedAccessKeyName=[^;\"'\s]{1,100};\s*SharedAccessKey=(?P<s>[A-Za-z0-9+/]{43}=)"#,
        keywords: &[r#"SharedAccessKeyName="#],
        rotate: r#"Rotate the key in the Azure portal (regenerate it), update the consumers from Key Vault, and prefer managed identities or Entra ID authentication over shared keys."#,
        examples: &[
            r#"Endpoint=sb://orders-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=X8snP7L6FjCwV5HNmv2NfvFMUA2t36YSvRKtasn9DOY="#,
        ],
        counter_examples: &[
            r#"Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=<key>"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-AZ-006",
        name: "azure-devops-pat",
        title: r#"Azure DevOps personal access token"#,
        provider: r#"Microsoft Azure DevOps"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:ado|azure_?devops|azuredevops|devops|vsts|azdo)[a-z0-9_.-]{0,30}?(?:token|pat|password)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[a-z2-7]{52})\b"#,
        keywords: &[r#"devops"#, r#"vsts"#, r#"azdo"#, r#"ado_"#],
        min_entropy: 3.8,
        rotate: r#"Revoke the token in Azure DevOps (User settings → Personal access tokens) and use a service connection with workload identity federation for pipelines."#,
        examples: &[r#"AZURE_DEVOPS_TOKEN=3rv5vae7xrv2bhlswx4llsy2crwcifca464fn5ypr6zhjmc4ak7h"#],
        counter_examples: &[r#"AZURE_DEVOPS_TOKEN=$(System.AccessToken)"#],
        ..BASE
    },
    Detector {
        id: "SEC-AZ-007",
        name: "azure-devops-pat-v2",
        title: r#"Azure DevOps personal access token (84-character format)"#,
        provider: r#"Microsoft Azure DevOps"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>[A-Za-z0-9]{52}JQQJ9[A-Za-z0-9]{3}AZDO[A-Za-z0-9]{4})\b"#,
        keywords: &[r#"AZDO"#],
        rotate: r#"Revoke the token in Azure DevOps (User settings → Personal access tokens)."#,
        examples: &[r#"pat: IlIe1PA0tzvJxicj3GwaqLNR0RcgbMhcDm50CvujzdNti9G8gS00JQQJ99HeAZDOvcwt"#],
        counter_examples: &[r#"AZDO"#],
        ..BASE
    },
    Detector {
        id: "SEC-AZ-008",
        name: "azure-communication-connection-string",
        title: r#"Azure Communication Services connection string"#,
        provider: r#"Microsoft Azure"#,
        severity: Severity::High,
        pattern: r#"(?i:endpoint=https://[A-Za-z0-9.-]+\.communication\.azure\.com/?;\s*accesskey=)(?P<s>[A-Za-z0-9+/]{86}==)"#,
        keywords: &[r#"communication.azure.com"#],
        rotate: r#"Rotate the key in the Azure portal (regenerate it), update the consumers from Key Vault, and prefer managed identities or Entra ID authentication over shared keys."#,
        examples: &[
            r#"endpoint=https://notify-prod.communication.azure.com/;accesskey=bMfdN/ici3Xvn/0RgjyhncH2BCU+MBQ7mlDrNvZ1YjJIqXth7F2R+X7bFncvHp8jENCrNWuGEWQxb2WzIUMLuw=="#,
        ],
        counter_examples: &[r#"endpoint=https://x.communication.azure.com/;accesskey=<key>"#],
        ..BASE
    },
    Detector {
        id: "SEC-AZ-009",
        name: "azure-app-configuration-connection-string",
        title: r#"Azure App Configuration connection string"#,
        provider: r#"Microsoft Azure"#,
        severity: Severity::High,
        pattern: r#"Endpoint=https://[A-Za-z0-9.-]+\.azconfig\.io;\s*Id=[A-Za-z0-9+/=:-]{4,40};\s*Secret=(?P<s>[A-Za-z0-9+/]{43}=)"#,
        keywords: &[r#".azconfig.io"#],
        rotate: r#"Rotate the key in the Azure portal (regenerate it), update the consumers from Key Vault, and prefer managed identities or Entra ID authentication over shared keys."#,
        examples: &[
            r#"Endpoint=https://settings-prod.azconfig.io;Id=crHw-l0-s0:PxqNzqScGJsxxcQHsZGa;Secret=fXZRCP+q9RSxb/eAuogtfIHSdxME1geFkIGA+Gz1hIg="#,
        ],
        counter_examples: &[r#"Endpoint=https://x.azconfig.io;Id=abc;Secret=<secret>"#],
        ..BASE
    },
    Detector {
        id: "SEC-AZ-010",
        name: "azure-signalr-connection-string",
        title: r#"Azure SignalR / Web PubSub connection string"#,
        provider: r#"Microsoft Azure"#,
        severity: Severity::High,
        pattern: r#"Endpoint=https://[A-Za-z0-9.-]+\.(?:service\.signalr\.net|webpubsub\.azure\.com);\s*AccessKey=(?P<s>[A-Za-z0-9+/]{43}=)"#,
        keywords: &[r#"AccessKey="#],
        rotate: r#"Rotate the key in the Azure portal (regenerate it), update the consumers from Key Vault, and prefer managed identities or Entra ID authentication over shared keys."#,
        examples: &[
            r#"Endpoint=https://chat-prod.service.signalr.net;AccessKey=0N+VnGva/IVKptlSzpYGUuG0NBwimxr+phqJeObJBVo=;Version=1.0;"#,
        ],
        counter_examples: &[
            r#"Endpoint=https://chat.service.signalr.net;AccessKey=<key>;Version=1.0;"#,
        ],
        ..BASE
    },
];
