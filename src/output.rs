//! Last stage: files are written into a staging folder beside the output and swapped in only
//! when the whole build succeeded, so a failed build never leaves a half-written `public/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::error::{Error, Result};

/// A file of the built site, by its path relative to the output root (always `/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl OutputFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        OutputFile { path: path.into(), bytes: bytes.into() }
    }
}

/// The folder a build writes into. Writing is safe from many threads at once.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
    committed: bool,
}

impl Staging {
    /// Creates `.<name>.tmp-<pid>` beside `target`.
    pub fn create(target: &Path) -> Result<Staging> {
        let target = absolute(target)?;
        let parent = target.parent().ok_or_else(|| Error::Other(format!("输出目录 {} 无效", target.display())))?;
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging { dir, target, files: AtomicUsize::new(0), bytes: AtomicU64::new(0), committed: false })
    }

    pub fn write(&self, file: &OutputFile) -> Result<()> {
        debug_assert!(!file.path.starts_with('/') && !file.path.contains(".."), "{}", file.path);
        let path = self.dir.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        fs::write(&path, &file.bytes).map_err(|e| Error::io(&path, e))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(file.bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    pub fn files_written(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    pub fn bytes_written(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Replaces the target folder with the staged one. The old output is moved aside first and
    /// removed only after the new one is in place.
    pub fn commit(mut self) -> Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.old-{}",
            self.target.file_name().and_then(|n| n.to_str()).unwrap_or("public"),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|e| Error::io(path, e))
}
