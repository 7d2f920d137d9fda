//! Signing and verifying through external programs, as git runs them:
//! `gpg --status-fd=2 -bsau KEY`, `gpgsm` likewise, `ssh-keygen -Y sign`.

use std::io::Write;
use std::process::{Command, Stdio};

use super::{Format, SignError};

fn config_key(format: Format) -> &'static str {
    match format {
        Format::OpenPgp => "gpg.program",
        Format::Ssh => "gpg.ssh.program",
        Format::X509 => "gpg.x509.program",
    }
}

/// Runs `cmd` with `input` on stdin; returns (status ok, stdout, stderr).
fn run(
    mut cmd: Command,
    program: &str,
    format: Format,
    input: &[u8],
) -> Result<(bool, String, String), SignError> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| SignError::ProgramMissing {
            program: program.to_string(),
            config: config_key(format),
            reason: e.to_string(),
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        // A program that exits early closes its stdin; its exit status says why.
        let _ = stdin.write_all(input);
    }
    let out = child
        .wait_with_output()
        .map_err(|e| SignError::ProgramFailed {
            program: program.to_string(),
            status: "not waited for".to_string(),
            stderr: e.to_string(),
        })?;
    Ok((
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ))
}

fn failed(program: &str, status: &str, stderr: &str) -> SignError {
    let text: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("[GNUPG:]") && !l.trim().is_empty())
        .collect();
    SignError::ProgramFailed {
        program: program.to_string(),
        status: status.to_string(),
        stderr: if text.is_empty() {
            "no message".to_string()
        } else {
            text.join("; ")
        },
    }
}

/// Signs `buffer` with `program`, returning the armored signature.
pub(super) fn sign(
    format: Format,
    program: &str,
    key: &str,
    buffer: &[u8],
) -> Result<String, SignError> {
    let mut cmd = Command::new(program);
    let _tmp;
    match format {
        Format::OpenPgp | Format::X509 => {
            cmd.args(["--status-fd=2", "-bsau", key]);
        }
        Format::Ssh => {
            let file = match key.strip_prefix("key::") {
                Some(literal) => {
                    let mut f = tempfile::NamedTempFile::new().map_err(|e| SignError::KeyFile {
                        path: std::env::temp_dir(),
                        reason: e.to_string(),
                    })?;
                    writeln!(f, "{literal}").map_err(|e| SignError::KeyFile {
                        path: f.path().to_path_buf(),
                        reason: e.to_string(),
                    })?;
                    let p = f.path().display().to_string();
                    _tmp = f;
                    p
                }
                None => key.to_string(),
            };
            cmd.args(["-Y", "sign", "-n", "git", "-f", &file]);
        }
    }
    let (ok, stdout, stderr) = run(cmd, program, format, buffer)?;
    let created = format == Format::Ssh || stderr.contains("[GNUPG:] SIG_CREATED ");
    if !ok || !created || stdout.trim().is_empty() {
        return Err(failed(
            program,
            if ok {
                "no signature made"
            } else {
                "exit status non-zero"
            },
            &stderr,
        ));
    }
    Ok(stdout)
}

/// Verifies with gpg or gpgsm; returns the fingerprint from VALIDSIG.
pub(super) fn verify(
    format: Format,
    program: &str,
    signature: &str,
    payload: &[u8],
) -> Result<String, SignError> {
    let mut sig = tempfile::NamedTempFile::new().map_err(|e| SignError::Invalid(e.to_string()))?;
    sig.write_all(signature.as_bytes())
        .map_err(|e| SignError::Invalid(e.to_string()))?;
    let mut cmd = Command::new(program);
    cmd.args(["--status-fd=1", "--verify"])
        .arg(sig.path())
        .arg("-");
    let (_, stdout, stderr) = run(cmd, program, format, payload)?;
    let good = stdout.lines().any(|l| l.starts_with("[GNUPG:] GOODSIG "));
    let fpr = stdout
        .lines()
        .find_map(|l| l.strip_prefix("[GNUPG:] VALIDSIG "))
        .and_then(|rest| rest.split_whitespace().next());
    match (good, fpr) {
        (true, Some(f)) => Ok(f.to_string()),
        _ => Err(SignError::Invalid(format!(
            "{program} does not accept the signature: {}",
            stderr
                .lines()
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}
