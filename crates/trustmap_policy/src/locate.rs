//! Turning a policy result's `resource`/`location` back into spans of the scan.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value as Json;
use trustmap_model::Language;
use trustmap_source::{SourceFile, SourceMap, Span};

/// A model object a result can name by address.
#[derive(Clone, Debug)]
pub(crate) struct Resource {
    pub(crate) address: String,
    pub(crate) span: Span,
    pub(crate) language: Language,
}

/// Every addressed object of the input (`{address, language, span}` objects: the model's
/// resource metadata), and the scan's files by path.
pub(crate) struct Locator {
    files: HashMap<String, Arc<SourceFile>>,
    resources: HashMap<String, Resource>,
}

impl Locator {
    pub(crate) fn new(input: &Json, sources: &SourceMap) -> Self {
        let files = sources
            .files()
            .iter()
            .map(|f| (f.path.clone(), f.clone()))
            .collect();
        let mut locator = Self {
            files,
            resources: HashMap::new(),
        };
        locator.index(input);
        locator
    }

    fn index(&mut self, v: &Json) {
        match v {
            Json::Object(o) => {
                if let (Some(Json::String(address)), Some(span)) = (o.get("address"), o.get("span"))
                    && let Some(span) = self.span(span)
                    && !self.resources.contains_key(address)
                {
                    let language = o
                        .get("language")
                        .and_then(|l| serde_json::from_value::<LanguageName>(l.clone()).ok())
                        .map_or(Language::Text, |l| l.0);
                    self.resources.insert(
                        address.clone(),
                        Resource {
                            address: address.clone(),
                            span,
                            language,
                        },
                    );
                }
                o.values().for_each(|v| self.index(v));
            }
            Json::Array(a) => a.iter().for_each(|v| self.index(v)),
            _ => {}
        }
    }

    /// A resource named by its address, or by an object holding `address` (or `meta.address`).
    pub(crate) fn resource(&self, v: &Json) -> Option<&Resource> {
        match v {
            Json::String(address) => self.resources.get(address),
            Json::Object(o) => o
                .get("address")
                .or_else(|| o.get("meta").and_then(|m| m.get("address")))
                .and_then(|a| self.resource(a)),
            _ => None,
        }
    }

    /// A location `{path, start_line, end_line?}`, or any input object with a `span` (a model
    /// value, a resource's metadata), as a span covering those lines.
    pub(crate) fn span(&self, v: &Json) -> Option<Span> {
        let o = v.as_object()?;
        if let Some(inner) = o.get("span").filter(|s| s.is_object()) {
            return self.span(inner);
        }
        if let Some(meta) = o.get("meta").filter(|s| s.is_object()) {
            return self.span(meta);
        }
        let file = self.files.get(o.get("path")?.as_str()?)?;
        let start = line(o.get("start_line")?)?;
        let end = o.get("end_line").and_then(line).unwrap_or(start).max(start);
        let from = file.line_range(start)?.start;
        let to = file.line_range(end).map_or(from, |r| r.end);
        Some(file.span(from, to))
    }
}

fn line(v: &Json) -> Option<u32> {
    v.as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n > 0)
}

/// [`Language`] as the model serialises it (its variant name).
struct LanguageName(Language);

impl<'de> serde::Deserialize<'de> for LanguageName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let all = [
            Language::Terraform,
            Language::CloudFormation,
            Language::Kubernetes,
            Language::Helm,
            Language::Kustomize,
            Language::Dockerfile,
            Language::Compose,
            Language::GithubActions,
            Language::GitlabCi,
            Language::Serverless,
            Language::Text,
        ];
        all.into_iter()
            .find(|l| format!("{l:?}") == s)
            .map(LanguageName)
            .ok_or_else(|| serde::de::Error::custom("unknown language"))
    }
}
