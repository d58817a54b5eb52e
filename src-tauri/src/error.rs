//! The error every command returns to the window: the core's message, a stable code, and the
//! broad kind the UI reacts to (sign-in countdown, reload on a stale version, back to sign-in).

use serde::Serialize;
use varde::api::VaultError;
use varde::api::{error_code, Error, ErrorKind};

#[derive(Debug, Serialize)]
pub struct CommandError {
    pub kind: &'static str,
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

impl CommandError {
    /// No session: never signed in, signed out, or locked after being idle.
    pub fn locked() -> CommandError {
        CommandError::plain("locked", "locked", "Varde is locked: sign in again")
    }

    pub fn invalid(message: impl Into<String>) -> CommandError {
        CommandError::plain("invalid_input", "invalid_input", message)
    }

    fn plain(kind: &'static str, code: &str, message: impl Into<String>) -> CommandError {
        CommandError {
            kind,
            code: code.to_string(),
            message: message.into(),
            retry_after_secs: None,
            expected_version: None,
            current_version: None,
        }
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        let kind = match e.kind() {
            ErrorKind::Authentication => "authentication",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Other => "other",
        };
        let mut out = CommandError::plain(kind, error_code(&e), e.to_string());
        match e {
            Error::Vault(VaultError::Throttled { retry_after_secs }) => {
                out.retry_after_secs = Some(retry_after_secs)
            }
            Error::StaleVersion { expected, current } => {
                out.expected_version = Some(expected);
                out.current_version = Some(current);
            }
            _ => {}
        }
        out
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
