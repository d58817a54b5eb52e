//! ONNX Runtime for the pipeline's models (the document classifier, the MRZ glyph recogniser):
//! where the runtime library and the models are found, and the one environment a process may
//! have (ONNX Runtime allows a single environment per process, shared by every session).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ort::environment::Environment;
use ort::session::Session;
use ort::value::DynValue;

/// The ONNX Runtime release the set-up script installs.
pub const ORT_VERSION: &str = "1.31.1";

static ENVIRONMENT: Mutex<Option<Environment>> = Mutex::new(None);

/// The process's ONNX Runtime environment, loading the library at `runtime` on first success;
/// later calls share it, whatever library they name (one process loads one runtime). A failure
/// is not remembered, so a corrected path works on the next try.
pub(crate) fn environment(runtime: &Path) -> Result<Environment, String> {
    let mut slot = ENVIRONMENT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(env) = slot.as_ref() {
        return Ok(env.clone());
    }
    let env = ort::init_from(runtime)
        .map_err(|e| e.to_string())?
        .with_name("varde")
        .build()
        .map_err(|e| e.to_string())?;
    *slot = Some(env.clone());
    Ok(env)
}

/// Runs `session` on one input and returns the float output named `output`, flattened.
pub(crate) fn run_for_floats(
    session: &mut Session,
    input_name: &str,
    input: impl Into<DynValue>,
    output: &str,
) -> Result<Vec<f32>, ort::Error> {
    let outputs = session.run(ort::inputs![input_name => input.into()])?;
    let (_, values) = outputs[output].try_extract_tensor::<f32>()?;
    Ok(values.to_vec())
}

/// The index and value of the largest of `values` (the first of equals).
pub(crate) fn argmax(values: &[f32]) -> (usize, f32) {
    values
        .iter()
        .copied()
        .enumerate()
        .fold((0, f32::MIN), |a, (i, v)| if v > a.1 { (i, v) } else { a })
}

/// Where the ONNX Runtime library may be: `VARDE_ORT_DYLIB` if set; otherwise beside the
/// executable, an installed package's lib directory, the checkout this binary was built from.
pub(crate) fn runtime_candidates() -> Vec<PathBuf> {
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
pub(crate) fn model_dir_candidates() -> Vec<PathBuf> {
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

pub(crate) fn first_existing(candidates: &[PathBuf], file: &str) -> Option<PathBuf> {
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

pub(crate) fn describe(candidates: &[PathBuf]) -> String {
    candidates
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
