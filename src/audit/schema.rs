//! The log's schema, the same on SQLite and PostgreSQL, versioned in a `meta` table like the
//! list store's: each migration takes the log one version further, a newer log is refused.

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// `MIGRATIONS[i]` takes a log from version `i` to `i + 1`. Plain SQL that both databases
/// read alike: times are RFC 3339 text in UTC with a fixed number of digits, so they sort as
/// text; the list snapshots are a JSON array.
pub const MIGRATIONS: &[&str] = &["
    CREATE TABLE decision (
        decision_id TEXT PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        origin TEXT NOT NULL,
        input TEXT NOT NULL,
        input_sha256 TEXT NOT NULL,
        result TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        pack_digest TEXT NOT NULL,
        list_snapshots TEXT NOT NULL,
        state_id TEXT
    );
    CREATE INDEX decision_by_time ON decision (recorded_at);
"];

/// The `meta` table, created before the first migration.
pub const META: &str =
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

/// The columns of `decision`, in the order every query here uses.
pub const COLUMNS: &str = "decision_id, recorded_at, origin, input, input_sha256, result, \
    engine_version, pack_digest, list_snapshots, state_id";

/// A stored schema version read back: a number, or the text that is not one.
pub fn parse_version(text: &str) -> Result<i64, String> {
    text.trim().parse().map_err(|_| text.to_string())
}
