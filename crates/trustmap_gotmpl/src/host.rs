//! Built-in objects with methods, as Helm hands them to templates: `.Files`,
//! `.Capabilities.APIVersions` and `.Capabilities.KubeVersion`.

use std::collections::BTreeMap;
use std::rc::Rc;

use base64::Engine as _;

use crate::value::{Map, Value};

#[derive(Debug)]
pub enum Host {
    /// `.Files` (or the result of `.Files.Glob`): chart files by path inside the chart.
    Files(Rc<BTreeMap<String, Rc<str>>>),
    /// `.Capabilities.APIVersions`: `group/version` and `group/version/Kind` strings.
    ApiVersions(Rc<Vec<String>>),
    /// `.Capabilities.KubeVersion`: prints as its `Version`.
    KubeVersion {
        version: String,
        major: String,
        minor: String,
    },
}

impl Host {
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Host::Files(_) => "chart.Files",
            Host::ApiVersions(_) => "chartutil.VersionSet",
            Host::KubeVersion { .. } => "*chartutil.KubeVersion",
        }
    }

    pub(crate) fn display(&self) -> String {
        match self {
            Host::Files(f) => format!("map[{}]", f.keys().cloned().collect::<Vec<_>>().join(" ")),
            Host::ApiVersions(v) => format!("[{}]", v.join(" ")),
            Host::KubeVersion { version, .. } => version.clone(),
        }
    }

    /// Entries when ranged over (Files: path → content).
    pub(crate) fn entries(&self) -> Option<Vec<(String, Value)>> {
        match self {
            Host::Files(f) => Some(
                f.iter()
                    .map(|(k, v)| (k.clone(), Value::str(v.clone())))
                    .collect(),
            ),
            Host::ApiVersions(v) => Some(
                v.iter()
                    .enumerate()
                    .map(|(i, s)| (i.to_string(), Value::str(s.as_str())))
                    .collect(),
            ),
            Host::KubeVersion { .. } => None,
        }
    }

    /// A field or a method call. `Err` carries the message; `Ok(None)`: no such member.
    pub(crate) fn member(&self, name: &str, args: &[Value]) -> Result<Option<Value>, String> {
        let arg_str = |i: usize| -> Result<String, String> {
            args.get(i).map(Value::to_go_string).ok_or_else(|| {
                format!("wrong number of args for {name}: want 1 got {}", args.len())
            })
        };
        Ok(Some(match (self, name) {
            (Host::Files(f), "Get" | "GetBytes") => {
                let p = arg_str(0)?;
                Value::str(f.get(p.as_str()).cloned().unwrap_or_else(|| "".into()))
            }
            (Host::Files(f), "Lines") => {
                let p = arg_str(0)?;
                let text = f.get(p.as_str()).cloned().unwrap_or_else(|| "".into());
                if text.is_empty() {
                    return Ok(Some(Value::list(Vec::new())));
                }
                Value::list(text.split('\n').map(Value::str).collect())
            }
            (Host::Files(f), "Glob") => {
                let pat = arg_str(0)?;
                let glob = globset::GlobBuilder::new(&pat)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| format!("Glob {pat:?}: {e}"))?
                    .compile_matcher();
                let picked: BTreeMap<String, Rc<str>> = f
                    .iter()
                    .filter(|(k, _)| glob.is_match(k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Value::host(Host::Files(Rc::new(picked)))
            }
            (Host::Files(f), "AsConfig" | "AsSecrets") => {
                let secrets = name == "AsSecrets";
                let mut m = Map::new();
                for (k, v) in f.iter() {
                    let base = k.rsplit('/').next().unwrap_or(k).to_string();
                    let content = if secrets {
                        base64::engine::general_purpose::STANDARD.encode(v.as_bytes())
                    } else {
                        v.to_string()
                    };
                    m.insert(base, Value::str(content));
                }
                Value::str(crate::yaml_out::to_yaml(&Value::map(m)))
            }
            (Host::ApiVersions(v), "Has") => {
                let want = arg_str(0)?;
                Value::bool(v.contains(&want))
            }
            (Host::KubeVersion { version, .. }, "Version" | "GitVersion" | "String") => {
                Value::str(version.as_str())
            }
            (Host::KubeVersion { major, .. }, "Major") => Value::str(major.as_str()),
            (Host::KubeVersion { minor, .. }, "Minor") => Value::str(minor.as_str()),
            _ => return Ok(None),
        }))
    }
}
