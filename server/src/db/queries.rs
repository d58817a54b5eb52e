//! Every statement the server runs, written once for both backends, on one transaction.

use varde_sync_wire::DeviceState;

use super::{Conn, DbError, Dialect, Row, Value};

/// Rows per multi-row INSERT: well inside both backends' parameter limits.
const INSERT_CHUNK: usize = 500;

/// One open transaction (begun and ended by [`Database`](super::Database)).
pub struct Tx<'a> {
    conn: &'a mut dyn Conn,
}

/// The tree's state: its size, root hash and the signed checkpoint of both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeState {
    /// Leaves in the tree.
    pub size: u64,
    /// RFC 6962 root hash.
    pub root: [u8; 32],
    /// The signed note of this size and root (empty before the server key exists).
    pub note: String,
}

/// An enrolled device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRow {
    pub id: String,
    pub name: String,
    pub site: String,
    pub public_key: String,
    pub state: DeviceState,
    pub head_seq: u64,
    pub head_hash: String,
    pub fork_seq: Option<u64>,
    pub fork_detected_at: Option<String>,
    pub enrolled_at: String,
    pub last_contact: Option<String>,
    pub local_head: Option<u64>,
}

/// An entry to store.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub tree_index: u64,
    pub device_id: String,
    pub seq: u64,
    pub hash: String,
    pub timestamp: String,
    pub actor: Option<String>,
    pub action: String,
    pub outcome: String,
    pub received_at: String,
    pub entry_json: String,
}

/// A stored entry as the admin query reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEntry {
    pub tree_index: u64,
    pub device_id: String,
    pub seq: u64,
    pub hash: String,
    pub received_at: String,
    pub entry_json: String,
}

/// The admin query's filters (all optional; `since`/`until` are normalised timestamps).
#[derive(Clone, Debug, Default)]
pub struct EntryFilter {
    pub device: Option<String>,
    pub actor: Option<String>,
    pub action_prefix: Option<String>,
    pub outcome: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

/// What happened to an enrollment token presented by a device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenUse {
    /// Valid: now used; it was made for this site.
    Accepted { site: String },
    /// Never issued.
    Unknown,
    /// Used before.
    Used,
    /// Past its expiry.
    Expired,
}

const DEVICE_COLUMNS: &str = "id, name, site, public_key, state, head_seq, head_hash, fork_seq, \
    fork_detected_at, enrolled_at, last_contact, local_head";

fn device_row(r: &Row) -> Result<DeviceRow, DbError> {
    let state = r.text(4)?;
    Ok(DeviceRow {
        id: r.text(0)?,
        name: r.text(1)?,
        site: r.text(2)?,
        public_key: r.text(3)?,
        state: DeviceState::parse(&state)
            .ok_or_else(|| DbError::Corrupt(format!("device state {state:?}")))?,
        head_seq: r.uint(5)?,
        head_hash: r.text(6)?,
        fork_seq: r.opt_uint(7)?,
        fork_detected_at: r.opt_text(8)?,
        enrolled_at: r.text(9)?,
        last_contact: r.opt_text(10)?,
        local_head: r.opt_uint(11)?,
    })
}

const ENTRY_COLUMNS: &str = "tree_index, device_id, seq, hash, received_at, entry_json";

fn stored_entry(r: &Row) -> Result<StoredEntry, DbError> {
    Ok(StoredEntry {
        tree_index: r.uint(0)?,
        device_id: r.text(1)?,
        seq: r.uint(2)?,
        hash: r.text(3)?,
        received_at: r.text(4)?,
        entry_json: r.text(5)?,
    })
}

/// `(?, ?, …)` groups for a multi-row insert of `rows` rows of `width` columns.
fn value_groups(rows: usize, width: usize) -> String {
    let group = format!("({})", vec!["?"; width].join(", "));
    vec![group; rows].join(", ")
}

