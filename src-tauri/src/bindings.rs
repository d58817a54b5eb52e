//! The TypeScript declarations of the records the window exchanges with the shell and the core
//! (`ui/src/api/generated/records.ts`), generated from the Rust types with ts-rs; the domain's
//! and the pipeline's are in `analysis.ts` (crates/varde-pipeline/src/bindings.rs). The test
//! fails when the checked-in file differs from what the types declare;
//! `VARDE_WRITE_TS=1 cargo test -p varde-desktop bindings` rewrites it.

use ts_rs::TS;

use crate::commands::{
    Added, AppStatus, CaseQueryArg, CaseSummary, CreatedStore, DocumentWith, NewCaseArg,
};
use crate::gdpr::SavedFile;
use crate::sync::Enrollment;
use varde::api::{
    AuditExport, AuditQuery, AuditTimelineEntry, BackupReport, CaseCounts, CaseDetail, CaseSort,
    ErasureReason, FoundCase, Job, NationalIdCheck, ShownDocument, SyncReport, SyncStatus,
    UserSummary, VerifyReport,
};
use varde::config::Config;
use varde::records::{
    AiSignal, BreakGlassEvent, Case, Consent, Document, JobStatus, Page, SignedIn, Subject,
};

const GENERATED: &str = "ui/src/api/generated/records.ts";

/// The names `analysis.ts` declares that these records use.
const FROM_ANALYSIS: &str =
    "Analysis, CaseAction, CaseKind, CaseStatus, Decision, Role, Screen, Suggestion";

fn declarations() -> String {
    let decls = [
        SignedIn::decl(),
        AppStatus::decl(),
        CreatedStore::decl(),
        CaseCounts::decl(),
        CaseSort::decl(),
        CaseQueryArg::decl(),
        Page::<()>::decl(),
        AiSignal::decl(),
        CaseSummary::decl(),
        Subject::decl(),
        Consent::decl(),
        Case::decl(),
        NewCaseArg::decl(),
        NationalIdCheck::decl(),
        Document::decl(),
        Added::decl(),
        DocumentWith::<()>::decl(),
        JobStatus::decl(),
        Job::decl(),
        ShownDocument::decl(),
        AuditTimelineEntry::decl(),
        CaseDetail::decl(),
        VerifyReport::decl(),
        AuditQuery::decl(),
        AuditExport::decl(),
        UserSummary::decl(),
        Config::decl(),
        SyncStatus::decl(),
        SyncReport::decl(),
        Enrollment::decl(),
        FoundCase::decl(),
        BreakGlassEvent::decl(),
        ErasureReason::decl(),
        SavedFile::decl(),
        BackupReport::decl(),
    ];
    let header = format!(
        "// Generated from the Rust types by ts-rs (src-tauri/src/bindings.rs); do not edit.\n\
         // Rewrite with: VARDE_WRITE_TS=1 cargo test -p varde-desktop bindings\n\n\
         import type {{ {FROM_ANALYSIS} }} from \"./analysis\";\n"
    );
    varde::pipeline::bindings::module(&header, &decls)
}

#[test]
fn the_windows_typescript_declarations_match_the_shells_and_the_cores_records() {
    varde::pipeline::bindings::assert_current(
        GENERATED,
        &declarations(),
        "VARDE_WRITE_TS=1 cargo test -p varde-desktop bindings",
    );
}
