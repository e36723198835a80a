//! `trustmap capability [PATH...]`: scores per team for the four capabilities, over git
//! history and across repositories, stored so that repeated runs build the history.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use trustmap_capability::history::{self, CommitRef, Evaluator};
use trustmap_capability::{CapabilityReport, RepositoryResult};
use trustmap_engine::NoProgress;
use trustmap_store::{Run, ScoreRow, SqlStore, Store};

use crate::cmd_input::InputArgs;

/// Score each team's capabilities from what the code shows
///
/// For each repository and team (from trustmap.toml `[owners]`, then CODEOWNERS), rule
/// evaluations — passes and failures — weighted by severity, with attack paths counted
/// against `design`, give a 0–100 score per capability with its evidence count and a
/// confidence label (docs/capability-scoring.md). With --history or --since, sampled commits
/// are scanned straight from the git object database (nothing is checked out) and the trend
/// shows which commits moved each score. Results are appended to a SQLite file in the user's
/// data directory (or --db) so that repeated runs build the history.
///
/// Examples:
///   trustmap capability
///   trustmap capability --history 52 --since 2025-01-01 --format html -o capability.html
///   trustmap capability --repos-in ~/src/org --format json
///   trustmap capability --show-history
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub(crate) struct CapabilityArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,

    /// Also assess every git repository directly inside DIR (a directory of clones).
    #[arg(long, value_name = "DIR")]
    pub(crate) repos_in: Option<PathBuf>,

    /// Evaluate N commits spread evenly over the first-parent history (default 12 with --since).
    #[arg(long, value_name = "N")]
    pub(crate) history: Option<usize>,

    /// Only history from this date on (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub(crate) since: Option<String>,

    /// Narrow a sampled interval down to the one commit that moved a score, when it spans at
    /// most this many commits (each step scans one commit).
    #[arg(long, value_name = "COMMITS", default_value_t = 64)]
    pub(crate) bisect_limit: usize,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CapabilityFormat::Text)]
    pub(crate) format: CapabilityFormat,

    /// Write to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Where results are stored: a SQLite file path, `sqlite://PATH` or `postgres://…`
    /// (default: capability.sqlite in the user's data directory).
    #[arg(long, value_name = "PATH|URL")]
    pub(crate) db: Option<String>,

    /// Do not store the results.
    #[arg(long, conflicts_with = "show_history")]
    pub(crate) no_store: bool,

    /// Print the stored history of the repositories instead of scanning.
    #[arg(long)]
    pub(crate) show_history: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CapabilityFormat {
    Text,
    Json,
    Html,
}

pub(crate) fn run(args: &CapabilityArgs) -> Result<ExitCode> {
    let repos = repositories(args)?;
    if args.show_history {
        return show_history(args, &repos);
    }
    let since = args
        .since
        .as_deref()
        .map(trustmap_capability::date::parse_date)
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--since")?;
    let points = args.history.or(since.map(|_| 12));
    let results: Vec<RepositoryResult> = trustmap_capability::parallel::map(
        &repos,
        trustmap_capability::parallel::default_threads(),
        |repo| assess_repository(args, repo, points, since),
    )
    .into_iter()
    .collect::<Result<_>>()?;
    let report = CapabilityReport::new(results, env!("CARGO_PKG_VERSION"));
    if !args.no_store {
        store(args, &report)?;
    }
    let rendered = match args.format {
        CapabilityFormat::Text => report.to_text(),
        CapabilityFormat::Json => report.to_json(),
        CapabilityFormat::Html => {
            trustmap_capability::html::render(&report).context("cannot render the HTML report")?
        }
    };
    crate::output::emit(args.output.as_deref(), &rendered)?;
    Ok(ExitCode::SUCCESS)
}

/// The PATHs (default: the current directory) and the repositories in --repos-in.
fn repositories(args: &CapabilityArgs) -> Result<Vec<PathBuf>> {
    let mut repos: Vec<PathBuf> = args.input.paths.clone();
    if let Some(dir) = &args.repos_in {
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read --repos-in `{}`", dir.display()))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_repository(p))
            .collect();
        if found.is_empty() {
            bail!("no git repository directly inside `{}`", dir.display());
        }
        found.sort();
        repos.extend(found);
    }
    if repos.is_empty() {
        repos.push(std::env::current_dir().context("cannot determine the current directory")?);
    }
    for r in &repos {
        if !r.is_dir() {
            bail!("`{}` is not a directory", r.display());
        }
    }
    Ok(repos)
}

