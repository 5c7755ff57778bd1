-- Events are stored in blocks (EventBlock): per ingest batch and lane, up to 4096 events encoded in one row, with the
-- seq and time range beside the blob so queries pick blocks without decoding them. A row per event capped ingest at
-- what SQLite inserts per row; blocks make the archive keep up with a fast run (issue 7). EventBlocksMigration moves
-- the events of older archives into blocks, rebuilds the level-of-detail pyramid (its finest level is now 2^16 ns;
-- finer views are aggregated from the blocks) and drops the old tables.
CREATE TABLE event_blocks (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    lane        TEXT    NOT NULL,
    first_seq   INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    min_at_ns   INTEGER NOT NULL,
    max_at_ns   INTEGER NOT NULL,
    event_count INTEGER NOT NULL CHECK (event_count > 0),
    -- 0: no text to search (the stats lane, or only empty texts); 1: text not indexed yet; 2: indexed
    text_state  INTEGER NOT NULL CHECK (text_state IN (0, 1, 2)),
    data        BLOB    NOT NULL
);
CREATE INDEX event_blocks_by_lane_time ON event_blocks (run_id, lane, max_at_ns);
CREATE INDEX event_blocks_by_seq ON event_blocks (run_id, first_seq);
CREATE INDEX event_blocks_unindexed ON event_blocks (id) WHERE text_state = 1;

-- Search documents are now blocks: one document per block with text, its rowid the block id.
DROP TABLE event_text;
CREATE VIRTUAL TABLE event_text USING fts5(body, content='', contentless_delete=1, detail='none',
    tokenize='unicode61');
DELETE FROM lod_tiles;

-- What the archive knows about how complete a run's record is, in words for the user: e.g. that it was imported from a
-- cut-off export and misses whatever came after the cut. Exported and imported with the run.
ALTER TABLE runs ADD COLUMN archive_note TEXT;
