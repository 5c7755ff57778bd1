-- The numeric fields of each snapshot's maps (what ReportFields reads from its report), stored when the snapshot is
-- written. Plotting one field across a run then reads a row per snapshot instead of inflating and parsing every
-- report (hundreds of KB of JSON each). SnapshotFieldsMigration fills the table for the snapshots already stored.

-- A dictionary of field names, so a value row holds a small id instead of the map name and path. Names are never
-- deleted: writers cache their ids, and a name left by a deleted run is a few bytes.
CREATE TABLE field_names (
    id   INTEGER PRIMARY KEY,
    map  TEXT    NOT NULL,
    path TEXT    NOT NULL,
    UNIQUE (map, path)
);

-- One row per snapshot and numeric field; placeholders and reports that are not valid JSON have none. Keyed by
-- snapshot first: deleting a run (runs -> snapshots -> snapshot_values) removes whole key ranges, and a field's series
-- is one key lookup per snapshot. ord is the field's position in the report (maps in report order, then each map's
-- fields in order), so a snapshot's fields read back in the order the report lists them.
CREATE TABLE snapshot_values (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    field_id    INTEGER NOT NULL REFERENCES field_names (id),
    ord         INTEGER NOT NULL,
    value       REAL    NOT NULL,
    PRIMARY KEY (snapshot_id, field_id)
) WITHOUT ROWID;
