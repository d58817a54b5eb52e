//! The TypeScript declarations of the records the window reads from the pipeline and the domain
//! (`ui/src/api/generated/analysis.ts`), generated from these Rust types with ts-rs so the two
//! cannot drift: the test fails when the checked-in file differs from what the types declare.
//! `VARDE_WRITE_TS=1 cargo test -p varde-pipeline bindings` rewrites it. [`assert_current`] is
//! the same check for the shell's records (src-tauri/src/bindings.rs). The output contract's
//! code lists (`docs/schema/analysis.schema.json`) are checked against the same types.

/// Checks that the repository's `generated` file (a path from the repository root) holds
/// `expected`, first writing it when `VARDE_WRITE_TS` is set; panics naming `rewrite`, the
/// command that brings it up to date, when it does not.
pub fn assert_current(generated: &str, expected: &str, rewrite: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(generated);
    if std::env::var_os("VARDE_WRITE_TS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a file in a folder")).unwrap();
        std::fs::write(&path, expected).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == expected,
        "{generated} is out of date with the Rust types: run `{rewrite}` and commit it"
    );
}

/// A TypeScript module: `header`, then each declaration exported.
pub fn module(header: &str, decls: &[String]) -> String {
    let mut out = header.to_string();
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(decl);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{assert_current, module};
    use ts_rs::TS;

    use crate::analysis::{
        Analysis, Classification, Comparator, Flag, LabSummary, Language, Observation,
        ObservationComponent, RangeSource, SourceSpan, TextOrigin, Timings,
    };
    use crate::text::{PageRead, PageReason, TextSource};
    use varde_domain::document::{Field, FieldKey, FieldWarning};
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
            SourceSpan::decl(),
            ObservationComponent::decl(),
            Observation::decl(),
            Language::decl(),
            LabSummary::decl(),
            TextOrigin::decl(),
            TextSource::decl(),
            PageReason::decl(),
            PageRead::decl(),
            Classification::decl(),
            Timings::decl(),
            Analysis::decl(),
        ];
        module(
            "// Generated from the Rust types by ts-rs (crates/varde-pipeline/src/bindings.rs); do not edit.\n\
             // Rewrite with: VARDE_WRITE_TS=1 cargo test -p varde-pipeline bindings\n",
            &decls,
        )
    }

    /// The string literals of a ts-rs union declaration (`type X = "a" | "b";`).
    fn literals(decl: &str) -> Vec<String> {
        decl.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn the_output_schema_lists_exactly_the_codes_the_rust_types_have() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/schema/analysis.schema.json");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for (name, decl) in [
            ("Concern", Concern::decl()),
            ("FieldKey", FieldKey::decl()),
            ("FieldWarning", FieldWarning::decl()),
            ("TextOrigin", TextOrigin::decl()),
            ("TextSource", TextSource::decl()),
            ("PageReason", PageReason::decl()),
            ("Suggestion", Suggestion::decl()),
            ("RangeSource", RangeSource::decl()),
            ("Flag", Flag::decl()),
            ("Language", Language::decl()),
        ] {
            let listed: Vec<String> = schema["$defs"][name]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("the schema has no $defs.{name}.enum"))
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            assert_eq!(
                listed,
                literals(&decl),
                "docs/schema/analysis.schema.json: $defs.{name}.enum is out of date with the Rust type"
            );
        }
    }

    #[test]
    fn the_windows_typescript_declarations_match_the_rust_records() {
        assert_current(
            GENERATED,
            &declarations(),
            "VARDE_WRITE_TS=1 cargo test -p varde-pipeline bindings",
        );
    }
}
