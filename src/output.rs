//! Last stage: files are written into a staging folder beside the output and swapped in only
//! when the whole build succeeded, so a failed build never leaves a half-written `public/`.
//!
//! What may happen to a build, and what `public/` is afterwards:
//! - content errors, a full disk, a read-only or unwritable output: the error is reported, the
//!   staging folder removed, `public/` untouched;
//! - killed at any moment (SIGKILL, power cut): on Linux the swap is one atomic
//!   `renameat2(RENAME_EXCHANGE)` after the staged files are flushed (`syncfs`), so `public/` is
//!   at every instant either the previous or the new complete site. Elsewhere the swap is two
//!   renames; a build killed between them leaves `public/` missing and the previous site in
//!   `.public.old-<pid>`, which the next build puts back before anything else;
//! - leftovers (`.public.tmp-*`, `.public.old-*`, `.public.trash-*`) are removed by the next
//!   build;
//! - after the swap the previous output is kept as `.public.prev`: the next build takes it up
//!   as its staging folder and changes only the files that differ, or lie in a folder of the
//!   output changed by hand since (see [`Generation`]), instead of making ten thousand links and
//!   folders anew; after a build from nothing, with no previous output, it is the output's twin
//!   (see [`Twin`]);
//! - a fresh staging folder is made in one of the empty folders of `.public.nursery/` and moved
//!   beside the output, so that ext4 puts its files where no output was removed lately (see
//!   [`make_in_nursery`]);
//! - two builds into the same output: the second one stops at once with a clear message, via an
//!   advisory lock on `.public.lock` beside the output, which the system releases when the
//!   holder exits in any way (so a killed build never leaves a stale lock).

use std::fs;
use std::path::{Path, PathBuf};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use fs2::FileExt;
use rayon::prelude::*;

use crate::error::{Error, Result};

/// JSON (or a JS literal made by serde_json) that stays inert wherever it lands: `<`, `>` and `&`
/// become `\u003c`, `\u003e`, `\u0026`, so a `</script>` or `<!--` in a title cannot end or
/// change an inline script, and U+2028/U+2029, raw in JSON but line ends in older JavaScript
/// engines, become `\u2028`/`\u2029`. In serde_json output these characters only occur inside
/// strings, where the escapes mean the same characters.
pub fn script_safe_json(json: &str) -> String {
    // By bytes, copying the runs between: the open data's JSON is megabytes of Chinese text,
    // which a title corrected makes anew (character by character, the publish stage took 21.4
    // ms of such a rebuild at 1×; so, 20.5 ms). The bytes matched start characters (U+2028/9
    // are E2 80 A8/A9 in UTF-8), so every slice is whole characters.
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let (mut from, mut i) = (0, 0);
    while i < bytes.len() {
        let (escape, len) = match bytes[i] {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 if bytes[i + 1..].starts_with(&[0x80, 0xA8]) => ("\\u2028", 3),
            0xE2 if bytes[i + 1..].starts_with(&[0x80, 0xA9]) => ("\\u2029", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&json[from..i]);
        out.push_str(escape);
        i += len;
        from = i;
    }
    out.push_str(&json[from..]);
    out
}

/// The folder a build into `output` replaces: `output`, or the folder it links to (so that the
/// link stays and its folder is what changes, the staging and cache folders beside that).
///
/// A build replaces the whole folder and keeps the one before it as `.public.prev`, which the
/// next build takes up or removes: whatever else lay there would be lost. So the folder must be
/// absent, empty or a site gongbao made (it holds `search/build.js`), and must not hold the
/// content or lie inside it.
pub fn target(output: &Path, content: &Path) -> Result<PathBuf> {
    let given = absolute(output)?;
    let target = match fs::symlink_metadata(&given) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(&given).map_err(|_| {
            Error::Other(format!("输出目录 {} 是符号链接，但它指向的位置不存在", given.display()))
        })?,
        _ => given.clone(),
    };
    let shown = given.display();
    // as it will lie: a folder not made yet, by the nearest folder above it that exists
    let real = target.ancestors().find_map(|a| Some(fs::canonicalize(a).ok()?.join(target.strip_prefix(a).ok()?)));
    if let (Ok(content), Some(real)) = (fs::canonicalize(content), real) {
        if content.starts_with(&real) {
            return Err(Error::Other(format!(
                "输出目录 {shown} 就是内容目录或包含内容目录：生成会整个替换输出目录，内容文件将随之删除。请另选输出目录（默认 public）"
            )));
        }
        if real.starts_with(&content) {
            return Err(Error::Other(format!("输出目录 {shown} 位于内容目录之内：内容目录只应存放公报内容。请把输出目录放在内容目录之外（默认为与 content 并列的 public）")));
        }
    }
    if let Some(above) = target.ancestors().skip(1).find(|a| fs::symlink_metadata(a).is_ok()).filter(|a| !a.is_dir()) {
        return Err(Error::Other(format!("输出目录 {shown} 无法建立：其上级 {} 是文件，不是文件夹", above.display())));
    }
    match fs::metadata(&target) {
        Err(_) => Ok(target),
        Ok(m) if !m.is_dir() => Err(Error::Other(format!(
            "输出路径 {shown} 是一个文件，不是文件夹：生成会替换整个输出目录，为免删除此文件，本次未生成。请另选输出目录，或先移走该文件"
        ))),
        Ok(_) if made_by_gongbao(&target) || fs::read_dir(&target).is_ok_and(|mut d| d.next().is_none()) => Ok(target),
        Ok(_) => Err(Error::Other(format!(
            "输出目录 {shown} 中已有文件，但它不是 gongbao 生成的网站（没有 search/build.js）：生成会替换整个目录，其中的文件将被删除，因此本次未生成。请另选一个新的或空的输出目录，或先移走其中的文件"
        ))),
    }
}

/// Whether `dir` is a site gongbao made: every one holds the search index's `build.js`, and
/// has its build cache beside it (which tells it even with `build.js` removed by hand).
fn made_by_gongbao(dir: &Path) -> bool {
    let mut start = [0u8; 20];
    beside(dir, "cache").is_dir()
        || fs::File::open(dir.join("search/build.js")).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut start)).is_ok() && &start == b"gongbaoSearch.build("
}

/// Exclusive right to build into one output folder, held for the whole build.
pub struct OutputLock {
    _file: fs::File,
}

