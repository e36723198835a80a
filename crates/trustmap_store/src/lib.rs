//! Capability history storage behind one [`Store`] trait: SQLite by default (a file in the
//! user's data directory), PostgreSQL when given a `postgres://` URL. Both use sqlx's `Any`
//! driver with the same portable SQL and the same migrations (`migrations/`, compiled in),
//! so a store created by an older trustmap is upgraded in place.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Row, SqlSafeStr};

/// Why the store could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the capability store `{target}`: {reason}")]
    Open { target: String, reason: String },
    #[error("capability store `{target}`: {reason}")]
    Query { target: String, reason: String },
}

/// One stored run: a repository at one commit (or its work tree) and its scores.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    /// Unique per run; chosen by the caller (repository, commit and time make one).
    pub id: String,
    pub repository: String,
    /// Full commit id, or `worktree` for uncommitted files.
    pub commit: String,
    /// Commit time (seconds since the epoch), or the scan time for a work tree.
    pub commit_time: i64,
    pub recorded_at: i64,
    pub tool_version: String,
    pub scores: Vec<ScoreRow>,
}

/// One team × capability score of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreRow {
    pub team: String,
    pub capability: String,
    pub score: Option<i64>,
    pub evaluations: i64,
    pub evidence_weight: i64,
    pub pass_weight: i64,
    pub fail_weight: i64,
}

/// Where capability results are kept. Implementations append; they never rewrite history.
pub trait Store {
    /// Appends runs atomically: all of them or none.
    fn record(&mut self, runs: &[Run]) -> Result<(), StoreError>;
    /// Stored runs, oldest commit first (then by recording time), optionally for one
    /// repository only.
    fn runs(&mut self, repository: Option<&str>) -> Result<Vec<Run>, StoreError>;
}

/// The migrations, in order. Never edit one that has shipped: add the next.
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "capability scores",
    include_str!("../migrations/0001_capability_scores.sql"),
)];

fn migrator() -> Migrator {
    Migrator {
        migrations: Cow::Owned(
            MIGRATIONS
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        sql.into_sql_str(),
                        false,
                    )
                })
                .collect(),
        ),
        table_name: Cow::Borrowed("trustmap_migrations"),
        ..Migrator::DEFAULT
    }
}

/// The default SQLite file: `$XDG_DATA_HOME/trustmap/capability.sqlite`, else the platform's
/// data directory (`~/.local/share`, `~/Library/Application Support`, `%APPDATA%`).
pub fn default_path() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            if cfg!(windows) {
                std::env::var_os("APPDATA").map(PathBuf::from)
            } else {
                let home = PathBuf::from(std::env::var_os("HOME")?);
                Some(if cfg!(target_os = "macos") {
                    home.join("Library/Application Support")
                } else {
                    home.join(".local/share")
                })
            }
        })?;
    Some(data.join("trustmap").join("capability.sqlite"))
}

/// A store reached through sqlx (SQLite or PostgreSQL), driven by its own small runtime so
/// that callers stay synchronous.
pub struct SqlStore {
    runtime: tokio::runtime::Runtime,
    pool: AnyPool,
    /// What the user gave, for messages (a PostgreSQL URL loses its password).
    target: String,
}

impl SqlStore {
    /// Opens `spec` — `postgres://…`/`postgresql://…`, `sqlite://PATH`, or a plain file
    /// path — creating the SQLite file and its directory if needed, and migrates it.
    pub fn open(spec: &str) -> Result<Self, StoreError> {
        let (url, target) = if spec.starts_with("postgres://") || spec.starts_with("postgresql://")
        {
            (spec.to_string(), redact_password(spec))
        } else {
            let path = Path::new(spec.strip_prefix("sqlite://").unwrap_or(spec));
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                    target: spec.to_string(),
                    reason: format!("cannot create {}: {e}", dir.display()),
                })?;
            }
            (
                format!("sqlite://{}?mode=rwc", path.display()),
                path.display().to_string(),
            )
        };
        let open_err = |reason: String| StoreError::Open {
            target: target.clone(),
            reason,
        };
        install_default_drivers();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| open_err(e.to_string()))?;
        let pool = runtime
            .block_on(async {
                let pool = AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(&url)
                    .await?;
                migrator().run(&pool).await?;
                Ok::<_, Box<dyn std::error::Error + Send + Sync>>(pool)
            })
            .map_err(|e| open_err(e.to_string()))?;
        Ok(Self {
            runtime,
            pool,
            target,
        })
    }

    fn query_err(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Query {
            target: self.target.clone(),
            reason: e.to_string(),
        }
    }
}

