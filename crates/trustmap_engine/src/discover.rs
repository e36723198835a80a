//! Finds the files to scan and decides what each one is, by name and a cheap sniff.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

/// What a discovered file is, as far as its name tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `.tf`
    Terraform,
    /// `.tfvars`, `.tfvars.json`
    TerraformVars,
    /// `Dockerfile`, `Containerfile`, `*.Dockerfile`, `Dockerfile.*`
    Dockerfile,
    /// `.github/workflows/*.yml|yaml`
    GithubWorkflow,
    /// `action.yml|yaml` anywhere: a GitHub Actions metadata file (composite actions are
    /// followed from the workflows that use them).
    GithubAction,
    /// `.gitlab-ci.yml` at any depth (files it includes are found through it).
    GitlabCi,
    /// Any other YAML: Kubernetes manifests are recognised after parsing (`apiVersion` + `kind`).
    Yaml,
    /// A template of a Helm chart (`templates/` next to a `Chart.yaml`): needs rendering.
    HelmTemplate,
    /// `.tf.json`: Terraform JSON syntax, evaluated with the `.tf` files.
    TerraformJson,
    /// `.terraform/modules/modules.json` of a root module (see `downloaded.rs`).
    TerraformModules,
    /// Any other `.json`: what it is shows in its content (`inputs::sniff_json`).
    Json,
    /// A `.json` file holding a Terraform plan (`terraform show -json`); set by the sniff,
    /// never by name.
    TerraformPlan,
    /// A CloudFormation or SAM template (YAML or JSON, `.template` too); set by the sniff,
    /// never by name.
    CloudFormation,
    /// `kustomization.yaml`, `kustomization.yml`, `Kustomization`: built with the files it
    /// uses (`kustomize.rs`), which are then not adapted on their own.
    Kustomization,
    /// `docker-compose.yml`, `docker-compose.*.yml`, `compose.yaml`, `compose.*.yaml` (either
    /// YAML extension).
    Compose,
    /// `serverless.yml|yaml`: a Serverless Framework service.
    Serverless,
    /// Any other file that is not binary by its extension: only the secrets pass reads it
    /// (and the loader drops it silently if its content turns out to be binary).
    Text,
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
    // kustomize recognises exactly these names (case matters).
    if trustmap_adapt::kustomize::KUSTOMIZATION_NAMES.contains(&name) {
        return Some(FileKind::Kustomization);
    }
    if lower.ends_with(".tf") {
        return Some(FileKind::Terraform);
    }
    if lower.ends_with(".tfvars") || lower.ends_with(".tfvars.json") {
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
        if lower == "action.yml" || lower == "action.yaml" {
            return Some(FileKind::GithubAction);
        }
        if lower == ".gitlab-ci.yml" || lower == ".gitlab-ci.yaml" {
            return Some(FileKind::GitlabCi);
        }
        let stem = lower.trim_end_matches(".yml").trim_end_matches(".yaml");
        if ["docker-compose", "compose"]
            .iter()
            .any(|c| stem == *c || stem.strip_prefix(c).is_some_and(|r| r.starts_with('.')))
        {
            return Some(FileKind::Compose);
        }
        if stem == "serverless" {
            return Some(FileKind::Serverless);
        }
        return Some(FileKind::Yaml);
    }
    // `.template` is CloudFormation's traditional extension (JSON or YAML inside).
    if lower.ends_with(".json") || lower.ends_with(".template") {
        return Some(FileKind::Json);
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
            // A file named explicitly is scanned even if its name is unusual: sniff YAML when
            // it has no extension, else read it as text (for secrets).
            let kind = classify(&name).unwrap_or(if name.contains('.') {
                FileKind::Text
            } else {
                FileKind::Yaml
            });
            out.push(Discovered {
                abs: root.clone(),
                rel,
                kind,
            });
            continue;
        }
        let first = out.len();
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
            let Some(mut kind) = classify(&rel).or_else(|| text_kind(&rel)) else {
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
        crate::downloaded::add(root, &mut out, first);
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.dedup_by(|a, b| a.rel == b.rel);
    Ok(out)
}

