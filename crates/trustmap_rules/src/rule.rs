//! The rule trait, the finding type and the sink rules report into.

use trustmap_model::{Model, ResourceMeta};
use trustmap_source::{Span, Via};

use crate::meta::{RuleMeta, Severity};

/// A check over the typed model. Rules never read raw text and never count lines:
/// they report the model values at fault and their spans become locations.
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, model: &Model, out: &mut Sink);
}

/// A secondary location shown with a finding (where a value was defined, the resource, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub span: Span,
    pub note: String,
}

/// One problem found by one rule.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    /// What is wrong, one sentence, naming the value at fault.
    pub message: String,
    /// The resource's address (see [`ResourceMeta::address`]).
    pub resource: String,
    /// The smallest span that shows the problem.
    pub primary: Span,
    /// The whole resource (suppressions may sit on its first line).
    pub resource_span: Span,
    pub related: Vec<Related>,
    /// Byte ranges holding secret values: every output masks them when it shows source text
    /// (unless the user asked to see secrets).
    pub redact: Vec<Span>,
}

impl Finding {
    /// Marks `span` as secret: outputs mask it wherever they show source text.
    pub fn redact(&mut self, span: Span) -> &mut Self {
        self.redact.push(span);
        self
    }

    #[must_use]
    pub fn related(mut self, span: Span, note: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            note: note.into(),
        });
        self
    }
}

/// Collects a rule's findings and how many targets it evaluated (for the scorecard).
#[derive(Debug)]
pub struct Sink {
    meta: &'static RuleMeta,
    findings: Vec<Finding>,
    passed: u32,
    passed_at: Vec<Span>,
    unknown: u32,
}

impl Sink {
    pub fn new(meta: &'static RuleMeta) -> Self {
        Self {
            meta,
            findings: Vec::new(),
            passed: 0,
            passed_at: Vec::new(),
            unknown: 0,
        }
    }

    /// Reports a finding on `resource` at `at`. `via` hops on the value become related notes,
    /// so a value that came from a variable or a module input shows where it was defined.
    pub fn report(
        &mut self,
        resource: &ResourceMeta,
        at: Span,
        via: &[Via],
        message: impl Into<String>,
    ) -> &mut Finding {
        let mut related: Vec<Related> = via
            .iter()
            .map(|v| Related {
                span: v.span,
                note: format!("value comes from {}", v.describe()),
            })
            .collect();
        related.extend(resource.via.iter().map(|v| Related {
            span: v.span,
            note: format!("instantiated by {}", v.describe()),
        }));
        self.findings.push(Finding {
            rule: self.meta,
            severity: self.meta.severity,
            message: message.into(),
            resource: resource.address.clone(),
            primary: at,
            resource_span: resource.span,
            related,
            redact: Vec::new(),
        });
        self.findings.last_mut().expect("just pushed")
    }

    /// Records that the target written at `at` was evaluated and passed. `at` is the span of
    /// what the rule judged — the resource, or the object, container, job or statement it
    /// reports failures on — so the capability check credits a pass to the team owning the
    /// file as it would charge a failure of the same target.
    pub fn pass_at(&mut self, at: Span) {
        self.passed += 1;
        self.passed_at.push(at);
    }

    /// Records a pass with no location, for checks with no target written anywhere: a custom
    /// policy judges the whole scan at once. The capability check cannot split such a rule
    /// between teams, so all its evaluations count for the repository only. Rules over the
    /// model use [`Sink::pass_at`].
    pub fn pass_unlocated(&mut self) {
        self.passed += 1;
    }

    /// Records that a target could not be decided because a value was unknown.
    pub fn unknown(&mut self) {
        self.unknown += 1;
    }

    pub fn finish(self) -> RuleOutcome {
        RuleOutcome {
            rule: self.meta,
            findings: self.findings,
            passed: self.passed,
            passed_at: self.passed_at,
            unknown: self.unknown,
        }
    }
}

/// What one rule produced over the whole model.
#[derive(Debug)]
pub struct RuleOutcome {
    pub rule: &'static RuleMeta,
    pub findings: Vec<Finding>,
    pub passed: u32,
    /// Where passes recorded with [`Sink::pass_at`] are (all of `passed` but those recorded
    /// with [`Sink::pass_unlocated`]).
    pub passed_at: Vec<Span>,
    pub unknown: u32,
}

/// Declares a rule: a unit struct plus its [`RuleMeta`], with the doc comment as its docs.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it finds
///     /// ...
///     pub(crate) S3BucketPublicAcl {
///         id: "AWS-S3-001",
///         name: "s3-bucket-public-acl",
///         severity: High,
///         capability: Design,
///         languages: [Terraform],
///         equivalents: { checkov: ["CKV_AWS_20"], trivy: ["AVD-AWS-0092"] },
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        $vis:vis $name:ident {
            id: $id:literal,
            name: $rname:literal,
            severity: $sev:ident,
            capability: $cap:ident,
            languages: [$($lang:ident),* $(,)?],
            equivalents: { $($tool:ident : [$($eq:literal),* $(,)?]),* $(,)? } $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $name {
            $vis const META: $crate::RuleMeta = $crate::RuleMeta {
                id: $id,
                name: $rname,
                severity: $crate::Severity::$sev,
                capability: $crate::Capability::$cap,
                languages: &[$(trustmap_model::Language::$lang),*],
                equivalents: &[$((stringify!($tool), &[$($eq),*])),*],
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
