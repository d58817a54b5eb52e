//! Parameters and result columns shared by both backends: integers, text, bytes and NULL.

use super::DbError;

/// A parameter or a column value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (INTEGER / BIGINT).
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes (BLOB / BYTEA).
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Value {
        // Sizes and seqs stay far below i64::MAX; saturate rather than wrap.
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::Text(v.clone())
    }
}

impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Value {
        Value::Blob(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// One result row.
#[derive(Clone, Debug)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, DbError> {
        self.0
            .get(i)
            .ok_or_else(|| DbError::Corrupt(format!("a result has no column {i}")))
    }

    /// Column `i` as an integer.
    pub fn int(&self, i: usize) -> Result<i64, DbError> {
        match self.at(i)? {
            Value::Int(v) => Ok(*v),
            other => Err(DbError::Corrupt(format!(
                "column {i} is {other:?}, not an integer"
            ))),
        }
    }

    /// Column `i` as an unsigned count or seq.
    pub fn uint(&self, i: usize) -> Result<u64, DbError> {
        u64::try_from(self.int(i)?).map_err(|_| DbError::Corrupt(format!("column {i} is negative")))
    }

    /// Column `i` as an optional unsigned integer.
    pub fn opt_uint(&self, i: usize) -> Result<Option<u64>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.uint(i).map(Some),
        }
    }

    /// Column `i` as text.
    pub fn text(&self, i: usize) -> Result<String, DbError> {
        match self.at(i)? {
            Value::Text(v) => Ok(v.clone()),
            other => Err(DbError::Corrupt(format!(
                "column {i} is {other:?}, not text"
            ))),
        }
    }

    /// Column `i` as optional text.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, DbError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }

    /// Column `i` as bytes.
    pub fn blob(&self, i: usize) -> Result<Vec<u8>, DbError> {
        match self.at(i)? {
            Value::Blob(v) => Ok(v.clone()),
            other => Err(DbError::Corrupt(format!(
                "column {i} is {other:?}, not bytes"
            ))),
        }
    }

    /// Column `i` as a 32-byte hash.
    pub fn hash(&self, i: usize) -> Result<[u8; 32], DbError> {
        self.blob(i)?
            .try_into()
            .map_err(|_| DbError::Corrupt(format!("column {i} is not a 32-byte hash")))
    }
}
