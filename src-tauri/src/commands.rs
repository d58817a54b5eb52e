//! The commands the window may call: each one a thin translation between the window's JSON and
//! one or two calls of the core API. Access control, validation and auditing are the core's.

use std::sync::Arc;
use ts_rs::TS;

use serde::{Deserialize, Serialize};
use tauri::ipc::{InvokeBody, Request, Response};
use tauri::State;
use varde::api::{
    AddedDocument, AuditExport, AuditQuery, AuditTimelineEntry, CaseCounts, CaseDetail, CaseQuery,
    CaseSort, Job, NationalIdCheck, NewCase, ShownDocument, StoreState, UserSummary, VerifyReport,
};

use varde::config::Config;
use varde::domain::{CaseKind, CaseStatus, Role};
use varde::records::{AiSignal, Case, Document, Page, SignedIn};

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

type AppStateRef<'a> = State<'a, Arc<AppState>>;

#[derive(Serialize, TS)]
pub struct AppStatus {
    initialized: bool,
    user: Option<SignedIn>,
    #[ts(type = "number")]
    sign_in_delay_secs: u64,
    #[ts(type = "\"nb\" | \"en\"")]
    language: &'static str,
    auto_lock_minutes: u32,
    consent_policy_version: String,
    app_version: &'static str,
}

/// The language to start in: the admin's setting, else bokmål when the system locale is
/// Norwegian (nb, nn, no), else English.
fn start_language(setting: &str) -> &'static str {
    match setting {
        "nb" => "nb",
        "en" => "en",
        _ => {
            let locale = ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"]
                .iter()
                .filter_map(|k| std::env::var(k).ok())
                .find(|v| !v.is_empty())
                .unwrap_or_default()
                .to_lowercase();
            if ["nb", "nn", "no"].iter().any(|p| locale.starts_with(p)) {
                "nb"
            } else {
                "en"
            }
        }
    }
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn app_status(state: AppStateRef<'_>) -> CommandResult<AppStatus> {
    // The settings file holds no secrets and is readable before sign-in.
    let config = Config::load(state.varde.dir()).unwrap_or_default();
    Ok(AppStatus {
        // A store whose slot file is missing is no first start: the sign-in screen comes, and
        // signing in says what is missing and how to restore it.
        initialized: !matches!(
            state.varde.store_state(),
            StoreState::Empty | StoreState::InitCutOff
        ),
        user: state.signed_in_user().map(SignedIn::from),
        sign_in_delay_secs: state.varde.sign_in_delay(),
        language: start_language(&config.language),
        auto_lock_minutes: config.auto_lock_minutes,
        consent_policy_version: config.consent_policy_version,
        app_version: env!("CARGO_PKG_VERSION"),
    })
}

/// The first screen is interactive: logged (and printed for the cold-start benchmark).
#[tauri::command(async, rename_all = "snake_case")]
pub fn ui_ready(state: AppStateRef<'_>) {
    let ms = state.started.elapsed().as_millis();
    tracing::info!(ms, "first screen interactive");
    if std::env::var_os("VARDE_REPORT_READY").is_some() {
        println!("varde-desktop: interactive after {ms} ms");
    }
}