impl OutputLock {
    /// Takes the lock beside `target`, then repairs what an interrupted earlier build left:
    /// puts a moved-aside previous output back if the output is missing, removes stale staging
    /// and old folders.
    pub fn acquire(target: &Path) -> Result<OutputLock> {
        let target = absolute(target)?;
        let (parent, name) = parent_and_name(&target)?;
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let path = parent.join(format!(".{name}.lock"));
        let mut file =
            fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(|e| Error::io(&path, e))?;
        if let Err(e) = file.try_lock_exclusive() {
            if e.kind() != fs2::lock_contended_error().kind() && e.raw_os_error() != fs2::lock_contended_error().raw_os_error() {
                return Err(Error::io(&path, e));
            }
            let mut holder = String::new();
            let _ = std::io::Read::read_to_string(&mut file, &mut holder);
            let holder = holder.trim();
            let who = if holder.is_empty() { String::new() } else { format!("（进程号 {holder}）") };
            return Err(Error::Other(format!(
                "另一个 gongbao 生成进程{who}正在写入 {}，本次未生成。请等它结束后再运行；两次生成不能同时写同一个输出目录（锁文件 {}）",
                target.display(),
                path.display()
            )));
        }
        // The holder's process id, for the message above; the lock itself is what counts.
        let _ = file.set_len(0);
        let _ = std::io::Write::write_all(&mut file, format!("{}\n", std::process::id()).as_bytes());
        recover(&parent, &name, &target)?;
        Ok(OutputLock { _file: file })
    }
}

fn parent_and_name(target: &Path) -> Result<(PathBuf, String)> {
    let parent = target.parent().ok_or_else(|| Error::Other(format!("输出目录 {} 无效", target.display())))?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("public").to_string();
    Ok((parent.to_path_buf(), name))
}

/// Run under the lock: no other build is using any of these folders.
fn recover(parent: &Path, name: &str, target: &Path) -> Result<()> {
    let (tmp, old, trash) = (format!(".{name}.tmp-"), format!(".{name}.old-"), format!(".{name}.trash-"));
    let mut stale: Vec<(PathBuf, bool)> = Vec::new();
    for entry in fs::read_dir(parent).map_err(|e| Error::io(parent, e))? {
        let entry = entry.map_err(|e| Error::io(parent, e))?;
        let file_name = entry.file_name().to_string_lossy().to_string();
        let is_old = file_name.starts_with(&old);
        let ours = is_old || file_name.starts_with(&tmp) || file_name.starts_with(&trash);
        if ours && file_name.rsplit('-').next().is_some_and(|p| p.parse::<u32>().is_ok()) {
            stale.push((entry.path(), is_old));
        }
    }
    stale.sort();
    if fs::symlink_metadata(target).is_err() {
        // Killed between the two renames of the fallback swap: the previous output is complete.
        if let Some(i) = stale.iter().position(|(_, is_old)| *is_old) {
            let (previous, _) = stale.remove(i);
            fs::rename(&previous, target).map_err(|e| Error::io(&previous, e))?;
        }
    }
    for (dir, _) in stale {
        fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    Ok(())
}

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

/// The output before the current one, kept as `.public.prev`, as the build cache describes it.
#[derive(Debug, Clone, Default)]
pub struct Generation {
    /// The identity of `.public.prev` (see [`folder_identity`]).
    pub identity: (u64, u64),
    /// Every file of the current output, with its size.
    pub files: Vec<(String, u64)>,
    /// Where `.public.prev` differs from the current output: files changed, added or removed
    /// since. Everywhere else it holds the output's very file (a second link to it).
    pub differs: Vec<String>,
    /// Every folder of the current output ("" the top) with its modification time as the build
    /// left it: a file removed, added or replaced there by hand since changes that time, and
    /// then the output's file is no longer the one `.public.prev` holds.
    pub folders: Vec<(String, u64)>,
}

/// The previous generation taken up as the staging folder.
struct TakenUp {
    /// Paths where it differs from the current output (`Generation::differs`).
    stale: HashSet<String>,
    /// Every path it may hold: what this build does not make is removed before the swap.
    paths: Vec<String>,
}

/// The folder a build writes into. Writing is safe from many threads at once.
///
/// A file whose bytes equal the same file of the previous output is hard-linked from it instead
/// of written: creating a file costs far more than linking one on many disks (about 1 ms against
/// 20 µs on the machines this was measured on), and the result is the same bytes by construction,
/// so an incremental build is byte-identical to a full one.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// The current output, to reuse unchanged files from; `None` when there is none.
    previous: Option<PathBuf>,
    /// With no current output, the generation before it, left beside: files holding the same
    /// bytes are linked from it (never by the cache's word, which describes the output).
    leftover: Option<PathBuf>,
    /// The sizes of the current output's files, by path, as the build cache describes it.
    current_sizes: HashMap<String, u64>,
    /// Folders made so far: each is made once, not tried again for every file (a failing
    /// `mkdir` per file cost a tenth of a rebuild).
    folders: Mutex<HashSet<PathBuf>>,
    /// Set when the staging folder is the previous generation, taken up again.
    taken_up: Option<TakenUp>,
    /// Files of the current output that the cache does not list, put there by hand.
    added_by_hand: Vec<String>,
    /// Every path this build made, with its size, and those written anew (not linked).
    made: Mutex<HashMap<String, u64>>,
    written: Mutex<Vec<String>>,
    /// A previous generation that could not be taken up, being removed meanwhile.
    trash: Option<std::thread::JoinHandle<()>>,
    /// The output being linked into the generation before, after a build from nothing.
    twin: Option<Twin>,
    /// Writes the staged files to the disk while the build goes on.
    flusher: Option<Flusher>,
    committed: bool,
}

