//! `chmod 777` and friends: files any user in the container may change.

use trustmap_model::Model;
use trustmap_model::docker::InstructionKind;
use trustmap_model::docker::shell::Command;
use trustmap_source::Span;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    ///
    /// Permissions that let every user in the container write: `chmod` with a numeric mode
    /// whose "others" digit has the write bit (`777`, `0666`, `-R 777`) or a symbolic one
    /// granting it (`o+w`, `a+w`, `a=rwx`), and `COPY`/`ADD --chmod=` with such a mode. A
    /// path of `/` is called out: the whole filesystem becomes writable. Modes with the
    /// sticky bit (`1777`, `+t`, the usual `/tmp` setup) pass.
    ///
    /// ## Why it matters
    ///
    /// Images run several identities: the app user, helper processes, sidecars sharing a
    /// volume. A world-writable program, script or configuration file lets any of them —
    /// or an attacker with a foothold as the least privileged one — change what a more
    /// privileged process runs next: replace the entrypoint script, drop a library onto a
    /// search path, edit the app's config. It also defeats a read-only review of the image:
    /// its content is no longer what was built.
    ///
    /// ## Example
    ///
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// RUN chmod -R 777 /app
    /// USER 10001
    /// ```
    ///
    /// ## Fix
    ///
    /// Give ownership to the user that needs to write, and only where it writes:
    ///
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY . /app
    /// RUN mkdir -p /app/uploads && chown 10001:10001 /app/uploads && chmod 750 /app/uploads
    /// USER 10001
    /// ```
    pub(crate) DockerfileWorldWritablePermissions {
        id: "DKR-012",
        name: "dockerfile-world-writable-permissions",
        severity: Low,
        capability: Iac,
        languages: [Dockerfile],
        equivalents: {
            cwe: ["CWE-732"],
        },
    }
}

/// True when a mode lets others write and is not a sticky shared directory.
pub(crate) fn world_writable(mode: &str) -> bool {
    let m = mode.trim();
    if !m.is_empty() && m.chars().all(|c| c.is_ascii_digit()) {
        let digits: Vec<u32> = m.chars().filter_map(|c| c.to_digit(8)).collect();
        if digits.len() != m.len() || digits.is_empty() {
            return false;
        }
        let others = digits[digits.len() - 1];
        let sticky = digits.len() == 4 && digits[0] & 1 == 1;
        return others & 2 == 2 && !sticky;
    }
    // Symbolic: comma-separated clauses like `o+w`, `a=rwx`, `ugo+rw`.
    let clauses: Vec<&str> = m.split(',').collect();
    if clauses.iter().any(|c| c.contains('t')) {
        return false;
    }
    clauses.iter().any(|clause| {
        let Some(op_at) = clause.find(['+', '=']) else {
            return false;
        };
        let (who, perms) = clause.split_at(op_at);
        (who.contains('o') || who.contains('a')) && perms[1..].contains('w')
    })
}

/// The mode and paths of a `chmod` that makes something world-writable.
fn chmod(c: &Command) -> Option<(Span, String, Vec<String>)> {
    if c.program()? != "chmod" {
        return None;
    }
    let args: Vec<_> = c
        .args()
        .iter()
        .filter(|w| !w.text.starts_with('-') || world_writable(&w.text))
        .collect();
    let mode = args.first()?;
    if !world_writable(&mode.text) {
        return None;
    }
    let paths: Vec<String> = args[1..].iter().map(|w| w.text.clone()).collect();
    let span = args
        .last()
        .map_or(mode.span, |last| mode.span.to(last.span));
    Some((span, mode.text.clone(), paths))
}

impl Rule for DockerfileWorldWritablePermissions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.dockerfiles {
            let mut clean = true;
            for script in super::scripts(d) {
                for c in script.commands() {
                    let Some((span, mode, paths)) = chmod(c) else {
                        continue;
                    };
                    clean = false;
                    let message = if paths.iter().any(|p| p == "/") {
                        format!(
                            "`chmod {mode} /` makes the whole filesystem writable by every user in the container"
                        )
                    } else {
                        let shown: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
                        format!(
                            "`chmod {mode}` makes {} writable by every user in the container",
                            shown.join(", ")
                        )
                    };
                    out.report(&d.meta, span, &[], message);
                }
            }
            for inst in super::instructions(d) {
                let (keyword, t) = match &inst.kind {
                    InstructionKind::Copy(t) => ("COPY", t),
                    InstructionKind::Add(t) => ("ADD", t),
                    _ => continue,
                };
                let Some(flag) = t.flag("chmod") else {
                    continue;
                };
                let Some(mode) = flag.value.as_ref().filter(|v| world_writable(&v.value)) else {
                    continue;
                };
                clean = false;
                out.report(
                    &d.meta,
                    flag.span,
                    &[],
                    format!(
                        "`{keyword} --chmod={}` makes `{}` writable by every user in the container",
                        mode.value, t.dest.value
                    ),
                );
            }
            if clean {
                out.pass_at(d.meta.span);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::world_writable;

    #[test]
    fn modes() {
        for m in [
            "777", "0777", "666", "0002", "o+w", "a+rwx", "ugo=rw", "u+x,o+w",
        ] {
            assert!(world_writable(m), "{m}");
        }
        for m in [
            "755", "0644", "1777", "u+w", "g+w", "+x", "o+t", "750", "a+x",
        ] {
            assert!(!world_writable(m), "{m}");
        }
    }
}