impl<'a> Tx<'a> {
    pub(super) fn new(conn: &'a mut dyn Conn) -> Tx<'a> {
        Tx { conn }
    }

    /// The connection itself, for statements written over every table (the copy).
    pub(super) fn conn(&mut self) -> &mut dyn Conn {
        self.conn
    }

    /// Which backend.
    pub fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }

    // --- server_meta -------------------------------------------------------------------

    /// A stored setting.
    pub fn meta(&mut self, key: &str) -> Result<Option<Vec<u8>>, DbError> {
        let rows = self
            .conn
            .query("SELECT value FROM server_meta WHERE key = ?", &[key.into()])?;
        rows.first().map(|r| r.blob(0)).transpose()
    }

    /// Stores a setting unless one is there (the first instance to start wins).
    pub fn insert_meta_if_absent(&mut self, key: &str, value: Vec<u8>) -> Result<(), DbError> {
        self.conn.execute(
            "INSERT INTO server_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
            &[key.into(), value.into()],
        )?;
        Ok(())
    }

    // --- tree ----------------------------------------------------------------------------

    fn tree_row(&mut self, lock: bool) -> Result<Option<TreeState>, DbError> {
        let sql = if lock && self.dialect() == Dialect::Postgres {
            "SELECT size, root, note FROM tree_state WHERE id = 1 FOR UPDATE"
        } else {
            "SELECT size, root, note FROM tree_state WHERE id = 1"
        };
        let rows = self.conn.query(sql, &[])?;
        rows.first()
            .map(|r| {
                Ok(TreeState {
                    size: r.uint(0)?,
                    root: r.hash(1)?,
                    note: r.text(2)?,
                })
            })
            .transpose()
    }

    /// The tree's state, if it was initialised.
    pub fn tree(&mut self) -> Result<Option<TreeState>, DbError> {
        self.tree_row(false)
    }

    /// The tree's state, locked until the transaction ends: every ingest takes this lock
    /// first, so instances sharing one PostgreSQL append one batch at a time.
    pub fn lock_tree(&mut self) -> Result<TreeState, DbError> {
        self.tree_row(true)?
            .ok_or_else(|| DbError::Corrupt("the tree state row is missing".into()))
    }

    /// Creates the tree's state row unless it exists.
    pub fn init_tree(&mut self, state: &TreeState) -> Result<(), DbError> {
        self.conn.execute(
            "INSERT INTO tree_state (id, size, root, note) VALUES (1, ?, ?, ?) \
             ON CONFLICT (id) DO NOTHING",
            &[
                state.size.into(),
                state.root.to_vec().into(),
                (&state.note).into(),
            ],
        )?;
        Ok(())
    }

    /// Saves the tree's new state.
    pub fn set_tree(&mut self, state: &TreeState) -> Result<(), DbError> {
        self.conn.execute(
            "UPDATE tree_state SET size = ?, root = ?, note = ? WHERE id = 1",
            &[
                state.size.into(),
                state.root.to_vec().into(),
                (&state.note).into(),
            ],
        )?;
        Ok(())
    }

    /// Stored tree hashes by index, in the order asked. A missing one is a damaged tree.
    pub fn read_hashes(&mut self, indexes: &[u64]) -> Result<Vec<[u8; 32]>, DbError> {
        let mut found = std::collections::HashMap::with_capacity(indexes.len());
        for chunk in indexes.chunks(INSERT_CHUNK) {
            let sql = format!(
                "SELECT idx, hash FROM tree_hashes WHERE idx IN ({})",
                vec!["?"; chunk.len()].join(", ")
            );
            let params: Vec<Value> = chunk.iter().map(|&i| i.into()).collect();
            for r in self.conn.query(&sql, &params)? {
                found.insert(r.uint(0)?, r.hash(1)?);
            }
        }
        indexes
            .iter()
            .map(|i| {
                found
                    .get(i)
                    .copied()
                    .ok_or_else(|| DbError::Corrupt(format!("tree hash {i} is missing")))
            })
            .collect()
    }

