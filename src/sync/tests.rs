//! The client's checks of what a server sends, against a real server key and a real RFC 6962
//! tree of two leaves: good receipts and proofs pass, tampered ones are refused as misbehaviour.

use std::sync::Arc;

use ring::digest::{digest, SHA256};
use varde_audit_chain::DeviceKey;
use varde_sync_wire::{tree, Checkpoint, InclusionProof, Receipt, ServerKey};

use super::client::SyncClient;
use super::protocol::{check_extends_last, check_receipt, verify_inclusion_proof};
use super::SyncError;
use crate::audit::AuditLog;
use crate::store::sync_state::{self, StoredCheckpoint, SyncConfig};
use crate::vault::SecretKey;

const ORIGIN: &str = "varde-audit/test";

fn node(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut data = vec![1u8];
    data.extend_from_slice(left);
    data.extend_from_slice(right);
    digest(&SHA256, &data).as_ref().try_into().unwrap()
}

struct Fixture {
    key: ServerKey,
    cfg: SyncConfig,
    leaves: [[u8; 32]; 2],
    hashes: [String; 2],
    checkpoint: Checkpoint,
    note: String,
}

fn fixture() -> Fixture {
    let (key, _) = ServerKey::generate().unwrap();
    let hashes = ["ab".repeat(32), "cd".repeat(32)];
    let leaves = [
        tree::leaf_hash("dev", 1, &hashes[0]).unwrap(),
        tree::leaf_hash("other", 7, &hashes[1]).unwrap(),
    ];
    let checkpoint = Checkpoint {
        origin: ORIGIN.into(),
        size: 2,
        root: node(&leaves[0], &leaves[1]),
    };
    let note = checkpoint.sign(&key).unwrap();
    let cfg = SyncConfig {
        server_url: "http://127.0.0.1:9".into(),
        pin_sha256: None,
        origin: ORIGIN.into(),
        server_public_key: key.public_key_hex(),
        site: "test".into(),
        device_name: "ws".into(),
        enabled: true,
        enrolled_at: "2026-01-01T00:00:00Z".into(),
    };
    Fixture {
        key,
        cfg,
        leaves,
        hashes,
        checkpoint,
        note,
    }
}

fn misbehaved<T: std::fmt::Debug>(r: Result<T, SyncError>) -> String {
    match r {
        Err(SyncError::ServerMisbehaved(m)) => m,
        other => panic!("expected ServerMisbehaved, got {other:?}"),
    }
}

#[test]
fn a_good_receipt_and_inclusion_proof_pass_and_tampered_ones_are_refused() {
    let f = fixture();
    let receipt = Receipt::issue(&f.key, "dev", 1, &f.hashes[0], 0, &f.note);
    let cp = check_receipt(&receipt, &f.cfg, "dev", 1, &f.hashes[0]).unwrap();
    assert_eq!(cp, f.checkpoint);
    let proof = InclusionProof {
        index: 0,
        size: 2,
        hashes: vec![tree::hash_hex(&f.leaves[1])],
    };
    verify_inclusion_proof(&proof, &cp, &f.leaves[0], 1).unwrap();

    let mut tampered = proof.clone();
    tampered.hashes[0] = "00".repeat(32);
    let m = misbehaved(verify_inclusion_proof(&tampered, &cp, &f.leaves[0], 1));
    assert!(m.contains("entry 1"), "{m}");
    // The proof of another leaf does not prove this one.
    misbehaved(verify_inclusion_proof(&proof, &cp, &f.leaves[1], 1));

    // A receipt for another entry than the one sent, or changed after signing, or signed by
    // another key, is refused.
    misbehaved(check_receipt(&receipt, &f.cfg, "dev", 2, &f.hashes[0]));
    let mut changed = receipt.clone();
    changed.tree_index = 1;
    misbehaved(check_receipt(&changed, &f.cfg, "dev", 1, &f.hashes[0]));
    let (other, _) = ServerKey::generate().unwrap();
    let forged = Receipt::issue(&other, "dev", 1, &f.hashes[0], 0, &f.note);
    misbehaved(check_receipt(&forged, &f.cfg, "dev", 1, &f.hashes[0]));
}

#[test]
fn a_tree_that_shrank_or_changed_at_the_same_size_is_refused_without_asking_the_server() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let conn = crate::store::open(&dir.path().join("s.db"), &SecretKey::random().unwrap()).unwrap();
    sync_state::insert_checkpoint(
        &conn,
        &StoredCheckpoint {
            size: 2,
            root: tree::hash_hex(&f.checkpoint.root),
            note: f.note.clone(),
        },
        "2026-01-01T00:00:00Z",
    )
    .unwrap();
    let audit = Arc::new(AuditLog::new(
        "dev".into(),
        DeviceKey::generate().unwrap().0,
    ));
    // Nothing listens on port 9: these checks must not need the network.
    let client = SyncClient::new(&f.cfg.server_url, None, audit).unwrap();
    check_extends_last(&conn, &client, &f.checkpoint).unwrap();
    let rewritten = Checkpoint {
        root: [7; 32],
        ..f.checkpoint.clone()
    };
    misbehaved(check_extends_last(&conn, &client, &rewritten));
    let shrunk = Checkpoint {
        size: 1,
        root: f.leaves[0],
        ..f.checkpoint.clone()
    };
    let m = misbehaved(check_extends_last(&conn, &client, &shrunk));
    assert!(m.contains("shrank from 2 to 1"), "{m}");
}
