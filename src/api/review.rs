//! The review screen's view of a case, assembled in the core so that every door shows the same
//! and it is audited once: the case with its documents, their analyses and jobs, its timeline,
//! the names of its people and what the signed-in user may do with it.

use serde::Serialize;
use ts_rs::TS;

use super::{AuditTimelineEntry, CaseAction, DocumentDetail, Result, Session};
use crate::pipeline::analysis::Analysis;
use crate::records::{Case, Document};
use crate::store::jobs::Job;

/// A document as the review screen shows it: its record, its analysis and its jobs.
#[derive(Clone, Debug, Serialize, TS)]
pub struct ShownDocument {
    pub document: Document,
    pub analysis: Option<Analysis>,
    pub jobs: Vec<Job>,
}

impl From<DocumentDetail> for ShownDocument {
    fn from(d: DocumentDetail) -> Self {
        ShownDocument {
            document: d.document,
            analysis: d.analysis,
            jobs: d.jobs,
        }
    }
}

/// Everything the review screen shows for one case.
#[derive(Clone, Debug, Serialize, TS)]
pub struct CaseDetail {
    pub case: Case,
    pub reviewer_name: Option<String>,
    pub created_by_name: Option<String>,
    /// What the signed-in user may do now (each operation checks again).
    pub allowed: Vec<CaseAction>,
    pub documents: Vec<ShownDocument>,
    /// Empty under break-glass: that access shows the documents it was asked for, not the
    /// case's history.
    pub timeline: Vec<AuditTimelineEntry>,
    pub break_glass: bool,
}

impl Session {
    /// Opens a case for review. Under break-glass, the opening is one break-glass record (not
    /// one per document), and the timeline is not asked for, so no refusal is logged for it.
    pub fn case_detail(&mut self, case_id: &str, break_glass: Option<&str>) -> Result<CaseDetail> {
        let view = self.open_case(case_id, break_glass)?;
        let mut documents = Vec::with_capacity(view.documents.len());
        for document in view.documents {
            documents.push(self.show_document(&view.case, document)?.into());
        }
        let timeline = if view.break_glass {
            Vec::new()
        } else {
            self.case_timeline(case_id)?
        };
        let names = self.user_names()?;
        let name = |id: &str| names.get(id).cloned();
        Ok(CaseDetail {
            allowed: self.permitted_actions(&view.case),
            reviewer_name: view.case.reviewer_id.as_deref().and_then(name),
            created_by_name: name(&view.case.created_by),
            case: view.case,
            documents,
            timeline,
            break_glass: view.break_glass,
        })
    }
}
