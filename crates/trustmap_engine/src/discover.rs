//! Finds the files to scan and decides what each one is, by name and a cheap sniff.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

/// What a discovered file is, as far as its name tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `.tf`
    Terraform,
    /// `.tfvars`
    TerraformVars,
    /// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `Dockerfile.*`
    Dockerfile,
    /// `.github/workflows/*.yml|yaml`
    GithubWorkflow,
    /// Any other YAML: Kubernetes manifests are recognised after parsing (`apiVersion` + `kind`).
    Yaml,
    /// A template of a Helm chart (`templates/` next to a `Chart.yaml`): needs rendering.
    HelmTemplate,
    /// `.tf.json`: not evaluated yet.
    TerraformJson,
}

/// A file found under one of the scan roots.
#[derive(Clone, Debug)]
pub struct Discovered {
    pub abs: PathBuf,
    /// Relative to its root, '/'-separated (prefixed with the root as given when several roots).
    pub rel: String,
    pub kind: FileKind,
}

/// Classifies a path relative to its root.
pub fn classify(rel: &str) -> Option<FileKind> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".tf.json") {
        return Some(FileKind::TerraformJson);
    }
    if lower.ends_with(".tf") {
        return Some(FileKind::Terraform);
    }
    if lower.ends_with(".tfvars") {
        return Some(FileKind::TerraformVars);
    }
    if lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
    {
        return Some(FileKind::Dockerfile);
    }
    if lower.ends_with(".yml") || lower.ends_with(".yaml") {
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        if dir == ".github/workflows" || dir.ends_with("/.github/workflows") {
            return Some(FileKind::GithubWorkflow);
        }
        return Some(FileKind::Yaml);
    }
    None
}

/// Walks `roots` honouring `.gitignore`/`.ignore`, returning scannable files sorted by path.
pub fn discover(roots: &[PathBuf]) -> Result<Vec<Discovered>, std::io::Error> {
    let mut out = Vec::new();
    let several = roots.len() > 1;
    for root in roots {
        let meta = std::fs::metadata(root)?;
        if meta.is_file() {
            let name = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rel = if several { slash(root) } else { name.clone() };
            // A file named explicitly is scanned even if its name is unusual: sniff YAML.
            let kind = classify(&name).unwrap_or(FileKind::Yaml);
            out.push(Discovered {
                abs: root.clone(),
                rel,
                kind,
            });
            continue;
        }
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false)
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                !(n == ".git" || n == ".terraform" || n == "node_modules")
            })
            .build();
        for entry in walker {
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let Ok(rel_path) = entry.path().strip_prefix(root) else {
                continue;
            };
            let rel = slash(rel_path);
            let Some(mut kind) = classify(&rel) else {
                continue;
            };
            if kind == FileKind::Yaml && in_helm_templates(entry.path(), root) {
                kind = FileKind::HelmTemplate;
            }
            let rel = if several {
                format!("{}/{rel}", slash(root).trim_end_matches('/'))
            } else {
                rel
            };
            out.push(Discovered {
                abs: entry.path().to_path_buf(),
                rel,
                kind,
            });
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.dedup_by(|a, b| a.rel == b.rel);
    Ok(out)
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// True for files under `<chart>/templates/` where `<chart>/Chart.yaml` exists.
fn in_helm_templates(path: &Path, root: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .take_while(|a| a.starts_with(root))
        .any(|dir| {
            dir.file_name().is_some_and(|n| n == "templates")
                && dir
                    .parent()
                    .is_some_and(|chart| chart.join("Chart.yaml").is_file())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_name_and_place() {
        assert_eq!(classify("infra/main.tf"), Some(FileKind::Terraform));
        assert_eq!(classify("prod.tfvars"), Some(FileKind::TerraformVars));
        assert_eq!(classify("svc/Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(classify("svc/api.Dockerfile"), Some(FileKind::Dockerfile));
        assert_eq!(classify("Dockerfile.prod"), Some(FileKind::Dockerfile));
        assert_eq!(
            classify(".github/workflows/ci.yml"),
            Some(FileKind::GithubWorkflow)
        );
        assert_eq!(
            classify("sub/.github/workflows/ci.yaml"),
            Some(FileKind::GithubWorkflow)
        );
        assert_eq!(classify("k8s/deploy.yaml"), Some(FileKind::Yaml));
        assert_eq!(classify("main.tf.json"), Some(FileKind::TerraformJson));
        assert_eq!(classify("README.md"), None);
    }
}
