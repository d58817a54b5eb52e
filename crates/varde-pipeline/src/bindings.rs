//! The TypeScript declarations of the records the window reads from the pipeline and the domain
//! (`ui/src/api/generated/analysis.ts`), generated from these Rust types with ts-rs so the two
//! cannot drift: the test fails when the checked-in file differs from what the types declare.
//! `VARDE_WRITE_TS=1 cargo test -p varde-pipeline bindings` rewrites it.

use ts_rs::TS;

use crate::analysis::{Analysis, Classification, TextOrigin, Timings};
use crate::text::{PageRead, PageReason, TextSource};
use varde_domain::document::{
    Comparator, Field, FieldKey, FieldWarning, Flag, Observation, RangeSource,
};
use varde_domain::signal::Concern;
use varde_domain::{CaseAction, CaseKind, CaseStatus, Decision, Role, Screen, Suggestion};

const GENERATED: &str = "ui/src/api/generated/analysis.ts";

/// Every declaration, in a stable order, as one TypeScript module.
fn declarations() -> String {
    let decls = [
        Role::decl(),
        Screen::decl(),
        CaseAction::decl(),
        CaseKind::decl(),
        CaseStatus::decl(),
        Suggestion::decl(),
        Decision::decl(),
        Concern::decl(),
        FieldKey::decl(),
        FieldWarning::decl(),
        Field::decl(),
        RangeSource::decl(),
        Flag::decl(),
        Comparator::decl(),
        Observation::decl(),
        TextOrigin::decl(),
        TextSource::decl(),
        PageReason::decl(),
        PageRead::decl(),
        Classification::decl(),
        Timings::decl(),
        Analysis::decl(),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by ts-rs (crates/varde-pipeline/src/bindings.rs); do not edit.\n\
         // Rewrite with: VARDE_WRITE_TS=1 cargo test -p varde-pipeline bindings\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}

#[test]
fn the_windows_typescript_declarations_match_the_rust_records() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(GENERATED);
    let expected = declarations();
    if std::env::var_os("VARDE_WRITE_TS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &expected).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == expected,
        "{GENERATED} is out of date with the Rust types: run `VARDE_WRITE_TS=1 cargo test -p varde-pipeline bindings` and commit it"
    );
}