impl Staging {
    /// Creates `.<name>.tmp-<pid>` beside `target`; files of the current `target` are linked
    /// rather than written again where the bytes are the same (a full build too: see
    /// [`Staging::write`]), and the generation before it (`generation`, when the cache
    /// describes it) is taken up as the staging folder.
    ///
    /// It is taken up however much of it differs: each of its files costs at most an unlink
    /// and a link or a write, where a fresh folder costs the link or write and the old
    /// generation's removal meanwhile, which was the larger part (an issue added or withdrawn
    /// at 1×: 0.93–1.07 s with a fresh folder when over a quarter differed, 0.68–0.76 s taken up).
    pub fn create(target: &Path, generation: Option<&Generation>) -> Result<Staging> {
        let target = absolute(target)?;
        let parent = target.parent().ok_or_else(|| Error::Other(format!("输出目录 {} 无效", target.display())))?;
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        let previous = target.is_dir().then(|| target.clone());
        let prev = prev_path(&target);
        let by_hand = generation.filter(|_| previous.is_some()).map(|g| changed_by_hand(&target, g)).unwrap_or_default();
        let fit = generation.filter(|g| previous.is_some() && folder_identity(&prev) == Some(g.identity));
        let taken_up = match fit {
            Some(g) if fs::rename(&prev, &dir).is_ok() => Some(TakenUp {
                stale: g.differs.iter().cloned().chain(by_hand.stale).collect(),
                paths: g.files.iter().map(|(p, _)| p.clone()).chain(g.differs.iter().cloned()).collect(),
            }),
            _ => None,
        };
        // The output removed by hand, the generation before it is left: its files are linked
        // where the bytes are the same, and it stays the generation before, rather than being
        // removed while this build makes as many files anew.
        let leftover = (previous.is_none() && taken_up.is_none() && fs::symlink_metadata(&prev).is_ok_and(|m| m.is_dir())).then(|| prev.clone());
        let mut trash = None;
        if taken_up.is_none() {
            // where the output and the generation before it lie: freed by this build or a later one
            let live: Vec<u64> = [&target, &prev].into_iter().filter_map(|p| place_of(p)).collect();
            if leftover.is_none() && fs::symlink_metadata(&prev).is_ok() {
                // removed while this build runs; the next build removes it if this one is killed
                let moved = parent.join(format!(".{name}.trash-{}", std::process::id()));
                if fs::rename(&prev, &moved).is_ok() {
                    trash = Some(std::thread::spawn(move || drop(fs::remove_dir_all(moved))));
                }
            }
            if !make_in_nursery(parent, name, &dir, &live) {
                fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
            }
        }
        let current_sizes = generation.filter(|_| previous.is_some()).map_or_else(HashMap::new, |g| g.files.iter().cloned().collect());
        // (elsewhere `sync_filesystem` does nothing, and so would the thread)
        let flushed = dir.clone();
        let flusher = cfg!(target_os = "linux").then(|| Flusher::start(FLUSH_EVERY, move || sync_filesystem(&flushed))).flatten();
        Ok(Staging {
            dir,
            target,
            previous,
            leftover,
            current_sizes,
            folders: Default::default(),
            taken_up,
            added_by_hand: by_hand.added,
            made: Default::default(),
            written: Default::default(),
            trash,
            twin: None,
            flusher,
            committed: false,
        })
    }

    /// Records a file this build made.
    fn made(&self, path: &str, size: u64, written: bool) {
        self.made.lock().expect("no panic while holding the lock").insert(path.to_string(), size);
        if written {
            self.written.lock().expect("no panic while holding the lock").push(path.to_string());
        }
    }

    /// Whether the staging folder already holds the output's own file at `path`.
    fn holds_current(&self, path: &str) -> Option<u64> {
        self.taken_up.as_ref().filter(|t| !t.stale.contains(path)).and_then(|_| self.current_sizes.get(path).copied())
    }

