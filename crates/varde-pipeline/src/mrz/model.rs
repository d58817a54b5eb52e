//! The MRZ glyph model (`models/mrz-glyphs.onnx`, trained by `models/train/mrz/`): a small
//! classifier of one character cell into the 37 characters of the MRZ alphabet, run through
//! ONNX Runtime like the document classifier, and checked against its recorded SHA-256.

use std::path::Path;

use ort::session::Session;
use ort::value::Tensor;
use serde::Deserialize;

use super::cells::CELL_VALUES;
use super::MrzError;
use crate::onnx::{self, describe, first_existing, model_dir_candidates, runtime_candidates};

const MODEL_FILE: &str = "mrz-glyphs.onnx";
const MODEL_CARD: &str = "mrz-glyphs.json";
/// The cell layout this code cuts (see `cells`); a model trained on another is refused.
const CELL_CONTRACT: u32 = 1;

/// What `models/mrz-glyphs.json` says about the model.
#[derive(Clone, Debug, Deserialize)]
struct ModelCard {
    name: String,
    version: String,
    alphabet: String,
    input: String,
    outputs: Outputs,
    sha256: String,
    cell_contract: u32,
}

#[derive(Clone, Debug, Deserialize)]
struct Outputs {
    probabilities: String,
}

/// One recognised character and the model's probability for it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glyph {
    pub char: char,
    pub confidence: f32,
}

pub struct GlyphModel {
    session: Session,
    card: ModelCard,
    alphabet: Vec<char>,
}

impl GlyphModel {
    /// Finds and loads the runtime and the model from their usual places.
    pub fn load() -> Result<GlyphModel, MrzError> {
        let runtimes = runtime_candidates();
        let runtime = first_existing(&runtimes, "").ok_or_else(|| MrzError::Missing {
            searched: describe(&runtimes),
        })?;
        let dirs = model_dir_candidates();
        let model = first_existing(&dirs, MODEL_FILE).ok_or_else(|| MrzError::Missing {
            searched: describe(&dirs),
        })?;
        GlyphModel::load_from(&runtime, model.parent().expect("a file has a parent"))
    }

    pub fn load_from(runtime: &Path, model_dir: &Path) -> Result<GlyphModel, MrzError> {
        let missing = |file: &str| MrzError::Missing {
            searched: model_dir.join(file).display().to_string(),
        };
        let card_text =
            std::fs::read_to_string(model_dir.join(MODEL_CARD)).map_err(|_| missing(MODEL_CARD))?;
        let card: ModelCard =
            serde_json::from_str(&card_text).map_err(|e| MrzError::Model(e.to_string()))?;
        let alphabet: Vec<char> = card.alphabet.chars().collect();
        if alphabet.len() != 37 || card.cell_contract != CELL_CONTRACT {
            return Err(MrzError::Model(format!(
                "it must classify the 37 MRZ characters from cells of contract {CELL_CONTRACT}"
            )));
        }
        let bytes = std::fs::read(model_dir.join(MODEL_FILE)).map_err(|_| missing(MODEL_FILE))?;
        let digest = crate::digest::hex(&crate::digest::sha256(&bytes));
        if !digest.eq_ignore_ascii_case(card.sha256.trim()) {
            return Err(MrzError::Model(
                "the file does not match its recorded SHA-256 (damaged or replaced)".into(),
            ));
        }
        let env = onnx::environment(runtime).map_err(MrzError::Model)?;
        let load = |e: String| MrzError::Model(e);
        let session = Session::builder(&env)
            .map_err(|e| load(e.to_string()))?
            .with_intra_threads(1)
            .map_err(|e| load(e.to_string()))?
            .commit_from_memory(&bytes)
            .map_err(|e| load(e.to_string()))?;
        Ok(GlyphModel {
            session,
            card,
            alphabet,
        })
    }

    /// `name@version`.
    pub fn model_id(&self) -> String {
        format!("{}@{}", self.card.name, self.card.version)
    }

    /// The most likely character of each cell in `cells` (`CELL_VALUES` floats per cell).
    pub fn classify(&mut self, cells: &[f32]) -> Result<Vec<Glyph>, MrzError> {
        let n = cells.len() / CELL_VALUES;
        if n == 0 {
            return Ok(Vec::new());
        }
        let fail = |e: ort::Error| MrzError::Inference(e.to_string());
        let input = Tensor::from_array(([n, CELL_VALUES], cells.to_vec())).map_err(fail)?;
        let p = onnx::run_for_floats(
            &mut self.session,
            &self.card.input,
            input,
            &self.card.outputs.probabilities,
        )
        .map_err(fail)?;
        let k = self.alphabet.len();
        if p.len() != n * k {
            return Err(MrzError::Inference(format!(
                "the model gave {} probabilities for {n} cells of {k} characters",
                p.len()
            )));
        }
        Ok(p.chunks(k)
            .map(|row| {
                let (best, confidence) = onnx::argmax(row);
                Glyph {
                    char: self.alphabet[best],
                    confidence: confidence.clamp(0.0, 1.0),
                }
            })
            .collect())
    }
}
