//! Launching the user's editor ($VISUAL, then $EDITOR, then vi) on a
//! draft's text in a temporary file: used by `duyet edit` and the TUI.

use std::path::{Path, PathBuf};

/// What went wrong running the editor.
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    /// The editor could not be started.
    #[error("cannot run the editor '{editor}': {source}")]
    Spawn {
        /// The editor command.
        editor: String,
        /// Why.
        source: std::io::Error,
    },
    /// The editor exited with a failure.
    #[error("the editor '{editor}' failed ({status}); nothing was committed")]
    Failed {
        /// The editor command.
        editor: String,
        /// Its exit status.
        status: std::process::ExitStatus,
    },
    /// The temporary file could not be written or read back.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The draft id cannot name a file.
    #[error(transparent)]
    Repo(#[from] crate::repo::Error),
}

/// The editor command: $VISUAL, else $EDITOR, else `nano` when on the
/// PATH (easier to leave than `vi`), else `vi`.
pub fn editor_command() -> String {
    std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|e| !e.is_empty()))
        .unwrap_or_else(|| fallback_editor(std::env::var_os("PATH").as_deref()).to_string())
}

/// `nano` when a directory of `path` (a PATH value) holds it, else `vi`.
pub fn fallback_editor(path: Option<&std::ffi::OsStr>) -> &'static str {
    let found = path.is_some_and(|p| std::env::split_paths(p).any(|d| d.join("nano").is_file()));
    if found { "nano" } else { "vi" }
}

/// Runs the editor on `file` (through `sh -c`, so the command may carry
/// arguments) and waits for it.
pub fn run_editor(file: &Path) -> Result<(), EditorError> {
    let editor = editor_command();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file)
        .status()
        .map_err(|source| EditorError::Spawn {
            editor: editor.clone(),
            source,
        })?;
    if !status.success() {
        return Err(EditorError::Failed { editor, status });
    }
    Ok(())
}

/// A draft's text in a temporary folder, in a file named after the draft
/// (so the editor shows which draft it is); removed when dropped.
pub struct EditFile {
    dir: tempfile::TempDir,
    file: PathBuf,
}

impl EditFile {
    /// Writes `text` of draft `id` to a new temporary file.
    pub fn new(id: &str, text: &str) -> Result<EditFile, EditorError> {
        let dir = tempfile::tempdir().map_err(|source| EditorError::File {
            path: std::env::temp_dir(),
            source,
        })?;
        let name = crate::model::id::edit_file_name(id)
            .ok_or_else(|| crate::repo::Error::InvalidId(id.to_string()))?;
        let file = dir.path().join(name);
        std::fs::write(&file, text).map_err(|source| EditorError::File {
            path: file.clone(),
            source,
        })?;
        Ok(EditFile { dir, file })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The temporary folder (for other files, such as a message).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the editor on the file.
    pub fn edit(&self) -> Result<(), EditorError> {
        run_editor(&self.file)
    }

    /// The file's text now.
    pub fn read(&self) -> Result<String, EditorError> {
        std::fs::read_to_string(&self.file).map_err(|source| EditorError::File {
            path: self.file.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::fallback_editor;

    #[test]
    fn nano_when_on_the_path_else_vi() {
        let with = tempfile::tempdir().expect("temp dir");
        let without = tempfile::tempdir().expect("temp dir");
        std::fs::write(with.path().join("nano"), "").expect("write");
        let path = std::env::join_paths([without.path(), with.path()]).expect("path");
        assert_eq!(fallback_editor(Some(&path)), "nano");
        let path = std::env::join_paths([without.path()]).expect("path");
        assert_eq!(fallback_editor(Some(&path)), "vi");
        assert_eq!(fallback_editor(None), "vi");
    }
}
