//! `uses:` references: `owner/repo[/path]@ref`, `./local`, `docker://image`.

use trustmap_model::gha::{UsesKind, UsesRef};
use trustmap_source::Span;

pub(crate) fn parse(text: &str, span: Span) -> UsesRef {
    let mut r = UsesRef {
        text: text.to_string(),
        span,
        kind: UsesKind::Invalid,
        owner: None,
        repo: None,
        path: None,
        git_ref: None,
        is_sha_pinned: false,
        resolved: None,
    };
    let t = text.trim();
    if t.contains("${{") {
        return r;
    }
    if let Some(image) = t.strip_prefix("docker://") {
        r.kind = UsesKind::Docker;
        let (name, digest) = match image.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (image, None),
        };
        let slash = name.rfind('/').map_or(0, |i| i + 1);
        r.git_ref = name[slash..]
            .rsplit_once(':')
            .map(|(_, tag)| tag.to_string());
        r.path = Some(image.to_string());
        r.is_sha_pinned = digest.is_some_and(|d| {
            d.strip_prefix("sha256:")
                .is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        });
        return r;
    }
    if t.starts_with("./") || t.starts_with("../") {
        r.kind = UsesKind::Local;
        r.path = Some(t.to_string());
        return r;
    }
    let Some((target, git_ref)) = t.split_once('@') else {
        return r;
    };
    let mut parts = target.splitn(3, '/');
    let (Some(owner), Some(repo)) = (parts.next(), parts.next()) else {
        return r;
    };
    if owner.is_empty() || repo.is_empty() || git_ref.is_empty() {
        return r;
    }
    let path = parts.next().filter(|p| !p.is_empty());
    r.kind = match path {
        Some(p)
            if p.starts_with(".github/workflows/")
                && (p.ends_with(".yml") || p.ends_with(".yaml")) =>
        {
            UsesKind::ReusableWorkflow
        }
        _ => UsesKind::Action,
    };
    r.owner = Some(owner.to_string());
    r.repo = Some(repo.to_string());
    r.path = path.map(str::to_string);
    r.is_sha_pinned =
        matches!(git_ref.len(), 40 | 64) && git_ref.bytes().all(|b| b.is_ascii_hexdigit());
    r.git_ref = Some(git_ref.to_string());
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> UsesRef {
        parse(t, Span::default())
    }

    #[test]
    fn reads_every_form() {
        let a = p("actions/checkout@v4");
        assert_eq!(
            (a.kind, a.owner.as_deref(), a.repo.as_deref()),
            (UsesKind::Action, Some("actions"), Some("checkout"))
        );
        assert_eq!((a.git_ref.as_deref(), a.is_sha_pinned), (Some("v4"), false));
        let s = p("github/codeql-action/init@0123456789abcdef0123456789abcdef01234567");
        assert_eq!((s.path.as_deref(), s.is_sha_pinned), (Some("init"), true));
        let w = p("org/infra/.github/workflows/deploy.yml@main");
        assert_eq!(w.kind, UsesKind::ReusableWorkflow);
        assert!(p("./.github/actions/setup").is_local());
        let d = p("docker://alpine:3.20");
        assert!(d.is_docker() && !d.is_sha_pinned);
        assert_eq!(d.git_ref.as_deref(), Some("3.20"));
        let d = p(&format!("docker://ghcr.io/x/y@sha256:{}", "a".repeat(64)));
        assert!(d.is_sha_pinned);
        assert_eq!(p("actions/checkout").kind, UsesKind::Invalid);
        assert_eq!(p("${{ matrix.action }}").kind, UsesKind::Invalid);
    }
}
