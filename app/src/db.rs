//! The SQLite store: one file, WAL, versioned migrations, secure delete.
//!
//! One connection writes (SQLite has one writer at a time anyway) and a few read, each
//! behind a mutex and used from the blocking thread pool, so that the async runtime never
//! waits on disk.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::AppError;

/// The migrations, in order. A migration is never edited once released: a change to the
/// schema is a new entry. `schema_migrations` records which ones a database has.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "sessions, participants and answers",
    "CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        join_code TEXT NOT NULL UNIQUE,
        facilitator_hash BLOB NOT NULL,
        title TEXT NOT NULL,
        definition_json TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        min_group INTEGER NOT NULL,
        readings TEXT NOT NULL,
        groups_json TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        revision INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        token_hash BLOB NOT NULL UNIQUE,
        group_label TEXT,
        joined_at INTEGER NOT NULL,
        submitted_at INTEGER
    );
    CREATE INDEX participants_by_session ON participants(session_id);
    CREATE TABLE answers (
        participant_id TEXT NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        reading TEXT NOT NULL CHECK (reading IN ('current', 'desired')),
        statement_id TEXT NOT NULL,
        answer TEXT NOT NULL,
        PRIMARY KEY (participant_id, reading, statement_id)
    ) WITHOUT ROWID;",
)];

/// The store.
pub struct Db {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // WAL: readers do not block the writer. NORMAL is durable across a crash of this
    // process (what the restart test checks); FULL would also survive power loss.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted rows are overwritten with zeros, so that a deleted session's answers do not
    // linger in free pages of the file.
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

/// Applies the migrations `conn` lacks, each in its own transaction. Returns the
/// versions applied.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<Vec<i64>> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        )",
    )?;
    let current: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?;
    let mut applied = Vec::new();
    for &(version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![version, name, now()],
        )?;
        tx.commit()?;
        applied.push(version);
    }
    Ok(applied)
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Db {
    /// Opens (or creates) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db, AppError> {
        let open = || -> rusqlite::Result<Connection> {
            let conn = Connection::open(path)?;
            configure(&conn)?;
            Ok(conn)
        };
        let mut writer = open()?;
        migrate(&mut writer)?;
        let readers = (0..2)
            .map(|_| open().map(Mutex::new))
            .collect::<Result<_, _>>()?;
        Ok(Db {
            writer: Mutex::new(writer),
            readers,
            next: AtomicUsize::new(0),
        })
    }

    /// Runs `f` on the writing connection, on the blocking pool.
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, AppError> + Send + 'static,
    {
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut conn = db
                .writer
                .lock()
                .map_err(|_| AppError::Internal("database writer lock poisoned".into()))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::Internal(format!("database task: {e}")))?
    }

    /// Runs `f` on a reading connection, on the blocking pool.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, AppError> + Send + 'static,
    {
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let i = db.next.fetch_add(1, Ordering::Relaxed) % db.readers.len();
            let conn = db.readers[i]
                .lock()
                .map_err(|_| AppError::Internal("database reader lock poisoned".into()))?;
            f(&conn)
        })
        .await
        .map_err(|e| AppError::Internal(format!("database task: {e}")))?
    }
}

/// A session as stored.
#[derive(Clone, Debug)]
pub struct SessionRow {
    pub id: String,
    pub join_code: String,
    pub facilitator_hash: Vec<u8>,
    pub title: String,
    pub definition_json: String,
    pub fingerprint: String,
    pub min_group: u64,
    pub readings: Vec<String>,
    pub groups: Vec<String>,
    pub status: String,
    pub revision: i64,
    pub created_at: i64,
}

const SESSION_COLUMNS: &str = "id, join_code, facilitator_hash, title, definition_json, \
    fingerprint, min_group, readings, groups_json, status, revision, created_at";

fn session_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<SessionRow> {
    let json_list = |i: usize| -> rusqlite::Result<Vec<String>> {
        let text: String = r.get(i)?;
        serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
    };
    Ok(SessionRow {
        id: r.get(0)?,
        join_code: r.get(1)?,
        facilitator_hash: r.get(2)?,
        title: r.get(3)?,
        definition_json: r.get(4)?,
        fingerprint: r.get(5)?,
        min_group: u64::try_from(r.get::<_, i64>(6)?).unwrap_or(u64::MAX),
        readings: json_list(7)?,
        groups: json_list(8)?,
        status: r.get(9)?,
        revision: r.get(10)?,
        created_at: r.get(11)?,
    })
}

/// The session with id `id`.
pub fn session(conn: &Connection, id: &str) -> rusqlite::Result<Option<SessionRow>> {
    conn.query_row(
        &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"),
        [id],
        session_of,
    )
    .optional()
}

/// The session with join code `code`.
pub fn session_by_code(conn: &Connection, code: &str) -> rusqlite::Result<Option<SessionRow>> {
    conn.query_row(
        &format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE join_code = ?1"),
        [code],
        session_of,
    )
    .optional()
}

