//! `semver` and `semverCompare` with Masterminds/semver v3 constraint rules (what sprig
//! uses): `>=1.19-0`, `^1.2`, `~1.2.3`, `1.2.x`, `1 - 2`, `a, b` (and), `a || b` (or).

use std::cmp::Ordering;

use super::{FnError, to_str, want};
use crate::value::{Map, Value};

pub(super) const NAMES: &[&str] = &["semver", "semverCompare"];

#[derive(Clone, Debug, PartialEq, Eq)]
struct Version {
    nums: [u64; 3],
    pre: Vec<String>,
    meta: String,
}

/// A parsed version; `parts` is how many numeric parts were written (the rest are
/// wildcards in a constraint).
fn parse(s: &str) -> Option<(Version, usize)> {
    let s = s.trim();
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let (s, meta) = s.split_once('+').unwrap_or((s, ""));
    let (core, pre) = match s.find('-') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut nums = [0u64; 3];
    let mut parts = 0;
    for (i, p) in core.split('.').enumerate() {
        if i >= 3 {
            return None;
        }
        if matches!(p, "x" | "X" | "*") {
            break;
        }
        nums[i] = p.parse().ok()?;
        parts = i + 1;
    }
    if core.is_empty() {
        return None;
    }
    let pre: Vec<String> = match pre {
        Some(p) if !p.is_empty() => p.split('.').map(String::from).collect(),
        Some(_) => return None,
        None => Vec::new(),
    };
    Some((
        Version {
            nums,
            pre,
            meta: meta.to_string(),
        },
        parts,
    ))
}

fn cmp_pre(a: &[String], b: &[String]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    for (x, y) in a.iter().zip(b) {
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(p), Ok(q)) => p.cmp(&q),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            _ => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

fn cmp(a: &Version, b: &Version) -> Ordering {
    a.nums.cmp(&b.nums).then_with(|| cmp_pre(&a.pre, &b.pre))
}

fn bump(v: &Version, idx: usize) -> Version {
    let mut nums = v.nums;
    nums[idx] += 1;
    for n in nums.iter_mut().skip(idx + 1) {
        *n = 0;
    }
    Version {
        nums,
        pre: vec!["0".into()],
        meta: String::new(),
    }
}

/// One comparison: does `v` satisfy `op c` (with `parts` numeric parts written)?
fn check(v: &Version, op: &str, c: &Version, parts: usize) -> bool {
    // A prerelease version only matches constraints that mention a prerelease.
    if !v.pre.is_empty() && c.pre.is_empty() {
        return false;
    }
    let lo = c;
    let upper = |idx: usize| bump(c, idx);
    match op {
        "" | "=" => {
            if parts == 3 {
                cmp(v, c) == Ordering::Equal
            } else if parts == 0 {
                true
            } else {
                cmp(v, lo) != Ordering::Less && cmp(v, &upper(parts - 1)) == Ordering::Less
            }
        }
        "!=" => !check(v, "=", c, parts),
        ">" => {
            if parts == 3 || parts == 0 {
                cmp(v, c) == Ordering::Greater
            } else {
                cmp(v, &upper(parts - 1)) != Ordering::Less
            }
        }
        ">=" | "=>" => cmp(v, c) != Ordering::Less,
        "<" => cmp(v, c) == Ordering::Less,
        "<=" | "=<" => {
            if parts == 3 || parts == 0 {
                cmp(v, c) != Ordering::Greater
            } else {
                cmp(v, &upper(parts - 1)) == Ordering::Less
            }
        }
        "~" | "~>" => {
            let idx = if parts <= 1 { 0 } else { 1 };
            cmp(v, lo) != Ordering::Less && cmp(v, &upper(idx)) == Ordering::Less
        }
        "^" => {
            let idx = if c.nums[0] > 0 || parts <= 1 {
                0
            } else if c.nums[1] > 0 || parts == 2 {
                1
            } else {
                2
            };
            cmp(v, lo) != Ordering::Less && cmp(v, &upper(idx)) == Ordering::Less
        }
        _ => false,
    }
}

fn satisfies(constraint: &str, v: &Version) -> Result<bool, FnError> {
    let bad = || FnError::new(format!("improper constraint: {constraint}"));
    for alt in constraint.split("||") {
        let alt = alt.trim();
        // Hyphen ranges `a - b`.
        let tokens: Vec<String> = if let Some((a, b)) = alt.split_once(" - ") {
            vec![format!(">={}", a.trim()), format!("<={}", b.trim())]
        } else {
            let mut toks = Vec::new();
            let mut pending_op = String::new();
            for t in alt.split([',', ' ']).filter(|t| !t.is_empty()) {
                if t.chars().all(|c| "<>=!~^".contains(c)) {
                    pending_op.push_str(t);
                } else {
                    toks.push(format!("{pending_op}{t}"));
                    pending_op.clear();
                }
            }
            toks
        };
        if tokens.is_empty() {
            return Err(bad());
        }
        let mut all = true;
        for t in &tokens {
            let op_len = t.find(|c: char| !"<>=!~^".contains(c)).unwrap_or(t.len());
            let (op, ver) = t.split_at(op_len);
            let (c, parts) = parse(ver).ok_or_else(bad)?;
            if !check(v, op, &c, parts) {
                all = false;
                break;
            }
        }
        if all {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(super) fn call(name: &str, a: &[Value]) -> Result<Option<Value>, FnError> {
    Ok(Some(match name {
        "semver" => {
            want(name, a, 1)?;
            let s = to_str(&a[0]);
            let (v, _) = parse(&s).ok_or_else(|| FnError::new("Invalid Semantic Version"))?;
            let mut m = Map::new();
            m.insert("Major".into(), Value::int(v.nums[0] as i64));
            m.insert("Minor".into(), Value::int(v.nums[1] as i64));
            m.insert("Patch".into(), Value::int(v.nums[2] as i64));
            m.insert("Prerelease".into(), Value::str(v.pre.join(".")));
            m.insert("Metadata".into(), Value::str(v.meta));
            m.insert("Original".into(), Value::str(s));
            Value::map(m)
        }
        "semverCompare" => {
            want(name, a, 2)?;
            let (c, s) = (to_str(&a[0]), to_str(&a[1]));
            let (v, _) = parse(&s).ok_or_else(|| FnError::new("Invalid Semantic Version"))?;
            Value::bool(satisfies(&c, &v)?)
        }
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(c: &str, v: &str) -> bool {
        satisfies(c, &parse(v).unwrap().0).unwrap()
    }

    #[test]
    fn constraints() {
        assert!(ok(">=1.19-0", "v1.30.0"));
        assert!(ok(">=1.19-0", "1.19.0-rc.1"));
        assert!(!ok("<1.19-0", "v1.30.0"));
        assert!(ok("^1.2", "1.9.0"));
        assert!(!ok("^1.2", "2.0.0"));
        assert!(ok("~1.2.3", "1.2.9"));
        assert!(!ok("~1.2.3", "1.3.0"));
        assert!(ok("1.2.x", "1.2.7"));
        assert!(ok(">= 1.4, < 2", "1.30.0"));
        assert!(ok("<1.10 || >=1.30", "1.30.0"));
        assert!(!ok(">=1.31.0", "v1.30.0"));
        assert!(ok(">1.29", "1.30.0"));
        assert!(!ok(">1.30", "1.30.5"));
        assert!(ok("<=1.30", "1.30.5"));
    }
}
