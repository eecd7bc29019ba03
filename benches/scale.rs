//! Archive scale: builds the 3,476-document corpus at 1× and 3× with the real `gongbao` binary,
//! and the same texts as a Hugo site when `hugo` is installed (`apt-get install hugo`) and as a
//! Zola site when `zola` is (on the PATH, or by `benches/peers/install-zola.sh`), side by side
//! in one run: the full builds alternate, five of each. Prints wall time (the median, output
//! removed before each run), processor time, documents per second, peak memory (RSS) and output
//! sizes.
//!
//! `cargo bench --bench scale` (GONGBAO_SCALE_TIMES=1,3 to choose the replications;
//! GONGBAO_SCALE_HUGO=0 or GONGBAO_SCALE_ZOLA=0 leaves a peer out).

#[path = "support/corpus_tree.rs"]
mod corpus_tree;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    seconds: f64,
    /// User and system time of the process and the threads it ran: what the VM's drift and the
    /// disk move less than the wall time.
    cpu_seconds: f64,
    peak_mb: f64,
    stdout: String,
}

/// Runs a command to completion, sampling its peak RSS (VmHWM) from /proc while it runs.
/// What earlier runs left unwritten is written first, untimed: gongbao waits for its output to
/// reach the disk, Hugo does not, so without this a gongbao build right after a Hugo build
/// waited for Hugo's output too (a rebuild 0.2 s longer at 1×).
fn measure(cmd: &mut Command) -> Run {
    let _ = Command::new("sync").status();
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("spawn");
    // read as it comes: a summary longer than the pipe holds (the 30× archive's citations of
    // numbers it does not hold) would block the build otherwise
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()) {
                peak_kb = peak_kb.max(kb);
            }
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let seconds = started.elapsed().as_secs_f64();
    assert!(child.wait().expect("wait").success(), "{cmd:?} failed");
    let cpu_seconds = children_cpu_seconds() - cpu_before;
    let stdout = reader.join().expect("reader").expect("the summary is UTF-8");
    Run { seconds, cpu_seconds, peak_mb: peak_kb as f64 / 1024.0, stdout }
}

/// User and system time of the children waited for so far (the measured command; `sync` runs
/// before the count is taken). Not measured off Linux (NaN), like the peak memory.
#[cfg(not(target_os = "linux"))]
fn children_cpu_seconds() -> f64 {
    f64::NAN
}

#[cfg(target_os = "linux")]
fn children_cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0, "getrusage");
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// The median processor time of some runs, and each run's.
fn processor_times(runs: &[Run]) -> (f64, String) {
    let mut times: Vec<f64> = runs.iter().map(|r| r.cpu_seconds).collect();
    let each: Vec<String> = times.iter().map(|t| format!("{t:.2}")).collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], each.join(", "))
}

fn median_of_3(mut run: impl FnMut() -> Run) -> Run {
    median((0..3).map(|_| run()).collect())
}

fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    runs.swap_remove(runs.len() / 2)
}

/// Full builds against the peers': alternated, as the load of this shared machine drifts over
/// minutes by a fifth or more, and builds run back to back see the same load.
const ROUNDS: usize = 5;

/// Writes a peer's site from gongbao's content folder.
type SiteWriter = fn(&Path, &Path);
/// The full build of a peer's site into an output folder.
type BuildCommand = fn(&Path, &Path, &Path) -> Command;

/// A site generator built side by side with gongbao, on the same texts with minimal templates.
struct Peer {
    name: &'static str,
    program: PathBuf,
    /// what `--version` printed
    version: String,
    write_site: SiteWriter,
    build: BuildCommand,
}

