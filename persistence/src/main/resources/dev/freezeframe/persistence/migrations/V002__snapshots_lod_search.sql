-- Snapshots: what the timeline and search need in columns; the (large) report compressed in a blob.
CREATE TABLE snapshots (
    id                 INTEGER PRIMARY KEY,
    run_id             INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    tag                TEXT    NOT NULL,
    kind               TEXT    NOT NULL CHECK (kind IN ('periodic', 'requested', 'error', 'watch')),
    at_ns              INTEGER NOT NULL,
    step_index         INTEGER,
    placeholder        INTEGER NOT NULL DEFAULT 0 CHECK (placeholder IN (0, 1)),
    placeholder_reason TEXT,
    report_codec       TEXT    NOT NULL CHECK (report_codec IN ('deflate')),
    report_size        INTEGER NOT NULL,
    report             BLOB    NOT NULL
);
CREATE INDEX snapshots_by_run_time ON snapshots (run_id, at_ns);

-- Timeline level-of-detail pyramid (docs/architecture.md §8). Level L has buckets of 2^L ns (bucket b covers [b * 2^L, (b+1) * 2^L));
-- 2^Lod.tileShift(L) consecutive buckets (at least 256, spanning at least 4.2 ms) form a tile, stored as one row:
-- kind '' holds the event counts of the lane, any other kind the numeric series of that kind (count, min, max, last
-- per bucket). Encoding: see LodTile.
CREATE TABLE lod_tiles (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    lane   TEXT    NOT NULL,
    level  INTEGER NOT NULL,
    tile   INTEGER NOT NULL,
    kind   TEXT    NOT NULL,
    data   BLOB    NOT NULL,
    PRIMARY KEY (run_id, lane, level, tile, kind)
) WITHOUT ROWID;

-- Free-text search over console lines and event texts (not the numeric stats lane). The writer records, per ingest
-- batch, the seq range of its text events as a text_chunks row; the search index (one document per chunk, its rowid the
-- chunk id) is filled from those rows when the writer is idle, when the ingest closes, and before any text search, so
-- indexing never slows a live run down.
CREATE VIRTUAL TABLE event_text USING fts5(body, content='', contentless_delete=1, detail='none',
    tokenize='unicode61');
CREATE TABLE text_chunks (
    id        INTEGER PRIMARY KEY,
    run_id    INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    first_seq INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL,
    indexed   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX text_chunks_by_run ON text_chunks (run_id);
CREATE INDEX text_chunks_pending ON text_chunks (id) WHERE indexed = 0;
