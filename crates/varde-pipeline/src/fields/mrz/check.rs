//! Check digits (ICAO 9303 part 3: weights 7, 3, 1) and the repairs of OCR confusions they
//! confirm: a field is corrected only when its check digit then agrees, and only the one way
//! that makes it agree.

/// ICAO 9303 check digit: digits as themselves, A–Z as 10–35, `<` as 0.
pub(in crate::fields) fn check_digit(chars: &[char]) -> Option<u32> {
    let mut sum = 0;
    for (i, &c) in chars.iter().enumerate() {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            '<' => 0,
            _ => return None,
        };
        sum += v * [7, 3, 1][i % 3];
    }
    Some(sum % 10)
}

/// The digit OCR may have read as this letter (`O`/`Q`/`D`/`U` for 0, `I` for 1, `Z` for 2,
/// `S` for 5, `G` for 6, `B` for 8).
pub(in crate::fields) fn digit_for(c: char) -> Option<char> {
    Some(match c {
        'O' | 'Q' | 'D' | 'U' => '0',
        'I' => '1',
        'Z' => '2',
        'S' => '5',
        'G' => '6',
        'B' => '8',
        _ => return None,
    })
}

/// The letter OCR may have read as this digit (the reverse of [`digit_for`]).
pub(in crate::fields) fn letter_for(c: char) -> Option<char> {
    Some(match c {
        '0' => 'O',
        '1' => 'I',
        '2' => 'Z',
        '5' => 'S',
        '6' => 'G',
        '8' => 'B',
        _ => return None,
    })
}

/// What a check digit says about its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::fields) enum Verdict {
    Confirmed,
    Failed,
    /// The field has no check digit of its own.
    Unchecked,
}

/// A field's characters and its check digit after any confirmed repair.
#[derive(Clone, Debug)]
pub(in crate::fields) struct Checked {
    pub(in crate::fields) data: Vec<char>,
    pub(in crate::fields) check: char,
    pub(in crate::fields) verdict: Verdict,
}

/// Whether `check` is `data`'s check digit. A `<` is one only for empty optional data
/// (`filler_allowed`, the TD3 personal number), never a 0 elsewhere.
pub(in crate::fields) fn passes(data: &[char], check: char, filler_allowed: bool) -> bool {
    if check == '<' {
        return filler_allowed && data.iter().all(|&c| c == '<');
    }
    check.is_ascii_digit() && check.to_digit(10) == check_digit(data)
}

fn as_digit(c: char) -> char {
    digit_for(c).unwrap_or(c)
}

/// A field of digits only (a date): letters read as the digits they are confused with, kept
/// only if the check digit then confirms them; otherwise the field as read, failed.
pub(in crate::fields) fn check_numeric(data: &[char], check: char) -> Checked {
    let digits: Vec<char> = data.iter().map(|&c| as_digit(c)).collect();
    if digits.iter().all(char::is_ascii_digit) && passes(&digits, as_digit(check), false) {
        return Checked {
            data: digits,
            check: as_digit(check),
            verdict: Verdict::Confirmed,
        };
    }
    failed(data, check)
}

/// A field of letters and digits (document number, TD3 personal number): as read if its check
/// digit (letters in it read as digits) confirms it; else the single letter/digit confusion
/// that makes it agree and that `confirm` (the zone's composite check digit) accepts, if
/// exactly one does; else as read, failed. A character is only taken for its twin between
/// characters of the twin's class (an `O` between digits, a `1` between letters): a mod-10
/// check digit is satisfied by one wrong guess in ten.
pub(in crate::fields) fn check_alphanumeric(
    data: &[char],
    check: char,
    filler_allowed: bool,
    confirm: impl Fn(&[char], char) -> bool,
) -> Checked {
    let check_read = if check == '<' { check } else { as_digit(check) };
    let confirmed = |data: Vec<char>| Checked {
        data,
        check: check_read,
        verdict: Verdict::Confirmed,
    };
    if passes(data, check_read, filler_allowed) {
        return confirmed(data.to_vec());
    }
    let mut candidates = (0..data.len()).filter_map(|i| {
        let c = data[i];
        let other = if c.is_ascii_digit() {
            letter_for(c)
        } else {
            digit_for(c)
        }?;
        if !among_its_class(data, i, other) {
            return None;
        }
        let mut repaired = data.to_vec();
        repaired[i] = other;
        (passes(&repaired, check_read, filler_allowed) && confirm(&repaired, check_read))
            .then_some(repaired)
    });
    match (candidates.next(), candidates.next()) {
        (Some(only), None) => confirmed(only),
        _ => failed(data, check),
    }
}

/// Whether the characters next to `at` (fillers aside; at least one) are of `twin`'s class.
fn among_its_class(data: &[char], at: usize, twin: char) -> bool {
    let neighbours = [at.checked_sub(1), Some(at + 1)];
    let mut present = neighbours
        .into_iter()
        .flatten()
        .filter_map(|i| data.get(i))
        .filter(|&&c| c != '<')
        .peekable();
    present.peek().is_some() && present.all(|c| c.is_ascii_digit() == twin.is_ascii_digit())
}

fn failed(data: &[char], check: char) -> Checked {
    Checked {
        data: data.to_vec(),
        check,
        verdict: Verdict::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn a_repair_two_confusions_would_satisfy_equally_is_not_made() {
        // `O` at positions 1 and 4 carry the same weight (3): either read as 0 gives check 6.
        let checked = check_alphanumeric(&chars("1O12O3456"), '6', false, |_, _| true);
        assert_eq!(checked.verdict, Verdict::Failed);
        assert_eq!(checked.data, chars("1O12O3456"));
    }

    #[test]
    fn the_one_confusion_a_check_digit_confirms_is_repaired() {
        let checked = check_alphanumeric(&chars("L898902C3"), '6', false, |_, _| true);
        assert_eq!(checked.verdict, Verdict::Confirmed);
        let checked = check_alphanumeric(&chars("L8989O2C3"), '6', false, |_, _| true);
        assert_eq!(checked.verdict, Verdict::Confirmed);
        assert_eq!(checked.data, chars("L898902C3"));
    }

    #[test]
    fn a_repair_the_composite_refuses_is_not_made() {
        let checked = check_alphanumeric(&chars("L8989O2C3"), '6', false, |_, _| false);
        assert_eq!(checked.verdict, Verdict::Failed);
    }

    #[test]
    fn a_date_is_repaired_only_when_its_check_digit_then_holds() {
        let checked = check_numeric(&chars("74O8I2"), '2');
        assert_eq!(checked.verdict, Verdict::Confirmed);
        assert_eq!(checked.data, chars("740812"));
        let checked = check_numeric(&chars("74O8I2"), '3');
        assert_eq!(checked.verdict, Verdict::Failed);
        assert_eq!(checked.data, chars("74O8I2"));
    }

    #[test]
    fn a_filler_check_digit_counts_only_for_empty_optional_data() {
        assert_eq!(
            check_alphanumeric(&chars("<<<<"), '<', true, |_, _| true).verdict,
            Verdict::Confirmed
        );
        assert_eq!(
            check_alphanumeric(&chars("<<<<"), '<', false, |_, _| true).verdict,
            Verdict::Failed
        );
        assert_eq!(
            check_alphanumeric(&chars("A<<<"), '<', true, |_, _| true).verdict,
            Verdict::Failed
        );
        assert_eq!(
            check_numeric(&chars("000000"), '<').verdict,
            Verdict::Failed
        );
    }
}
