//! The window may load only what the app ships and talk only to the core over IPC: its content
//! security policy names no other origin. (The end-to-end suite also checks, in the real window,
//! that a request to a listening loopback port never arrives.)

use std::collections::BTreeMap;

fn policy() -> BTreeMap<String, Vec<String>> {
    let conf: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
    let csp = conf["app"]["security"]["csp"]
        .as_str()
        .expect("tauri.conf.json sets a content security policy");
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut parts = d.split_whitespace().map(str::to_string);
            (parts.next().unwrap(), parts.collect())
        })
        .collect()
}

#[test]
fn network_access_is_limited_to_the_ipc_bridge() {
    let p = policy();
    assert_eq!(p["default-src"], ["'self'"]);
    assert_eq!(
        p["connect-src"],
        ["ipc:", "http://ipc.localhost"],
        "the page talks to the core over IPC and to nothing else"
    );
}

#[test]
fn no_directive_allows_a_remote_origin_or_script_evaluation() {
    // Blob and data URLs are the decrypted documents shown from memory; they carry no origin.
    let allowed = [
        "'self'",
        "'none'",
        "'unsafe-inline'",
        "blob:",
        "data:",
        "ipc:",
        "http://ipc.localhost",
    ];
    for (directive, sources) in policy() {
        for s in &sources {
            assert!(
                allowed.contains(&s.as_str()),
                "{directive} allows {s}, which would let the window reach beyond this machine"
            );
        }
        if directive == "script-src" {
            assert_eq!(
                sources,
                ["'self'"],
                "scripts come only from the app bundle, never eval"
            );
        }
        if s_has_inline(&sources) {
            assert_eq!(directive, "style-src", "only styles may be inline");
        }
    }
}

fn s_has_inline(sources: &[String]) -> bool {
    sources.iter().any(|s| s == "'unsafe-inline'")
}

#[test]
fn plugins_and_objects_and_frames_are_refused() {
    let p = policy();
    for d in ["object-src", "frame-src", "base-uri", "form-action"] {
        assert_eq!(p[d], ["'none'"], "{d}");
    }
}
