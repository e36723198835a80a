//! How a secret appears in output: never whole unless the user asks.

use sha2::{Digest, Sha256};

/// Short stable fingerprint of a secret: the first 8 hex digits of its SHA-256. Lets people
/// match findings across files and commits without seeing the value.
pub fn fingerprint(secret: &[u8]) -> String {
    let d = Sha256::digest(secret);
    d[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// The secret as messages show it: at most its first 4 characters (fewer for short secrets,
/// none below 8) followed by `…`.
pub fn preview(secret: &[u8]) -> String {
    let s = String::from_utf8_lossy(secret);
    let n = s.chars().count();
    let keep = (n / 4).min(4);
    let head: String = s.chars().take(keep).filter(|c| !c.is_control()).collect();
    format!("{head}\u{2026}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_short() {
        assert_eq!(
            preview(b"ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "ghp_\u{2026}"
        );
        assert_eq!(preview(b"hunter2!"), "hu\u{2026}");
        assert_eq!(preview(b"abc"), "\u{2026}");
        assert_eq!(fingerprint(b"x").len(), 8);
    }
}
