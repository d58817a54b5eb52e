//! The text split into lines, with UTF-16 offsets (what the UI slices a JavaScript string with).

pub(super) struct Line<'a> {
    pub(super) text: &'a str,
    pub(super) byte_start: usize,
}

/// The text split into lines (at `\n`, `\r` and form feeds), with UTF-16 offsets at line starts so
/// that converting an offset costs one line's length, not the document's.
pub(super) struct TextIndex<'a> {
    pub(super) text: &'a str,
    pub(super) lines: Vec<Line<'a>>,
    /// (byte offset, UTF-16 offset) of each line start.
    pub(super) starts: Vec<(usize, usize)>,
}

impl<'a> TextIndex<'a> {
    pub(super) fn new(text: &'a str) -> TextIndex<'a> {
        let mut lines = Vec::new();
        let mut starts = Vec::new();
        let mut line_start = 0;
        let mut utf16 = 0;
        let mut line_utf16 = 0;
        for (i, c) in text.char_indices() {
            if matches!(c, '\n' | '\r' | '\x0c') {
                lines.push(Line {
                    text: &text[line_start..i],
                    byte_start: line_start,
                });
                starts.push((line_start, line_utf16));
                line_start = i + c.len_utf8();
                line_utf16 = utf16 + c.len_utf16();
            }
            utf16 += c.len_utf16();
        }
        lines.push(Line {
            text: &text[line_start..],
            byte_start: line_start,
        });
        starts.push((line_start, line_utf16));
        TextIndex {
            text,
            lines,
            starts,
        }
    }

    /// The UTF-16 offset of byte offset `byte` (a char boundary).
    pub(super) fn utf16(&self, byte: usize) -> usize {
        let i = self.starts.partition_point(|&(b, _)| b <= byte) - 1;
        let (line_byte, line_utf16) = self.starts[i];
        line_utf16 + self.text[line_byte..byte].encode_utf16().count()
    }
}