    /// Adds tree hashes.
    pub fn insert_hashes(&mut self, hashes: &[(u64, [u8; 32])]) -> Result<(), DbError> {
        for chunk in hashes.chunks(INSERT_CHUNK) {
            let sql = format!(
                "INSERT INTO tree_hashes (idx, hash) VALUES {}",
                value_groups(chunk.len(), 2)
            );
            let params: Vec<Value> = chunk
                .iter()
                .flat_map(|(i, h)| [Value::from(*i), Value::Blob(h.to_vec())])
                .collect();
            self.conn.execute(&sql, &params)?;
        }
        Ok(())
    }

    /// Keeps a signed checkpoint (one per tree size).
    pub fn insert_checkpoint(
        &mut self,
        state: &TreeState,
        created_at: &str,
    ) -> Result<(), DbError> {
        self.conn.execute(
            "INSERT INTO checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (size) DO NOTHING",
            &[
                state.size.into(),
                state.root.to_vec().into(),
                (&state.note).into(),
                created_at.into(),
            ],
        )?;
        Ok(())
    }

    // --- entries -------------------------------------------------------------------------

    /// Stores accepted entries.
    pub fn insert_entries(&mut self, entries: &[NewEntry]) -> Result<(), DbError> {
        for chunk in entries.chunks(INSERT_CHUNK) {
            let sql = format!(
                "INSERT INTO entries (tree_index, device_id, seq, hash, timestamp, actor, action, \
                 outcome, received_at, entry_json) VALUES {}",
                value_groups(chunk.len(), 10)
            );
            let mut params = Vec::with_capacity(chunk.len() * 10);
            for e in chunk {
                params.extend([
                    e.tree_index.into(),
                    (&e.device_id).into(),
                    e.seq.into(),
                    (&e.hash).into(),
                    (&e.timestamp).into(),
                    e.actor.clone().into(),
                    (&e.action).into(),
                    (&e.outcome).into(),
                    (&e.received_at).into(),
                    (&e.entry_json).into(),
                ]);
            }
            self.conn.execute(&sql, &params)?;
        }
        Ok(())
    }

    /// The stored `(seq, hash)` of a device's entries `from..=to`.
    pub fn entry_hashes(
        &mut self,
        device_id: &str,
        from: u64,
        to: u64,
    ) -> Result<Vec<(u64, String)>, DbError> {
        self.conn
            .query(
                "SELECT seq, hash FROM entries WHERE device_id = ? AND seq >= ? AND seq <= ? \
                 ORDER BY seq",
                &[device_id.into(), from.into(), to.into()],
            )?
            .iter()
            .map(|r| Ok((r.uint(0)?, r.text(1)?)))
            .collect()
    }

    /// The tree index of a device's entry `seq`.
    pub fn tree_index_of(&mut self, device_id: &str, seq: u64) -> Result<Option<u64>, DbError> {
        let rows = self.conn.query(
            "SELECT tree_index FROM entries WHERE device_id = ? AND seq = ?",
            &[device_id.into(), seq.into()],
        )?;
        rows.first().map(|r| r.uint(0)).transpose()
    }

    /// Entries matching `filter` after tree index `after`, ascending, at most `limit`.
    pub fn query_entries(
        &mut self,
        filter: &EntryFilter,
        after: Option<u64>,
        limit: u64,
    ) -> Result<Vec<StoredEntry>, DbError> {
        let mut sql = " WHERE 1 = 1".to_string();
        let mut params: Vec<Value> = Vec::new();
        let mut add = |clause: &str, values: Vec<Value>| {
            sql.push_str(clause);
            params.extend(values);
        };
        if let Some(after) = after {
            add(" AND tree_index > ?", vec![after.into()]);
        }
        if let Some(d) = &filter.device {
            add(" AND device_id = ?", vec![d.into()]);
        }
        if let Some(a) = &filter.actor {
            add(" AND actor = ?", vec![a.into()]);
        }
        if let Some(p) = &filter.action_prefix {
            add(
                " AND substr(action, 1, ?) = ?",
                vec![(p.chars().count() as u64).into(), p.into()],
            );
        }
        if let Some(o) = &filter.outcome {
            add(" AND outcome = ?", vec![o.into()]);
        }
        if let Some(s) = &filter.since {
            add(" AND timestamp >= ?", vec![s.into()]);
        }
        if let Some(u) = &filter.until {
            add(" AND timestamp < ?", vec![u.into()]);
        }
        add(" ORDER BY tree_index LIMIT ?", vec![limit.into()]);
        self.entries_where(&sql, &params)
    }

