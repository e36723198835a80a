//! A model field: explicit, provider default, or unknown, always with a location.

use trustmap_source::{Span, Via};

/// How a field got its value.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum State<T> {
    /// Written in the source.
    Explicit(T),
    /// Left out; this is the provider's documented default. The span is the block that omitted it.
    Default(T),
    /// Cannot be decided statically. Rules never report on it as if it were bad.
    Unknown,
}

/// A typed model value with its provenance.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Value<T> {
    pub state: State<T>,
    /// Where the value is written (or, for a default, the block that omitted it).
    pub span: Span,
    /// Indirections the value came through, nearest first.
    pub via: Vec<Via>,
}

impl<T> Value<T> {
    pub fn explicit(v: T, span: Span) -> Self {
        Self {
            state: State::Explicit(v),
            span,
            via: Vec::new(),
        }
    }

    pub fn default_at(v: T, span: Span) -> Self {
        Self {
            state: State::Default(v),
            span,
            via: Vec::new(),
        }
    }

    pub fn unknown(span: Span) -> Self {
        Self {
            state: State::Unknown,
            span,
            via: Vec::new(),
        }
    }

    #[must_use]
    pub fn with_via(mut self, via: Vec<Via>) -> Self {
        self.via = via;
        self
    }

    /// The value when known (explicit or default).
    pub fn get(&self) -> Option<&T> {
        match &self.state {
            State::Explicit(v) | State::Default(v) => Some(v),
            State::Unknown => None,
        }
    }

    pub fn is_known(&self) -> bool {
        !matches!(self.state, State::Unknown)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.state, State::Unknown)
    }

    pub fn is_explicit(&self) -> bool {
        matches!(self.state, State::Explicit(_))
    }

    pub fn is_default(&self) -> bool {
        matches!(self.state, State::Default(_))
    }

    /// True only when known and the predicate holds: unknown never matches.
    pub fn is(&self, pred: impl FnOnce(&T) -> bool) -> bool {
        self.get().is_some_and(pred)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        let state = match self.state {
            State::Explicit(v) => State::Explicit(f(v)),
            State::Default(v) => State::Default(f(v)),
            State::Unknown => State::Unknown,
        };
        Value {
            state,
            span: self.span,
            via: self.via,
        }
    }
}

impl Value<bool> {
    /// Known and true.
    pub fn is_true(&self) -> bool {
        self.get() == Some(&true)
    }

    /// Known and false.
    pub fn is_false(&self) -> bool {
        self.get() == Some(&false)
    }
}

impl<T> Value<Option<T>> {
    /// Known and absent.
    pub fn is_none(&self) -> bool {
        matches!(self.get(), Some(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_is_neither_true_nor_false() {
        let v: Value<bool> = Value::unknown(Span::default());
        assert!(!v.is_true() && !v.is_false() && !v.is(|b| !*b));
        let d = Value::default_at(false, Span::default());
        assert!(d.is_false() && d.is_default() && !d.is_explicit());
    }
}
