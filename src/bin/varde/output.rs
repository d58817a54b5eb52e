//! What the CLI prints: plain text for people, or one JSON value on stdout with `--json`.
//! Errors go to stderr (and, with `--json`, also as `{"error": {...}}` on stdout).

use std::path::Path;

use serde::Serialize;
use varde::api::{
    AddedDocument, AuditTimelineEntry, CaseView, DocumentDetail, Job, PurgeReport, RunReport,
    SyncReport, SyncStatus, VerifyReport,
};

use varde::config::Config;
use varde::pipeline::analysis::Analysis;
use varde::records::{BreakGlassEvent, Case, Document, Page, User};

use varde::Session;

pub struct Out {
    json: bool,
}

fn print_json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("varde: could not encode output: {e}"),
    }
}

impl Out {
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn error(&self, code: &str, message: &str) {
        if self.json {
            print_json(&serde_json::json!({ "error": { "code": code, "message": message } }));
        }
        eprintln!("varde: {message}");
    }

    pub fn message(&self, text: &str) {
        if self.json {
            print_json(&serde_json::json!({ "ok": true, "message": text }));
        } else {
            println!("{text}");
        }
    }

    pub fn init(&self, session: &Session, recovery_code: &str) {
        let (device_id, public_key) = session.device_identity();
        if self.json {
            print_json(&serde_json::json!({
                "data_dir": session.data_dir(),
                "admin": session.user(),
                "device_id": device_id,
                "device_public_key": public_key,
                "recovery_code": recovery_code,
            }));
            return;
        }
        println!("Varde store created in {}", session.data_dir().display());
        println!("Admin: {} ({})", session.user().name, session.user().id);
        println!("Device: {device_id}");
        println!();
        println!("RECOVERY CODE (shown once — write it down and keep it offline, e.g. in a safe):");
        println!();
        println!("    {recovery_code}");
        println!();
        println!(
            "It opens the store if every admin password is lost: `varde recover --user NAME`."
        );
    }

    pub fn user(&self, u: &User) {
        if self.json {
            return print_json(u);
        }
        println!("User {} added as {} ({})", u.name, u.role, u.id);
    }

    pub fn users(&self, users: &[varde::api::UserSummary]) {
        if self.json {
            return print_json(users);
        }
        println!("{:<24} {:<10} {:<36} CREATED", "NAME", "ROLE", "ID");
        for u in users {
            println!(
                "{:<24} {:<10} {:<36} {}",
                u.name, u.role, u.id, u.created_at
            );
        }
    }

    pub fn case(&self, c: &Case) {
        if self.json {
            return print_json(c);
        }
        println!("Case {}", c.id);
        println!("  kind:     {}", c.kind);
        println!("  status:   {} (version {})", c.status, c.version);
        println!("  subject:  {}", c.subject.name);
        if let Some(d) = &c.subject.date_of_birth {
            println!("  born:     {d}");
        }
        if let Some(id) = &c.subject.national_id {
            println!("  ID no.:   {}*****", &id[..6.min(id.len())]);
        }
        println!(
            "  consent:  given {} (policy {})",
            c.consent.at, c.consent.policy_version
        );
        if let Some(ai) = &c.ai {
            let conf = ai
                .confidence
                .map_or("—".to_string(), |x| format!("{:.0} %", x * 100.0));
            println!(
                "  AI:       {} ({}, {}){}",
                ai.suggestion.as_str(),
                if ai.labels.is_empty() {
                    "no label".to_string()
                } else {
                    ai.labels.join(", ")
                },
                conf,
                ai.model
                    .as_deref()
                    .map_or(String::new(), |m| format!(" — {m}"))
            );
        }
        if let Some(d) = &c.decision {
            println!(
                "  decision: {}{}",
                d.as_str(),
                c.decision_reason
                    .as_deref()
                    .map_or(String::new(), |r| format!(" — {r}"))
            );
        }
        if let Some(p) = &c.purge_after {
            println!("  purge:    after {p}");
        }
    }

    pub fn case_view(&self, v: &CaseView) {
        if self.json {
            return print_json(v);
        }
        if v.break_glass {
            println!("!! Opened under break-glass: this access is recorded and will be reviewed.");
        }
        self.case(&v.case);
        if v.documents.is_empty() {
            println!("  documents: none");
        }
        for d in &v.documents {
            println!(
                "  document: {}  {}  {}  {} bytes{}",
                d.id,
                d.file_name,
                d.media_type,
                d.size_bytes,
                if d.duplicate {
                    "  (DUPLICATE of a file in another case)"
                } else {
                    ""
                }
            );
        }
    }

    pub fn case_page(&self, p: &Page<Case>) {
        if self.json {
            return print_json(p);
        }
        println!(
            "{:<36}  {:<9}  {:<9}  {:<3}  {:<24}  UPDATED",
            "ID", "KIND", "STATUS", "VER", "SUBJECT"
        );
        for c in &p.items {
            let name: String = c.subject.name.chars().take(24).collect();
            println!(
                "{:<36}  {:<9}  {:<9}  {:<3}  {:<24}  {}",
                c.id, c.kind, c.status, c.version, name, c.updated_at
            );
        }
        println!(
            "{} of {} case(s), from {}",
            p.items.len(),
            p.total,
            p.offset
        );
    }