/// A work tree (`.git` inside) or a bare repository (`HEAD` and `objects/`).
fn is_repository(p: &Path) -> bool {
    p.join(".git").exists() || (p.join("HEAD").is_file() && p.join("objects").is_dir())
}

fn is_bare(p: &Path) -> bool {
    !p.join(".git").exists() && p.join("HEAD").is_file() && p.join("objects").is_dir()
}

fn name_of(repo: &Path) -> String {
    let canonical = repo.canonicalize().unwrap_or_else(|_| repo.to_path_buf());
    let name = canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| canonical.display().to_string());
    // Bare mirrors are often `…/name/repo` or `name.git`.
    match name.as_str() {
        "repo" | ".git" if is_bare(&canonical) => canonical
            .parent()
            .and_then(|p| p.file_name())
            .map_or(name.clone(), |n| n.to_string_lossy().into_owned()),
        _ => name.trim_end_matches(".git").to_string(),
    }
}

fn assess_repository(
    args: &CapabilityArgs,
    repo: &Path,
    points: Option<usize>,
    since: Option<i64>,
) -> Result<RepositoryResult> {
    let mut scan_args = args.input.scan_args()?;
    scan_args.paths = vec![repo.to_path_buf()];
    let settings = crate::settings(&scan_args)?;
    // The whole first-parent history only when a trend needs it.
    let git_history = points.and_then(|_| history::first_parent(repo, None).ok());
    let head = history::head(repo).ok();
    let evaluator = Evaluator::new(repo, &settings);
    let assessment = if is_bare(repo) {
        let Some(head) = &head else {
            bail!("`{}`: a bare repository without commits", repo.display());
        };
        evaluator
            .assess(head)
            .with_context(|| format!("cannot assess `{}`", repo.display()))?
    } else {
        let report = trustmap_engine::scan(&settings, &NoProgress)
            .with_context(|| format!("scan of `{}` failed", repo.display()))?;
        let read = |p: &str| std::fs::read_to_string(repo.join(p)).ok();
        trustmap_capability::assess(&report, &read)
    };
    let trend = match points {
        None => None,
        Some(n) => {
            let Some(all) = &git_history else {
                bail!(
                    "`{}` is not a git repository with commits: --history and --since need one",
                    repo.display()
                );
            };
            let since_filtered: Vec<CommitRef> = match since {
                Some(s) => all.iter().filter(|c| c.time >= s).cloned().collect(),
                None => all.clone(),
            };
            let sampled = history::sample(&since_filtered, n);
            Some(
                evaluator
                    .trend(all, &sampled, args.bisect_limit)
                    .with_context(|| format!("history of `{}`", repo.display()))?,
            )
        }
    };
    Ok(RepositoryResult {
        name: name_of(repo),
        path: repo.display().to_string(),
        commit: head,
        assessment,
        trend,
    })
}

fn open_store(args: &CapabilityArgs) -> Result<SqlStore> {
    let spec = match &args.db {
        Some(s) => s.clone(),
        None => trustmap_store::default_path()
            .context("no data directory (set XDG_DATA_HOME or pass --db)")?
            .display()
            .to_string(),
    };
    Ok(SqlStore::open(&spec)?)
}

/// The repository key in the store: its canonical path.
fn repository_key(path: &str) -> String {
    Path::new(path)
        .canonicalize()
        .map_or_else(|_| path.to_string(), |p| p.display().to_string())
}

