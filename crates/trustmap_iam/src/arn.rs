//! ARN matching as IAM does it: six colon-separated parts, `*` and `?` within a part
//! (the resource part, the sixth, may itself contain `:` and `/`), policy variables.
//!
//! A *target* ARN may have unknown parts, written `*` (a bucket whose name is computed, an
//! account the scan does not know): a policy pattern then matches it [`Match::Yes`] when it
//! covers every value the unknown part could take, [`Match::Maybe`] when only some.

use crate::glob::{self, Match, SEGMENT_STAR};

/// `arn:${Partition}:s3:::${BucketName}` → `arn:*:s3:::*`, for matching.
pub(crate) fn placeholders_to_stars(format: &str) -> String {
    replace_variables(format).0
}

/// Replaces every `${...}` by `*` (the escapes `${*}`, `${?}` and `${$}` by their
/// character); returns whether a real variable was replaced.
fn replace_variables(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut variable = false;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        let Some(end) = rest[i..].find('}') else {
            out.push_str(&rest[i..]);
            return (out, variable);
        };
        match &rest[i + 2..i + end] {
            esc @ ("*" | "?" | "$") => out.push_str(esc),
            _ => {
                out.push('*');
                variable = true;
            }
        }
        rest = &rest[i + end + 1..];
    }
    out.push_str(rest);
    (out, variable)
}

/// The ARN format of a resource type made into a matching pattern where the last
/// placeholder of a parent type (a bucket, when the service also has `bucket/object`) does
/// not run over a `/`.
pub(crate) fn parent_pattern(pattern: &str) -> String {
    match pattern.strip_suffix('*') {
        Some(head) => {
            let mut p = head.to_string();
            p.push(char::from(SEGMENT_STAR));
            p
        }
        None => pattern.to_string(),
    }
}

/// The six parts; `None` when the text is not an ARN.
fn parts(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    let p = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    matches!(p[0].as_bytes(), b"arn" | b"*").then_some(p)
}

/// Whether an ARN (unknown parts written `*`) can be of the shape a resource-type pattern
/// describes.
pub(crate) fn same_shape(pattern: &str, arn: &str) -> bool {
    match (parts(pattern), parts(arn)) {
        (Some(p), Some(t)) => p
            .iter()
            .zip(t.iter())
            .enumerate()
            .all(|(i, (p, t))| glob::overlaps(p, t, i < 3)),
        _ => glob::overlaps(pattern, arn, false),
    }
}

/// A target ARN split once, for many patterns.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Parsed<'a> {
    text: &'a str,
    parts: Option<[&'a str; 6]>,
}

impl<'a> Parsed<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Parsed {
            text,
            parts: parts(text),
        }
    }
}

/// A policy `Resource` pattern compiled once: variables replaced, parts split.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    text: String,
    /// Byte ranges of the six parts in `text`.
    parts: Option<[(usize, usize); 6]>,
    variable: bool,
    all: bool,
}

impl Pattern {
    pub(crate) fn new(pattern: &str) -> Pattern {
        let (text, variable) = if pattern.contains("${") {
            replace_variables(pattern)
        } else {
            (pattern.to_string(), false)
        };
        let parts = parts(&text).map(|p| {
            let base = text.as_ptr() as usize;
            p.map(|s| {
                let start = s.as_ptr() as usize - base;
                (start, start + s.len())
            })
        });
        Pattern {
            all: glob::is_all_star(pattern),
            text,
            parts,
            variable,
        }
    }

    /// How the pattern relates to a target.
    pub(crate) fn relate(&self, target: &Parsed<'_>) -> Match {
        if self.all {
            return Match::Yes;
        }
        let m = match (self.parts, target.parts) {
            (Some(p), Some(t)) => {
                // Service, then the resource part: they rule out most pairs. Partition
                // and service compare case-insensitively; the rest as written.
                let mut m = Match::Yes;
                for i in [2, 5, 0, 1, 3, 4] {
                    let (a, b) = p[i];
                    m = m.and(glob::relate(&self.text[a..b], t[i], i < 3));
                    if m == Match::No {
                        break;
                    }
                }
                m
            }
            _ => glob::relate(&self.text, target.text, false),
        };
        if self.variable {
            m.min(Match::Maybe)
        } else {
            m
        }
    }
}