    pub fn document(&self, d: &Document) {
        if self.json {
            return print_json(d);
        }
        println!("Document {} added to case {}", d.id, d.case_id);
        println!(
            "  {} — {} bytes, {}",
            d.file_name, d.size_bytes, d.media_type
        );
        println!("  sha256 {}", d.sha256);
        if d.duplicate {
            println!("  NOTE: the same file is already in another case (flagged as duplicate).");
        }
    }

    pub fn document_written(&self, d: &Document, path: &Path) {
        if self.json {
            return print_json(&serde_json::json!({ "document": d, "written_to": path }));
        }
        println!(
            "Document {} written to {} ({} bytes)",
            d.id,
            path.display(),
            d.size_bytes
        );
    }

    pub fn verify(&self, r: &VerifyReport) {
        if self.json {
            return print_json(&serde_json::json!({ "ok": true, "report": r }));
        }
        println!(
            "Audit chain OK: {} entries, hashes, links and signatures verified (head {} {}).",
            r.entries,
            r.head_seq,
            &r.head_hash[..16.min(r.head_hash.len())]
        );
        if let Some(seq) = r.receipt_seq {
            println!("It extends the audit server's last receipt (entry {seq}).");
        }
        if let Some(seq) = r.server_head {
            println!("The audit server holds entries up to {seq}, all in this chain.");
        }
    }

    pub fn sync_status(&self, s: &SyncStatus) {
        if self.json {
            return print_json(s);
        }
        if !s.enrolled {
            println!("Audit sync: not enrolled (device {}).", s.device_id);
            return;
        }
        println!(
            "Audit sync: {} — {}",
            if s.enabled { "on" } else { "off" },
            s.server.as_deref().unwrap_or("")
        );
        println!("  device:      {}", s.device_id);
        println!("  waiting:     {} (local head {})", s.pending, s.local_head);
        let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        let num = |v: Option<u64>| v.map_or("—".into(), |n| n.to_string());
        println!("  last sent:   {}", or_dash(&s.last_success));
        if let Some(since) = &s.offline_since {
            println!("  offline:     since {since}");
        }
        println!("  server head: {}", num(s.server_head));
        println!("  checkpoint:  {} entries", num(s.checkpoint_size));
        println!("  state:       {}", or_dash(&s.server_state));
        if let Some(e) = &s.last_error {
            println!("  last error:  {e}");
        }
    }

    pub fn sync_report(&self, r: &SyncReport) {
        if self.json {
            return print_json(r);
        }
        println!(
            "Audit sync: {} sent, {} already there, in {} batches; server head {}, {} waiting.",
            r.pushed,
            r.duplicates,
            r.batches,
            r.status.server_head.unwrap_or(0),
            r.status.pending
        );
    }

    pub fn segment_written(&self, s: &varde_sync_wire::Segment, path: &Path) {
        let first = s.entries.first().map_or(0, |e| e.body.seq);
        let last = s.entries.last().map_or(0, |e| e.body.seq);
        if self.json {
            return print_json(&serde_json::json!({
                "file": path, "entries": s.entries.len(), "first_seq": first, "last_seq": last,
            }));
        }
        println!(
            "{} audit entries ({first}–{last}) written to {} for `varde-server import`.",
            s.entries.len(),
            path.display()
        );
    }

    pub fn timeline(&self, entries: &[AuditTimelineEntry]) {
        if self.json {
            return print_json(entries);
        }
        for e in entries {
            println!(
                "{:>6}  {}  {:<20} {:<8} {}",
                e.seq,
                e.timestamp,
                e.action,
                e.outcome,
                e.actor_role.as_deref().unwrap_or("system")
            );
        }
    }

    pub fn break_glass(&self, events: &[BreakGlassEvent]) {
        if self.json {
            return print_json(events);
        }
        if events.is_empty() {
            println!("No break-glass accesses waiting for review.");
        }
        for e in events {
            println!(
                "{}  {}  case {}  by {}  reason: {}{}",
                e.id,
                e.at,
                e.case_id,
                e.user_id,
                e.reason,
                e.reviewed_at
                    .as_deref()
                    .map_or(String::new(), |r| format!("  (reviewed {r})"))
            );
        }
    }

    pub fn backup(&self, r: &varde::api::BackupReport) {
        if self.json {
            return print_json(r);
        }
        println!(
            "Backup written to {} ({} bytes, {} documents, {} audit entries)\nSHA-256 {}\nIt opens with the passwords of this store's users. Keep it no longer than the retention policy allows: an erased case stays readable in backups made before its erasure.",
            r.path.display(),
            r.bytes,
            r.documents,
            r.audit_entries,
            r.sha256
        );
    }

    pub fn restore(&self, r: &varde::api::RestoreReport) {
        if self.json {
            return print_json(r);
        }
        println!(
            "Restored into {}: {} documents; the audit chain verified ({} entries, {} from the backup of {}).",
            r.data_dir.display(),
            r.documents,
            r.verified_entries,
            r.audit_entries,
            r.backup_created_at
        );
    }

