//! AI model providers.
//!
//! Data, not code: one row per credential format (see `crate::detector`). Examples are
//! made-up values in the provider's published format, never real credentials.

use crate::detector::{BASE, Detector, Severity};

pub(crate) static DETECTORS: &[Detector] = &[
    Detector {
        id: "SEC-OPENAI-001",
        name: "openai-api-key",
        title: r#"OpenAI API key"#,
        provider: r#"OpenAI"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"T3BlbkFJ"#],
        max_len: 500,
        rotate: r#"Delete the key in the OpenAI platform (API keys) and create a project-scoped one."#,
        examples: &[
            r#"OPENAI_API_KEY=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"#,
        ],
        counter_examples: &[r#"OPENAI_API_KEY=sk-proj-..."#],
        ..BASE
    },
    Detector {
        id: "SEC-OPENAI-002",
        name: "openai-legacy-api-key",
        title: r#"OpenAI API key (legacy user key)"#,
        provider: r#"OpenAI"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})\b"#,
        keywords: &[r#"T3BlbkFJ"#],
        rotate: r#"Delete the key in the OpenAI platform (API keys)."#,
        examples: &[r#"openai.api_key = "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""#],
        counter_examples: &[r#"sk-xxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-ANTHROPIC-001",
        name: "anthropic-api-key",
        title: r#"Anthropic API key"#,
        provider: r#"Anthropic"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>sk-ant-api03-[A-Za-z0-9_-]{93}AA)(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"sk-ant-api03-"#],
        rotate: r#"Delete the key in the Anthropic Console (Settings → API keys)."#,
        examples: &[
            r#"ANTHROPIC_API_KEY=sk-ant-api03-RvCJb_PopNzFte6XJXzxW2X58VArmf96gptM88xFSneCQD11gNyA2cWCVFgOAjVG0RQrAcbG8m9NR3GA7n4-ay9z6w6wyAA"#,
        ],
        counter_examples: &[r#"ANTHROPIC_API_KEY=sk-ant-api03-..."#],
        ..BASE
    },
    Detector {
        id: "SEC-ANTHROPIC-002",
        name: "anthropic-admin-key",
        title: r#"Anthropic Admin API key"#,
        provider: r#"Anthropic"#,
        severity: Severity::Critical,
        pattern: r#"\b(?P<s>sk-ant-admin01-[A-Za-z0-9_-]{93}AA)(?:[^A-Za-z0-9_-]|$)"#,
        keywords: &[r#"sk-ant-admin01-"#],
        rotate: r#"Delete the admin key in the Anthropic Console (Settings → Admin keys)."#,
        examples: &[
            r#"ANTHROPIC_ADMIN_KEY=sk-ant-admin01-aWILhLuZqGcujCS7gV-YOteNj7sQtCNr7r2oWlQl215AO2tYMt4z181fCQ6o2VneuysQQ7Sl53aRVzV9BWmNShMvUrHG7AA"#,
        ],
        counter_examples: &[r#"sk-ant-admin01-"#],
        ..BASE
    },
    Detector {
        id: "SEC-HF-001",
        name: "hugging-face-token",
        title: r#"Hugging Face access token"#,
        provider: r#"Hugging Face"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>hf_[A-Za-z]{34})\b"#,
        keywords: &[r#"hf_"#],
        min_entropy: 3.8,
        rotate: r#"Invalidate the token on huggingface.co (Settings → Access Tokens) and use fine-grained tokens."#,
        examples: &[r#"HF_TOKEN=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"#],
        counter_examples: &[
            r#"hf_hub_download_and_cache_the_model"#,
            r#"hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"#,
        ],
        ..BASE
    },
    Detector {
        id: "SEC-HF-002",
        name: "hugging-face-org-token",
        title: r#"Hugging Face organization API token"#,
        provider: r#"Hugging Face"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>api_org_[A-Za-z]{34})\b"#,
        keywords: &[r#"api_org_"#],
        min_entropy: 3.8,
        rotate: r#"Invalidate the organization token on huggingface.co."#,
        examples: &[r#"HF_ORG_TOKEN=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"#],
        counter_examples: &[r#"api_org_settings_page_for_the_company_x"#],
        ..BASE
    },
    Detector {
        id: "SEC-REPLICATE-001",
        name: "replicate-api-token",
        title: r#"Replicate API token"#,
        provider: r#"Replicate"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>r8_[A-Za-z0-9]{37})\b"#,
        keywords: &[r#"r8_"#],
        min_entropy: 3.8,
        rotate: r#"Disable the token on replicate.com (Account → API tokens)."#,
        examples: &[r#"REPLICATE_API_TOKEN=r8_oCv6lCXoMdRB5yVD8OxRi3Q5cx32vvBQ5lPb6"#],
        counter_examples: &[r#"r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-GROQ-001",
        name: "groq-api-key",
        title: r#"Groq API key"#,
        provider: r#"Groq"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>gsk_[A-Za-z0-9]{52})\b"#,
        keywords: &[r#"gsk_"#],
        min_entropy: 4.0,
        rotate: r#"Delete the key in the Groq console (API Keys)."#,
        examples: &[r#"GROQ_API_KEY=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"#],
        counter_examples: &[r#"gsk_..."#],
        ..BASE
    },
    Detector {
        id: "SEC-PPLX-001",
        name: "perplexity-api-key",
        title: r#"Perplexity API key"#,
        provider: r#"Perplexity"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>pplx-[A-Za-z0-9]{48})\b"#,
        keywords: &[r#"pplx-"#],
        min_entropy: 3.8,
        rotate: r#"Revoke the key in Perplexity (Settings → API)."#,
        examples: &[r#"PERPLEXITY_API_KEY=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"#],
        counter_examples: &[r#"pplx-xxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-XAI-001",
        name: "xai-api-key",
        title: r#"xAI API key"#,
        provider: r#"xAI"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>xai-[A-Za-z0-9]{80})\b"#,
        keywords: &[r#"xai-"#],
        min_entropy: 4.0,
        rotate: r#"Delete the key in the xAI console (API Keys)."#,
        examples: &[
            r#"XAI_API_KEY=xai-P4Gb6KJsNiinM77eWjMOHHzmwLvjb68q3tnPmMfZztVZgZkJfBRpLvhFCtCghRw5GJtRNjPJq78wxoUJ"#,
        ],
        counter_examples: &[r#"xai-xxxx"#],
        ..BASE
    },
    Detector {
        id: "SEC-LANGSMITH-001",
        name: "langsmith-api-key",
        title: r#"LangSmith API key"#,
        provider: r#"LangChain"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b"#,
        keywords: &[r#"lsv2_pt_"#, r#"lsv2_sk_"#],
        rotate: r#"Delete the key in LangSmith (Settings → API Keys)."#,
        examples: &[r#"LANGSMITH_API_KEY=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"#],
        counter_examples: &[r#"lsv2_pt_"#],
        ..BASE
    },
    Detector {
        id: "SEC-PINECONE-001",
        name: "pinecone-api-key",
        title: r#"Pinecone API key"#,
        provider: r#"Pinecone"#,
        severity: Severity::High,
        pattern: r#"\b(?P<s>pcsk_[A-Za-z0-9]{5,6}_[A-Za-z0-9]{60,70})\b"#,
        keywords: &[r#"pcsk_"#],
        min_entropy: 4.0,
        rotate: r#"Delete the key in the Pinecone console (API Keys)."#,
        examples: &[
            r#"PINECONE_API_KEY=pcsk_NmK06u_7grTgnySKxrybRlKjhY7hFiKY99UySvglzhRbputP70p3NbgOJtnxTKopq3F4oE"#,
        ],
        counter_examples: &[r#"pcsk_"#],
        ..BASE
    },
    Detector {
        id: "SEC-COHERE-001",
        name: "cohere-api-key",
        title: r#"Cohere API key"#,
        provider: r#"Cohere"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:cohere|co_api)[a-z0-9_.-]{0,30}?(?:api_?key|key|token)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[A-Za-z0-9]{40})\b"#,
        keywords: &[r#"cohere"#, r#"co_api"#],
        min_entropy: 4.0,
        rotate: r#"Delete the key in the Cohere dashboard (API keys)."#,
        examples: &[r#"COHERE_API_KEY=GMmp6Ufu2Ea9SZmpd1Kfr6FrO6L9tyIvu9jseHbc"#],
        counter_examples: &[r#"COHERE_API_KEY=${COHERE_API_KEY}"#],
        ..BASE
    },
    Detector {
        id: "SEC-MISTRAL-001",
        name: "mistral-api-key",
        title: r#"Mistral AI API key"#,
        provider: r#"Mistral AI"#,
        severity: Severity::High,
        pattern: r#"(?i:(?P<k>(?:mistral)[a-z0-9_.-]{0,30}?(?:api_?key|key)))["']?\s*(?:=|:=|=>|:)\s*["'`]?(?P<s>[A-Za-z0-9]{32})\b"#,
        keywords: &[r#"mistral"#],
        min_entropy: 4.0,
        rotate: r#"Delete the key in La Plateforme (API keys)."#,
        examples: &[r#"MISTRAL_API_KEY=KWo7f0OXnhc0ZPjcKc1hz56XQgEloKDo"#],
        counter_examples: &[r#"MISTRAL_API_KEY=<api key>"#],
        ..BASE
    },
];