/// The peers installed and not left out by GONGBAO_SCALE_<NAME>=0 (at 30× Hugo would want some
/// 20 GB of memory).
fn peers() -> Vec<Peer> {
    let local_zola = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/peers/bin/zola");
    // name, where to look for it, how it names its version, its site, its build
    let candidates: [(&'static str, Vec<PathBuf>, &str, SiteWriter, BuildCommand); 2] = [
        ("hugo", vec!["hugo".into()], "version", write_hugo_site, |hugo, site, out| {
            let mut build = Command::new(hugo);
            build.arg("--quiet").arg("-s").arg(site).arg("-d").arg(out);
            build
        }),
        ("zola", vec!["zola".into(), local_zola], "--version", write_zola_site, |zola, site, out| {
            let mut build = Command::new(zola);
            build.arg("--root").arg(site).arg("build").arg("--output-dir").arg(out);
            build
        }),
    ];
    candidates
        .into_iter()
        .filter(|(name, ..)| std::env::var(format!("GONGBAO_SCALE_{}", name.to_uppercase())).as_deref() != Ok("0"))
        .filter_map(|(name, programs, version_arg, write_site, build)| {
            programs.into_iter().find_map(|program| {
                let out = Command::new(&program).arg(version_arg).output().ok().filter(|o| o.status.success())?;
                let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
                Some(Peer { name, program, version, write_site, build })
            })
        })
        .collect()
}

fn dir_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir).into_iter().filter_map(|e| e.ok()).filter(|e| e.file_type().is_file()).map(|e| e.metadata().map_or(0, |m| m.len())).sum()
}

/// Removes a gongbao output before a full build, as the peers' are: the folder, and the
/// generation before it kept beside it. After a build from nothing that is the output's twin,
/// a second link to each of its files: the folder alone removed, the files would be freed
/// during the next build, as it takes the generation away.
fn remove_output(output: &Path) {
    let _ = std::fs::remove_dir_all(output);
    let name = output.file_name().expect("an output folder").to_string_lossy();
    let _ = std::fs::remove_dir_all(output.with_file_name(format!(".{name}.prev")));
}