    pub fn purge(&self, r: &PurgeReport) {
        if self.json {
            return print_json(r);
        }
        println!(
            "Purged {} case(s) past retention; removed {} orphaned file(s).",
            r.purged_cases.len(),
            r.orphan_blobs_removed
        );
    }

    pub fn config(&self, c: &Config) {
        if self.json {
            return print_json(c);
        }
        println!("retention_days          = {}", c.retention_days);
        println!("upload_limit_mib        = {}", c.upload_limit_mib);
        println!("ai_confidence_threshold = {}", c.ai_confidence_threshold);
        println!(
            "allow_cloud_processing  = {}   (off: no document data leaves this machine)",
            c.allow_cloud_processing
        );
        println!("auto_lock_minutes       = {}", c.auto_lock_minutes);
        println!("language                = {}", c.language);
        println!("consent_policy_version  = {}", c.consent_policy_version);
    }

    pub fn added(&self, a: &AddedDocument) {
        if self.json {
            return print_json(a);
        }
        self.document(&a.document);
        for w in &a.warnings {
            println!("  note: {w}");
        }
        println!(
            "  analysis queued as job {} (run `varde worker`, or add with --wait)",
            a.job_id
        );
    }

    pub fn document_detail(&self, d: &DocumentDetail) {
        if self.json {
            return print_json(d);
        }
        self.document(&d.document);
        match &d.analysis {
            Some(a) => {
                let c = &a.classification;
                let label = c.label.as_deref().unwrap_or("—");
                let conf = c
                    .confidence
                    .map_or("—".into(), |x| format!("{:.0} %", x * 100.0));
                let uncertain = if c.uncertain { " (uncertain)" } else { "" };
                println!(
                    "  AI:       {label}{uncertain}, confidence {conf}, suggests {}",
                    c.suggestion.as_str()
                );
                if let Some(m) = &c.model {
                    println!("  model:    {m}");
                }
                if let Some(why) = &c.unavailable {
                    println!("  no AI signal: {why}");
                }
                println!(
                    "  text:     {} page(s) from {}",
                    a.pages,
                    a.text_source.map_or("—", |s| s.as_str())
                );
            }
            None => println!("  analysis: not yet"),
        }
        for j in &d.jobs {
            println!(
                "  job {}  {}  {} %  attempt {}/{}{}",
                j.id,
                j.status,
                j.progress,
                j.attempts,
                j.max_attempts,
                j.last_error
                    .as_deref()
                    .map_or(String::new(), |e| format!("  last error: {e}"))
            );
        }
    }

    pub fn jobs(&self, jobs: &[Job]) {
        if self.json {
            return print_json(jobs);
        }
        println!(
            "{:<36}  {:<10}  {:>4}  {:>7}  {:<36}  LAST ERROR",
            "JOB", "STATUS", "%", "ATTEMPT", "DOCUMENT"
        );
        for j in jobs {
            println!(
                "{:<36}  {:<10}  {:>4}  {:>3}/{:<3}  {:<36}  {}",
                j.id,
                j.status,
                j.progress,
                j.attempts,
                j.max_attempts,
                j.document_id,
                j.last_error.as_deref().unwrap_or("")
            );
        }
    }

    pub fn run_report(&self, r: &RunReport) {
        if self.json {
            return print_json(r);
        }
        if !r.requeued.is_empty() {
            println!(
                "{} interrupted job(s) put back in the queue.",
                r.requeued.len()
            );
        }
        println!(
            "Jobs done: {}, to be retried: {}, dead: {}.",
            r.done, r.retried, r.dead
        );
    }

    pub fn analysis(&self, a: &Analysis) {
        if self.json {
            return print_json(a);
        }
        println!(
            "{}  {}  {} page(s)  sha256 {}",
            a.file, a.mime, a.pages, a.sha256
        );
        let c = &a.classification;
        match (&c.label, c.confidence) {
            (Some(l), Some(conf)) => println!(
                "AI: {l}{} ({:.0} %, threshold {:.0} %) → {}  [{}]",
                if c.uncertain { " (uncertain)" } else { "" },
                conf * 100.0,
                c.threshold * 100.0,
                c.suggestion.as_str(),
                c.model.as_deref().unwrap_or("")
            ),
            _ => println!(
                "AI: no signal ({}) → {}",
                c.unavailable.as_deref().unwrap_or("unknown"),
                c.suggestion.as_str()
            ),
        }
        if let Some(src) = a.text_source.map(|s| s.as_str()) {
            println!(
                "text from {src}{}; {} ms in all",
                a.ocr_confidence.map_or(String::new(), |x| format!(
                    ", OCR confidence {:.0} %",
                    x * 100.0
                )),
                a.timings_ms.total
            );
        }
        for w in &a.warnings {
            println!("note: {w}");
        }
        if !a.text.is_empty() {
            println!("\n{}", a.text.replace('\u{c}', "\n--- page break ---\n"));
        }
    }
}