    /// Clears `path` in a taken-up generation, so that nothing is written through a link it
    /// shares with the output.
    ///
    /// A fresh staging folder holds nothing to clear: no unlink is tried, as a failed one
    /// still takes the folder's lock, which the threads writing beside it wait on.
    fn clear(&self, path: &Path) -> Result<()> {
        if self.taken_up.is_none() {
            return Ok(());
        }
        match fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
            _ => Ok(()),
        }
    }

    /// What the next build needs to take this build's previous output up: call before
    /// [`Staging::commit`], which keeps it as `.public.prev`. `current` describes the output
    /// being replaced.
    ///
    /// Removes what this build did not make first: the folders' times are taken as the output
    /// will have them.
    pub fn generation(&mut self, current: Option<&Generation>) -> Generation {
        self.remove_unmade();
        let made = self.made.lock().expect("no panic while holding the lock");
        let mut files: Vec<(String, u64)> = made.iter().map(|(p, &s)| (p.clone(), s)).collect();
        files.sort_unstable();
        // The output being replaced: as the cache describes it, else as it lies (after --full,
        // or a build without a cache). Where it is not known the generation is not taken up:
        // it may hold files this build did not make, which taking it up would leave in place.
        let current: Option<Vec<String>> = match current {
            Some(g) => Some(g.files.iter().map(|(p, _)| p.clone()).chain(self.added_by_hand.iter().cloned()).collect()),
            None => files_under(self.replaced()),
        };
        // With no output before, and no generation left beside it (which is kept as the
        // generation before, see `leftover`), the output itself is linked into a twin kept as
        // such: the next rebuild then takes that up, where it would link every file into a
        // fresh staging folder (see `Staging::make_twin`).
        let twin = match current {
            None if self.previous.is_none() => self.make_twin(&files),
            _ => None,
        };
        let identity = match (&current, &twin) {
            (_, Some((twin, _))) => *twin,
            (Some(_), None) => folder_identity(self.replaced()).unwrap_or_default(),
            (None, None) => (0, 0),
        };
        let mut differs: Vec<String> = match current {
            _ if twin.is_some() => Vec::new(),
            // written anew, or gone since
            Some(current) => {
                let written = self.written.lock().expect("no panic while holding the lock");
                written.iter().cloned().chain(current.into_iter().filter(|p| !made.contains_key(p))).collect()
            }
            None => files.iter().map(|(p, _)| p.clone()).collect(), // not known: all of them
        };
        differs.sort_unstable();
        differs.dedup();
        let mut folders: Vec<&str> = files.iter().map(|(p, _)| folder_of(p)).collect();
        folders.sort_unstable();
        folders.dedup();
        let folders = folders.par_iter().filter_map(|&f| modified(&self.dir.join(f)).map(|t| (f.to_string(), t))).collect();
        drop(made);
        self.twin = twin.map(|(_, twin)| twin);
        Generation { identity, files, differs, folders }
    }

    /// Starts linking every file made into a fresh folder kept as `.public.prev`, so that the
    /// first rebuild after a build from nothing takes it up as any later rebuild does; with its
    /// identity. `None`, and no such folder, where it cannot be made (see [`Twin`]).
    #[cfg(target_os = "linux")]
    fn make_twin(&self, files: &[(String, u64)]) -> Option<((u64, u64), Twin)> {
        let twin = prev_path(&self.target);
        if fs::symlink_metadata(&twin).is_ok() {
            return None; // a generation left there, unreadable, or one `create` could not move away
        }
        // Made in the staging folder and moved out at once: ext4 puts a folder's subfolders
        // where the folder's inode is, so the twin's lie beside the build's own, where no
        // output was removed lately (see `make_in_nursery`).
        let name = self.target.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let born = self.dir.join(format!(".{name}.prev"));
        fs::create_dir(&born).ok()?;
        if fs::rename(&born, &twin).is_err() {
            let _ = fs::remove_dir(&born);
            return None;
        }
        let files: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
        let started = (fs::File::open(&self.dir), fs::File::open(&twin), folder_identity(&twin));
        let (Ok(from), Ok(into), Some(identity)) = started else {
            let _ = fs::remove_dir_all(&twin);
            return None;
        };
        // in two halves at once (threads of their own: the pool's are busy with the cache)
        let linking = move || {
            let (first, second) = files.split_at(files.len() / 2);
            std::thread::scope(|s| {
                let other = s.spawn(|| link_twin(&from, &into, second));
                link_twin(&from, &into, first) && other.join().unwrap_or(false)
            })
        };
        match std::thread::Builder::new().name("twin".into()).spawn(linking) {
            Ok(linking) => Some((identity, Twin { path: twin, linking })),
            Err(_) => {
                let _ = fs::remove_dir_all(&twin);
                None
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    fn make_twin(&self, _: &[(String, u64)]) -> Option<((u64, u64), Twin)> {
        None
    }

    /// Waits for the twin being linked, if any: kept, and flushed to the disk before the cache
    /// that describes it is put in place, when it is whole; else removed, and then no folder
    /// has the identity the cache gives it.
    fn finish_twin(&mut self, keep: bool) {
        let Some(twin) = self.twin.take() else { return };
        if keep && twin.linking.join().unwrap_or(false) {
            sync_filesystem(&twin.path);
        } else {
            let _ = fs::remove_dir_all(&twin.path);
        }
    }

    /// Writes `file`, or links the current output's file at its path where that holds the
    /// same bytes: in a full build too, which trusts no cache, but equal bytes need none. The
    /// output it replaces, kept as the generation before, then differs only where the build
    /// changed something, and the next rebuild takes it up cheaply (after `--full` over the
    /// 1× benchmark output: 0.09 s, against 1.0 s when every file was written anew).
    pub fn write(&self, file: &OutputFile) -> Result<()> {
        debug_assert!(!file.path.starts_with('/') && !file.path.contains(".."), "{}", file.path);
        let path = self.dir.join(&file.path);
        self.make_parent(&path)?;
        let same = self.link_unchanged(file, &path)?;
        if !same && !self.rewrite_own(&file.path, &path, &file.bytes)? {
            self.clear(&path)?;
            fs::write(&path, &file.bytes).map_err(|e| Error::io(&path, e))?;
        }
        self.made(&file.path, file.bytes.len() as u64, !same);
        Ok(())
    }

    /// In a taken-up generation, a file where it differs from the output is its own (the
    /// output holds another file there, or none): it is rewritten in place rather than removed
    /// and made again, which spares the file system an inode freed and one allocated (on ext4
    /// without a journal, allocating steps over every recently freed inode: a correction
    /// rewrites some two thousand shards). `false` when there is no such file to rewrite.
    #[cfg(target_os = "linux")]
    fn rewrite_own(&self, rel: &str, path: &Path, bytes: &[u8]) -> Result<bool> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        if !self.taken_up.as_ref().is_some_and(|t| t.stale.contains(rel)) {
            return Ok(false);
        }
        // Not through a symbolic link, which would write wherever it points; and not truncated
        // to nothing first, which ext4 takes for a replace-by-truncate and flushes on close.
        let Ok(mut f) = fs::OpenOptions::new().write(true).custom_flags(libc::O_NOFOLLOW).open(path) else {
            return Ok(false);
        };
        // and never through a second link: the bookkeeping says there is none, the file system
        // makes sure (the output would change under its readers)
        if !f.metadata().is_ok_and(|m| std::os::unix::fs::MetadataExt::nlink(&m) == 1) {
            return Ok(false);
        }
        f.write_all(bytes).and_then(|()| f.set_len(bytes.len() as u64)).map_err(|e| Error::io(path, e))?;
        Ok(true)
    }

    #[cfg(not(target_os = "linux"))]
    fn rewrite_own(&self, _: &str, _: &Path, _: &[u8]) -> Result<bool> {
        Ok(false)
    }

    /// Takes the previous output's file at `path` as it is, unread: the caller knows it was
    /// made from the same inputs. Linked where the file system allows, else copied. `false`
    /// when there is no previous output or no such file in it.
    pub fn link_previous(&self, path: &str) -> Result<bool> {
        let Some(previous) = &self.previous else { return Ok(false) };
        if let Some(size) = self.holds_current(path) {
            self.made(path, size, false);
            return Ok(true);
        }
        let old = previous.join(path);
        let new = self.dir.join(path);
        // The size as the cache gives it spares a stat per file: the first rebuild after a full
        // one links every file, and the stats were a fifth of that. (A file replaced by hand is
        // counted at its old size in the summary; its bytes are what they are.)
        let mut size = match self.current_sizes.get(path) {
            Some(&size) => size,
            None => match fs::symlink_metadata(&old) {
                Ok(meta) if meta.is_file() => meta.len(),
                _ => return Ok(false),
            },
        };
        self.make_parent(&new)?;
        self.clear(&new)?;
        match fs::hard_link(&old, &new) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            // another file system, too many links: a copy, of a plain file only
            Err(_) if fs::symlink_metadata(&old).is_ok_and(|m| m.is_file()) => size = fs::copy(&old, &new).map_err(|e| Error::io(&new, e))?,
            Err(_) => return Ok(false),
        }
        self.made(path, size, false);
        Ok(true)
    }

    fn make_parent(&self, path: &Path) -> Result<()> {
        let Some(parent) = path.parent() else { return Ok(()) };
        if self.folders.lock().expect("no panic while holding the lock").contains(parent) {
            return Ok(());
        }
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        self.folders.lock().expect("no panic while holding the lock").insert(parent.to_path_buf());
        Ok(())
    }

    /// The folder being written, which becomes the output on [`Staging::commit`].
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder this build's output replaces as the generation before: the current output,
    /// or the generation left where there is none.
    fn replaced(&self) -> &Path {
        self.leftover.as_deref().unwrap_or(&self.target)
    }

    /// Links the previous output's copy of `file` into place if it holds the same bytes (or
    /// the copy of the generation left, where there is no output).
    fn link_unchanged(&self, file: &OutputFile, path: &Path) -> Result<bool> {
        let Some(previous) = self.previous.as_ref().or(self.leftover.as_ref()) else { return Ok(false) };
        let old = previous.join(&file.path);
        let same_size = fs::symlink_metadata(&old).is_ok_and(|m| m.is_file() && m.len() == file.bytes.len() as u64);
        if !(same_size && fs::read(&old).is_ok_and(|bytes| bytes == file.bytes)) {
            return Ok(false);
        }
        if self.holds_current(&file.path).is_some() {
            return Ok(true);
        }
        self.clear(path)?;
        Ok(fs::hard_link(&old, path).is_ok())
    }

    /// In a taken-up generation, removes what this build did not make, and the folders left
    /// empty.
    fn remove_unmade(&mut self) {
        let Some(taken_up) = &mut self.taken_up else { return };
        let made = self.made.lock().expect("no panic while holding the lock");
        for path in std::mem::take(&mut taken_up.paths).iter().filter(|p| !made.contains_key(*p)) {
            let mut path = self.dir.join(path);
            if fs::remove_file(&path).is_err() {
                continue;
            }
            while path.pop() && path != self.dir && fs::remove_dir(&path).is_ok() {}
        }
    }

    /// Whether every file of the output being replaced, as the build cache describes it, has
    /// been made again (changed or not); `false` when the cache does not describe it.
    pub fn keeps_every_file(&self) -> bool {
        let made = self.made.lock().expect("no panic while holding the lock");
        self.previous.is_some() && !self.current_sizes.is_empty() && self.current_sizes.keys().all(|path| made.contains_key(path))
    }

    /// How many files were linked unchanged from the previous output.
    pub fn files_reused(&self) -> usize {
        self.files_written() - self.written.lock().expect("no panic while holding the lock").len()
    }

    pub fn files_written(&self) -> usize {
        self.made.lock().expect("no panic while holding the lock").len()
    }

    pub fn bytes_written(&self) -> u64 {
        self.made.lock().expect("no panic while holding the lock").values().sum()
    }

    /// Replaces the target folder with the staged one: flushed to disk, then swapped in one
    /// atomic step where the system allows, else by two renames (see the module documentation).
    pub fn commit(mut self) -> Result<()> {
        self.remove_unmade();
        if let Some(trash) = self.trash.take() {
            let _ = trash.join();
        }
        if let Some(flusher) = self.flusher.take() {
            flusher.finish();
        }
        sync_filesystem(&self.dir);
        if self.target.exists() {
            match exchange(&self.dir, &self.target) {
                Ok(true) => {
                    // The staging path now holds the previous output: kept for the next build.
                    self.committed = true;
                    self.finish_twin(true);
                    sync_filesystem(&self.target);
                    if fs::rename(&self.dir, prev_path(&self.target)).is_err() {
                        let _ = fs::remove_dir_all(&self.dir); // else the next build removes it
                    }
                    return Ok(());
                }
                Ok(false) => {} // not supported here: two renames
                Err(e) => return Err(Error::io(&self.target, e)),
            }
        }
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
        self.finish_twin(true);
        if had_old {
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.finish_twin(self.committed);
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The output of a build from nothing, being linked into the generation before, on threads of
/// its own, while the build writes its cache, flushes its files and swaps them in (from the
/// staging folder by descriptor, so that its move into place does not disturb them).
///
/// Without it the first rebuild links the whole output into a fresh staging folder: at 1×,
/// 9,473 files and 517 folders, 45 ms of one processor; 0.10 s against the 0.07 s of a later
/// rebuild, over 5% of a full build. Made here, the same links cost the full build 1.7% (per
/// pair, ten alternating pairs on the disk; 1.77 → 1.82 s by the medians); linked by path,
/// in session 13, they cost it 6%.
struct Twin {
    path: PathBuf,
    /// Whether every file was linked.
    linking: std::thread::JoinHandle<bool>,
}

/// Links each of `files` (output paths, sorted) of the folder `from` into the empty folder
/// `into`, making their folders; whether all were.
#[cfg(target_os = "linux")]
fn link_twin(from: &fs::File, into: &fs::File, files: &[String]) -> bool {
    use std::ffi::CString;
    use std::os::unix::io::AsRawFd;
    let (from, into) = (from.as_raw_fd(), into.as_raw_fd());
    let mut made: HashSet<&str> = HashSet::from([""]);
    files.iter().all(|path| {
        let folder = folder_of(path);
        // each folder after the one holding it
        let made_folders = made.contains(folder)
            || folder.match_indices('/').map(|(end, _)| end).chain([folder.len()]).all(|end| {
                let f = &folder[..end];
                made.contains(f) || {
                    let Ok(c) = CString::new(f) else { return false };
                    // SAFETY: a valid descriptor and NUL-terminated path.
                    // (made already, maybe, by the thread linking the other half)
                    let ok = unsafe { libc::mkdirat(into, c.as_ptr(), 0o777) } == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EEXIST);
                    ok && made.insert(f)
                }
            });
        let Ok(c) = CString::new(path.as_str()) else { return false };
        // SAFETY: valid descriptors and a NUL-terminated path, relative to each.
        made_folders && unsafe { libc::linkat(from, c.as_ptr(), into, c.as_ptr(), 0) } == 0
    })
}

/// Atomically swaps two folders. `Ok(false)` when the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let ca = std::ffi::CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let cb = std::ffi::CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let rc = unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// `FS_TOPDIR_FL` of linux/fs.h.
#[cfg(target_os = "linux")]
const TOPDIR: libc::c_int = 0x0002_0000;

/// How many nurseries a fresh staging folder is made in, in turn (see [`make_in_nursery`]).
const NURSERIES: usize = 64;

/// Inode numbers in one flex block group under ext4's defaults (8,192 inodes in each of 16
/// groups): nurseries whose inodes lie in the same such range share the groups files go to.
const INODES_PER_PLACE: u64 = 1 << 17;

/// Makes `dir`, a fresh staging folder, in the nursery whose place was used longest ago and
/// moves it into place beside the output; whether it did.
///
/// A full build usually follows the removal of the output it replaces, and ext4 without a
/// journal, for each file it makes, passes over every inode of the block group freed in the
/// last minute, or the last six while their inode table block is unwritten, as the files made
/// beside them keep it. ext4 puts the files and folders made in a folder in that folder's
/// flex group, and a new folder where its parent is (unless the parent is marked the top of a
/// folder tree, `chattr +T`: then in the group with the fewest folders). So a staging folder
/// made beside the output lands where the removed output lay, and so did each of its top
/// folders when they were spread by the mark (session 9), as their groups had just been
/// emptied of folders: on the 1× benchmark corpus 2–8 s of system time, against 0.8–0.9 s in
/// groups without such inodes. The nurseries, `.public.nursery/0` … `/63`, are made in a
/// folder marked the top of a folder tree, so ext4 spreads them over groups of its own
/// choosing; a build makes its staging folder in the one whose place (its inode's flex group;
/// some share one) was used longest ago, by the nurseries' modification times, which making
/// and moving out a staging folder set; unless the folder took long to make (another output,
/// such as another benchmark's, was removed from that place since), then in the next. Places
/// are only as fresh as fresh staging folders are rare: an output made and removed in a place
/// within the minute (six, while its inode table is unwritten) makes the next one there slow
/// again (a rebuild that takes up the generation before makes no staging folder). Full builds
/// back to back, each after the removal of the output before, come back to a place after about
/// as many builds as there are places: 32 nurseries lay in 20–26 places on the machine measured
/// (16 in 10–12), and 5 of 24 such builds, alternating with another output's, took 2.8–5.2 s of
/// system time where the others took 0.8–1.2 s; 64 lay in 36, and none of 24 did.
///
/// Nothing is made where the file system refuses the mark (it places folders otherwise).
#[cfg(target_os = "linux")]
fn make_in_nursery(parent: &Path, name: &str, dir: &Path, live: &[u64]) -> bool {
    let home = parent.join(format!(".{name}.nursery"));
    if fs::create_dir(&home).is_ok() && !mark_top_folder(&home) {
        let _ = fs::remove_dir(&home);
        return false;
    }
    // all made before the first is used, so that no output in one sways where the next goes
    let nurseries: Vec<(PathBuf, u64, std::time::SystemTime)> = (0..NURSERIES)
        .filter_map(|k| {
            let path = home.join(k.to_string());
            let made = fs::create_dir(&path).is_ok();
            let meta = fs::metadata(&path).ok()?;
            let used = if made { std::time::UNIX_EPOCH } else { meta.modified().ok()? };
            Some((path, place(&meta), used))
        })
        .collect();
    let places: Vec<(u64, std::time::SystemTime)> = nurseries.iter().map(|n| (n.1, n.2)).collect();
    // The other outputs' nurseries beside (a benchmark's at 1× and 3×) share the places; and
    // those of the live outputs count as used now: the build removes the one before the
    // current if it cannot take it up, and the current one is removed in its turn.
    let ours = home.file_name().map(|n| n.to_os_string());
    let now = std::time::SystemTime::now();
    let others: Vec<(u64, std::time::SystemTime)> = fs::read_dir(parent)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| Some(e.file_name()) != ours && e.file_name().to_str().is_some_and(|n| n.starts_with('.') && n.ends_with(".nursery")))
        .flat_map(|e| fs::read_dir(e.path()).into_iter().flatten().flatten())
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((place(&meta), meta.modified().ok()?))
        })
        .chain(live.iter().map(|&place| (place, now)))
        .collect();
    let order = longest_unused_first(&places, &others);
    // The first whose staging folder is made quickly, else the first: another output (another
    // benchmark's, say) may have been removed from the place since it was last used here.
    let quick = order.iter().find_map(|&i| {
        let (born, took) = born_in(&nurseries[i].0)?;
        if took < QUICK_FOLDER {
            return Some(born);
        }
        let _ = fs::remove_dir(&born);
        None
    });
    let Some(born) = quick.or_else(|| Some(born_in(&nurseries[*order.first()?].0)?.0)) else { return false };
    if fs::rename(&born, dir).is_ok() {
        return true;
    }
    let _ = fs::remove_dir(&born);
    false
}