fn main() {
    let Some(corpus) = corpus_tree::corpus_path() else {
        println!("corpus not found (../shared/corpus/lawrefbook.jsonl.xz): nothing to measure");
        return;
    };
    let times: Vec<usize> = std::env::var("GONGBAO_SCALE_TIMES")
        .unwrap_or_else(|_| "1,3".into())
        .split(',')
        .filter_map(|t| t.trim().parse().ok())
        .collect();
    let laws = corpus_tree::read_corpus(&corpus);
    let peers = peers();
    let work = tempfile::tempdir().expect("temp dir");
    // GONGBAO_SCALE_KEEP=1 keeps the generated content and output for a closer look.
    let work_path = if std::env::var_os("GONGBAO_SCALE_KEEP").is_some() { work.keep() } else { work.path().to_path_buf() };
    let work = &work_path;
    let gongbao = env!("CARGO_BIN_EXE_gongbao");
    println!("work folder: {}", work.display());
    println!("machine: {} cores; gongbao {}", std::thread::available_parallelism().map_or(0, |n| n.get()), env!("CARGO_PKG_VERSION"));
    for name in ["hugo", "zola"] {
        match peers.iter().find(|p| p.name == name) {
            Some(peer) => println!("{name}: {} ({})", peer.version, peer.program.display()),
            None => println!("{name}: not installed or left out — skipped (Hugo: apt-get install hugo; Zola: sh benches/peers/install-zola.sh)"),
        }
    }

    let mut gongbao_1x = None;
    for &n in &times {
        let content = work.join(format!("content-{n}"));
        let tree = corpus_tree::write_tree(&laws, &content, n);
        let output = work.join(format!("public-{n}"));
        let full = || {
            remove_output(&output);
            measure(Command::new(gongbao).arg("build").arg("--full").arg("--timings").arg("--content").arg(&content).arg("--output").arg(&output))
        };
        for peer in &peers {
            (peer.write_site)(&content, &work.join(format!("{}-{n}", peer.name)));
        }
        let peer_full = |peer: &Peer| {
            let site = work.join(format!("{}-{n}", peer.name));
            let out = site.join("public");
            let _ = std::fs::remove_dir_all(&out);
            measure(&mut (peer.build)(&peer.program, &site, &out))
        };
        // Per round, each peer's build, then gongbao's: the rebuilds below follow gongbao's own
        // last full build, as a user's would, not a peer's build that has just freed thousands
        // of inodes.
        let rounds = if peers.is_empty() { 3 } else { ROUNDS };
        let mut runs = Vec::new();
        let mut peer_runs: Vec<Vec<Run>> = peers.iter().map(|_| Vec::new()).collect();
        for _ in 0..rounds {
            for (peer, done) in peers.iter().zip(&mut peer_runs) {
                done.push(peer_full(peer));
            }
            runs.push(full());
        }
        // gongbao's time over each peer's, per round
        let ratios: Vec<Vec<f64>> = peer_runs.iter().map(|done| runs.iter().zip(done).map(|(g, p)| g.seconds / p.seconds).collect()).collect();
        let all: Vec<String> = runs.iter().map(|r| format!("{:.2}", r.seconds)).collect();
        let (cpu, cpu_runs) = processor_times(&runs);
        let run = median(runs);
        let out_bytes = dir_bytes(&output);
        let index_bytes = dir_bytes(&output.join("search"));
        let text_mb = tree.text_bytes as f64 / 1e6;
        println!("\n== {n}× corpus: {} documents in {} issues, {:.1} MB of text", tree.documents, tree.issues, text_mb);
        println!("gongbao  full build   {:>7.2} s   {:>7.0} docs/s   peak {:>6.0} MB (budget {:.0} MB = 2×text+100)", run.seconds, tree.documents as f64 / run.seconds, run.peak_mb, 2.0 * text_mb + 100.0);
        println!("         runs: {} s", all.join(", "));
        println!("         processor time (user+sys) {cpu:.2} s; runs: {cpu_runs} s");
        println!("         output {:.1} MB, search index {:.1} MB ({:.2}× text)", out_bytes as f64 / 1e6, index_bytes as f64 / 1e6, index_bytes as f64 / tree.text_bytes as f64);
        for line in run.stdout.lines().filter(|l| l.starts_with("  ") && l.ends_with(" ms")) {
            println!("        {line}");
        }
        // Incremental rebuilds on top of the output just built: one body changed (right after
        // the full build), then further corrections in the middle of the archive (when the
        // output before is kept as .public.prev: the usual case; median of 3, as single
        // rebuilds vary by a third here), one issue added.
        let docs: Vec<_> = walkdir::WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect();
        let edit = |doc: &Path| {
            let text = std::fs::read_to_string(doc).unwrap();
            std::fs::write(doc, text + "\n本条为基准测试所加。\n").unwrap();
        };
        let rebuild = || measure(Command::new(gongbao).arg("build").arg("--timings").arg("--content").arg(&content).arg("--output").arg(&output));
        edit(&docs[0]);
        let edited = rebuild();
        let mut middle = (docs.len() / 2..).map(|i| &docs[i]);
        let edited_again = median_of_3(|| {
            edit(middle.next().unwrap());
            rebuild()
        });
        // A correction inside the text moves every later position of the document, so every
        // list it is in changes: the case an appended paragraph does not show.
        let correct = |doc: &Path, note: &str| {
            let text = std::fs::read_to_string(doc).unwrap();
            let body = text.find("\n+++\n").map_or(0, |end| end + 5);
            let at = text[body..].find('。').map_or(text.len(), |p| body + p);
            std::fs::write(doc, format!("{}{note}{}", &text[..at], &text[at..])).unwrap();
        };
        let mut third = (docs.len() / 3..).map(|i| &docs[i]);
        let corrected = median_of_3(|| {
            correct(third.next().unwrap(), "（已更正）");
            rebuild()
        });
        // A correction bringing a character the archive never held (a rare name): the excerpt
        // code changes, so every excerpt file is coded anew.
        let mut quarter = (docs.len() / 4..).map(|i| &docs[i]);
        let mut rare = ['𠀀', '𠀁', '𠀂'].into_iter();
        let new_character = median_of_3(|| {
            correct(quarter.next().unwrap(), &format!("（已更正：{}）", rare.next().unwrap()));
            rebuild()
        });
        // A title corrected: its page, its neighbours' and its issue's, and its title's entries
        // in the search index.
        let mut fifth = (docs.len() / 5..).map(|i| &docs[i]);
        let retitled = median_of_3(|| {
            let doc = fifth.next().unwrap();
            let text = std::fs::read_to_string(doc).unwrap();
            std::fs::write(doc, text.replacen("title = \"", "title = \"（更正）", 1)).unwrap();
            rebuild()
        });
        // One issue added, of thirteen documents as the seed issue has: real bodies (copies of
        // documents of the archive) under new numbers and titles.
        let added = content.join("2099/01");
        std::fs::create_dir_all(&added).unwrap();
        std::fs::write(added.join("issue.toml"), "year = 2099\nnumber = 1\ndate = \"2099-01\"\nsections = [\"增刊\"]\n").unwrap();
        for (i, doc) in (1..).zip(docs.iter().skip(docs.len() / 7).take(13)) {
            let text = std::fs::read_to_string(doc).unwrap();
            let body = &text[text.find("\n+++\n").map_or(0, |end| end + 5)..];
            let front = format!("title = \"基准测试新增一期之{i}\"\nnumber = \"增〔2099〕{i}号\"\nissuer = \"基准测试\"\ndate = \"2099-01-02\"\nsection = \"增刊\"\npage = {i}");
            std::fs::write(added.join(format!("p{i:03}.md")), format!("+++\n{front}\n+++\n{body}")).unwrap();
        }
        let with_issue = rebuild();
        let share = |r: &Run| format!("{:.2} s ({:.1}% of full, peak {:.0} MB)", r.seconds, 100.0 * r.seconds / run.seconds, r.peak_mb);
        println!("         incremental: one body changed {}; another (median of 3) {}; one issue of 13 documents added {}", share(&edited), share(&edited_again), share(&with_issue));
        println!("         incremental: a correction in the first sentence of a body (median of 3) {}", share(&corrected));
        println!("         incremental: a correction with a character new to the archive (median of 3) {}", share(&new_character));
        // and withdrawn again: the newest documents' ids go
        std::fs::remove_dir_all(&added).unwrap();
        let withdrawn = rebuild();
        println!("         incremental: a title corrected (median of 3) {}; the newest issue withdrawn {}", share(&retitled), share(&withdrawn));
        for line in edited_again.stdout.lines().filter(|l| l.starts_with("  ") && l.ends_with(" ms")) {
            println!("          {line}");
        }

        // As published: with a base_url, every document page carries the QR code of its address
        // for print, and the sitemap and feeds are written (the builds above have none, like the
        // peers'). Into a folder of its own, after the rebuilds, which it would disturb.
        let published = work.join(format!("published-{n}"));
        let with_base = median_of_3(|| {
            remove_output(&published);
            measure(Command::new(gongbao).args(["build", "--full", "--base-url", "https://www.example.gov.cn/gongbao/", "--content"]).arg(&content).arg("--output").arg(&published))
        });
        println!(
            "         full build with a base_url (QR codes, sitemap, feeds; median of 3): {:.2} s ({:.2}× the full build above), peak {:.0} MB, output {:.1} MB",
            with_base.seconds,
            with_base.seconds / run.seconds,
            with_base.peak_mb,
            dir_bytes(&published) as f64 / 1e6
        );
        remove_output(&published);

        if n == 1 {
            gongbao_1x = Some(run.seconds);
        } else if let Some(one) = gongbao_1x {
            println!("         growth {n}×/1×: {:.2}× the time", run.seconds / one);
        }

        for ((peer, done), ratios) in peers.iter().zip(peer_runs).zip(ratios) {
            let all: Vec<String> = done.iter().map(|r| format!("{:.2}", r.seconds)).collect();
            let (peer_cpu, peer_cpu_runs) = processor_times(&done);
            let p = median(done);
            let out = work.join(format!("{}-{n}/public", peer.name));
            println!("{:<8} full build   {:>7.2} s   {:>7.0} docs/s   peak {:>6.0} MB   output {:.1} MB (no search index)", peer.name, p.seconds, tree.documents as f64 / p.seconds, p.peak_mb, dir_bytes(&out) as f64 / 1e6);
            println!("         runs: {} s", all.join(", "));
            println!("         processor time (user+sys) {peer_cpu:.2} s; runs: {peer_cpu_runs} s");
            let mut sorted = ratios.clone();
            sorted.sort_by(f64::total_cmp);
            let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
            println!(
                "         gongbao / {}: {:.2}× the time (medians), {:.2}× per round (median; rounds: {}), {:.2}× the processor time (medians), {:.2}× the memory",
                peer.name,
                run.seconds / p.seconds,
                sorted[sorted.len() / 2],
                each.join(", "),
                cpu / peer_cpu,
                run.peak_mb / p.peak_mb
            );
        }
    }
}

