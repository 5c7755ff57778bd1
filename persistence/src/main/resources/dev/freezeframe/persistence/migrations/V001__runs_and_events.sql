-- Runs: what was asked (config), what happened (verdict), and the columns the archive browser filters on.
CREATE TABLE runs (
    id             INTEGER PRIMARY KEY,
    started_at_ms  INTEGER NOT NULL,
    ended_at_ms    INTEGER,
    scheduler      TEXT    NOT NULL,
    scheduler_args TEXT    NOT NULL DEFAULT '',
    scenario       TEXT    NOT NULL,
    kernel         TEXT    NOT NULL,
    kernel_version TEXT,
    vcpus          INTEGER NOT NULL,
    memory_mib     INTEGER NOT NULL,
    config_json    TEXT    NOT NULL,
    verdict        TEXT CHECK (verdict IS NULL OR verdict IN ('passed', 'scheduler_failed', 'error', 'inconclusive')),
    reason         TEXT,
    duration_ms    INTEGER
);
CREATE INDEX runs_by_start ON runs (started_at_ms DESC);

-- One ordered event stream per run; (run_id, seq) is the stream position.
CREATE TABLE events (
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    at_ns       INTEGER NOT NULL,
    lane        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    value       REAL,
    detail_json TEXT,
    PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE INDEX events_by_lane_time ON events (run_id, lane, at_ns);
