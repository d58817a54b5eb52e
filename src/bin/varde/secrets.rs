//! Passwords and the recovery code: from the environment (for scripts) or a terminal prompt,
//! never from the command line, where other users could read them. A secret taken from the
//! environment is removed from it at once (so no later child process inherits it), and every
//! secret is wiped from memory when dropped.

use anyhow::{bail, Context};
use zeroize::Zeroizing;

pub type Secret = Zeroizing<String>;

/// The variable's value, removed from this process's environment. Called from `main`'s thread
/// before any other thread exists, as `remove_var` requires.
fn take_env(var: &str) -> Option<Secret> {
    let v = std::env::var(var).ok().map(Zeroizing::new);
    if v.is_some() {
        std::env::remove_var(var);
    }
    v
}

fn from_env_or_prompt(var: &str, prompt: &str) -> anyhow::Result<Secret> {
    if let Some(v) = take_env(var) {
        return Ok(v);
    }
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .with_context(|| format!("no terminal to ask in: set {var}"))
}

pub fn password(prompt: &str) -> anyhow::Result<Secret> {
    from_env_or_prompt("VARDE_PASSWORD", prompt)
}

pub fn recovery_code() -> anyhow::Result<Secret> {
    from_env_or_prompt("VARDE_RECOVERY_CODE", "Recovery code: ")
}

/// A new password, typed twice when prompted.
pub fn new_password() -> anyhow::Result<Secret> {
    if let Some(v) = take_env("VARDE_NEW_PASSWORD") {
        return Ok(v);
    }
    let first = from_env_or_prompt("VARDE_NEW_PASSWORD", "New password: ")?;
    let again = Zeroizing::new(rpassword::prompt_password("Repeat the new password: ")?);
    if first != again {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_read_from_the_environment_is_removed_from_it() {
        std::env::set_var("VARDE_TEST_SECRET_TAKEN", "hunter2 hunter2");
        assert_eq!(
            take_env("VARDE_TEST_SECRET_TAKEN")
                .as_deref()
                .map(String::as_str),
            Some("hunter2 hunter2")
        );
        assert!(std::env::var("VARDE_TEST_SECRET_TAKEN").is_err());
    }
}