/// The same documents as a Hugo site with minimal templates: one page per document, one list
/// per issue, front matter converted from gongbao's (TOML between +++ is Hugo's format too).
fn write_hugo_site(content: &Path, site: &Path) {
    let layouts = site.join("layouts/_default");
    std::fs::create_dir_all(&layouts).unwrap();
    std::fs::write(site.join("hugo.toml"), "baseURL = 'http://example.org/'\nlanguageCode = 'zh-CN'\ntitle = '法规汇编'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\nrelativeURLs = true\n").unwrap();
    std::fs::write(layouts.join("baseof.html"), "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n").unwrap();
    std::fs::write(layouts.join("single.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1><p>{{ .Params.number }} {{ .Params.issuer }} {{ .Params.date }}</p>{{ .Content }}{{ end }}\n").unwrap();
    std::fs::write(layouts.join("list.html"), "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n").unwrap();
    for entry in walkdir::WalkDir::new(content).into_iter().filter_map(|e| e.ok()) {
        let rel = entry.path().strip_prefix(content).unwrap();
        let target = site.join("content").join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if rel.extension().is_some_and(|e| e == "md") {
            // Hugo reads `date` itself; gongbao's issue/section keys are plain params to it.
            std::fs::copy(entry.path(), &target).unwrap();
        } else if rel.file_name().is_some_and(|n| n == "issue.toml") {
            let title = format!("{}年第{}期", rel.iter().next().unwrap().to_string_lossy(), rel.iter().nth(1).unwrap().to_string_lossy());
            std::fs::write(target.with_file_name("_index.md"), format!("+++\ntitle = \"{title}\"\n+++\n")).unwrap();
        }
    }
}

/// The same documents as a Zola site with minimal templates, as the Hugo site: a page per
/// document, a section per year and per issue. Zola takes only its own keys at the top of the
/// front matter, so gongbao's others go under `[extra]`.
fn write_zola_site(content: &Path, site: &Path) {
    let templates = site.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(site.join("config.toml"), "base_url = 'http://example.org'\ntitle = '法规汇编'\ndefault_language = 'zh'\nbuild_search_index = false\ngenerate_feeds = false\ngenerate_sitemap = false\ngenerate_robots_txt = false\n").unwrap();
    let page = |name: &str, body: &str| std::fs::write(templates.join(name), format!("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{{{{ {} }}}}</title></head><body>{body}</body></html>\n", if name == "page.html" { "page.title" } else { "section.title" })).unwrap();
    page("page.html", "<h1>{{ page.title }}</h1><p>{{ page.extra.number }} {{ page.extra.issuer }} {{ page.date }}</p>{{ page.content | safe }}");
    let list = "<h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>{% endfor %}</ul>";
    page("section.html", list);
    page("index.html", list);
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::write(site.join("content/_index.md"), "+++\ntitle = \"法规汇编\"\n+++\n").unwrap();
    for entry in walkdir::WalkDir::new(content).min_depth(1).into_iter().filter_map(|e| e.ok()) {
        let rel = entry.path().strip_prefix(content).unwrap();
        let target = site.join("content").join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            let mut parts = rel.iter().map(|p| p.to_string_lossy());
            let year = parts.next().unwrap();
            let title = match parts.next() {
                Some(number) => format!("{year}年第{}期", number.trim_start_matches('0')),
                None => format!("{year}年"),
            };
            std::fs::write(target.join("_index.md"), format!("+++\ntitle = \"{title}\"\n+++\n")).unwrap();
        } else if rel.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let (front, body) = text.strip_prefix("+++\n").and_then(|t| t.split_once("\n+++\n")).expect("TOML front matter");
            let (own, extra): (Vec<&str>, Vec<&str>) = front.lines().partition(|l| l.starts_with("title =") || l.starts_with("date ="));
            std::fs::write(&target, format!("+++\n{}\n[extra]\n{}\n+++\n{body}", own.join("\n"), extra.join("\n"))).unwrap();
        }
    }
}