/// How a policy's `Resource` element relates to a target ARN.
pub fn relate(pattern: &str, target: &str) -> Match {
    Pattern::new(pattern).relate(&Parsed::new(target))
}

/// The service part (`s3`) of an ARN.
pub fn service_of(arn: &str) -> Option<&str> {
    let mut it = arn.splitn(4, ':');
    let (head, _partition, service) = (it.next()?, it.next()?, it.next()?);
    (it.next().is_some() && matches!(head.as_bytes(), b"arn" | b"*")).then_some(service)
}

/// The account part of an ARN, when it is written (empty for S3 buckets).
pub fn account_of(arn: &str) -> Option<&str> {
    parts(arn).map(|p| p[4]).filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_patterns_against_targets() {
        let bucket = "arn:aws:s3:::data";
        assert_eq!(relate("*", bucket), Match::Yes);
        assert_eq!(relate("arn:aws:s3:::data", bucket), Match::Yes);
        assert_eq!(relate("arn:aws:s3:::dat?", bucket), Match::Yes);
        assert_eq!(relate("arn:aws:s3:::data/*", bucket), Match::No);
        assert_eq!(
            relate("arn:aws:s3:::*", "arn:aws:s3:::data/k/e/y"),
            Match::Yes
        );
        assert_eq!(
            relate("arn:aws:s3:::Data", bucket),
            Match::No,
            "case-sensitive"
        );
        assert_eq!(relate("ARN:AWS:S3:::data", bucket), Match::No);
        assert_eq!(relate("arn:AWS:S3:::data", bucket), Match::Yes);
        // A computed bucket name: only a pattern that accepts every name is certain.
        assert_eq!(relate("arn:aws:s3:::*", "arn:aws:s3:::*"), Match::Yes);
        assert_eq!(
            relate("arn:aws:s3:::logs-*", "arn:aws:s3:::*"),
            Match::Maybe
        );
        // Wildcards stay within their part.
        assert_eq!(
            relate(
                "arn:aws:secretsmanager:*:*:secret:db-*",
                "arn:aws:secretsmanager:eu-west-1:1:secret:db-x"
            ),
            Match::Yes
        );
        assert_eq!(
            relate(
                "arn:aws:secretsmanager:*:*:secret:db-*",
                "arn:aws:ssm:eu-west-1:1:secret:db-x"
            ),
            Match::No
        );
    }

    #[test]
    fn policy_variables_are_never_certain() {
        let home = "arn:aws:s3:::home/${aws:username}/*";
        assert_eq!(relate(home, "arn:aws:s3:::home/alice/notes"), Match::Maybe);
        assert_eq!(relate(home, "arn:aws:s3:::other/alice"), Match::No);
        assert_eq!(
            relate("arn:aws:s3:::a${*}b", "arn:aws:s3:::a*b"),
            Match::Yes
        );
    }

    #[test]
    fn resource_type_shapes() {
        let bucket = parent_pattern(&placeholders_to_stars(
            "arn:${Partition}:s3:::${BucketName}",
        ));
        let object = placeholders_to_stars("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        assert!(same_shape(&bucket, "arn:aws:s3:::data"));
        assert!(!same_shape(&bucket, "arn:aws:s3:::data/*"));
        assert!(same_shape(&bucket, "arn:aws:s3:::*"));
        assert!(same_shape(&object, "arn:aws:s3:::data/*"));
        assert!(!same_shape(&object, "arn:aws:sqs:eu-west-1:1:q"));
        assert_eq!(service_of("arn:aws:sqs:eu-west-1:1:q"), Some("sqs"));
        assert_eq!(account_of("arn:aws:sqs:eu-west-1:1:q"), Some("1"));
        assert_eq!(account_of("arn:aws:s3:::b"), None);
    }
}
