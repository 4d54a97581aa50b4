//! Output files that never destroy an input and never look complete when they are not.
//!
//! An output file is written to a temporary file in its directory and renamed over the
//! destination only when the run succeeds: a run that fails, stops or is interrupted (SIGINT,
//! SIGTERM) leaves the previous output as it was, and at most a temporary file whose name says
//! it is one. An output that is any of the run's inputs (by path, through a link, or the same
//! file under another name) is refused before anything is written. A device or a pipe
//! (`/dev/null`, `/dev/stdout`) is written in place: it cannot be renamed over.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where the records of a run go.
pub enum Output {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    /// A device or a pipe named on the command line.
    InPlace {
        path: PathBuf,
        file: BufWriter<File>,
    },
    /// A regular file: a temporary file until [`Output::commit`].
    Staged {
        path: PathBuf,
        file: BufWriter<tempfile::NamedTempFile>,
    },
}

const BUFFER: usize = 1 << 20;

impl Output {
    /// Open `path` (stdout when `None` or `-`) for writing, after checking that it is none of
    /// `inputs`. Nothing is created or truncated at `path` itself. The error comes with its
    /// exit code: usage for an output that is an input, operational when it cannot be written.
    pub fn open(
        path: Option<&Path>,
        inputs: &[&Path],
    ) -> Result<Output, (super::CliError, String)> {
        let cannot = |e: io::Error| {
            (
                super::CliError::Operational,
                format!(
                    "cannot write {}: {e}",
                    path.map_or(String::new(), |p| p.display().to_string())
                ),
            )
        };
        let Some(path) = path.filter(|p| *p != Path::new("-")) else {
            return Ok(Output::Stdout(BufWriter::with_capacity(
                BUFFER,
                io::stdout().lock(),
            )));
        };
        for input in inputs {
            if same_file(path, input) {
                return Err((
                    super::CliError::Usage,
                    format!(
                        "--out {} is the input {}: it would be overwritten; write the output elsewhere",
                        path.display(),
                        input.display()
                    ),
                ));
            }
        }
        // Through a link, the file it leads to is replaced (the link stays a link).
        let resolved;
        let path = if path.is_symlink() {
            resolved = path.canonicalize().map_err(cannot)?;
            resolved.as_path()
        } else {
            path
        };
        let in_place = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
        if in_place {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(cannot)?;
            return Ok(Output::InPlace {
                path: path.to_path_buf(),
                file: BufWriter::with_capacity(BUFFER, file),
            });
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".incomplete");
        // As `File::create` would: readable by others unless the umask says otherwise.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = builder.tempfile_in(dir).map_err(cannot)?;
        Ok(Output::Staged {
            path: path.to_path_buf(),
            file: BufWriter::with_capacity(BUFFER, tmp),
        })
    }

    /// The name of the output, for messages.
    pub fn name(&self) -> String {
        match self {
            Output::Stdout(_) => "standard output".into(),
            Output::InPlace { path, .. } | Output::Staged { path, .. } => {
                path.display().to_string()
            }
        }
    }

    /// The run succeeded: flush, and put the output in place.
    pub fn commit(self) -> Result<(), String> {
        let name = self.name();
        let fail = |e: &dyn std::fmt::Display| format!("cannot write {name}: {e}");
        match self {
            Output::Stdout(mut w) => w.flush().map_err(|e| fail(&e)),
            Output::InPlace { mut file, .. } => file.flush().map_err(|e| fail(&e)),
            Output::Staged { path, file } => {
                let tmp = file.into_inner().map_err(|e| fail(e.error()))?;
                tmp.as_file().sync_all().map_err(|e| fail(&e))?;
                tmp.persist(&path).map_err(|e| fail(&e.error))?;
                Ok(())
            }
        }
    }

    /// The run did not complete: keep what was written under `<out>.partial` (never under the
    /// output's own name) and return that name; nothing for standard output or a device.
    pub fn keep_partial(self) -> Option<PathBuf> {
        match self {
            Output::Stdout(mut w) => {
                let _ = w.flush();
                None
            }
            Output::InPlace { mut file, .. } => {
                let _ = file.flush();
                None
            }
            Output::Staged { path, file } => {
                let tmp = file.into_inner().ok()?;
                let mut partial = path.into_os_string();
                partial.push(".partial");
                let partial = PathBuf::from(partial);
                tmp.persist(&partial).ok()?;
                Some(partial)
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::InPlace { file, .. } => file.write(buf),
            Output::Staged { file, .. } => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.write_all(buf),
            Output::InPlace { file, .. } => file.write_all(buf),
            Output::Staged { file, .. } => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::InPlace { file, .. } => file.flush(),
            Output::Staged { file, .. } => file.flush(),
        }
    }
}

/// Whether `a` and `b` name the same file: the same canonical path (links resolved), or the
/// same device and inode (hard links, bind mounts).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(x), Ok(y)) = (a.canonicalize(), b.canonicalize())
        && x == y
    {
        return true;
    }
    same_inode(a, b)
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        // A device (`/dev/null`) written to and read from is no overwrite.
        (Ok(x), Ok(y)) if x.is_file() => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}
