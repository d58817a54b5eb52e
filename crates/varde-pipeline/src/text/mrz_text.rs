//! The MRZ reader's lines in a page's OCR text, in place of Tesseract's reading of the zone:
//! the reviewer sees, and the field reader parses, the zone as the dedicated reader saw it.
//!
//! Tesseract's text lines are matched to its words (the text lists them in the same order), and
//! a line whose words lie inside the zone is replaced. Where the words cannot be matched, or the
//! page had to be turned to find the zone, lines that look like an MRZ are replaced instead; if
//! there are none, the zone is added at the end of the page, where an MRZ is printed.

use crate::mrz::MrzText;

use super::OcrWord;

/// `text` with the zone's lines in place of Tesseract's.
pub(super) fn with_mrz(text: &str, words: &[OcrWord], mrz: &MrzText) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let in_zone = mrz
        .rect()
        .and_then(|rect| lines_in_rect(&lines, words, rect, mrz))
        .unwrap_or_else(|| lines.iter().map(|l| looks_like_mrz(l)).collect());
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + mrz.lines.len());
    let mut placed = false;
    for (line, zone) in lines.iter().zip(&in_zone) {
        if !zone {
            out.push((*line).to_owned());
        } else if !placed {
            out.extend(mrz.lines.iter().cloned());
            placed = true;
        }
    }
    if !placed {
        if out.last().is_some_and(|l| !l.trim().is_empty()) {
            out.push(String::new());
        }
        out.extend(mrz.lines.iter().cloned());
    }
    out.join("\n")
}

/// For each line, whether most of its words' centres lie in the zone (grown by half a line
/// height and a cell); `None` if the text's words cannot be matched to `words`.
fn lines_in_rect(
    lines: &[&str],
    words: &[OcrWord],
    [x0, y0, x1, y1]: [f32; 4],
    mrz: &MrzText,
) -> Option<Vec<bool>> {
    let line_height = mrz.boxes.first().map_or(0.0, |b| b.y_bottom - b.y_top);
    let pitch = mrz.boxes.first().map_or(0.0, |b| b.pitch());
    let (x0, x1) = (x0 - pitch, x1 + pitch);
    let (y0, y1) = (y0 - line_height / 2.0, y1 + line_height / 2.0);
    let mut next = words.iter();
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let (mut inside, mut total) = (0, 0);
        for token in line.split_whitespace() {
            let word = next.next()?;
            if word.text != token {
                return None;
            }
            let [wx0, wy0, wx1, wy1] = word.bbox.map(|v| v as f32);
            let (cx, cy) = ((wx0 + wx1) / 2.0, (wy0 + wy1) / 2.0);
            total += 1;
            if (x0..=x1).contains(&cx) && (y0..=y1).contains(&cy) {
                inside += 1;
            }
        }
        // Only a line Tesseract read as zone-like characters: never real text beside the zone.
        out.push(total > 0 && inside * 2 >= total && mostly_mrz_alphabet(line));
    }
    Some(out)
}

/// At least 70 % of the non-space characters could be in an MRZ as OCR reads one.
fn mostly_mrz_alphabet(line: &str) -> bool {
    let chars: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
    let mrz_like = chars
        .iter()
        .filter(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '<' | '«' | '‹'))
        .count();
    mrz_like * 10 >= chars.len() * 7
}

/// A line of MRZ characters with a filler, 20 or more once spaces are dropped.
fn looks_like_mrz(line: &str) -> bool {
    let chars = line.chars().filter(|c| !c.is_whitespace()).count();
    chars >= 20 && mostly_mrz_alphabet(line) && line.contains(['<', '«'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mrz::{LineBox, Turn};

    fn word(text: &str, bbox: [u32; 4]) -> OcrWord {
        OcrWord {
            text: text.into(),
            confidence: 0.9,
            bbox,
        }
    }

    fn zone(turn: Turn) -> MrzText {
        let line = |y: f32| LineBox {
            x_left: 10.0,
            x_right: 450.0,
            y_top: y,
            y_bottom: y + 10.0,
            chars: 44,
            slope: 0.0,
        };
        MrzText {
            lines: vec!["P<UTOERIKSSON".into(), "L898902C36".into()],
            line_confidence: vec![0.9, 0.9],
            mean_confidence: 0.9,
            boxes: vec![line(100.0), line(120.0)],
            turn,
        }
    }

    #[test]
    fn the_words_inside_the_zone_are_replaced_where_they_stood() {
        let text = "PASS Utopia\nP<UTOERIKSSONKKK\nL8989O2C36\nafter";
        let words = [
            word("PASS", [10, 10, 50, 20]),
            word("Utopia", [60, 10, 120, 20]),
            word("P<UTOERIKSSONKKK", [10, 100, 440, 110]),
            word("L8989O2C36", [10, 120, 440, 130]),
            word("after", [10, 200, 60, 210]),
        ];
        assert_eq!(
            with_mrz(text, &words, &zone(Turn::None)),
            "PASS Utopia\nP<UTOERIKSSON\nL898902C36\nafter"
        );
    }

    #[test]
    fn unmatched_words_or_a_turned_page_replace_the_lines_that_look_like_an_mrz() {
        let text = "PASS Utopia\nP<UTOERIKSSON<<ANNA<MARIA<<<\nend";
        let expected = "PASS Utopia\nP<UTOERIKSSON\nL898902C36\nend";
        assert_eq!(with_mrz(text, &[], &zone(Turn::None)), expected);
        assert_eq!(with_mrz(text, &[], &zone(Turn::Quarter)), expected);
    }

    #[test]
    fn a_page_without_an_mrz_in_its_text_gets_the_zone_at_its_end() {
        assert_eq!(
            with_mrz("PASS Utopia", &[], &zone(Turn::Quarter)),
            "PASS Utopia\n\nP<UTOERIKSSON\nL898902C36"
        );
    }
}