impl Store for SqlStore {
    fn record(&mut self, runs: &[Run]) -> Result<(), StoreError> {
        let pool = &self.pool;
        let result = self.runtime.block_on(async {
            let mut tx = pool.begin().await?;
            for run in runs {
                sqlx::query(
                    "INSERT INTO capability_runs \
                     (run_id, repository, commit_id, commit_time, recorded_at, tool_version) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&run.id)
                .bind(&run.repository)
                .bind(&run.commit)
                .bind(run.commit_time)
                .bind(run.recorded_at)
                .bind(&run.tool_version)
                .execute(&mut *tx)
                .await?;
                for s in &run.scores {
                    sqlx::query(
                        "INSERT INTO capability_scores \
                         (run_id, team, capability, score, evaluations, evidence_weight, \
                         pass_weight, fail_weight) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(&run.id)
                    .bind(&s.team)
                    .bind(&s.capability)
                    .bind(s.score)
                    .bind(s.evaluations)
                    .bind(s.evidence_weight)
                    .bind(s.pass_weight)
                    .bind(s.fail_weight)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await
        });
        result.map_err(|e| self.query_err(e))
    }

    fn runs(&mut self, repository: Option<&str>) -> Result<Vec<Run>, StoreError> {
        let pool = &self.pool;
        let result = self.runtime.block_on(async {
            let rows = sqlx::query(
                "SELECT r.run_id, r.repository, r.commit_id, r.commit_time, r.recorded_at, \
                 r.tool_version, s.team, s.capability, s.score, s.evaluations, \
                 s.evidence_weight, s.pass_weight, s.fail_weight \
                 FROM capability_runs r JOIN capability_scores s ON s.run_id = r.run_id \
                 WHERE ($1 = '' OR r.repository = $2) \
                 ORDER BY r.commit_time, r.recorded_at, r.run_id, s.team, s.capability",
            )
            .bind(repository.unwrap_or(""))
            .bind(repository.unwrap_or(""))
            .fetch_all(pool)
            .await?;
            let mut runs: Vec<Run> = Vec::new();
            for row in rows {
                let id: String = row.try_get(0)?;
                if runs.last().is_none_or(|r| r.id != id) {
                    runs.push(Run {
                        id,
                        repository: row.try_get(1)?,
                        commit: row.try_get(2)?,
                        commit_time: row.try_get(3)?,
                        recorded_at: row.try_get(4)?,
                        tool_version: row.try_get(5)?,
                        scores: Vec::new(),
                    });
                }
                if let Some(run) = runs.last_mut() {
                    run.scores.push(ScoreRow {
                        team: row.try_get(6)?,
                        capability: row.try_get(7)?,
                        score: row.try_get(8)?,
                        evaluations: row.try_get(9)?,
                        evidence_weight: row.try_get(10)?,
                        pass_weight: row.try_get(11)?,
                        fail_weight: row.try_get(12)?,
                    });
                }
            }
            Ok::<_, sqlx::Error>(runs)
        });
        result.map_err(|e| self.query_err(e))
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some(x) => x,
        None => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact_password("postgres://tm:s3cret@localhost:5432/tm"),
            "postgres://tm:***@localhost:5432/tm"
        );
        assert_eq!(
            redact_password("postgres://localhost/tm"),
            "postgres://localhost/tm"
        );
    }
}
