//! Does a page's text layer say what the page shows? The layer's words are looked for among the
//! words OCR read from the rendered page, allowing OCR its usual one-letter slips.

use std::collections::HashSet;

/// Below this share of its words found on the page, a text layer differs from what the page
/// shows. OCR of a clean page finds well over 90 % of a faithful layer's words.
pub const MIN_AGREEMENT: f32 = 0.6;
/// A layer with fewer words than this says too little to compare.
pub const MIN_COMPARABLE_WORDS: usize = 3;

/// The share of `layer`'s words that OCR also found, 0..1; `None` when the layer has too few
/// words to tell.
pub fn layer_agreement(layer: &str, ocr: &str) -> Option<f32> {
    let layer_words = words(layer);
    if layer_words.len() < MIN_COMPARABLE_WORDS {
        return None;
    }
    let ocr_words: HashSet<Vec<char>> = words(ocr).into_iter().collect();
    let found = layer_words
        .iter()
        .filter(|w| ocr_words.contains(*w) || ocr_words.iter().any(|o| near(w, o)))
        .count();
    Some(found as f32 / layer_words.len() as f32)
}

/// Whether `agreement` means the layer does not say what the page shows.
pub fn differs(agreement: Option<f32>) -> bool {
    agreement.is_some_and(|a| a < MIN_AGREEMENT)
}

/// Lower-case words of three or more letters or digits, as characters (compared one by one
/// below): shorter ones are mostly OCR noise.
fn words(text: &str) -> Vec<Vec<char>> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(|w| w.to_lowercase().chars().collect::<Vec<char>>())
        .filter(|w| w.len() >= 3)
        .collect()
}

/// One substitution, insertion or deletion apart, for words long enough that this is a slip
/// and not another word.
fn near(a: &[char], b: &[char]) -> bool {
    if a.len().min(b.len()) < 5 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    a.len().max(b.len()) - prefix - suffix <= 1 && a.len().min(b.len()) >= prefix + suffix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_saying_what_the_page_shows_agrees_despite_ocr_slips() {
        let layer = "Pasienten Kari Nordmann ble innlagt med brystsmerter";
        let ocr = "Pasienten Kari Nordmamn ble innlagt med brystsmerter.";
        let agreement = layer_agreement(layer, ocr).unwrap();
        assert!(agreement > 0.95, "{agreement}");
        assert!(!differs(Some(agreement)));
    }

    #[test]
    fn a_layer_naming_someone_the_page_does_not_show_differs() {
        let layer = "Henvisning for Ola Hansen, født 1950, diagnose diabetes";
        let ocr = "Henvisning for Kari Nordmann, fodt 1984, diagnose astma";
        let agreement = layer_agreement(layer, ocr).unwrap();
        assert!(differs(Some(agreement)), "{agreement}");
    }

    #[test]
    fn a_layer_of_one_or_two_words_is_not_compared() {
        assert_eq!(layer_agreement("Side 1", "anything at all here"), None);
        assert!(!differs(None));
    }

    #[test]
    fn near_allows_one_slip_in_long_words_only() {
        let chars = |w: &str| w.chars().collect::<Vec<char>>();
        let near = |a: &str, b: &str| super::near(&chars(a), &chars(b));
        assert!(near("nordmann", "nordmamn"));
        assert!(near("hemoglobin", "hemogloblin"));
        assert!(!near("hansen", "jensen"));
        assert!(!near("ola", "ole"));
    }
}
