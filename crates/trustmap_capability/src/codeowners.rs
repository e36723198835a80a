//! CODEOWNERS files, GitHub and GitLab syntax, resolved to the owners of a path.
//!
//! GitHub: one `pattern owner...` rule per line, `#` comments, the **last** matching rule
//! wins, patterns are gitignore-like (`*.js`, `/build/` anchored, `apps/` a directory
//! anywhere, `docs/*` only direct children, `**/logs`), and a rule without owners un-owns.
//! GitLab adds sections (`[Name]`, optional `^[Name]`, approvals `[Name][2]`, default owners
//! after the header, used by the section's rules that name none) and `\#`/`\ ` escapes; a
//! path gets the owners of the last matching rule **of each section**, sections in order.

use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Where CODEOWNERS may live, in GitHub's and GitLab's order of precedence.
pub const LOCATIONS: [&str; 4] = [
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// A parsed CODEOWNERS file.
#[derive(Debug, Default)]
pub struct CodeOwners {
    sections: Vec<Section>,
    /// Lines that could not be used, as `line N: why`.
    pub warnings: Vec<String>,
}

#[derive(Debug)]
struct Section {
    /// Lower-cased name; `None` for rules before any section header.
    name: Option<String>,
    rules: Vec<OwnerRule>,
}

#[derive(Debug)]
struct OwnerRule {
    matcher: Gitignore,
    /// A pattern ending in `/*` matches direct children only, never deeper files.
    children_only: bool,
    owners: Vec<String>,
}

impl CodeOwners {
    pub fn parse(text: &str) -> Self {
        let mut out = CodeOwners {
            sections: vec![Section {
                name: None,
                rules: Vec::new(),
            }],
            warnings: Vec::new(),
        };
        let mut defaults: Vec<String> = Vec::new();
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((name, owners)) = section_header(line) {
                defaults = owners;
                let key = name.to_lowercase();
                // Sections with the same name (any case) are one section.
                if !out.sections.iter().any(|s| s.name.as_deref() == Some(&key)) {
                    out.sections.push(Section {
                        name: Some(key.clone()),
                        rules: Vec::new(),
                    });
                }
                // Move the section last so its rules keep appending in order.
                if let Some(i) = out
                    .sections
                    .iter()
                    .position(|s| s.name.as_deref() == Some(&key))
                {
                    let s = out.sections.remove(i);
                    out.sections.push(s);
                }
                continue;
            }
            let tokens = tokens(line);
            let Some((pattern, rest)) = tokens.split_first() else {
                continue;
            };
            if pattern.starts_with('!') {
                out.warnings.push(format!(
                    "line {}: `{pattern}`: negated patterns are not supported in CODEOWNERS",
                    n + 1
                ));
                continue;
            }
            let mut owners: Vec<String> = rest
                .iter()
                .take_while(|t| !t.starts_with('#'))
                .cloned()
                .collect();
            let in_section = out.sections.last().is_some_and(|s| s.name.is_some());
            if owners.is_empty() && in_section {
                owners = defaults.clone();
            }
            match OwnerRule::new(pattern, owners) {
                Ok(rule) => {
                    if let Some(s) = out.sections.last_mut() {
                        s.rules.push(rule);
                    }
                }
                Err(e) => out
                    .warnings
                    .push(format!("line {}: `{pattern}`: {e}", n + 1)),
            }
        }
        out
    }

    /// The owners of `path` (relative to the repository root, `/`-separated): each section's
    /// last matching rule, in section order, without repeats. Empty means unowned.
    pub fn owners_of(&self, path: &str) -> Vec<String> {
        let mut owners: Vec<String> = Vec::new();
        for s in &self.sections {
            if let Some(rule) = s.rules.iter().rev().find(|r| r.matches(path)) {
                for o in &rule.owners {
                    if !owners.contains(o) {
                        owners.push(o.clone());
                    }
                }
            }
        }
        owners
    }
}

impl OwnerRule {
    fn new(pattern: &str, owners: Vec<String>) -> Result<Self, String> {
        let mut b = GitignoreBuilder::new("");
        b.add_line(None, pattern).map_err(|e| e.to_string())?;
        let matcher = b.build().map_err(|e| e.to_string())?;
        Ok(Self {
            matcher,
            children_only: pattern.ends_with("/*"),
            owners,
        })
    }

    fn matches(&self, path: &str) -> bool {
        if self.matcher.matched(path, false).is_ignore() {
            return true;
        }
        if self.children_only {
            return false;
        }
        // A pattern naming a directory owns everything below it.
        let mut dir = path;
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            if self.matcher.matched(dir, true).is_ignore() {
                return true;
            }
        }
        false
    }
}