/// Under this, a folder made in a nursery shows no inodes of its place freed lately: there it
/// takes 25–75 µs on the machine measured, and 200–800 µs right after an output was removed.
#[cfg(target_os = "linux")]
const QUICK_FOLDER: std::time::Duration = std::time::Duration::from_micros(150);

/// Makes this build's folder in `nursery`, after removing what a build killed before moving
/// its own out left there; and how long making it took.
#[cfg(target_os = "linux")]
fn born_in(nursery: &Path) -> Option<(PathBuf, std::time::Duration)> {
    for entry in fs::read_dir(nursery).into_iter().flatten().flatten() {
        let _ = fs::remove_dir_all(entry.path());
    }
    let born = nursery.join(std::process::id().to_string());
    let began = std::time::Instant::now();
    fs::create_dir(&born).ok().map(|()| (born, began.elapsed()))
}

/// Nurseries by (place, when last used), in the order to try them: those whose place was used
/// longest ago, by them or by `others`, first, and of those the one used longest ago itself.
#[cfg(any(target_os = "linux", test))]
fn longest_unused_first<T: Ord + Copy>(nurseries: &[(u64, T)], others: &[(u64, T)]) -> Vec<usize> {
    let place_used = |place: u64| nurseries.iter().chain(others).filter(|n| n.0 == place).map(|n| n.1).max();
    let mut order: Vec<usize> = (0..nurseries.len()).collect();
    order.sort_by_key(|&i| (place_used(nurseries[i].0), nurseries[i].1));
    order
}

