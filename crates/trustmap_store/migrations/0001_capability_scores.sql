-- One row per (run, team, capability). Portable SQL: the same text runs on SQLite and
-- PostgreSQL through sqlx's Any driver.
CREATE TABLE capability_runs (
    run_id TEXT PRIMARY KEY,
    repository TEXT NOT NULL,
    commit_id TEXT NOT NULL,
    commit_time BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    tool_version TEXT NOT NULL
);

CREATE TABLE capability_scores (
    run_id TEXT NOT NULL REFERENCES capability_runs (run_id),
    team TEXT NOT NULL,
    capability TEXT NOT NULL,
    score BIGINT,
    evaluations BIGINT NOT NULL,
    evidence_weight BIGINT NOT NULL,
    pass_weight BIGINT NOT NULL,
    fail_weight BIGINT NOT NULL,
    PRIMARY KEY (run_id, team, capability)
);

CREATE INDEX capability_runs_by_repository ON capability_runs (repository, commit_time);
