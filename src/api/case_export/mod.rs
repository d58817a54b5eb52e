//! Exporting a case for an EHR: a FHIR R4 Bundle (`fhir`) of its subject, documents and coded
//! observations. The bundle is PHI (the Patient resource names the subject) and is written only
//! when a user who may open the case asks for it; the export is audited with counts only.

mod fhir;

use super::{Result, Session};
use crate::audit::actions;
use crate::domain::Operation;
use crate::store;

/// What to put in a case export.
#[derive(Clone, Copy, Debug, Default)]
pub struct CaseExportOptions {
    /// Embed each document's file (base64) in its DocumentReference.
    pub include_content: bool,
}

impl Session {
    /// The case as a FHIR R4 Bundle (whoever may open the case; never under break-glass).
    pub fn export_case_fhir(
        &mut self,
        case_id: &str,
        options: CaseExportOptions,
    ) -> Result<serde_json::Value> {
        let case = self.load_case(case_id, actions::CASE_EXPORT)?;
        self.authorize_case(&case, Operation::ViewCase, actions::CASE_EXPORT, None)?;
        let documents = store::documents::list_for_case(&self.conn, case_id)?;
        let mut analyses = Vec::with_capacity(documents.len());
        let mut contents = Vec::with_capacity(documents.len());
        for d in &documents {
            analyses.push(store::jobs::analysis_of(&self.conn, &d.id)?.map(|a| a.analysis));
            contents.push(if options.include_content {
                let bytes = self.decrypt_document(d)?;
                Some(super::gdpr::base64(&bytes))
            } else {
                None
            });
        }
        let exported: Vec<fhir::ExportedDocument<'_>> = documents
            .iter()
            .zip(&analyses)
            .zip(contents)
            .map(
                |((document, analysis), content_base64)| fhir::ExportedDocument {
                    document,
                    analysis: analysis.as_ref(),
                    content_base64,
                },
            )
            .collect();
        let bundle = fhir::case_bundle(
            &case,
            &exported,
            &fhir::Software {
                varde_version: env!("CARGO_PKG_VERSION"),
                pipeline_version: crate::pipeline::VERSION,
            },
            &crate::clock::format(crate::clock::now()),
        );
        let resources = bundle["entry"].as_array().map_or(0, Vec::len);
        self.record(
            self.event(actions::CASE_EXPORT)
                .on("case", case_id)
                .with("format", "fhir")
                .with("documents", documents.len())
                .with("resources", resources)
                .with("include_content", options.include_content),
        )?;
        Ok(bundle)
    }
}
