//! Optical character recognition with Tesseract, through its C API (`tesseract/capi.h`).
//!
//! One [`OcrEngine`] wraps one `TessBaseAPI`. Loading the language data costs 125–210 ms, so a
//! worker process makes the engine once ([`OcrSlot`] does it on first use) and keeps it warm for
//! every page it is given.
//!
//! **Threads.** Debian's libtesseract parallelises with OpenMP, which on a 2-core machine makes
//! recognition 5–7× slower. libgomp reads `OMP_THREAD_LIMIT` once, when the library is loaded, so
//! setting it from inside the process (`std::env::set_var`, `omp_set_num_threads`) does not help:
//! the parent must put `OMP_THREAD_LIMIT=1` in the environment of every worker process it spawns
//! (`.cargo/config.toml` does the same for `cargo test`).
//!
//! Tesseract copies the image it is given and keeps no file: nothing recognised touches the disk.

use std::ffi::{c_char, c_int, CStr, CString};
use std::path::{Path, PathBuf};

use serde::Serialize;

/// The languages Varde's documents are written in, as Tesseract names them.
pub const DEFAULT_LANGUAGES: &str = "nor+eng";

/// Tesseract refuses images wider or taller than this (`MAX_INT16` in its image checks).
/// A first reading below this mean confidence is tried again with orientation detection.
const RETRY_WITH_OSD_BELOW: f32 = 0.6;

pub const MAX_OCR_SIDE: u32 = 32_767;

#[derive(Clone, Debug, thiserror::Error)]
pub enum OcrError {
    #[error("Tesseract could not be initialised for languages {languages:?} (is the language data installed?)")]
    Init { languages: String },
    #[error("Tesseract failed to recognise the page")]
    Recognize,
    #[error("invalid image for OCR: {0}")]
    InvalidImage(String),
}

/// One recognised word. `bbox` is `[x0, y0, x1, y1]` in pixels of the image given, origin top left.
#[derive(Clone, Debug, Serialize)]
pub struct OcrWord {
    pub text: String,
    /// 0..1
    pub confidence: f32,
    pub bbox: [u32; 4],
}

#[derive(Clone, Debug, Serialize)]
pub struct OcrPage {
    pub text: String,
    /// Tesseract's mean word confidence, 0..1.
    pub mean_confidence: f32,
    pub words: Vec<OcrWord>,
}

/// One Tesseract instance. It may move between threads but is never shared: `TessBaseAPI` keeps
/// per-page state, so recognition needs `&mut self`.
pub struct OcrEngine {
    api: *mut ffi::TessBaseAPI,
}

// SAFETY: a TessBaseAPI has no thread affinity; it only must not be used from two threads at
// once, which `&mut self` on every use and the absence of `Sync` guarantee.
unsafe impl Send for OcrEngine {}

impl OcrEngine {
    /// Initialises Tesseract with `languages` (e.g. `"nor+eng"`); `datapath` `None` = the system
    /// default (`TESSDATA_PREFIX` or the compiled-in path).
    pub fn new(languages: &str, datapath: Option<&Path>) -> Result<OcrEngine, OcrError> {
        let init_error = || OcrError::Init {
            languages: languages.to_owned(),
        };
        let c_languages = CString::new(languages).map_err(|_| init_error())?;
        let c_datapath = match datapath {
            Some(path) => {
                Some(CString::new(path.as_os_str().as_encoded_bytes()).map_err(|_| init_error())?)
            }
            None => None,
        };
        // SAFETY: TessBaseAPICreate has no preconditions; a null result is handled.
        let api = unsafe { ffi::TessBaseAPICreate() };
        if api.is_null() {
            return Err(init_error());
        }
        // From here on, Drop releases `api` on every path.
        let engine = OcrEngine { api };
        let datapath_ptr = c_datapath.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
        // SAFETY: `api` is a live handle; both strings are NUL-terminated and outlive the call
        // (Tesseract copies what it keeps); a null datapath is documented as "use the default".
        let status =
            unsafe { ffi::TessBaseAPIInit3(engine.api, datapath_ptr, c_languages.as_ptr()) };
        if status != 0 {
            return Err(init_error());
        }
        Ok(engine)
    }