/// Extensions of files that are never text: images, archives, binaries, fonts, media,
/// compiled code and data formats. Everything else is read for secrets.
const BINARY_EXTENSIONS: &[&str] = &[
    "png",
    "jpg",
    "jpeg",
    "gif",
    "bmp",
    "ico",
    "icns",
    "webp",
    "tif",
    "tiff",
    "psd",
    "ai",
    "heic",
    "avif",
    "pdf",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "xz",
    "zst",
    "7z",
    "rar",
    "tar",
    "lz4",
    "jar",
    "war",
    "ear",
    "aar",
    "apk",
    "ipa",
    "class",
    "dll",
    "exe",
    "so",
    "dylib",
    "a",
    "o",
    "obj",
    "lib",
    "bin",
    "dat",
    "db",
    "sqlite",
    "sqlite3",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "eot",
    "mp3",
    "mp4",
    "m4a",
    "mov",
    "avi",
    "wav",
    "flac",
    "ogg",
    "webm",
    "mkv",
    "pyc",
    "pyo",
    "whl",
    "egg",
    "gem",
    "nupkg",
    "deb",
    "rpm",
    "msi",
    "dmg",
    "iso",
    "img",
    "wasm",
    "node",
    "pack",
    "idx",
    "parquet",
    "avro",
    "orc",
    "pkl",
    "npy",
    "npz",
    "h5",
    "onnx",
    "pt",
    "ckpt",
    "safetensors",
    "xls",
    "xlsx",
    "doc",
    "docx",
    "ppt",
    "pptx",
    "odt",
    "ods",
];

/// [`FileKind::Text`] unless the name says the file is binary.
pub(crate) fn text_kind(rel: &str) -> Option<FileKind> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext {
        Some(e) if BINARY_EXTENSIONS.contains(&e.as_str()) => None,
        _ => Some(FileKind::Text),
    }
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
        assert_eq!(
            classify(".github/actions/setup/action.yml"),
            Some(FileKind::GithubAction)
        );
        assert_eq!(classify("action.yaml"), Some(FileKind::GithubAction));
        assert_eq!(classify(".gitlab-ci.yml"), Some(FileKind::GitlabCi));
        assert_eq!(classify("svc/.gitlab-ci.yml"), Some(FileKind::GitlabCi));
        assert_eq!(classify("main.tf.json"), Some(FileKind::TerraformJson));
        assert_eq!(classify("prod.tfvars.json"), Some(FileKind::TerraformVars));
        assert_eq!(classify("plan.json"), Some(FileKind::Json));
        assert_eq!(classify("stack.template"), Some(FileKind::Json));
        assert_eq!(classify("README.md"), None);
        assert_eq!(
            classify("overlays/prod/kustomization.yaml"),
            Some(FileKind::Kustomization)
        );
        assert_eq!(
            classify("base/Kustomization"),
            Some(FileKind::Kustomization)
        );
        assert_eq!(classify("kustomization.yml"), Some(FileKind::Kustomization));
        assert_eq!(classify("docker-compose.yml"), Some(FileKind::Compose));
        assert_eq!(
            classify("dev/docker-compose.override.yaml"),
            Some(FileKind::Compose)
        );
        assert_eq!(classify("compose.yaml"), Some(FileKind::Compose));
        assert_eq!(classify("compose.prod.yml"), Some(FileKind::Compose));
        assert_eq!(classify("composer.yaml"), Some(FileKind::Yaml));
        assert_eq!(classify("svc/serverless.yml"), Some(FileKind::Serverless));
        assert_eq!(text_kind("README.md"), Some(FileKind::Text));
        assert_eq!(text_kind(".env"), Some(FileKind::Text));
        assert_eq!(text_kind("logo.PNG"), None);
    }
}
