//! The document classifier: a local ONNX model (trained by `models/train/`) run through ONNX
//! Runtime, loaded dynamically from the library the set-up script unpacks from the `onnxruntime`
//! wheel. Input: a document's extracted text; output: a label and a confidence.
//!
//! If the library or the model is missing, damaged or fails to load, `Classifier::load` says why
//! and the caller records "no AI signal" — the document goes to manual review; nothing hangs.

use std::path::{Path, PathBuf};

use ort::session::Session;
use ort::value::Tensor;
use serde::Deserialize;

/// The ONNX Runtime release the set-up script installs.
pub const ORT_VERSION: &str = "1.31.1";
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

/// Where the ONNX Runtime library may be: `VARDE_ORT_DYLIB` if set; otherwise beside the
/// executable, an installed package's lib directory, the checkout this binary was built from.
fn runtime_candidates() -> Vec<PathBuf> {
    let file = format!("libonnxruntime.so.{ORT_VERSION}");
    // An explicit setting is the only place looked at: a wrong one must show, not be papered over.
    if let Some(p) = std::env::var_os("VARDE_ORT_DYLIB") {
        return vec![PathBuf::from(p)];
    }
    let mut c = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        c.push(dir.join(&file));
        c.push(dir.join("../lib/varde").join(&file));
    }
    c.push(checkout_root().join(".deps/onnxruntime").join(&file));
    c
}

/// Where the model may be: `VARDE_MODEL_DIR` if set; otherwise an installed package's share
/// directory, the checkout this binary was built from.
fn model_dir_candidates() -> Vec<PathBuf> {
    if let Some(p) = std::env::var_os("VARDE_MODEL_DIR") {
        return vec![PathBuf::from(p)];
    }
    let mut c = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        c.push(dir.join("../share/varde/models"));
    }
    c.push(checkout_root().join("models"));
    c
}

/// The root of the checkout this crate was built from (`make setup` installs there), two levels
/// above this crate's manifest.
fn checkout_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn first_existing(candidates: &[PathBuf], file: &str) -> Option<PathBuf> {
    candidates
        .iter()
        .map(|d| {
            if file.is_empty() {
                d.clone()
            } else {
                d.join(file)
            }
        })
        .find(|p| p.is_file())
}

fn describe(candidates: &[PathBuf]) -> String {
    candidates
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
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
        let env = ort::init_from(runtime)
            .map_err(|e| ClassifyError::RuntimeLoad(e.to_string()))?
            .with_name("varde")
            .build()
            .map_err(|e| ClassifyError::RuntimeLoad(e.to_string()))?;
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
        let outputs = self
            .session
            .run(ort::inputs![self.card.input.as_str() => input])
            .map_err(infer)?;
        let (_, probabilities) = outputs[self.card.outputs.probabilities.as_str()]
            .try_extract_tensor::<f32>()
            .map_err(infer)?;
        if probabilities.len() != self.card.labels.len() {
            return Err(ClassifyError::Inference(format!(
                "the model gave {} probabilities for {} labels",
                probabilities.len(),
                self.card.labels.len()
            )));
        }
        let (best, confidence) =
            probabilities
                .iter()
                .copied()
                .enumerate()
                .fold(
                    (0, f32::MIN),
                    |acc, (i, p)| if p > acc.1 { (i, p) } else { acc },
                );
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
