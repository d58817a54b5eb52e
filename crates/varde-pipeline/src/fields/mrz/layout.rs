//! The MRZ formats (ICAO 9303 parts 4–7: TD3 passports, TD2 and TD1 cards, MRV-A and MRV-B
//! visas) and where each field and check digit sits in them.

/// A machine-readable zone's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::fields) enum MrzFormat {
    /// 3×30: ID cards.
    Td1,
    /// 2×36: ID cards, some travel documents.
    Td2,
    /// 2×44: passports.
    Td3,
    /// 2×44 visa: no composite check digit, 16 characters of unchecked optional data.
    MrvA,
    /// 2×36 visa: no composite check digit, 8 characters of unchecked optional data.
    MrvB,
}

/// `len` characters of line `line` from `start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::fields) struct Pos {
    pub(in crate::fields) line: usize,
    pub(in crate::fields) start: usize,
    pub(in crate::fields) len: usize,
}

const fn pos(line: usize, start: usize, len: usize) -> Pos {
    Pos { line, start, len }
}

impl Pos {
    pub(in crate::fields) fn range(self) -> std::ops::Range<usize> {
        self.start..self.start + self.len
    }
}

/// Optional data: its place and, in TD3 only, its own check digit.
#[derive(Clone, Copy, Debug)]
pub(in crate::fields) struct Optional {
    pub(in crate::fields) data: Pos,
    pub(in crate::fields) check: Option<Pos>,
}

/// Where a format keeps its fields. Dates and the document number are followed by their
/// check digit.
#[derive(Clone, Debug)]
pub(in crate::fields) struct Layout {
    pub(in crate::fields) document_code: Pos,
    pub(in crate::fields) issuing_state: Pos,
    pub(in crate::fields) name: Pos,
    pub(in crate::fields) document_number: Pos,
    /// A TD1 document number's continuation in the optional data, when it is longer than nine.
    pub(in crate::fields) document_number_continues: Option<Pos>,
    pub(in crate::fields) document_check: Pos,
    pub(in crate::fields) nationality: Pos,
    pub(in crate::fields) birth: Pos,
    pub(in crate::fields) sex: Pos,
    pub(in crate::fields) expiry: Pos,
    /// The first is what Varde shows as the personal number.
    pub(in crate::fields) optional: Vec<Optional>,
    /// The composite check digit and the runs it covers; visas have none.
    pub(in crate::fields) composite: Option<(Pos, Vec<Pos>)>,
}

impl MrzFormat {
    pub(in crate::fields) const ALL: [MrzFormat; 5] = [
        MrzFormat::Td3,
        MrzFormat::MrvA,
        MrzFormat::Td2,
        MrzFormat::MrvB,
        MrzFormat::Td1,
    ];

    pub(in crate::fields) fn line_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 | MrzFormat::MrvB => 36,
            MrzFormat::Td3 | MrzFormat::MrvA => 44,
        }
    }

    pub(in crate::fields) fn lines(self) -> usize {
        if self == MrzFormat::Td1 {
            3
        } else {
            2
        }
    }

    /// The line holding the name.
    pub(in crate::fields) fn name_line(self) -> usize {
        if self == MrzFormat::Td1 {
            2
        } else {
            0
        }
    }

    pub(in crate::fields) fn name(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
            MrzFormat::MrvA => "MRV-A",
            MrzFormat::MrvB => "MRV-B",
        }
    }

    /// Whether a zone whose first character is `code` is of this format: visas start with `V`,
    /// passports with `P`, cards with `I`, `A` or `C`.
    pub(in crate::fields) fn fits_document_code(self, code: char) -> bool {
        match self {
            MrzFormat::MrvA | MrzFormat::MrvB => code == 'V',
            MrzFormat::Td3 => code == 'P',
            MrzFormat::Td2 => matches!(code, 'P' | 'I' | 'A' | 'C'),
            MrzFormat::Td1 => matches!(code, 'I' | 'A' | 'C'),
        }
    }

    pub(in crate::fields) fn layout(self) -> Layout {
        match self {
            MrzFormat::Td1 => Layout {
                document_code: pos(0, 0, 2),
                issuing_state: pos(0, 2, 3),
                name: pos(2, 0, 30),
                document_number: pos(0, 5, 9),
                document_number_continues: None,
                document_check: pos(0, 14, 1),
                nationality: pos(1, 15, 3),
                birth: pos(1, 0, 6),
                sex: pos(1, 7, 1),
                expiry: pos(1, 8, 6),
                optional: vec![
                    Optional {
                        data: pos(0, 15, 15),
                        check: None,
                    },
                    Optional {
                        data: pos(1, 18, 11),
                        check: None,
                    },
                ],
                composite: Some((
                    pos(1, 29, 1),
                    vec![pos(0, 5, 25), pos(1, 0, 7), pos(1, 8, 7), pos(1, 18, 11)],
                )),
            },
            two_line => two_line_layout(two_line),
        }
    }
}

/// TD2, TD3 and the visas share line 2 up to the optional data.
fn two_line_layout(format: MrzFormat) -> Layout {
    let len = format.line_len();
    let (optional, composite) = match format {
        MrzFormat::Td3 => (
            Optional {
                data: pos(1, 28, 14),
                check: Some(pos(1, 42, 1)),
            },
            Some(43),
        ),
        MrzFormat::Td2 => (
            Optional {
                data: pos(1, 28, 7),
                check: None,
            },
            Some(35),
        ),
        _ => (
            Optional {
                data: pos(1, 28, len - 28),
                check: None,
            },
            None,
        ),
    };
    Layout {
        document_code: pos(0, 0, 2),
        issuing_state: pos(0, 2, 3),
        name: pos(0, 5, len - 5),
        document_number: pos(1, 0, 9),
        document_number_continues: None,
        document_check: pos(1, 9, 1),
        nationality: pos(1, 10, 3),
        birth: pos(1, 13, 6),
        sex: pos(1, 20, 1),
        expiry: pos(1, 21, 6),
        optional: vec![optional],
        composite: composite.map(|at| {
            (
                pos(1, at, 1),
                vec![pos(1, 0, 10), pos(1, 13, 7), pos(1, 21, at - 21)],
            )
        }),
    }
}
