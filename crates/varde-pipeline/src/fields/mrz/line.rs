//! One MRZ line as OCR gave it: cleaned to the MRZ alphabet, with the source offset of every
//! character, filler `K`s read back as `<`, and fitted to its format's length.

use super::super::text_index::Line;

/// A cleaned MRZ line: its characters, what the text had at each (to record repairs), and for
/// each the byte offsets of the text it came from.
#[derive(Clone, Debug)]
pub(in crate::fields) struct MrzLine {
    pub(in crate::fields) chars: Vec<char>,
    /// The character as read, before any repair (`K` where a filler was restored).
    pub(in crate::fields) read: Vec<char>,
    pub(in crate::fields) origin: Vec<usize>,
    /// Byte offset just past each character's source.
    pub(in crate::fields) origin_end: Vec<usize>,
    /// Byte offset just past the source line's last character.
    pub(in crate::fields) end: usize,
}

/// Fewer fillers than this before a `K` mean it may be a name letter: a name holds `<` between
/// words and `<<` after the surname, never three in a row.
const FILLERS_BEFORE_A_FILLER_K: usize = 3;

impl MrzLine {
    /// Uppercases, drops spaces, reads `«`-like marks as `<`; `None` if anything else is left
    /// that cannot be in an MRZ, or the length is far from every format's. A line needs no `<`
    /// (a full-length document number and optional data leave none).
    pub(in crate::fields) fn clean(line: &Line) -> Option<MrzLine> {
        let mut chars = Vec::new();
        let mut origin = Vec::new();
        let mut origin_end = Vec::new();
        for (i, c) in line.text.char_indices() {
            let source_len = c.len_utf8();
            let c = match c {
                c if c.is_whitespace() => continue,
                '«' | '‹' | 'く' | '〈' | '＜' => '<',
                c if c.is_ascii_alphanumeric() || c == '<' => c.to_ascii_uppercase(),
                _ => return None,
            };
            chars.push(c);
            origin.push(line.byte_start + i);
            origin_end.push(line.byte_start + i + source_len);
        }
        if !(26..=48).contains(&chars.len()) {
            return None;
        }
        Some(MrzLine {
            read: chars.clone(),
            chars,
            origin,
            origin_end,
            end: line.byte_start + line.text.trim_end().len(),
        })
    }

    /// The byte span of `range` in the text, or `None` if empty.
    pub(in crate::fields) fn span(&self, range: std::ops::Range<usize>) -> Option<(usize, usize)> {
        if range.is_empty() {
            return None;
        }
        Some((self.origin[range.start], self.origin_end[range.end - 1]))
    }

    /// Reads `K` as `<` where it follows three or more fillers (OCR often sees `<<` as `K`),
    /// where no name can have a letter; `ROBERT<K` and `BREKK` keep theirs. The `read` column
    /// keeps the `K`, so the field records the repair.
    pub(in crate::fields) fn restore_filler_ks(&mut self) {
        let mut fillers = 0;
        for c in &mut self.chars {
            if *c == 'K' && fillers >= FILLERS_BEFORE_A_FILLER_K {
                *c = '<';
            }
            fillers = if *c == '<' { fillers + 1 } else { 0 };
        }
    }

    /// Makes the line `len` long by adding or removing fillers: at the end of a name line, or
    /// in the last run of two or more fillers of a data line (the check digits then judge).
    pub(in crate::fields) fn fit(&mut self, len: usize, name_line: bool) -> bool {
        if self.chars.len() == len {
            return true;
        }
        let (at, run_len) = if name_line {
            let start =
                self.chars.len() - self.chars.iter().rev().take_while(|&&c| c == '<').count();
            (start, self.chars.len() - start)
        } else {
            match last_filler_run(&self.chars) {
                Some(r) => r,
                None => return false,
            }
        };
        if self.chars.len() > len {
            let excess = self.chars.len() - len;
            if excess > run_len.saturating_sub(1) && !(name_line && excess <= run_len) {
                return false;
            }
            for column in [&mut self.chars, &mut self.read] {
                column.drain(at..at + excess);
            }
            self.origin.drain(at..at + excess);
            self.origin_end.drain(at..at + excess);
        } else {
            let missing = len - self.chars.len();
            if missing > 3 || (!name_line && run_len == 0) {
                return false;
            }
            // Added fillers point at the empty span where they were missing.
            let origin = self.origin.get(at).copied().unwrap_or(self.end);
            for _ in 0..missing {
                self.chars.insert(at, '<');
                self.read.insert(at, '<');
                self.origin.insert(at, origin);
                self.origin_end.insert(at, origin);
            }
        }
        true
    }
}

/// (start, length) of the last run of at least two fillers.
fn last_filler_run(chars: &[char]) -> Option<(usize, usize)> {
    let mut i = chars.len();
    while i > 0 {
        if chars[i - 1] == '<' {
            let end = i;
            while i > 0 && chars[i - 1] == '<' {
                i -= 1;
            }
            if end - i >= 2 {
                return Some((i, end - i));
            }
        } else {
            i -= 1;
        }
    }
    None
}
