//! A test workstation: a device key, a chain sealed with it, and a small HTTP client that signs
//! its requests as the workstation does; plus a server on either backend.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use varde_audit_chain::{Actor, DeviceKey, Entry, EntryBody, Outcome, Resource, GENESIS_PREV_HASH};
use varde_sync_wire::request;
use varde_testkit::{server_binary, Backend, PgCluster, ServerProcess};

/// A server on `backend` with a fresh data directory (and database); the cluster is kept alive
/// by the returned guard.
pub struct TestServer {
    pub server: ServerProcess,
    pub _dir: tempfile::TempDir,
    pub _pg: Option<PgCluster>,
}

pub fn start(backend: Backend) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let pg = (backend == Backend::Postgres).then(PgCluster::start);
    let url = pg.as_ref().map(|c| c.create_database("audit"));
    let server = ServerProcess::start(&server_binary(), dir.path(), url.as_deref());
    TestServer {
        server,
        _dir: dir,
        _pg: pg,
    }
}

/// The JSON a `varde-server … --json` command printed.
pub fn cli_json(server: &ServerProcess, args: &[&str]) -> Value {
    let out = server.cli(args);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?} printed no JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn token(server: &ServerProcess) -> String {
    cli_json(server, &["token", "create", "--site", "clinic-a", "--json"])["token"]
        .as_str()
        .unwrap()
        .to_string()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A workstation: its key, id and chain so far.
pub struct Workstation {
    pub key: DeviceKey,
    pub id: String,
    pub chain: Vec<Entry>,
    pub base: String,
    /// Changes the entries written from now on (a rewritten history differs from the first).
    pub variant: u32,
}

impl Workstation {
    pub fn new(base: &str, id: &str) -> Workstation {
        Workstation {
            key: DeviceKey::generate().unwrap().0,
            id: id.to_string(),
            chain: Vec::new(),
            base: base.to_string(),
            variant: 0,
        }
    }

    /// Seals `n` more entries onto the local chain.
    pub fn record(&mut self, n: usize) {
        for _ in 0..n {
            let seq = self.chain.len() as u64 + 1;
            let prev = self
                .chain
                .last()
                .map_or(GENESIS_PREV_HASH.to_string(), |e| e.hash.clone());
            self.chain.push(self.key.seal(EntryBody {
                seq,
                id: format!("{}-{seq}-{}", self.id, self.variant),
                timestamp: format!("2026-12-01T10:{:02}:{:02}.000Z", seq / 60 % 60, seq % 60),
                device_id: self.id.clone(),
                actor: Some(Actor {
                    user_id: "u-1".into(),
                    role: "reviewer".into(),
                }),
                action: "case.view".into(),
                resource: Some(Resource {
                    kind: "case".into(),
                    id: format!("c-{seq}"),
                }),
                outcome: Outcome::Success,
                context: BTreeMap::new(),
                prev_hash: prev,
            }));
        }
    }

    pub fn enroll(&self, token: &str) -> (u16, Value) {
        let body = serde_json::json!({
            "token": token, "device_id": self.id,
            "public_key": self.key.public_key_hex(), "name": "ws-1",
        });
        let resp = agent()
            .post(format!("{}/v1/enroll", self.base))
            .send_json(&body)
            .unwrap();
        answer(resp)
    }

    /// Signs and sends; `nonce` and `timestamp` may be forced for replay and skew tests.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        ts: Option<i64>,
        nonce: Option<&str>,
    ) -> (u16, Value) {
        let fresh = uuid::Uuid::new_v4().simple().to_string();
        let ts = ts.unwrap_or_else(|| time::OffsetDateTime::now_utc().unix_timestamp());
        let h = request::sign(
            &self.key,
            &self.id,
            method,
            path,
            body,
            ts,
            nonce.unwrap_or(&fresh),
        );
        let url = format!("{}{path}", self.base);
        let resp = if method == "GET" {
            let mut r = agent().get(url);
            for (k, v) in h.pairs() {
                r = r.header(k, v);
            }
            r.call()
        } else {
            let mut r = agent().post(url).content_type("application/json");
            for (k, v) in h.pairs() {
                r = r.header(k, v);
            }
            r.send(body)
        };
        answer(resp.unwrap())
    }

    /// Pushes chain entries `from..=to` (1-based seqs).
    pub fn push(&self, from: u64, to: u64) -> (u16, Value) {
        let entries = &self.chain[(from - 1) as usize..to as usize];
        self.push_entries(entries)
    }

    pub fn push_entries(&self, entries: &[Entry]) -> (u16, Value) {
        let body = serde_json::to_vec(&serde_json::json!({"entries": entries})).unwrap();
        self.send("POST", "/v1/entries", &body, None, None)
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, b"", None, None)
    }
}

fn answer(mut resp: ureq::http::Response<ureq::Body>) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Every file under `dir`, as bytes (to look for what must not be there).
pub fn all_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(all_bytes(&p));
        } else if let Ok(b) = std::fs::read(&p) {
            out.extend(b);
        }
    }
    out
}
