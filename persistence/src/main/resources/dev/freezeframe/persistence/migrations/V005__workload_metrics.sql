-- The workload metrics a run measured (per step and worker group), one row per value, so comparisons across runs read
-- a few rows per run instead of scanning its events. VerdictCheckMigration also lets runs.verdict hold
-- 'failed_expectation' (a scenario expectation missed).
CREATE TABLE run_metrics (
    run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step_index INTEGER NOT NULL,
    step_name  TEXT    NOT NULL,
    grp        TEXT    NOT NULL,
    metric     TEXT    NOT NULL,
    value      REAL    NOT NULL,
    PRIMARY KEY (run_id, step_index, grp, metric)
) WITHOUT ROWID;
