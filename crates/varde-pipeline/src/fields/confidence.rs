//! The confidence scale of a field (0–1): a fixed value for how it was read, so the same text
//! always gives the same number.
//!
//! | how the field was read                                      | confidence |
//! |-------------------------------------------------------------|-----------:|
//! | MRZ, its check digit confirms it                            | 0.99       |
//! | visual zone and MRZ agree                                   | 0.99       |
//! | national ID number whose control digits hold                | 0.99       |
//! | MRZ, its check digit confirms it after a repair             | 0.9        |
//! | MRZ, no check digit covers it (names, country codes, sex)   | 0.8        |
//! | the same, with a character forced by the field's alphabet   | 0.75       |
//! | visual zone only (or a driving licence)                     | 0.7        |
//! | visual zone and MRZ disagree (the MRZ value is kept)        | 0.5        |
//! | MRZ check digit fails, or characters the field cannot hold  | 0.3        |
//! | labelled national ID number that fails validation           | 0.3        |

pub(super) const CHECKED: f32 = 0.99;
pub(super) const VISUAL_AGREES: f32 = 0.99;
pub(super) const NATIONAL_ID_VALID: f32 = 0.99;
pub(super) const CHECKED_AFTER_REPAIR: f32 = 0.9;
pub(super) const UNCHECKED: f32 = 0.8;
pub(super) const UNCHECKED_REPAIRED: f32 = 0.75;
pub(super) const VISUAL_ONLY: f32 = 0.7;
pub(super) const VISUAL_DISAGREES: f32 = 0.5;
pub(super) const FAILED: f32 = 0.3;
pub(super) const NATIONAL_ID_INVALID: f32 = 0.3;
