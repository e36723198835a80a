//! IAM wildcards (`*` any run, `?` one character) over bytes, without allocating per call.
//!
//! Three questions are asked of them: does a pattern match a concrete text ([`matches`]),
//! can some text match both of two patterns ([`overlaps`]: a policy pattern against a target
//! whose unknown parts are written `*`), and does a pattern match everything another one
//! can ([`covers`]: the policy certainly applies to a partly unknown target).

use serde::Serialize;

/// The answer to "does this element apply", when part of it may be unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Match {
    /// Certainly not.
    No,
    /// Depends on something that cannot be known statically.
    Maybe,
    /// Certainly.
    Yes,
}

impl Match {
    /// Both must apply: the weaker answer.
    #[must_use]
    pub fn and(self, other: Match) -> Match {
        self.min(other)
    }

    /// Either may apply: the stronger answer.
    #[must_use]
    pub fn or(self, other: Match) -> Match {
        self.max(other)
    }
}

/// The answer for the complement (`NotAction`, `NotResource`).
impl std::ops::Not for Match {
    type Output = Match;

    fn not(self) -> Match {
        match self {
            Match::No => Match::Yes,
            Match::Maybe => Match::Maybe,
            Match::Yes => Match::No,
        }
    }
}

fn eq(a: u8, b: u8, fold: bool) -> bool {
    if fold {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

/// Whether `pattern` matches `text`. Iterative with one backtrack point: linear in practice,
/// never exponential.
pub fn matches(pattern: &str, text: &str, fold: bool) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != b'*' && (p[pi] == b'?' || eq(p[pi], t[ti], fold)) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// In the first pattern of [`overlaps`] only: a star that does not run over a `/` (the name
/// of a parent resource, such as a bucket, in an ARN format).
pub(crate) const SEGMENT_STAR: u8 = 1;

/// Whether some text is matched by both globs. Dynamic programming over positions:
/// `O(len(a) × len(b))`, for ARNs and action names that is a few thousand steps.
pub fn overlaps(a: &str, b: &str, fold: bool) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if literal_ends_differ(a, b, fold) {
        return false;
    }
    let (n, m) = (a.len(), b.len());
    // reach[i][j]: a[..i] and b[..j] can produce the same text.
    let mut reach = vec![false; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    reach[0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[at(i, j)] {
                continue;
            }
            let a_star = i < n && (a[i] == b'*' || a[i] == SEGMENT_STAR);
            if a_star {
                reach[at(i + 1, j)] = true; // the star produces nothing more
                if j < m && (a[i] == b'*' || b[j] != b'/') {
                    reach[at(i, j + 1)] = true; // the star absorbs b's next element
                }
            }
            if j < m && b[j] == b'*' {
                reach[at(i, j + 1)] = true;
                if i < n {
                    reach[at(i + 1, j)] = true;
                }
            }
            if i < n && j < m && !a_star && b[j] != b'*' {
                let same = a[i] == b'?' || b[j] == b'?' || eq(a[i], b[j], fold);
                if same {
                    reach[at(i + 1, j + 1)] = true;
                }
            }
        }
    }
    reach[at(n, m)]
}

/// Whether `outer` matches every text `inner` can stand for. Sufficient, not necessary: an
/// unknown run (`*`) of `inner` must be absorbed by a `*` of `outer`.
pub fn covers(outer: &str, inner: &str, fold: bool) -> bool {
    if !inner.contains(['*', '?']) {
        return matches(outer, inner, fold);
    }
    let (a, b) = (outer.as_bytes(), inner.as_bytes());
    let (n, m) = (a.len(), b.len());
    let mut reach = vec![false; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    reach[0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[at(i, j)] {
                continue;
            }
            if i < n && a[i] == b'*' {
                reach[at(i + 1, j)] = true;
                if j < m {
                    reach[at(i, j + 1)] = true;
                }
            } else if i < n && j < m && b[j] != b'*' {
                let ok = if a[i] == b'?' {
                    true
                } else {
                    b[j] != b'?' && eq(a[i], b[j], fold)
                };
                if ok {
                    reach[at(i + 1, j + 1)] = true;
                }
            }
        }
    }
    reach[at(n, m)]
}

/// Whether the literal text before the first wildcard, or after the last, of two globs
/// disagrees: then nothing matches both (the cheap test that spares most DP runs).
fn literal_ends_differ(a: &[u8], b: &[u8], fold: bool) -> bool {
    let wild = |c: u8| c == b'*' || c == b'?' || c == SEGMENT_STAR;
    let differ = |x: u8, y: u8| !wild(x) && !wild(y) && !eq(x, y, fold);
    for (&x, &y) in a.iter().zip(b) {
        if wild(x) || wild(y) {
            break;
        }
        if differ(x, y) {
            return true;
        }
    }
    for (&x, &y) in a.iter().rev().zip(b.iter().rev()) {
        if wild(x) || wild(y) {
            break;
        }
        if differ(x, y) {
            return true;
        }
    }
    // Without wildcards, the lengths must agree too.
    !a.iter().any(|&c| wild(c)) && !b.iter().any(|&c| wild(c)) && a.len() != b.len()
}

/// [`Match::Yes`] when `pattern` covers `target`, [`Match::Maybe`] when they only overlap.
pub fn relate(pattern: &str, target: &str, fold: bool) -> Match {
    // Fast paths first: most targets are concrete or a whole unknown part.
    if is_all_star(pattern) {
        return Match::Yes;
    }
    if !target.contains(['*', '?']) {
        return Match::from(matches(pattern, target, fold));
    }
    if is_all_star(target) {
        return Match::Maybe;
    }
    if literal_ends_differ(pattern.as_bytes(), target.as_bytes(), fold) {
        return Match::No;
    }
    if covers(pattern, target, fold) {
        Match::Yes
    } else if target.contains(['*', '?']) && overlaps(pattern, target, fold) {
        Match::Maybe
    } else {
        Match::No
    }
}

impl From<bool> for Match {
    fn from(b: bool) -> Match {
        if b { Match::Yes } else { Match::No }
    }
}

/// A pattern of only `*`: matches anything.
pub fn is_all_star(p: &str) -> bool {
    !p.is_empty() && p.bytes().all(|c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concrete_matches() {
        assert!(matches("s3:Get*", "S3:GETOBJECT", true));
        assert!(!matches("s3:Get*", "S3:GETOBJECT", false));
        assert!(matches("ssm:GetParameter?", "ssm:GetParameters", true));
        assert!(!matches("ssm:GetParameter?", "ssm:GetParameter", true));
        assert!(matches("a*b*c", "aXXbYYc", false));
        assert!(!matches("a*b*c", "aXXbYY", false));
        assert!(matches("**", "", false));
    }

    #[test]
    fn overlapping_patterns() {
        assert!(overlaps("arn:aws:s3:::logs-*", "arn:aws:s3:::*", false));
        assert!(overlaps("a*", "*b", false));
        assert!(!overlaps("a*", "b*", false));
        assert!(overlaps("a?c", "*", false));
        assert!(!overlaps("abc", "abd", false));
    }

    #[test]
    fn covering_patterns() {
        assert!(covers("arn:aws:s3:::*", "arn:aws:s3:::b*", false));
        assert!(!covers("arn:aws:s3:::logs-*", "arn:aws:s3:::*", false));
        assert!(covers("*", "x*y?", false));
        assert!(!covers("x?", "x*", false));
        assert_eq!(relate("arn:*:s3:::b", "arn:*:s3:::b", false), Match::Yes);
        assert_eq!(
            relate("arn:aws:s3:::b", "arn:*:s3:::b", false),
            Match::Maybe
        );
        assert_eq!(relate("arn:aws:s3:::c", "arn:*:s3:::b", false), Match::No);
    }
}