#[cfg(not(target_os = "linux"))]
fn make_in_nursery(_: &Path, _: &str, _: &Path, _: &[u64]) -> bool {
    false
}

/// The place of a folder (see [`INODES_PER_PLACE`]), where it exists.
#[cfg(target_os = "linux")]
fn place_of(dir: &Path) -> Option<u64> {
    fs::symlink_metadata(dir).ok().map(|m| place(&m))
}

/// The place of a file or folder by its inode (see [`INODES_PER_PLACE`]).
#[cfg(target_os = "linux")]
fn place(meta: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.ino() / INODES_PER_PLACE
}

#[cfg(not(target_os = "linux"))]
fn place_of(_: &Path) -> Option<u64> {
    None
}

/// Marks `dir` the top of a folder tree (`chattr +T`), so that ext4 places each folder made
/// in it in a block group of its own choosing; whether it took the mark.
#[cfg(target_os = "linux")]
fn mark_top_folder(dir: &Path) -> bool {
    let Ok(f) = fs::File::open(dir) else { return false };
    use std::os::unix::io::AsRawFd;
    let mut flags: libc::c_int = 0;
    // SAFETY: a valid open descriptor; the flags ioctls read and write one int.
    unsafe {
        libc::ioctl(f.as_raw_fd(), libc::FS_IOC_GETFLAGS, &mut flags) == 0 && {
            flags |= TOPDIR;
            libc::ioctl(f.as_raw_fd(), libc::FS_IOC_SETFLAGS, &flags) == 0
        }
    }
}