/// `[Name]`, `^[Name]`, `[Name][2]`, each optionally followed by default owners.
fn section_header(line: &str) -> Option<(String, Vec<String>)> {
    let rest = line.strip_prefix('^').unwrap_or(line);
    let rest = rest.strip_prefix('[')?;
    let close = rest.find(']')?;
    let name = rest[..close].trim().to_string();
    if name.is_empty() {
        return None;
    }
    let mut after = &rest[close + 1..];
    if let Some(approvals) = after.strip_prefix('[') {
        let end = approvals.find(']')?;
        if !approvals[..end].chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        after = &approvals[end + 1..];
    }
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        return None;
    }
    let owners = after
        .split_whitespace()
        .take_while(|t| !t.starts_with('#'))
        .map(str::to_string)
        .collect();
    Some((name, owners))
}

/// Splits on unescaped whitespace; `\ ` keeps a space in a pattern, `\#` a literal `#` (the
/// escape stays for the gitignore matcher, which understands it).
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| n.is_whitespace()) => {
                cur.push('\\');
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::CodeOwners;

    fn owners(file: &str, path: &str) -> Vec<String> {
        CodeOwners::parse(file).owners_of(path)
    }

    #[test]
    fn github_last_match_wins() {
        let f = "* @org/default\n*.js @js-owner\n/build/logs/ @doctocat\n";
        assert_eq!(owners(f, "README.md"), ["@org/default"]);
        assert_eq!(owners(f, "src/app.js"), ["@js-owner"]);
        assert_eq!(owners(f, "build/logs/x.log"), ["@doctocat"]);
        // Order matters: a later general rule overrides an earlier specific one.
        let g = "*.js @js-owner\n* @org/default\n";
        assert_eq!(owners(g, "src/app.js"), ["@org/default"]);
    }

    #[test]
    fn github_anchoring_and_directories() {
        let f =
            "apps/ @octocat\n/docs/ @doctocat\n/scripts/ @doctocat @octocat\n**/logs @octocat\n";
        // `apps/` matches a directory named apps anywhere.
        assert_eq!(owners(f, "apps/a.tf"), ["@octocat"]);
        assert_eq!(owners(f, "x/y/apps/deep/a.tf"), ["@octocat"]);
        // `/docs/` only at the root.
        assert_eq!(owners(f, "docs/a.md"), ["@doctocat"]);
        assert!(owners(f, "src/docs/a.md").is_empty());
        assert_eq!(owners(f, "scripts/run.sh"), ["@doctocat", "@octocat"]);
        assert_eq!(owners(f, "deeply/nested/logs/l.txt"), ["@octocat"]);
    }

    #[test]
    fn github_star_after_slash_matches_direct_children_only() {
        let f = "docs/* docs@example.com\n";
        assert_eq!(owners(f, "docs/getting-started.md"), ["docs@example.com"]);
        assert!(owners(f, "docs/build-app/troubleshooting.md").is_empty());
    }

    #[test]
    fn github_rule_without_owners_unowns() {
        let f = "/apps/ @octocat\n/apps/github\n";
        assert_eq!(owners(f, "apps/web/main.tf"), ["@octocat"]);
        assert!(owners(f, "apps/github/main.tf").is_empty());
    }

    #[test]
    fn comments_blank_lines_and_emails() {
        let f = "# comment\n\n*.tf  infra@example.com   @org/platform # trailing\n";
        assert_eq!(owners(f, "main.tf"), ["infra@example.com", "@org/platform"]);
        assert!(owners(f, "main.py").is_empty());
    }

    #[test]
    fn gitlab_sections_default_owners_and_approvals() {
        let f = "\
[Documentation] @docs-team
docs/
README.md @tech-writer

^[Optional review]
*.md @reviewer

[Infra][2] @org/platform
terraform/
terraform/payments/ @org/payments
";
        // A rule without owners in a section takes the section's default owners.
        assert_eq!(owners(f, "docs/a.txt"), ["@docs-team"]);
        // Each section contributes its last match, sections in order.
        assert_eq!(owners(f, "README.md"), ["@tech-writer", "@reviewer"]);
        assert_eq!(owners(f, "terraform/vpc/main.tf"), ["@org/platform"]);
        assert_eq!(owners(f, "terraform/payments/iam.tf"), ["@org/payments"]);
    }

    #[test]
    fn gitlab_sections_with_the_same_name_merge_case_insensitively() {
        let f = "[Infra]\n*.tf @a\n[Docs]\n*.md @d\n[INFRA]\nprod/*.tf @b\n";
        assert_eq!(owners(f, "prod/main.tf"), ["@b"]);
        assert_eq!(owners(f, "dev/main.tf"), ["@a"]);
    }

    #[test]
    fn gitlab_escapes() {
        let f = "\\#file_with_pound.rb @owner-file-with-pound\nfile\\ with\\ spaces.tf @spaces\n";
        assert_eq!(owners(f, "#file_with_pound.rb"), ["@owner-file-with-pound"]);
        assert_eq!(owners(f, "file with spaces.tf"), ["@spaces"]);
    }

    #[test]
    fn negation_is_refused_with_a_warning() {
        let c = CodeOwners::parse("* @all\n!secret.tf @nobody\n");
        assert_eq!(c.owners_of("secret.tf"), ["@all"]);
        assert_eq!(c.warnings.len(), 1);
        assert!(c.warnings[0].starts_with("line 2:"), "{:?}", c.warnings);
    }
}