fn store(args: &CapabilityArgs, report: &CapabilityReport) -> Result<()> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut runs = Vec::new();
    for r in &report.repositories {
        let key = repository_key(&r.path);
        let mut add = |commit: Option<&CommitRef>, scores: &[trustmap_capability::TeamScores]| {
            let (id, time) =
                commit.map_or(("worktree".to_string(), now), |c| (c.id.clone(), c.time));
            runs.push(Run {
                id: format!("{key}@{id}@{now}.{nanos:09}"),
                repository: key.clone(),
                commit: id,
                commit_time: time,
                recorded_at: now,
                tool_version: report.tool_version.clone(),
                scores: rows(scores),
            });
        };
        if let Some(t) = &r.trend {
            for p in &t.points {
                if Some(&p.commit) != r.commit.as_ref() {
                    add(Some(&p.commit), &p.scores);
                }
            }
        }
        add(r.commit.as_ref(), &r.assessment.scores);
    }
    open_store(args)?.record(&runs)?;
    Ok(())
}

fn rows(scores: &[trustmap_capability::TeamScores]) -> Vec<ScoreRow> {
    let i = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    scores
        .iter()
        .flat_map(|t| {
            t.capabilities.iter().map(|c| ScoreRow {
                team: t.team.clone(),
                capability: c.capability.clone(),
                score: c.score.map(i64::from),
                evaluations: i64::from(c.evaluations),
                evidence_weight: i(c.evidence_weight),
                pass_weight: i(c.tally.pass_weight),
                fail_weight: i(c.tally.fail_weight),
            })
        })
        .collect()
}

/// The stored runs of each repository, latest recording per commit, oldest commit first.
fn show_history(args: &CapabilityArgs, repos: &[PathBuf]) -> Result<ExitCode> {
    let mut store = open_store(args)?;
    let mut out = String::new();
    let mut json = Vec::new();
    for repo in repos {
        let key = repository_key(&repo.display().to_string());
        let mut runs = store.runs(Some(&key))?;
        // A commit recorded again keeps its latest recording.
        runs.sort_by(|a, b| {
            (a.commit_time, &a.commit, a.recorded_at).cmp(&(
                b.commit_time,
                &b.commit,
                b.recorded_at,
            ))
        });
        let mut latest: Vec<Run> = Vec::new();
        for r in runs {
            if let Some(last) = latest.last_mut()
                && last.commit == r.commit
                && r.commit != "worktree"
            {
                *last = r;
            } else {
                latest.push(r);
            }
        }
        out.push_str(&format!("Stored capability history: {}\n", name_of(repo)));
        if latest.is_empty() {
            out.push_str("  (nothing stored yet: run `trustmap capability` first)\n");
        }
        for r in &latest {
            let date = trustmap_capability::date::rfc3339(r.commit_time);
            for team in teams(r) {
                let cells: Vec<String> = ["identity", "failure", "iac", "design"]
                    .iter()
                    .map(|c| {
                        r.scores
                            .iter()
                            .find(|s| &s.team == team && s.capability == *c)
                            .and_then(|s| s.score)
                            .map_or(format!("{c} —"), |v| format!("{c} {v}"))
                    })
                    .collect();
                out.push_str(&format!(
                    "  {} {:<12} {:<16} {}\n",
                    &date[..10],
                    r.commit.get(..12).unwrap_or(&r.commit),
                    team,
                    cells.join("  ")
                ));
            }
            json.push(serde_json::json!({
                "repository": r.repository,
                "commit": r.commit,
                "commit_time": r.commit_time,
                "recorded_at": r.recorded_at,
                "scores": r.scores.iter().map(|s| serde_json::json!({
                    "team": s.team, "capability": s.capability, "score": s.score,
                    "evaluations": s.evaluations, "evidence_weight": s.evidence_weight,
                })).collect::<Vec<_>>(),
            }));
        }
    }
    let rendered = match args.format {
        CapabilityFormat::Json => {
            let mut s = serde_json::to_string_pretty(&json)?;
            s.push('\n');
            s
        }
        CapabilityFormat::Text => out,
        CapabilityFormat::Html => bail!("--show-history prints text or json"),
    };
    crate::output::emit(args.output.as_deref(), &rendered)?;
    Ok(ExitCode::SUCCESS)
}

fn teams(r: &Run) -> Vec<&String> {
    let mut t: Vec<&String> = Vec::new();
    for s in &r.scores {
        if !t.contains(&&s.team) {
            t.push(&s.team);
        }
    }
    t
}
