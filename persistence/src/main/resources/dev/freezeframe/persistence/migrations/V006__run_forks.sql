-- A forked run (issue 14) starts from a forkable snapshot of its parent: which run, which snapshot, and when that was
-- on the parent's clock. A run has at most one parent; deleting the fork deletes the link, deleting the parent keeps
-- the fork and its link (the parent's id then names a run that is gone).
CREATE TABLE run_forks (
    run_id        INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    parent_run_id INTEGER NOT NULL,
    snapshot_tag  TEXT    NOT NULL,
    parent_at_ns  INTEGER NOT NULL
);
CREATE INDEX run_forks_parent ON run_forks (parent_run_id);
