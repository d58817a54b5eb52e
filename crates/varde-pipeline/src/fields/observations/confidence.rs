//! The confidence scale of an observation (0–1): a fixed value for how it was read, so the same
//! text always gives the same number.
//!
//! | how the observation was read                                        | confidence |
//! |---------------------------------------------------------------------|-----------:|
//! | known analyte, a unit of its own, range printed                     | 0.95       |
//! | known analyte, a unit of its own (or a vital without one), default range | 0.9   |
//! | blood pressure                                                      | 0.9        |
//! | known analyte, unit missing or not one the vocabulary gives it      | 0.7        |
//! | unknown analyte, read as a table row (known unit and printed range) | 0.6        |

pub(super) const CODED_PRINTED_RANGE: f32 = 0.95;
pub(super) const CODED_DEFAULT_RANGE: f32 = 0.9;
pub(super) const BLOOD_PRESSURE: f32 = 0.9;
pub(super) const CODED_OTHER_UNIT: f32 = 0.7;
pub(super) const UNCODED_TABLE_ROW: f32 = 0.6;