    /// Recognises one 8-bit grayscale page (row-major, `width * height` bytes) at `dpi`.
    pub fn recognize(
        &mut self,
        gray: &[u8],
        width: u32,
        height: u32,
        dpi: u32,
    ) -> Result<OcrPage, OcrError> {
        if width == 0 || height == 0 || width > MAX_OCR_SIDE || height > MAX_OCR_SIDE {
            return Err(OcrError::InvalidImage(format!(
                "{width}x{height} pixels (each side must be 1..={MAX_OCR_SIDE})"
            )));
        }
        let expected = u64::from(width) * u64::from(height);
        if gray.len() as u64 != expected {
            return Err(OcrError::InvalidImage(format!(
                "{} bytes for a {width}x{height} grayscale image ({expected} expected)",
                gray.len()
            )));
        }
        // Both sides are at most MAX_OCR_SIDE, so they fit in a C int.
        let (w, h) = (width as c_int, height as c_int);
        let dpi = dpi.clamp(70, 2400) as c_int;
        // Plain automatic segmentation first: it is what the tesseract CLI does and reads upright
        // and sideways pages. Orientation detection costs ~0.3 s a page, so it is only tried when
        // the first reading is poor — as it is for a page scanned upside down — and the better
        // reading is kept.
        let first = self.recognize_with(gray, w, h, dpi, ffi::PSM_AUTO)?;
        if first.mean_confidence >= RETRY_WITH_OSD_BELOW {
            return Ok(first);
        }
        match self.recognize_with(gray, w, h, dpi, ffi::PSM_AUTO_OSD) {
            Ok(second) if second.mean_confidence > first.mean_confidence => Ok(second),
            _ => Ok(first),
        }
    }

    fn recognize_with(
        &mut self,
        gray: &[u8],
        w: c_int,
        h: c_int,
        dpi: c_int,
        mode: ffi::TessPageSegMode,
    ) -> Result<OcrPage, OcrError> {
        // SAFETY: live handle; `gray` holds exactly w*h bytes with 1 byte per pixel and `w` bytes
        // per line (checked by the caller); Tesseract copies the pixels before returning. The
        // resolution is set after the image because SetImage resets it.
        let status = unsafe {
            ffi::TessBaseAPISetPageSegMode(self.api, mode);
            ffi::TessBaseAPISetImage(self.api, gray.as_ptr(), w, h, 1, w);
            ffi::TessBaseAPISetSourceResolution(self.api, dpi);
            ffi::TessBaseAPIRecognize(self.api, std::ptr::null_mut())
        };
        let page = if status == 0 {
            self.read_results()
        } else {
            Err(OcrError::Recognize)
        };
        // SAFETY: live handle; Clear drops the page's image and results, so a large page is not
        // kept in memory until the next one.
        unsafe { ffi::TessBaseAPIClear(self.api) };
        page
    }

    /// The text, mean confidence and words of the page just recognised.
    fn read_results(&mut self) -> Result<OcrPage, OcrError> {
        // SAFETY: live handle after a successful Recognize; the returned string is owned by us.
        let text = unsafe { take_text(ffi::TessBaseAPIGetUTF8Text(self.api)) }
            .ok_or(OcrError::Recognize)?;
        // SAFETY: live handle after Recognize.
        let mean = unsafe { ffi::TessBaseAPIMeanTextConf(self.api) };

        // SAFETY: live handle after Recognize; null (no results) is handled, and the iterator
        // is dropped before the results are cleared.
        let iterator = unsafe { ffi::TessBaseAPIGetIterator(self.api) };
        let mut words = Vec::new();
        if !iterator.is_null() {
            let iterator = WordIterator(iterator);
            loop {
                words.extend(iterator.word());
                if !iterator.advance() {
                    break;
                }
            }
        }
        Ok(OcrPage {
            text,
            mean_confidence: (mean.clamp(0, 100) as f32) / 100.0,
            words,
        })
    }
}

impl Drop for OcrEngine {
    fn drop(&mut self) {
        // SAFETY: `api` came from TessBaseAPICreate and is released exactly once, here.
        unsafe {
            ffi::TessBaseAPIEnd(self.api);
            ffi::TessBaseAPIDelete(self.api);
        }
    }
}

/// Tesseract's result iterator, walked word by word; deleted on drop.
struct WordIterator(*mut ffi::TessResultIterator);

impl WordIterator {
    /// The word at the iterator, unless it is empty.
    fn word(&self) -> Option<OcrWord> {
        // SAFETY: a live iterator; the text is ours to free (take_text does).
        let text = unsafe { take_text(ffi::TessResultIteratorGetUTF8Text(self.0, ffi::RIL_WORD)) }?;
        if text.trim().is_empty() {
            return None;
        }
        // SAFETY: a live iterator.
        let confidence = unsafe { ffi::TessResultIteratorConfidence(self.0, ffi::RIL_WORD) };
        let mut b = [0 as c_int; 4];
        // SAFETY: a live iterator; its page iterator view lives as long as it; the four out
        // pointers are valid for writes.
        unsafe {
            let page = ffi::TessResultIteratorGetPageIteratorConst(self.0);
            ffi::TessPageIteratorBoundingBox(
                page,
                ffi::RIL_WORD,
                &mut b[0],
                &mut b[1],
                &mut b[2],
                &mut b[3],
            );
        }
        Some(OcrWord {
            text,
            confidence: (confidence / 100.0).clamp(0.0, 1.0),
            bbox: b.map(|v| v.max(0) as u32),
        })
    }