#[derive(Serialize, TS)]
pub struct CreatedStore {
    user: SignedIn,
    recovery_code: String,
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn create_store(
    state: AppStateRef<'_>,
    admin_name: String,
    password: String,
) -> CommandResult<CreatedStore> {
    let (session, code) = state.varde.init(&admin_name, &password)?;
    let user = state.begin(session)?;
    Ok(CreatedStore {
        user: user.into(),
        recovery_code: code.as_str().to_string(),
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn sign_in(
    state: AppStateRef<'_>,
    user_name: String,
    password: String,
) -> CommandResult<SignedIn> {
    let session = state.varde.sign_in(&user_name, &password)?;
    Ok(state.begin(session)?.into())
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn recover(
    state: AppStateRef<'_>,
    recovery_code: String,
    user_name: String,
    new_password: String,
) -> CommandResult<SignedIn> {
    let session = state
        .varde
        .recover(&recovery_code, &user_name, &new_password)?;
    Ok(state.begin(session)?.into())
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn sign_out(state: AppStateRef<'_>) {
    state.end();
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn touch(state: AppStateRef<'_>) {
    state.touch();
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn case_counts(state: AppStateRef<'_>) -> CommandResult<CaseCounts> {
    state.with_session(|s| s.case_counts())
}

#[derive(Deserialize, TS)]
// What the window may leave out, it may send without.
#[ts(optional_fields = nullable)]
pub struct CaseQueryArg {
    status: Option<CaseStatus>,
    kind: Option<CaseKind>,
    search: Option<String>,
    sort: CaseSort,
    descending: bool,
    #[ts(type = "number")]
    limit: u64,
    #[ts(type = "number")]
    offset: u64,
}

#[derive(Serialize, TS)]
pub struct CaseSummary {
    id: String,
    kind: CaseKind,
    subject_name: String,
    status: CaseStatus,
    #[ts(type = "number")]
    version: i64,
    ai: Option<AiSignal>,
    reviewer_name: Option<String>,
    created_by_name: Option<String>,
    created_at: String,
    updated_at: String,
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn list_cases(state: AppStateRef<'_>, query: CaseQueryArg) -> CommandResult<Page<CaseSummary>> {
    state.with_session(|s| {
        let page = s.list_cases(&CaseQuery {
            status: query.status,
            kind: query.kind,
            search: query.search,
            sort: query.sort,
            descending: query.descending,
            limit: Some(query.limit),
            offset: query.offset,
        })?;
        let names = s.user_names()?;
        let name = |id: Option<&String>| id.and_then(|id| names.get(id).cloned());
        Ok(Page {
            total: page.total,
            offset: page.offset,
            limit: page.limit,
            items: page
                .items
                .into_iter()
                .map(|c| CaseSummary {
                    reviewer_name: name(c.reviewer_id.as_ref()),
                    created_by_name: name(Some(&c.created_by)),
                    id: c.id,
                    kind: c.kind,
                    subject_name: c.subject.name,
                    status: c.status,
                    version: c.version,
                    ai: c.ai,
                    created_at: c.created_at,
                    updated_at: c.updated_at,
                })
                .collect(),
        })
    })
}

#[derive(Deserialize, TS)]
pub struct NewCaseArg {
    kind: CaseKind,
    subject_name: String,
    subject_dob: Option<String>,
    subject_national_id: Option<String>,
    consent_given: bool,
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn create_case(state: AppStateRef<'_>, new_case: NewCaseArg) -> CommandResult<Case> {
    state.with_session(|s| {
        s.create_case(NewCase {
            kind: Some(new_case.kind),
            subject_name: new_case.subject_name,
            subject_dob: new_case.subject_dob,
            subject_national_id: new_case.subject_national_id,
            consent_given: new_case.consent_given,
            // The consent text shown in the window is the store's current one: the core's default.
            policy_version: None,
        })
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn check_national_id(value: String) -> NationalIdCheck {
    varde::api::check_national_id(&value)
}

/// A document and what came with it, nested (the CLI prints the same fields flattened).
#[derive(Serialize, TS)]
pub struct DocumentWith<T> {
    document: Document,
    #[serde(flatten)]
    rest: T,
}

#[derive(Serialize, TS)]
pub struct Added {
    job_id: String,
    warnings: Vec<String>,
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn open_case(
    state: AppStateRef<'_>,
    case_id: String,
    break_glass_reason: Option<String>,
) -> CommandResult<CaseDetail> {
    state.with_session(|s| s.case_detail(&case_id, break_glass_reason.as_deref()))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn start_review(
    state: AppStateRef<'_>,
    case_id: String,
    expected_version: i64,
) -> CommandResult<Case> {
    state.with_session(|s| s.start_review(&case_id, expected_version))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn approve(
    state: AppStateRef<'_>,
    case_id: String,
    expected_version: i64,
    note: Option<String>,
) -> CommandResult<Case> {
    state.with_session(|s| s.approve(&case_id, expected_version, note.as_deref()))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn reject(
    state: AppStateRef<'_>,
    case_id: String,
    expected_version: i64,
    reason: String,
) -> CommandResult<Case> {
    state.with_session(|s| s.reject(&case_id, expected_version, &reason))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn resubmit(
    state: AppStateRef<'_>,
    case_id: String,
    expected_version: i64,
) -> CommandResult<Case> {
    state.with_session(|s| s.resubmit(&case_id, expected_version))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn case_timeline(
    state: AppStateRef<'_>,
    case_id: String,
) -> CommandResult<Vec<AuditTimelineEntry>> {
    state.with_session(|s| s.case_timeline(&case_id))
}

/// Decodes the `%XX` escapes of `encodeURIComponent` (file names travel in a header).
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn header<'r>(request: &'r Request<'_>, name: &str) -> CommandResult<&'r str> {
    request
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| CommandError::invalid(format!("the request has no {name} header")))
}

/// A document's bytes arrive as the raw request body; the core validates them in its isolated
/// worker before anything is stored.
#[tauri::command(async)]
pub fn add_document(
    state: AppStateRef<'_>,
    request: Request<'_>,
) -> CommandResult<DocumentWith<Added>> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::invalid(
            "the document must be sent as raw bytes",
        ));
    };
    let case_id = header(&request, "x-case-id")?.to_string();
    let file_name = percent_decode(header(&request, "x-file-name")?)
        .ok_or_else(|| CommandError::invalid("the file name is not valid UTF-8"))?;
    let added: AddedDocument =
        state.with_session(|s| s.add_document(&case_id, &file_name, bytes))?;
    Ok(DocumentWith {
        document: added.document,
        rest: Added {
            job_id: added.job_id,
            warnings: added.warnings,
        },
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn document_detail(
    state: AppStateRef<'_>,
    case_id: String,
    document_id: String,
) -> CommandResult<ShownDocument> {
    state.with_session(|s| {
        s.document_detail(&case_id, &document_id, None)
            .map(ShownDocument::from)
    })
}

/// Page `page` of a document drawn by the sandboxed worker, `width` screen pixels wide, as raw
/// bytes: a 12-byte header (page count, width, height; u32 big-endian) then the PNG. The window
/// never receives the document itself, so it never parses one.
#[tauri::command(async, rename_all = "snake_case")]
pub fn page_preview(
    state: AppStateRef<'_>,
    case_id: String,
    document_id: String,
    page: u32,
    width: u32,
) -> CommandResult<Response> {
    state.with_session(|s| {
        let preview = s.page_preview(&case_id, &document_id, page, width, None)?;
        let mut body = Vec::with_capacity(12 + preview.png.len());
        for value in [preview.pages, preview.width, preview.height] {
            body.extend_from_slice(&value.to_be_bytes());
        }
        body.extend_from_slice(&preview.png);
        Ok(Response::new(body))
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn list_jobs(state: AppStateRef<'_>, case_id: String) -> CommandResult<Vec<Job>> {
    state.with_session(|s| s.list_jobs(None, Some(&case_id)))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn retry_job(state: AppStateRef<'_>, job_id: String) -> CommandResult<Job> {
    state.with_session(|s| s.retry_job(&job_id))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn verify_audit(state: AppStateRef<'_>) -> CommandResult<VerifyReport> {
    state.with_session(|s| s.verify_audit())
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn audit_entries(
    state: AppStateRef<'_>,
    query: AuditQuery,
) -> CommandResult<Page<AuditTimelineEntry>> {
    state.with_session(|s| s.audit_entries(&query))
}

/// Writes the whole audit log (JSON lines; ids, codes and timings, no PHI) to the Downloads
/// folder, or the home folder where there is none.
#[tauri::command(async, rename_all = "snake_case")]
pub fn export_audit(state: AppStateRef<'_>) -> CommandResult<AuditExport> {
    let dirs = directories::UserDirs::new()
        .ok_or_else(|| CommandError::invalid("there is no home folder to export to"))?;
    let dir = dirs
        .download_dir()
        .unwrap_or_else(|| dirs.home_dir())
        .to_path_buf();
    state.with_session(|s| s.export_audit_to_dir(&dir))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn settings(state: AppStateRef<'_>) -> CommandResult<Config> {
    state.with_session(|s| Ok(s.config().clone()))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn set_setting(state: AppStateRef<'_>, key: String, value: String) -> CommandResult<Config> {
    state.with_session(|s| s.set_setting(&key, &value))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn list_users(state: AppStateRef<'_>) -> CommandResult<Vec<UserSummary>> {
    state.with_session(|s| s.list_users())
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn add_user(
    state: AppStateRef<'_>,
    name: String,
    role: Role,
    password: String,
) -> CommandResult<UserSummary> {
    state.with_session(|s| {
        let u = s.add_user(&name, role, &password)?;
        Ok(UserSummary {
            id: u.id,
            name: u.name,
            role: u.role,
            created_at: u.created_at,
        })
    })
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn remove_user(state: AppStateRef<'_>, name: String) -> CommandResult<()> {
    state.with_session(|s| s.remove_user(&name))?;
    state.restart_background()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_encode_uri_component_decode_including_norwegian_letters() {
        assert_eq!(
            percent_decode("bl%C3%A5%20pr%C3%B8ve%20%C3%A6.pdf").as_deref(),
            Some("blå prøve æ.pdf")
        );
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%C3"), None, "a cut escape is refused");
    }
}