    /// A device's entries after `after_seq`, by sequence number, at most `limit`.
    pub fn device_entries(
        &mut self,
        device_id: &str,
        after_seq: u64,
        limit: u64,
    ) -> Result<Vec<StoredEntry>, DbError> {
        self.entries_where(
            " WHERE device_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            &[device_id.into(), after_seq.into(), limit.into()],
        )
    }

    /// Entries from tree index `from` on, in tree order, at most `limit`.
    pub fn entries_from_index(
        &mut self,
        from: u64,
        limit: u64,
    ) -> Result<Vec<StoredEntry>, DbError> {
        self.entries_where(
            " WHERE tree_index >= ? ORDER BY tree_index LIMIT ?",
            &[from.into(), limit.into()],
        )
    }

    fn entries_where(
        &mut self,
        clause: &str,
        params: &[Value],
    ) -> Result<Vec<StoredEntry>, DbError> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM entries{clause}");
        self.conn
            .query(&sql, params)?
            .iter()
            .map(stored_entry)
            .collect()
    }

    // --- devices -------------------------------------------------------------------------

    /// A device by id.
    pub fn device(&mut self, id: &str) -> Result<Option<DeviceRow>, DbError> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE id = ?");
        let rows = self.conn.query(&sql, &[id.into()])?;
        rows.first().map(device_row).transpose()
    }

    /// Every device, by site then name.
    pub fn devices(&mut self) -> Result<Vec<DeviceRow>, DbError> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices ORDER BY site, name, id");
        self.conn.query(&sql, &[])?.iter().map(device_row).collect()
    }

    /// Registers a new device.
    pub fn insert_device(&mut self, d: &DeviceRow) -> Result<(), DbError> {
        let sql = format!(
            "INSERT INTO devices ({DEVICE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        );
        self.conn.execute(
            &sql,
            &[
                (&d.id).into(),
                (&d.name).into(),
                (&d.site).into(),
                (&d.public_key).into(),
                d.state.as_str().into(),
                d.head_seq.into(),
                (&d.head_hash).into(),
                d.fork_seq.into(),
                d.fork_detected_at.clone().into(),
                (&d.enrolled_at).into(),
                d.last_contact.clone().into(),
                d.local_head.into(),
            ],
        )?;
        Ok(())
    }

    /// A re-enrollment (same key): new name and site, and a revoked device is let back in.
    pub fn reenroll_device(&mut self, id: &str, name: &str, site: &str) -> Result<(), DbError> {
        self.conn.execute(
            "UPDATE devices SET name = ?, site = ?, \
             state = CASE WHEN state = 'revoked' THEN 'ok' ELSE state END WHERE id = ?",
            &[name.into(), site.into(), id.into()],
        )?;
        Ok(())
    }

    /// Marks a device forked at `seq` (kept until an admin acts).
    pub fn mark_fork(&mut self, id: &str, seq: u64, at: &str) -> Result<(), DbError> {
        self.conn.execute(
            "UPDATE devices SET state = 'fork_detected', fork_seq = ?, fork_detected_at = ? \
             WHERE id = ? AND state <> 'fork_detected'",
            &[seq.into(), at.into(), id.into()],
        )?;
        Ok(())
    }

    /// Revokes a device; false when there is no such device.
    pub fn revoke_device(&mut self, id: &str) -> Result<bool, DbError> {
        Ok(self.conn.execute(
            "UPDATE devices SET state = 'revoked' WHERE id = ?",
            &[id.into()],
        )? == 1)
    }

    /// Moves a device's head after an accepted batch.
    pub fn set_device_head(&mut self, id: &str, seq: u64, hash: &str) -> Result<(), DbError> {
        self.conn.execute(
            "UPDATE devices SET head_seq = ?, head_hash = ? WHERE id = ?",
            &[seq.into(), hash.into(), id.into()],
        )?;
        Ok(())
    }

    /// Records contact from a device and, when it says, its own newest seq.
    pub fn touch_device(
        &mut self,
        id: &str,
        at: &str,
        local_head: Option<u64>,
    ) -> Result<(), DbError> {
        self.conn.execute(
            "UPDATE devices SET last_contact = ?, local_head = COALESCE(?, local_head) WHERE id = ?",
            &[at.into(), local_head.into(), id.into()],
        )?;
        Ok(())
    }

    // --- tokens and nonces ---------------------------------------------------------------

    /// Stores a new enrollment token's hash.
    pub fn insert_enroll_token(
        &mut self,
        hash: &str,
        site: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), DbError> {
        self.conn.execute(
            "INSERT INTO enroll_tokens (hash, site, created_at, expires_at) VALUES (?, ?, ?, ?)",
            &[
                hash.into(),
                site.into(),
                created_at.into(),
                expires_at.into(),
            ],
        )?;
        Ok(())
    }

    /// Uses an enrollment token once, for `device_id`.
    pub fn use_enroll_token(
        &mut self,
        hash: &str,
        now: &str,
        device_id: &str,
    ) -> Result<TokenUse, DbError> {
        let rows = self.conn.query(
            "SELECT site, expires_at, used_at FROM enroll_tokens WHERE hash = ?",
            &[hash.into()],
        )?;
        let Some(row) = rows.first() else {
            return Ok(TokenUse::Unknown);
        };
        if row.opt_text(2)?.is_some() {
            return Ok(TokenUse::Used);
        }
        if row.text(1)?.as_str() <= now {
            return Ok(TokenUse::Expired);
        }
        let changed = self.conn.execute(
            "UPDATE enroll_tokens SET used_at = ?, used_by = ? WHERE hash = ? AND used_at IS NULL",
            &[now.into(), device_id.into(), hash.into()],
        )?;
        Ok(if changed == 1 {
            TokenUse::Accepted { site: row.text(0)? }
        } else {
            TokenUse::Used
        })
    }

    /// Stores an admin token's hash.
    pub fn insert_admin_token(&mut self, hash: &str, name: &str, now: &str) -> Result<(), DbError> {
        self.conn.execute(
            "INSERT INTO admin_tokens (hash, name, created_at) VALUES (?, ?, ?)",
            &[hash.into(), name.into(), now.into()],
        )?;
        Ok(())
    }

    /// The name of the admin token with this hash.
    pub fn admin_token_name(&mut self, hash: &str) -> Result<Option<String>, DbError> {
        let rows = self.conn.query(
            "SELECT name FROM admin_tokens WHERE hash = ?",
            &[hash.into()],
        )?;
        rows.first().map(|r| r.text(0)).transpose()
    }

    /// Records a request nonce; false when the device used it before (a replay).
    pub fn insert_nonce(&mut self, device_id: &str, nonce: &str, ts: i64) -> Result<bool, DbError> {
        Ok(self.conn.execute(
            "INSERT INTO nonces (device_id, nonce, ts) VALUES (?, ?, ?) \
             ON CONFLICT (device_id, nonce) DO NOTHING",
            &[device_id.into(), nonce.into(), ts.into()],
        )? == 1)
    }

    /// Forgets nonces older than `before` (their requests are refused as stale anyway).
    pub fn purge_nonces(&mut self, before: i64) -> Result<(), DbError> {
        self.conn
            .execute("DELETE FROM nonces WHERE ts < ?", &[before.into()])?;
        Ok(())
    }
}