    /// Moves to the next word; false at the end.
    fn advance(&self) -> bool {
        // SAFETY: a live iterator.
        unsafe { ffi::TessResultIteratorNext(self.0, ffi::RIL_WORD) != 0 }
    }
}

impl Drop for WordIterator {
    fn drop(&mut self) {
        // SAFETY: the iterator came from TessBaseAPIGetIterator and is deleted once, here.
        unsafe { ffi::TessResultIteratorDelete(self.0) };
    }
}

/// Copies a string Tesseract allocated and frees it; `None` for null.
///
/// # Safety
/// `ptr` is null or a NUL-terminated string returned by Tesseract that nobody else frees.
unsafe fn take_text(ptr: *mut c_char) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: per the contract above; the copy is made before the string is freed.
    let text = unsafe { CStr::from_ptr(ptr) }
        .to_string_lossy()
        .into_owned();
    // SAFETY: Tesseract's strings are freed with TessDeleteText, once.
    unsafe { ffi::TessDeleteText(ptr) };
    Some(text)
}

/// An [`OcrEngine`] made on first use and then kept: text extraction asks for it only when a
/// page has no text layer, so documents that never need OCR never pay for loading Tesseract.
pub struct OcrSlot {
    languages: String,
    datapath: Option<PathBuf>,
    engine: Option<OcrEngine>,
    // Remembered so a missing language pack fails fast on every later page, not slowly.
    failed: Option<OcrError>,
}

/// The language data an installed package carries (`/usr/share/varde/tessdata` beside
/// `/usr/bin`), when there is no `TESSDATA_PREFIX` to say otherwise; `None` = Tesseract's default.
/// Found like the classifier's model and runtime: relative to this executable.
pub fn installed_tessdata() -> Option<PathBuf> {
    if std::env::var_os("TESSDATA_PREFIX").is_some() {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.join("../share/varde/tessdata");
    dir.join("nor.traineddata").exists().then_some(dir)
}

impl OcrSlot {
    /// An empty slot; nothing is loaded until [`OcrSlot::get`].
    pub fn new(languages: &str, datapath: Option<&Path>) -> OcrSlot {
        OcrSlot {
            languages: languages.to_owned(),
            datapath: datapath.map(Path::to_path_buf),
            engine: None,
            failed: None,
        }
    }

    /// The engine, initialised on the first call.
    pub fn get(&mut self) -> Result<&mut OcrEngine, OcrError> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        if self.engine.is_none() {
            match OcrEngine::new(&self.languages, self.datapath.as_deref()) {
                Ok(engine) => self.engine = Some(engine),
                Err(error) => {
                    self.failed = Some(error.clone());
                    return Err(error);
                }
            }
        }
        Ok(self.engine.as_mut().expect("initialised just above"))
    }

    /// Whether Tesseract has been loaded (or tried to be).
    pub fn is_initialised(&self) -> bool {
        self.engine.is_some() || self.failed.is_some()
    }
}

impl Default for OcrSlot {
    /// Norwegian and English, from the system's language data.
    fn default() -> OcrSlot {
        OcrSlot::new(DEFAULT_LANGUAGES, None)
    }
}

/// The part of `tesseract/capi.h` Varde uses. Hand-written: it is small and stable, and needs no
/// bindgen or libclang at build time.
mod ffi {
    use std::ffi::{c_char, c_float, c_int, c_uchar};

    #[repr(C)]
    pub struct TessBaseAPI {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct TessResultIterator {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct TessPageIterator {
        _private: [u8; 0],
    }

    // C enums (int-sized on the platforms Tesseract supports).
    pub type TessPageSegMode = c_int;
    pub type TessPageIteratorLevel = c_int;
    pub const PSM_AUTO_OSD: TessPageSegMode = 1;
    pub const PSM_AUTO: TessPageSegMode = 3;
    pub const RIL_WORD: TessPageIteratorLevel = 3;

