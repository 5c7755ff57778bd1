-- What an engineer left on a run in the snapshot viewer: labels on map entries (followed by key) and pinned fields, so
-- they are there again when the run is reopened. position keeps the pins in the order they were pinned.
CREATE TABLE viewer_marks (
    run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('mark', 'pin')),
    path     TEXT    NOT NULL,
    label    TEXT    NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (run_id, kind, path)
) WITHOUT ROWID;
