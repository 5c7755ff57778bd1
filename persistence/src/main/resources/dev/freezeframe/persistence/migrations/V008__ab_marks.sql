-- The Runs browser's A/B groups for "Compare A vs B": the runs marked as side A (the baseline) or side B, in the order
-- they were marked (position), so they are there again when the archive is reopened. A run is on one side at most; a
-- deleted run takes its mark with it.
CREATE TABLE ab_marks (
    run_id   INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    side     TEXT    NOT NULL CHECK (side IN ('A', 'B')),
    position INTEGER NOT NULL
);