    #[link(name = "tesseract")]
    extern "C" {
        pub fn TessBaseAPICreate() -> *mut TessBaseAPI;
        pub fn TessBaseAPIDelete(handle: *mut TessBaseAPI);
        pub fn TessBaseAPIInit3(
            handle: *mut TessBaseAPI,
            datapath: *const c_char,
            language: *const c_char,
        ) -> c_int;
        pub fn TessBaseAPISetPageSegMode(handle: *mut TessBaseAPI, mode: TessPageSegMode);
        pub fn TessBaseAPISetImage(
            handle: *mut TessBaseAPI,
            imagedata: *const c_uchar,
            width: c_int,
            height: c_int,
            bytes_per_pixel: c_int,
            bytes_per_line: c_int,
        );
        pub fn TessBaseAPISetSourceResolution(handle: *mut TessBaseAPI, ppi: c_int);
        // The monitor (ETEXT_DESC*) is always null here.
        pub fn TessBaseAPIRecognize(
            handle: *mut TessBaseAPI,
            monitor: *mut std::ffi::c_void,
        ) -> c_int;
        pub fn TessBaseAPIGetUTF8Text(handle: *mut TessBaseAPI) -> *mut c_char;
        pub fn TessBaseAPIMeanTextConf(handle: *mut TessBaseAPI) -> c_int;
        pub fn TessBaseAPIGetIterator(handle: *mut TessBaseAPI) -> *mut TessResultIterator;
        pub fn TessBaseAPIClear(handle: *mut TessBaseAPI);
        pub fn TessBaseAPIEnd(handle: *mut TessBaseAPI);
        pub fn TessDeleteText(text: *const c_char);

        pub fn TessResultIteratorDelete(handle: *mut TessResultIterator);
        pub fn TessResultIteratorNext(
            handle: *mut TessResultIterator,
            level: TessPageIteratorLevel,
        ) -> c_int;
        pub fn TessResultIteratorGetUTF8Text(
            handle: *const TessResultIterator,
            level: TessPageIteratorLevel,
        ) -> *mut c_char;
        pub fn TessResultIteratorConfidence(
            handle: *const TessResultIterator,
            level: TessPageIteratorLevel,
        ) -> c_float;
        pub fn TessResultIteratorGetPageIteratorConst(
            handle: *const TessResultIterator,
        ) -> *const TessPageIterator;
        pub fn TessPageIteratorBoundingBox(
            handle: *const TessPageIterator,
            level: TessPageIteratorLevel,
            left: *mut c_int,
            top: *mut c_int,
            right: *mut c_int,
            bottom: *mut c_int,
        ) -> c_int;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_corpus as corpus;

    #[test]
    fn missing_language_data_fails_init_naming_the_languages_and_the_slot_remembers() {
        let mut slot = OcrSlot::new("xx_no_such_language", None);
        assert!(!slot.is_initialised());
        let Err(OcrError::Init { languages }) = slot.get().map(|_| ()) else {
            panic!("init with a missing language must fail");
        };
        assert_eq!(languages, "xx_no_such_language");
        assert!(slot.is_initialised());
        assert!(matches!(slot.get().map(|_| ()), Err(OcrError::Init { .. })));
    }

    #[test]
    fn recognises_a_scan_with_per_word_confidences_and_boxes_and_refuses_bad_buffers() {
        let image = image::load_from_memory(&corpus("ocr-groundtruth/tesseract-phototest.tif"))
            .expect("phototest decodes")
            .to_luma8();
        let (width, height) = image.dimensions();
        let mut slot = OcrSlot::default();
        let engine = slot.get().expect("nor+eng data is installed");

        let wrong_size = engine.recognize(&image.as_raw()[1..], width, height, 300);
        assert!(matches!(wrong_size, Err(OcrError::InvalidImage(_))));
        assert!(matches!(
            engine.recognize(&[], 0, 0, 300),
            Err(OcrError::InvalidImage(_))
        ));

        let page = engine
            .recognize(image.as_raw(), width, height, 300)
            .expect("recognised");
        assert!(
            page.text.contains("quick brown dog"),
            "text was {:?}",
            page.text
        );
        assert!(page.mean_confidence > 0.8 && page.mean_confidence <= 1.0);
        let word = page
            .words
            .iter()
            .find(|w| w.text == "quick")
            .expect("the word 'quick'");
        assert!(word.confidence > 0.8 && word.confidence <= 1.0);
        let [x0, y0, x1, y1] = word.bbox;
        assert!(
            x0 < x1 && y0 < y1 && x1 <= width && y1 <= height,
            "bbox {:?}",
            word.bbox
        );

        // The same engine, kept warm, reads the page fed upside down.
        let upside_down = image::imageops::rotate180(&image);
        let again = engine
            .recognize(upside_down.as_raw(), width, height, 300)
            .expect("recognised again");
        assert!(
            again.text.contains("quick brown dog"),
            "text was {:?}",
            again.text
        );
    }
}
