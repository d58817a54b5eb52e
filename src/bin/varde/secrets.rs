//! Passwords and the recovery code: from the environment (for scripts) or a terminal prompt,
//! never from the command line, where other users could read them.

use anyhow::{bail, Context};

fn from_env_or_prompt(var: &str, prompt: &str) -> anyhow::Result<String> {
    if let Ok(v) = std::env::var(var) {
        return Ok(v);
    }
    rpassword::prompt_password(prompt).with_context(|| format!("no terminal to ask in: set {var}"))
}

pub fn password(prompt: &str) -> anyhow::Result<String> {
    from_env_or_prompt("VARDE_PASSWORD", prompt)
}

pub fn recovery_code() -> anyhow::Result<String> {
    from_env_or_prompt("VARDE_RECOVERY_CODE", "Recovery code: ")
}

/// A new password, typed twice when prompted.
pub fn new_password() -> anyhow::Result<String> {
    if let Ok(v) = std::env::var("VARDE_NEW_PASSWORD") {
        return Ok(v);
    }
    let first = from_env_or_prompt("VARDE_NEW_PASSWORD", "New password: ")?;
    let again = rpassword::prompt_password("Repeat the new password: ")?;
    if first != again {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}
