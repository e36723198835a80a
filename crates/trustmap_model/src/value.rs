//! A model field: explicit, provider default, or unknown, always with a location.

use trustmap_source::{Span, Via};

use crate::template::Template;

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

/// A typed model value with its provenance. Serialises as `{state, span, via}`, or inside
/// [`trustmap_source::located::with_locations`] as the policy input's
/// `{value, state, span, via}` (see `docs/policies.md`).
#[derive(Clone, Debug, PartialEq)]
pub struct Value<T> {
    pub state: State<T>,
    /// Where the value is written (or, for a default, the block that omitted it).
    pub span: Span,
    /// Indirections the value came through, nearest first.
    pub via: Vec<Via>,
    /// For an unknown string built around references (`"${aws_s3_bucket.b.arn}/*"`), its
    /// known text and references; `None` otherwise. Boxed: almost always absent. Not
    /// serialised: the JSON contracts show such a value as unknown.
    pub template: Option<Box<Template>>,
}

impl<T> Value<T> {
    pub fn explicit(v: T, span: Span) -> Self {
        Self {
            state: State::Explicit(v),
            span,
            via: Vec::new(),
            template: None,
        }
    }

    pub fn default_at(v: T, span: Span) -> Self {
        Self {
            state: State::Default(v),
            span,
            via: Vec::new(),
            template: None,
        }
    }

    pub fn unknown(span: Span) -> Self {
        Self {
            state: State::Unknown,
            span,
            via: Vec::new(),
            template: None,
        }
    }

    #[must_use]
    pub fn with_via(mut self, via: Vec<Via>) -> Self {
        self.via = via;
        self
    }

    /// An unknown value with the known text and references of the string it stands for.
    #[must_use]
    pub fn with_template(mut self, template: Option<Template>) -> Self {
        self.template = template.map(Box::new);
        self
    }

    /// The references an unknown value is built from (`aws_s3_bucket.b`, `arn`): a bare
    /// reference or a template's; empty for a known value.
    pub fn references(&self) -> impl Iterator<Item = (&str, &str)> {
        self.template.iter().flat_map(|t| t.references())
    }

    /// The references that name the object the value stands for, or something inside it
    /// (see [`Template::segment_references`]).
    pub fn segment_references(&self) -> impl Iterator<Item = (&str, &str)> {
        self.template.iter().flat_map(|t| t.segment_references())
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
            template: self.template,
        }
    }
}

impl<T: serde::Serialize> serde::Serialize for Value<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if trustmap_source::located::active() {
            let state = match self.state {
                State::Explicit(_) => "explicit",
                State::Default(_) => "default",
                State::Unknown => "unknown",
            };
            let mut s = serializer.serialize_struct("Value", 4)?;
            s.serialize_field("value", &self.get())?;
            s.serialize_field("state", state)?;
            s.serialize_field("span", &self.span)?;
            s.serialize_field("via", &self.via)?;
            return s.end();
        }
        let mut s = serializer.serialize_struct("Value", 3)?;
        s.serialize_field("state", &self.state)?;
        s.serialize_field("span", &self.span)?;
        s.serialize_field("via", &self.via)?;
        s.end()
    }
}

/// The located form (see [`Value`]'s `Serialize`): what policy authors read.
impl<T: schemars::JsonSchema> schemars::JsonSchema for Value<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Value_of_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let value = generator.subschema_for::<Option<T>>();
        let span = generator.subschema_for::<Span>();
        let via = generator.subschema_for::<Vec<Via>>();
        schemars::json_schema!({
            "description": "A model value: `value` is null when `state` is `unknown` (it cannot \
                            be decided statically); `default` is the provider's documented \
                            default, located at the block that omitted it.",
            "type": "object",
            "properties": {
                "value": value,
                "state": { "enum": ["explicit", "default", "unknown"] },
                "span": span,
                "via": via
            },
            "required": ["value", "state", "span", "via"]
        })
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