/// How often the staging folder's file system is flushed while the build runs. The swap waits
/// until every staged byte is on the disk (see [`sync_filesystem`]); left to the end, that
/// wait was a tenth of a full build on a disk (0.8 s of 8.7 s for the 3× benchmark corpus),
/// the processors idle meanwhile. Flushed as it goes, the disk writes while they work.
const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Runs an action every so often on a thread of its own, until finished.
struct Flusher {
    /// Dropped to stop the thread, which wakes at once: a build shorter than the interval
    /// does not wait for it.
    stop: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Flusher {
    fn start(every: std::time::Duration, mut flush: impl FnMut() + Send + 'static) -> Option<Flusher> {
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("flush".into())
            .spawn(move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    flush();
                }
            })
            .ok()?;
        Some(Flusher { stop, thread })
    }

    /// Stops the thread, after the flush it may be in.
    fn finish(self) {
        drop(self.stop);
        let _ = self.thread.join();
    }
}

/// Flushes the file system holding `dir`, so a power cut after the swap cannot leave the new
/// output half on disk. One call instead of an fsync per file.
#[cfg(target_os = "linux")]
fn sync_filesystem(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        use std::os::unix::io::AsRawFd;
        // SAFETY: a valid open descriptor.
        unsafe {
            libc::syncfs(f.as_raw_fd());
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn sync_filesystem(_: &Path) {}

/// Which of `paths` (relative to `root`) are files there: one listing per folder, the folders
/// in parallel, rather than a look-up per file. A rebuild at 1× asks this of its 3,476 pages
/// (455 folders) and of the 3,456 shards of the search index (one folder).
pub fn files_present(root: &Path, paths: &[impl AsRef<str> + Sync]) -> Vec<bool> {
    let paths: Vec<&str> = paths.iter().map(AsRef::as_ref).collect();
    let mut folders: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, path) in paths.iter().enumerate() {
        folders.entry(path.rsplit_once('/').map_or("", |(dir, _)| dir)).or_default().push(i);
    }
    let folders: Vec<(&str, Vec<usize>)> = folders.into_iter().collect();
    let mut present = vec![false; paths.len()];
    let found: Vec<usize> = folders
        .par_iter()
        .flat_map_iter(|(dir, members)| {
            let listed: HashSet<std::ffi::OsString> = fs::read_dir(root.join(dir))
                .map(|entries| entries.filter_map(|e| e.ok()).filter(|e| e.file_type().is_ok_and(|t| t.is_file())).map(|e| e.file_name()).collect())
                .unwrap_or_default();
            let name = |i: usize| std::ffi::OsStr::new(paths[i].rsplit_once('/').map_or(paths[i], |(_, name)| name));
            members.iter().copied().filter(move |&i| listed.contains(name(i)))
        })
        .collect();
    for i in found {
        present[i] = true;
    }
    present
}

/// `.public.prev` beside `public`.
fn prev_path(target: &Path) -> PathBuf {
    beside(target, "prev")
}

/// `.public.<what>` beside `public`: the folders a build keeps next to its output.
pub fn beside(target: &Path, what: &str) -> PathBuf {
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    target.with_file_name(format!(".{name}.{what}"))
}

/// What changed by hand in the output `g` describes, in its folders whose time is not the one
/// it recorded (or none was). (A change within the same clock tick as the build's last one goes
/// unseen; file systems keep these times to a few milliseconds or finer, FAT to two seconds.)
#[derive(Default)]
struct ByHand {
    /// The files of `g` there: the output may hold other files than `.public.prev` there.
    stale: Vec<String>,
    /// The files there that `g` does not list: the generation this build leaves holds them.
    added: Vec<String>,
}

fn changed_by_hand(output: &Path, g: &Generation) -> ByHand {
    let unchanged: HashSet<&str> = g.folders.par_iter().filter(|(f, t)| modified(&output.join(f)) == Some(*t)).map(|(f, _)| f.as_str()).collect();
    let stale: Vec<String> = g.files.iter().filter(|(p, _)| !unchanged.contains(folder_of(p))).map(|(p, _)| p.clone()).collect();
    let mut changed: Vec<&str> = stale.iter().map(|p| folder_of(p)).chain(g.folders.iter().map(|(f, _)| f.as_str()).filter(|f| !unchanged.contains(f))).collect();
    changed.sort_unstable();
    changed.dedup();
    let listed: HashSet<&str> = stale.iter().map(String::as_str).collect();
    let folders: HashSet<&str> = g.folders.iter().map(|(f, _)| f.as_str()).collect();
    let mut added = Vec::new();
    for folder in changed {
        for entry in fs::read_dir(output.join(folder)).into_iter().flatten().flatten() {
            let Ok(name) = entry.file_name().into_string() else { continue };
            let path = if folder.is_empty() { name } else { format!("{folder}/{name}") };
            match entry.file_type() {
                // a folder made by hand: all that is in it
                Ok(t) if t.is_dir() && !folders.contains(path.as_str()) => {
                    added.extend(files_under(&entry.path()).into_iter().flatten().map(|f| format!("{path}/{f}")));
                }
                Ok(t) if !t.is_dir() && !listed.contains(path.as_str()) => added.push(path),
                _ => {}
            }
        }
    }
    ByHand { stale, added }
}

/// Every file under `dir`, as an output path (folders joined by `/`); `None` if there is no
/// such folder or any part of it cannot be read.
fn files_under(dir: &Path) -> Option<Vec<String>> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.ok()?;
        if entry.file_type().is_dir() {
            continue;
        }
        let parts: Option<Vec<&str>> = entry.path().strip_prefix(dir).ok()?.components().map(|c| c.as_os_str().to_str()).collect();
        files.push(parts?.join("/"));
    }
    Some(files)
}

/// The folder of an output path ("" the top).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// A folder's modification time in nanoseconds.
fn modified(dir: &Path) -> Option<u64> {
    let t = fs::metadata(dir).ok()?.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    u64::try_from(t.as_nanos()).ok()
}

