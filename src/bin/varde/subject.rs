//! The subject of a new case from a file, standard input or a prompt, so that a name and a
//! national ID number need not be typed as arguments, where they land in the shell's history and
//! in `ps` for every user of the machine.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{bail, Context};
use serde::Deserialize;

/// Who a case is about.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SubjectInput {
    pub name: String,
    /// YYYY-MM-DD
    #[serde(default)]
    pub date_of_birth: Option<String>,
    #[serde(default)]
    pub national_id: Option<String>,
}

/// The subject from `--subject-file` (a JSON object; `-` reads standard input), else from the
/// arguments, else asked for on the terminal.
pub(crate) fn read(
    file: Option<&Path>,
    name: Option<&str>,
    dob: Option<&str>,
    national_id_arg: Option<&str>,
) -> anyhow::Result<SubjectInput> {
    if let Some(file) = file {
        return from_file(file);
    }
    if let Some(name) = name {
        return Ok(SubjectInput {
            name: name.to_string(),
            date_of_birth: dob.map(str::to_string),
            national_id: national_id_arg.map(str::to_string),
        });
    }
    if !std::io::stdin().is_terminal() {
        bail!("no subject given: pass --subject-file FILE (a JSON object with name, date_of_birth, national_id; - reads standard input), or run in a terminal to be asked");
    }
    let name = ask("Subject's name: ")?;
    if name.is_empty() {
        bail!("the subject's name is required; no case was created");
    }
    let date_of_birth = Some(ask("Date of birth (YYYY-MM-DD, Enter to skip): ")?)
        .filter(|d| !d.is_empty())
        .or(dob.map(str::to_string));
    // Not echoed: a national ID number is as sensitive on a screen as in a history file.
    let typed = rpassword::prompt_password("National ID number (not shown, Enter to skip): ")?;
    let national_id = Some(typed.trim().to_string()).filter(|n| !n.is_empty());
    Ok(SubjectInput {
        name,
        date_of_birth,
        national_id: national_id.or(national_id_arg.map(str::to_string)),
    })
}

fn from_file(file: &Path) -> anyhow::Result<SubjectInput> {
    let mut text = String::new();
    if file == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("could not read the subject from standard input")?;
    } else {
        text = std::fs::read_to_string(file)
            .with_context(|| format!("could not read the subject file {}", file.display()))?;
    }
    // The parser's message could quote the file's content: say only where it went wrong.
    let subject: SubjectInput = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "the subject file is not a JSON object with name, date_of_birth and national_id (line {}, column {}); no case was created",
            e.line(),
            e.column()
        )
    })?;
    if subject.name.trim().is_empty() {
        bail!("the subject file has an empty name; no case was created");
    }
    Ok(subject)
}

fn ask(prompt: &str) -> anyhow::Result<String> {
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim().to_string())
}
