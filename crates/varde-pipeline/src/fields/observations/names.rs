//! Printed names: the key they are looked up by, and the words that make a line something other
//! than a result (dates, pages, contact details, IDs, addresses, ages).

/// The name lower-cased, with a specimen prefix (`S-`, `B-`, `P-`, `U-`, `fB-`, `Pt-`, `aB-`,
/// `vB-`) and punctuation removed, padded with spaces for whole-word search.
pub(super) fn name_key(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut words: Vec<&str> = Vec::new();
    for word in lower
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ':' | '[' | ']' | ';'))
    {
        if word.is_empty() {
            continue;
        }
        let word = match word.split_once('-') {
            Some((prefix, rest))
                if !rest.is_empty()
                    && [
                        "s", "b", "p", "u", "fb", "pt", "ab", "vb", "sp", "f", "se", "pl",
                    ]
                    .contains(&prefix) =>
            {
                rest
            }
            _ => word,
        };
        words.push(word.trim_end_matches('.'));
    }
    format!(" {} ", words.join(" "))
}

/// Words that make a line something other than a result.
const REFUSED_NAME_WORDS: &[&str] = &[
    "side",
    "page",
    "sida",
    "telefon",
    "tlf",
    "tel",
    "phone",
    "mobil",
    "fax",
    "dato",
    "date",
    "født",
    "fødselsdato",
    "fødselsnummer",
    "fnr",
    "pnr",
    "personnummer",
    "postnr",
    "postboks",
    "adresse",
    "address",
    "gate",
    "gata",
    "vei",
    "veien",
    "vegen",
    "rom",
    "seng",
    "kl",
    "klokken",
    "org",
    "orgnr",
    "konto",
    "kontonr",
    "id",
    "hpr",
    "nr",
    "nummer",
    "no",
    "alder",
    "age",
    "år",
    "rekvisisjon",
    "prøvenr",
    "svar",
    "versjon",
];

/// Whether a name's key holds a word that makes its line something other than a result.
pub(super) fn is_refused(key: &str) -> bool {
    key.split_whitespace()
        .any(|w| REFUSED_NAME_WORDS.contains(&w))
}