/// A folder's device and inode: what tells one folder from another put in its place.
#[cfg(unix)]
pub fn folder_identity(dir: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    // not through a symbolic link: a link put in its place is not the folder
    fs::symlink_metadata(dir).ok().filter(|m| m.is_dir()).map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub fn folder_identity(_: &Path) -> Option<(u64, u64)> {
    None // no cheap folder identity: every build is full
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flusher flushes while it runs, and stops at once when finished, whatever its
    /// interval: a build shorter than the interval does not wait for it.
    #[test]
    fn the_flusher_flushes_until_finished_and_stops_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let count = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&count);
        let flusher = Flusher::start(std::time::Duration::from_millis(1), move || { counted.fetch_add(1, Ordering::SeqCst); }).unwrap();
        let waited = std::time::Instant::now();
        while count.load(Ordering::SeqCst) < 3 && waited.elapsed().as_secs() < 60 {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        flusher.finish();
        let flushed = count.load(Ordering::SeqCst);
        assert!(flushed >= 3, "flushed {flushed} times");
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(count.load(Ordering::SeqCst), flushed, "no flush after finishing");

        // an interval of an hour: finishing wakes the thread, which has not flushed
        let count = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&count);
        let flusher = Flusher::start(std::time::Duration::from_secs(3600), move || { counted.fetch_add(1, Ordering::SeqCst); }).unwrap();
        flusher.finish();
        assert_eq!(count.load(Ordering::SeqCst), 0);
    }

    /// Builds into `target` from scratch, writing `files` from several threads.
    fn build_from_scratch(target: &Path, files: &[&str]) {
        let staging = Staging::create(target, None).unwrap();
        std::thread::scope(|s| {
            for (i, path) in files.iter().enumerate() {
                let staging = &staging;
                s.spawn(move || staging.write(&OutputFile::new(*path, format!("file {i}"))).unwrap());
            }
        });
        staging.commit().unwrap();
    }

    /// Where the file system keeps the top-folder mark (ext4, as the temporary folder is on the
    /// machines the benchmarks run on), all nurseries are made at once, a fresh staging folder
    /// is tried first in the one used longest ago, what a killed build left there is removed,
    /// and the nurseries are left empty; elsewhere none is made. The site is written either way.
    #[test]
    fn fresh_staging_folders_are_made_in_nurseries_used_longest_ago_first() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("public");
        let home = root.path().join(".public.nursery");
        let files = ["index.html", "2022/02/p001.html", "2022/index.html", "search/meta.js", "search/s0001.js", "2023/01/p002.html"];
        build_from_scratch(&target, &files);
        let mut found: Vec<String> = walkdir::WalkDir::new(&target)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&target).unwrap().to_string_lossy().into_owned())
            .collect();
        found.sort();
        let mut expected: Vec<String> = files.iter().map(|f| f.to_string()).collect();
        expected.sort();
        assert_eq!(found, expected);
        for (i, path) in files.iter().enumerate() {
            assert_eq!(std::fs::read_to_string(target.join(path)).unwrap(), format!("file {i}"));
        }
        let probe = root.path().join("probe");
        std::fs::create_dir(&probe).unwrap();
        #[cfg(target_os = "linux")]
        let keeps_mark = mark_top_folder(&probe);
        #[cfg(not(target_os = "linux"))]
        let keeps_mark = false;
        assert_eq!(home.exists(), keeps_mark, "a nursery exactly where the file system keeps the mark");
        if !keeps_mark {
            eprintln!("note: {} keeps no top-folder mark; no nursery is made there", root.path().display());
            return;
        }
        #[cfg(target_os = "linux")]
        {
            let nursery = |k: usize| home.join(k.to_string());
            let used = |k: usize| std::fs::metadata(nursery(k)).unwrap().modified().unwrap();
            let names = |dir: &Path| std::fs::read_dir(dir).unwrap().count();
            assert_eq!(names(&home), NURSERIES, "all made at once");
            // Nurseries share places, and the live output's place counts as used now: the
            // nurseries of one place other than the output's are made the ones used longest
            // ago, and the first of them is to be tried first.
            let live = place_of(&target);
            let Some(oldest) = (0..NURSERIES).find(|&k| place_of(&nursery(k)) != live) else {
                eprintln!("note: every nursery lies in the output's place; their order is not tested");
                return;
            };
            let aged = place_of(&nursery(oldest));
            std::fs::create_dir(nursery(oldest).join("4242")).unwrap(); // left by a killed build
            let now = std::time::SystemTime::now();
            for k in 0..NURSERIES {
                let seconds_ago = if place_of(&nursery(k)) == aged { 3000 } else { 1000 };
                std::fs::File::open(nursery(k)).unwrap().set_modified(now - std::time::Duration::from_secs(seconds_ago)).unwrap();
            }
            build_from_scratch(&target, &files);
            let recently = std::time::SystemTime::now() - std::time::Duration::from_secs(100);
            // the next ones are tried only where the folder took long to make (see QUICK_FOLDER)
            assert!(used(oldest) > recently, "the nursery used longest ago was tried first");
            for k in 0..NURSERIES {
                assert_eq!(names(&nursery(k)), 0, "nursery {k} is left empty");
            }
            assert_eq!(std::fs::read_to_string(target.join("search/meta.js")).unwrap(), "file 3");
        }
    }

    /// A nursery is chosen by when its place was last used, whichever nursery there used it,
    /// this output's or another's.
    #[test]
    fn the_nursery_chosen_is_the_one_whose_place_was_used_longest_ago() {
        // (place, last used)
        assert_eq!(longest_unused_first(&[(1, 50), (2, 10), (3, 30)], &[]), [1, 2, 0]);
        // the second's place was used at 40, by the first
        assert_eq!(longest_unused_first(&[(4, 40), (4, 5), (6, 20)], &[]), [2, 1, 0]);
        // places no nursery has used yet (0: just made) first; of equals, the first
        assert_eq!(longest_unused_first(&[(9, 0), (8, 3), (9, 0), (8, 0)], &[]), [0, 2, 3, 1]);
        // another output's nursery used place 2 at 60
        assert_eq!(longest_unused_first(&[(1, 50), (2, 10), (3, 30)], &[(2, 60), (5, 1)]), [2, 0, 1]);
        assert!(longest_unused_first::<u32>(&[], &[(1, 1)]).is_empty());
    }

    #[test]
    fn files_present_tells_files_from_folders_and_from_what_is_missing() {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join("2022/02/p002.html")).unwrap(); // a folder by that name
        fs::write(root.path().join("2022/02/p001.html"), "").unwrap();
        fs::write(root.path().join("index.html"), "").unwrap();
        let paths = ["2022/02/p001.html", "2022/02/p002.html", "2022/02/p003.html", "2023/01/p001.html", "index.html", "404.html"];
        assert_eq!(files_present(root.path(), &paths), [true, false, false, false, true, false]);
    }

    #[test]
    fn json_is_inert_in_a_script_and_still_the_same_data() {
        let value = serde_json::json!({ "t": "</script><script>alert(1)</script>\u{2028}&amp;", "u": "公报\u{2029}\u{2028}第2期‧—\u{2029}" });
        let safe = script_safe_json(&value.to_string());
        assert!(!safe.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{safe}");
        assert!(safe.contains("公报\\u2029\\u2028第2期‧—\\u2029"), "other characters as they were: {safe}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), value);
    }
}