/// Inserts a new session.
pub fn insert_session(conn: &Connection, s: &SessionRow) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO sessions ({SESSION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ),
        params![
            s.id,
            s.join_code,
            s.facilitator_hash,
            s.title,
            s.definition_json,
            s.fingerprint,
            i64::try_from(s.min_group).unwrap_or(i64::MAX),
            serde_json::to_string(&s.readings).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(&s.groups).unwrap_or_else(|_| "[]".into()),
            s.status,
            s.revision,
            s.created_at,
        ],
    )?;
    Ok(())
}

/// Bumps a session's revision (what the live view waits on).
pub fn bump(conn: &Connection, session: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "UPDATE sessions SET revision = revision + 1 WHERE id = ?1 RETURNING revision",
        [session],
        |r| r.get(0),
    )
}

/// A participant as stored.
#[derive(Clone, Debug)]
pub struct ParticipantRow {
    pub id: String,
    pub session_id: String,
    pub group: Option<String>,
    pub submitted: bool,
}

/// The participant whose token hashes to `hash`.
pub fn participant_by_hash(
    conn: &Connection,
    hash: &[u8],
) -> rusqlite::Result<Option<ParticipantRow>> {
    conn.query_row(
        "SELECT id, session_id, group_label, submitted_at IS NOT NULL FROM participants WHERE token_hash = ?1",
        [hash],
        |r| {
            Ok(ParticipantRow {
                id: r.get(0)?,
                session_id: r.get(1)?,
                group: r.get(2)?,
                submitted: r.get(3)?,
            })
        },
    )
    .optional()
}

/// One stored answer: reading, statement id, answer text (`1`..`5`, `na`, `dk`).
pub type AnswerRow = (String, String, String);

/// A participant's answers.
pub fn answers_of(conn: &Connection, participant: &str) -> rusqlite::Result<Vec<AnswerRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT reading, statement_id, answer FROM answers WHERE participant_id = ?1 ORDER BY reading, statement_id",
    )?;
    stmt.query_map([participant], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect()
}

/// One participant's answers: participant id, group, answers.
pub type ParticipantAnswers = (String, Option<String>, Vec<AnswerRow>);

/// Every submitted participant's answers in a session, one entry per participant.
pub fn submitted_answers(
    conn: &Connection,
    session: &str,
) -> rusqlite::Result<Vec<ParticipantAnswers>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.group_label, a.reading, a.statement_id, a.answer
         FROM participants p JOIN answers a ON a.participant_id = p.id
         WHERE p.session_id = ?1 AND p.submitted_at IS NOT NULL
         ORDER BY p.id, a.reading, a.statement_id",
    )?;
    let mut out: Vec<ParticipantAnswers> = Vec::new();
    let rows = stmt.query_map([session], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            (r.get(2)?, r.get(3)?, r.get(4)?),
        ))
    })?;
    for row in rows {
        let (id, group, answer) = row?;
        match out.last_mut() {
            Some(last) if last.0 == id => last.2.push(answer),
            _ => out.push((id, group, vec![answer])),
        }
    }
    Ok(out)
}

/// How many participants of a session have joined, started (answered something without
/// submitting) and submitted.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct Counts {
    pub joined: u64,
    pub started: u64,
    pub submitted: u64,
}

/// The session's participation counts.
pub fn counts(conn: &Connection, session: &str) -> rusqlite::Result<Counts> {
    conn.query_row(
        "SELECT COUNT(*),
            COALESCE(SUM(submitted_at IS NULL AND EXISTS (SELECT 1 FROM answers a WHERE a.participant_id = p.id)), 0),
            COALESCE(SUM(submitted_at IS NOT NULL), 0)
         FROM participants p WHERE session_id = ?1",
        [session],
        |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|v| u64::try_from(v).unwrap_or(0));
            Ok(Counts {
                joined: n(0)?,
                started: n(1)?,
                submitted: n(2)?,
            })
        },
    )
}

/// What deleting a session removed.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Deleted {
    pub participants: u64,
    pub answers: u64,
}

/// Deletes a session with its participants and answers, and checkpoints the WAL so that
/// the rows are gone from the main file and the log.
pub fn delete_session(conn: &mut Connection, session: &str) -> rusqlite::Result<Deleted> {
    let tx = conn.transaction()?;
    let answers: i64 = tx.query_row(
        "SELECT COUNT(*) FROM answers a JOIN participants p ON a.participant_id = p.id WHERE p.session_id = ?1",
        [session],
        |r| r.get(0),
    )?;
    let participants = tx.execute("DELETE FROM participants WHERE session_id = ?1", [session])?;
    tx.execute("DELETE FROM sessions WHERE id = ?1", [session])?;
    tx.commit()?;
    // Readers may hold the log open; TRUNCATE waits for them (busy_timeout) and empties it.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(Deleted {
        participants: u64::try_from(participants).unwrap_or(0),
        answers: u64::try_from(answers).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_record_their_versions() {
        let dir = std::env::temp_dir().join(format!("lw-migrate-{}", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        let mut conn = Connection::open(&dir).unwrap();
        configure(&conn).unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), vec![1]);
        assert_eq!(migrate(&mut conn).unwrap(), Vec::<i64>::new());
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop(conn);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", dir.display()));
        }
    }
}
