//! Paths inside a kustomization: relative to its directory, confined to the scanned tree.

/// The file names a kustomization directory is recognised by, in kustomize's order.
pub const KUSTOMIZATION_NAMES: &[&str] =
    &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// True when `path`'s last component is a kustomization file name.
pub fn is_kustomization_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    KUSTOMIZATION_NAMES.contains(&name)
}

/// The directory of a `/`-separated relative path (`""` at the root).
pub(super) fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `dir` joined with the relative `rel`, `.` and `..` resolved. `None` when the result would
/// leave the scanned tree (an absolute path, or more `..` than `dir` is deep).
pub(super) fn join(dir: &str, rel: &str) -> Option<String> {
    let rel = rel.trim();
    if rel.starts_with('/') || rel.starts_with('\\') || rel.contains(":\\") || rel.is_empty() {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A resource that kustomize would fetch over the network (a git repository or URL).
pub(super) fn is_remote(entry: &str) -> bool {
    let e = entry.trim();
    e.contains("://")
        || e.starts_with("git@")
        || e.starts_with("git::")
        || e.contains("?ref=")
        || e.contains("?version=")
        || [
            "github.com/",
            "gitlab.com/",
            "bitbucket.org/",
            "dev.azure.com/",
        ]
        .iter()
        .any(|host| e.starts_with(host))
}

/// How a directory is named in messages: `overlays/prod`, or `.` for the scan root.
pub(super) fn display_dir(dir: &str) -> &str {
    if dir.is_empty() { "." } else { dir }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_stay_inside_the_tree() {
        assert_eq!(join("overlays/prod", "../../base").as_deref(), Some("base"));
        assert_eq!(
            join("overlays/prod", "./patch.yaml").as_deref(),
            Some("overlays/prod/patch.yaml")
        );
        assert_eq!(join("", "base/").as_deref(), Some("base"));
        assert_eq!(join("overlays", "../../etc/passwd"), None);
        assert_eq!(join("a", "/etc/passwd"), None);
    }

    #[test]
    fn remote_resources() {
        assert!(is_remote("github.com/org/repo//deploy?ref=v1.2.0"));
        assert!(is_remote("https://example.com/manifest.yaml"));
        assert!(is_remote("git@github.com:org/repo.git"));
        assert!(!is_remote("../base"));
        assert!(is_kustomization_path("overlays/prod/kustomization.yaml"));
        assert!(is_kustomization_path("Kustomization"));
        assert!(!is_kustomization_path("kustomization.json"));
    }
}
