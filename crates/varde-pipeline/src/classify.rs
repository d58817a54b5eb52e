//! The document classifier: a local ONNX model (trained by `models/train/`) run through ONNX
//! Runtime, loaded dynamically from the library the set-up script unpacks from the `onnxruntime`
//! wheel. Input: a document's extracted text; output: a label and a confidence.
//!
//! If the library or the model is missing, damaged or fails to load, `Classifier::load` says why
//! and the caller records "no AI signal" — the document goes to manual review; nothing hangs.

use std::path::Path;

use ort::session::Session;
use ort::value::Tensor;
use serde::Deserialize;

use crate::onnx::{self, describe, first_existing, model_dir_candidates, runtime_candidates};

/// The ONNX Runtime release the set-up script installs.
pub use crate::onnx::ORT_VERSION;
const MODEL_FILE: &str = "doc-classifier.onnx";
const MODEL_CARD: &str = "doc-classifier.json";

#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    #[error("the ONNX Runtime library was not found (looked in: {searched}); run `make setup`")]
    RuntimeMissing { searched: String },
    #[error("the ONNX Runtime library could not be loaded: {0}")]
    RuntimeLoad(String),
    #[error("the classifier model was not found (looked in: {searched})")]
    ModelMissing { searched: String },
    #[error("the classifier model's description is invalid: {0}")]
    ModelCard(String),
    #[error("the classifier model file does not match its recorded SHA-256 (damaged or replaced)")]
    ModelChecksum,
    #[error("the classifier model could not be loaded: {0}")]
    ModelLoad(String),
    #[error("classification failed: {0}")]
    Inference(String),
}

/// What `models/doc-classifier.json` says about the model.
#[derive(Clone, Debug, Deserialize)]
pub struct ModelCard {
    pub name: String,
    pub version: String,
    pub labels: Vec<String>,
    pub input: String,
    pub outputs: ModelOutputs,
    pub sha256: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ModelOutputs {
    pub label: String,
    pub probabilities: String,
}

/// One prediction.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Prediction {
    pub label: String,
    /// The model's calibrated probability for `label`, 0–1.
    pub confidence: f32,
    /// `name@version` of the model, recorded with every prediction.
    pub model: String,
}

/// A loaded model, kept for the life of the process (load once, classify many).
pub struct Classifier {
    session: Session,
    card: ModelCard,
}

impl std::fmt::Debug for Classifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Classifier({})", self.model_id())
    }
}

impl Classifier {
    /// Finds and loads the runtime and the model from their usual places.
    pub fn load() -> Result<Classifier, ClassifyError> {
        let runtimes = runtime_candidates();
        let runtime =
            first_existing(&runtimes, "").ok_or_else(|| ClassifyError::RuntimeMissing {
                searched: describe(&runtimes),
            })?;
        let dirs = model_dir_candidates();
        let model =
            first_existing(&dirs, MODEL_FILE).ok_or_else(|| ClassifyError::ModelMissing {
                searched: describe(&dirs),
            })?;
        Classifier::load_from(&runtime, model.parent().expect("a file has a parent"))
    }

    /// Loads the runtime library at `runtime` and the model in `model_dir`.
    pub fn load_from(runtime: &Path, model_dir: &Path) -> Result<Classifier, ClassifyError> {
        let card_text = std::fs::read_to_string(model_dir.join(MODEL_CARD)).map_err(|_| {
            ClassifyError::ModelMissing {
                searched: model_dir.join(MODEL_CARD).display().to_string(),
            }
        })?;
        let card: ModelCard = serde_json::from_str(&card_text)
            .map_err(|e| ClassifyError::ModelCard(e.to_string()))?;
        if card.labels.is_empty() {
            return Err(ClassifyError::ModelCard("no labels".into()));
        }
        let model_bytes =
            std::fs::read(model_dir.join(MODEL_FILE)).map_err(|_| ClassifyError::ModelMissing {
                searched: model_dir.join(MODEL_FILE).display().to_string(),
            })?;
        let digest = crate::digest::hex(&crate::digest::sha256(&model_bytes));
        if !digest.eq_ignore_ascii_case(card.sha256.trim()) {
            return Err(ClassifyError::ModelChecksum);
        }
        let env = onnx::environment(runtime).map_err(ClassifyError::RuntimeLoad)?;
        let load = |e: String| ClassifyError::ModelLoad(e);
        // One intra-op thread: parallelism comes from documents, and latency is steadier on 2 cores.
        let mut builder = Session::builder(&env)
            .map_err(|e| load(e.to_string()))?
            .with_intra_threads(1)
            .map_err(|e| load(e.to_string()))?;
        let session = builder
            .commit_from_memory(&model_bytes)
            .map_err(|e| load(e.to_string()))?;
        Ok(Classifier { session, card })
    }

    /// `name@version`, as recorded with each prediction.
    pub fn model_id(&self) -> String {
        format!("{}@{}", self.card.name, self.card.version)
    }

    pub fn labels(&self) -> &[String] {
        &self.card.labels
    }

    /// Classifies one document's text.
    pub fn classify(&mut self, text: &str) -> Result<Prediction, ClassifyError> {
        let infer = |e: ort::Error| ClassifyError::Inference(e.to_string());
        let owned = [text.to_string()];
        let input = Tensor::from_string_array(([1usize, 1], &owned[..])).map_err(infer)?;
        let model = self.model_id();
        let probabilities = onnx::run_for_floats(
            &mut self.session,
            &self.card.input,
            input,
            &self.card.outputs.probabilities,
        )
        .map_err(infer)?;
        if probabilities.len() != self.card.labels.len() {
            return Err(ClassifyError::Inference(format!(
                "the model gave {} probabilities for {} labels",
                probabilities.len(),
                self.card.labels.len()
            )));
        }
        let (best, confidence) = onnx::argmax(&probabilities);
        Ok(Prediction {
            label: self.card.labels[best].clone(),
            confidence: confidence.clamp(0.0, 1.0),
            model,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_runtime_or_model_is_reported_with_where_it_was_looked_for() {
        let dir = tempfile::tempdir().unwrap();
        let err =
            Classifier::load_from(&dir.path().join("libonnxruntime.so"), dir.path()).unwrap_err();
        assert!(matches!(err, ClassifyError::ModelMissing { .. }), "{err}");
        assert!(err.to_string().contains("doc-classifier.json"));
    }

    #[test]
    fn a_model_that_does_not_match_its_checksum_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(MODEL_CARD),
            r#"{"name":"m","version":"1","labels":["a"],"input":"text","outputs":{"label":"label","probabilities":"probabilities"},"sha256":"00"}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join(MODEL_FILE), b"not a model").unwrap();
        let err = Classifier::load_from(Path::new("/nonexistent"), dir.path()).unwrap_err();
        assert!(matches!(err, ClassifyError::ModelChecksum), "{err}");
    }
}
