//! A string value known only in part: its text and the references it is built from
//! (`"${aws_s3_bucket.b.arn}/*"`). The value itself stays unknown, so no rule reads a guess;
//! joins and the graph read the references.

/// The pieces of a partially known string, in order.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TemplatePart {
    /// Known text.
    Text { text: String },
    /// Another object's attribute (`aws_s3_bucket.b` and `arn`; a CloudFormation logical id).
    Ref { address: String, attribute: String },
    /// Anything else that cannot be known.
    Unknown,
}

impl Template {
    /// The `(address, attribute)` pairs the string is built from.
    pub fn references(&self) -> impl Iterator<Item = (&str, &str)> {
        self.parts.iter().filter_map(|p| match p {
            TemplatePart::Ref { address, attribute } => {
                Some((address.as_str(), attribute.as_str()))
            }
            _ => None,
        })
    }

    /// The references that are whole `/`- or `:`-separated segments of the string, so the
    /// string names the referenced object or something inside it: the `arn` in
    /// `${aws_s3_bucket.b.arn}/*`, the `id` in `integrations/${aws_x.i.id}`. A reference
    /// glued to other text (`${aws_s3_bucket.b.id}-logs`) names something else.
    pub fn segment_references(&self) -> impl Iterator<Item = (&str, &str)> {
        let parts = &self.parts;
        let text = |i: Option<usize>| match i.and_then(|i| parts.get(i)) {
            Some(TemplatePart::Text { text }) => Some(text.as_str()),
            _ => None,
        };
        parts.iter().enumerate().filter_map(move |(i, p)| {
            let TemplatePart::Ref { address, attribute } = p else {
                return None;
            };
            let starts = i == 0 || text(i.checked_sub(1)).is_some_and(|t| t.ends_with(['/', ':']));
            let ends = i + 1 == parts.len()
                || text(Some(i + 1)).is_some_and(|t| t.starts_with(['/', ':']));
            (starts && ends).then_some((address.as_str(), attribute.as_str()))
        })
    }

    /// The string as a wildcard pattern (IAM/ARN style): references that `resolve` knows
    /// become their value, everything else unknown becomes `*`.
    /// `arn:aws:s3:::${aws_s3_bucket.b.id}/*` → `arn:aws:s3:::my-bucket/*`.
    pub fn glob(&self, mut resolve: impl FnMut(&str, &str) -> Option<String>) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                TemplatePart::Text { text } => out.push_str(text),
                TemplatePart::Ref { address, attribute } => match resolve(address, attribute) {
                    Some(v) => out.push_str(&v),
                    None if out.ends_with('*') => {}
                    None => out.push('*'),
                },
                TemplatePart::Unknown if out.ends_with('*') => {}
                TemplatePart::Unknown => out.push('*'),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(parts: Vec<TemplatePart>) -> Template {
        Template { parts }
    }

    fn text(s: &str) -> TemplatePart {
        TemplatePart::Text { text: s.into() }
    }

    fn r(a: &str, at: &str) -> TemplatePart {
        TemplatePart::Ref {
            address: a.into(),
            attribute: at.into(),
        }
    }

    #[test]
    fn glob_substitutes_known_references_and_widens_the_rest() {
        let tpl = t(vec![
            text("arn:aws:s3:::"),
            r("aws_s3_bucket.b", "id"),
            text("/"),
            TemplatePart::Unknown,
            r("aws_s3_bucket.c", "id"),
        ]);
        let known = |a: &str, _: &str| (a == "aws_s3_bucket.b").then(|| "logs".to_string());
        assert_eq!(tpl.glob(known), "arn:aws:s3:::logs/*");
        assert_eq!(tpl.glob(|_, _| None), "arn:aws:s3:::*/*");
        assert_eq!(
            tpl.references().collect::<Vec<_>>(),
            vec![("aws_s3_bucket.b", "id"), ("aws_s3_bucket.c", "id")]
        );
    }

    #[test]
    fn only_whole_segments_name_their_reference() {
        let whole = t(vec![r("aws_s3_bucket.b", "arn"), text("/*")]);
        assert_eq!(
            whole.segment_references().collect::<Vec<_>>(),
            vec![("aws_s3_bucket.b", "arn")]
        );
        let route = t(vec![text("integrations/"), r("aws_x.i", "id")]);
        assert_eq!(route.segment_references().count(), 1);
        let glued = t(vec![r("aws_s3_bucket.b", "id"), text("-logs/*")]);
        assert_eq!(glued.segment_references().count(), 0);
        let after_unknown = t(vec![text("a/"), TemplatePart::Unknown, r("x.y", "id")]);
        assert_eq!(after_unknown.segment_references().count(), 0);
    }
}
