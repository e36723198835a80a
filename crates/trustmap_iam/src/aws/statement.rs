//! A policy statement compiled for repeated decisions: owned patterns, conditions shown once.

use trustmap_model::Value;
use trustmap_model::aws::policy::{Effect, Statement};
use trustmap_source::Span;

use crate::arn;
use crate::evidence::{Evidence, show_condition};
use crate::glob::{self, Match};

/// One element of `Action`/`Resource`: its pattern (`None` when unknown) and where it is.
#[derive(Clone, Debug)]
pub(crate) struct Elem {
    pub(crate) pattern: Option<String>,
    pub(crate) span: Span,
}

impl Elem {
    fn of(v: &Value<String>) -> Elem {
        Elem {
            pattern: v.get().cloned(),
            span: v.span,
        }
    }
}

/// A list of elements that is either positive (`Action`) or negated (`NotAction`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Elems {
    pub(crate) items: Vec<Elem>,
    pub(crate) negated: bool,
}

impl Elems {
    fn of(pos: &[Value<String>], neg: &[Value<String>]) -> Elems {
        if pos.is_empty() && !neg.is_empty() {
            Elems {
                items: neg.iter().map(Elem::of).collect(),
                negated: true,
            }
        } else {
            Elems {
                items: pos.iter().map(Elem::of).collect(),
                negated: false,
            }
        }
    }

    /// Whether the list applies, with the positive element that matched; `one` gets each
    /// known element's index and pattern.
    fn relate(&self, mut one: impl FnMut(usize, &str) -> Match) -> (Match, Option<Span>) {
        let mut best = (Match::No, None);
        for (i, e) in self.items.iter().enumerate() {
            let m = e.pattern.as_deref().map_or(Match::Maybe, |p| one(i, p));
            if m > best.0 {
                best = (m, Some(e.span));
                if m == Match::Yes {
                    break;
                }
            }
        }
        if self.negated { (!best.0, None) } else { best }
    }
}

/// A compiled statement.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    pub(crate) span: Span,
    pub(crate) sid: Option<String>,
    /// `None` when the effect is unknown.
    pub(crate) effect: Option<Effect>,
    pub(crate) actions: Elems,
    pub(crate) resources: Elems,
    /// `resources` compiled, in the same order (`None` for unknown elements).
    resource_patterns: Vec<Option<arn::Pattern>>,
    /// The lower-cased service parts of the known `Action` patterns; `None` when the
    /// statement may name any service (`NotAction`, an unknown element).
    services: Option<Vec<String>>,
    pub(crate) conditions: Vec<String>,
}

/// What one statement says about one request.
pub(crate) struct Applies {
    pub(crate) matched: Match,
    pub(crate) evidence: Evidence,
}

impl Compiled {
    pub(crate) fn of(st: &Statement) -> Compiled {
        let actions = Elems::of(&st.actions, &st.not_actions);
        let resources = Elems::of(&st.resources, &st.not_resources);
        let services = if actions.negated {
            None
        } else {
            actions
                .items
                .iter()
                .map(|e| {
                    let p = e.pattern.as_deref()?;
                    Some(crate::catalogue::split_action(p).0.to_ascii_lowercase())
                })
                .collect()
        };
        Compiled {
            span: st.span,
            sid: st.sid.as_ref().and_then(|s| s.get().cloned()),
            effect: st.effect.get().copied(),
            resource_patterns: resources
                .items
                .iter()
                .map(|e| e.pattern.as_deref().map(arn::Pattern::new))
                .collect(),
            actions,
            resources,
            services,
            conditions: st.conditions.iter().map(show_condition).collect(),
        }
    }

    /// Whether the statement's `Action`/`NotAction` covers `action`.
    pub(crate) fn action_match(&self, action: &str) -> (Match, Option<Span>) {
        self.actions
            .relate(|_, p| Match::from(glob::matches(p, action, true)))
    }

    /// Whether the statement's `Resource`/`NotResource` covers `target` (unknown parts `*`).
    /// A statement without either applies to the policy's own resource when `implicit`.
    pub(crate) fn resource_match(
        &self,
        target: &arn::Parsed<'_>,
        implicit: bool,
    ) -> (Match, Option<Span>) {
        if self.resources.items.is_empty() {
            return (if implicit { Match::Yes } else { Match::No }, None);
        }
        self.resources.relate(|i, _| {
            self.resource_patterns[i]
                .as_ref()
                .map_or(Match::Maybe, |p| p.relate(target))
        })
    }

    /// Whether the statement applies to `action` on `target`; `None` when it certainly
    /// does not (no evidence is built then: this is the hot path).
    pub(crate) fn applies(
        &self,
        action: &str,
        target: &arn::Parsed<'_>,
        implicit: bool,
    ) -> Option<Applies> {
        let (am, aspan) = self.action_match(action);
        if am == Match::No {
            return None;
        }
        let (rm, rspan) = self.resource_match(target, implicit);
        if rm == Match::No {
            return None;
        }
        let mut evidence = Evidence::of_statement(self.span, self.sid.clone(), &self.conditions);
        evidence.action = aspan;
        evidence.resource = rspan;
        Some(Applies {
            matched: am.and(rm),
            evidence,
        })
    }

    /// Whether some action of `service` may be named by the statement's `Action` (a
    /// `NotAction` statement may name any).
    pub(crate) fn may_name_service(&self, service: &str) -> bool {
        self.services.as_ref().is_none_or(|s| {
            s.iter()
                .any(|p| p == service || glob::matches(p, service, true))
        })
    }

    pub(crate) fn has_conditions(&self) -> bool {
        !self.conditions.is_empty()
    }
}
