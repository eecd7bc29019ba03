//! Hardening: hostile content never reaches a page as code, content cannot name paths outside
//! its folders, faults mid-build leave the previous output whole, and odd but valid content
//! builds, renders and is searchable.

mod common;

use common::*;
use std::fs;
use std::path::Path;
use std::process::Command;

use gongbao::search::index::{bigram_key, key_hash, shard_path, unigram_key};
use gongbao::search::normalize::token_strings;

fn doc(title: &str, page: u32, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nissuer = \"惠农区人民政府办公室\"\ndate = \"2021-10-15\"\nsection = \"惠农区大事记\"\npage = {page}\n+++\n{body}")
}

// ---------------------------------------------------------------- hostile content

/// Every start tag of an HTML text: (name, [(attribute, value)]), read as a browser would.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        let rest = &html[i + p..];
        match gongbao::render::sanitize::parse_tag(rest) {
            Some(t) => {
                i += p + t.len;
                if !t.closing {
                    out.push((t.name, t.attrs.into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect()));
                }
            }
            None => i += p + 1,
        }
    }
    out
}

#[test]
fn hostile_markdown_builds_into_pages_without_any_executable_markup() {
    let ws = Workspace::new(&fixture("hostile"));
    let out = ws.run(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8(out.stderr).unwrap();
    for expected in [
        "警告：content/2022/01/p001.md:15: 已删除不允许的 HTML：<script> 及其内容",
        "警告：content/2022/01/p001.md:51: 已删除不允许的 HTML：链接地址 javascript:alert('XSS-j1')",
        "警告：content/2022/01/p001.md:79: 已删除不允许的 HTML：<svg> 及其内容",
        "警告：content/2022/01/p002.md:9: 已删除不允许的 HTML：<b> 及其属性 onmouseover",
        "警告：content/about.md:6: 已删除不允许的 HTML：<script> 及其内容",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in\n{stderr}");
    }

    let files = tree(&ws.public());
    assert!(files.len() > 15);
    // 1. None of the payloads, as written in the sources, is anywhere in the output.
    let mut payloads = Vec::new();
    for (path, text) in tree(&ws.content()) {
        let text = String::from_utf8(text).unwrap();
        for line in text.lines() {
            // each payload from its first < to the end of the line
            if let Some(i) = line.find('<') {
                let payload = line[i..].trim_end_matches(['"', ')', ']', '}']);
                if payload.contains("XSS") {
                    payloads.push((path.clone(), payload.to_string()));
                }
            }
        }
        for word in ["javascript:alert(", "JaVaScRiPt:alert(", "onerror=alert(", "onload=alert(", "data:text/html"] {
            assert!(text.contains(word) || !path.ends_with("p001.md"), "corpus lost {word}");
        }
    }
    assert!(payloads.len() > 50, "{}", payloads.len());
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".csv") {
            // The CSV is data for spreadsheets (served as text/csv, never parsed as HTML): a title
            // stays exactly as written there; only formula injection is defused (tests/publish.rs).
            continue;
        }
        for (source, payload) in &payloads {
            assert!(!text.contains(payload.as_str()), "public/{path} holds the payload of {source}: {payload}");
        }
        if path.starts_with("assets/") {
            continue; // the theme's own files
        }
        for word in ["<script>", "<svg", "<iframe", "<object", "<embed", "href=\"javascript", "src=\"javascript", "javascript:alert('XSS-j1')", "data:text/html"] {
            assert!(!text.to_ascii_lowercase().contains(&word.to_ascii_lowercase()), "public/{path} holds {word}");
        }
    }
    // 2. Every tag of every page is the theme's or the renderer's, with no handler, style or
    //    script address; the only scripts are the site's own files.
    let allowed_tags = [
        "html", "head", "meta", "title", "link", "body", "header", "nav", "main", "footer", "section", "article", "aside", "form",
        "label", "input", "button", "select", "option", "span", "dl", "dt", "dd", "script", "noscript", "p", "a", "h1", "h2",
        "h3", "h4", "h5", "h6", "div", "em", "strong", "del", "s", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "sup", "sub", "small", "time", "b", "details", "summary",
        "fieldset", "legend", "svg", "path", "colgroup", "col",
    ];
    // the theme's own pages, which hold no content's HTML
    let theme_tags: Vec<String> = ["index.html", "search.html"].iter().flat_map(|page| tags(&ws.read(page))).map(|t| t.0).collect();
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        for (name, attrs) in tags(&html) {
            assert!(allowed_tags.contains(&name.as_str()), "public/{path}: <{name}>");
            if name == "svg" || name == "details" {
                assert!(theme_tags.contains(&name), "public/{path}: <{name}> not from the theme");
            }
            if name == "script" {
                let src = attrs.iter().find(|(k, _)| k == "src").map(|(_, v)| v.as_str()).unwrap_or("");
                assert!(src.contains("assets/") && src.ends_with(".js"), "public/{path}: script {src:?}");
            }
            for (key, value) in &attrs {
                assert!(!key.starts_with("on"), "public/{path}: <{name} {key}={value}>");
                assert!(key != "style" || value.starts_with("text-align:"), "public/{path}: style {value}");
                assert!(key != "srcdoc" && key != "formaction", "public/{path}: {key}");
                if matches!(key.as_str(), "href" | "src" | "content" | "action") {
                    let v = value.to_ascii_lowercase().replace(['\t', '\n', ' '], "");
                    assert!(!v.contains("javascript:") && !v.contains("vbscript:") && !v.starts_with("data:"), "public/{path}: {key}={value}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked}");
    // 3. Front matter shows as text, escaped, in HTML, attributes, JSON and search scripts.
    let page = ws.read("2022/01/p001.html");
    assert!(page.contains("关于&lt;script&gt;alert(&#39;XSS-title&#39;)&lt;&#x2F;script&gt;的通知") || page.contains("关于&lt;script&gt;alert(&#39;XSS-title&#39;)&lt;/script&gt;的通知"), "title not shown as text");
    assert!(page.contains("<td rowspan=\"2\">甲</td>") && page.contains("<th colspan=\"2\">合并表头</th>"), "allowed table lost");
    assert!(page.contains("H<sub>2</sub>O 与 m<sup>2</sup>"));
    let json = ws.read("data/documents.json");
    let docs: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(docs[0]["title"], "关于<script>alert('XSS-title')</script>的通知", "JSON keeps the data");
    assert!(!json.contains('<') && !json.contains('\u{2028}'));
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("search/")) {
        let js = match bytes.strip_prefix(&[0xff, 0xfe]) {
            Some(utf16) => String::from_utf16(&utf16.chunks(2).map(|u| u16::from_le_bytes([u[0], u[1]])).collect::<Vec<_>>()).unwrap(),
            None => String::from_utf8(bytes.clone()).unwrap(),
        };
        assert!(!js.contains("</") && !js.contains('\u{2028}'), "{path}: {js}");
    }
}

// ---------------------------------------------------------------- paths

#[test]
fn every_path_from_content_stays_in_its_folder() {
    let cases: &[(&str, &str, &str)] = &[
        ("2022/02/con.md", "", "content/2022/02/con.md: 文件名决定网址"),
        ("2022/02/lpt1.md", "", "content/2022/02/lpt1.md: 文件名决定网址"),
        ("2022/02/a..b.md", "", "content/2022/02/a..b.md: 文件名决定网址"),
        ("2022/02/aliases-up.md", "aliases = [\"../../../etc/x.html\"]", "别名 aliases 中的「../../../etc/x.html」无效"),
        ("2022/02/aliases-abs.md", "aliases = [\"/etc/cron.d/x.html\"]", "别名 aliases 中的「/etc/cron.d/x.html」无效：应为相对于网站根目录的路径"),
        ("2022/02/aliases-win.md", "aliases = [\"C:\\\\Windows\\\\x.html\"]", "无效：应为相对于网站根目录的路径"),
        ("2022/02/aliases-nul.md", "aliases = [\"a\\u0000b.html\"]", "含控制字符 U+0000"),
        ("2022/02/aliases-star.md", "aliases = [\"a*b.html\"]", "无效：只能用小写英文字母"),
        ("2022/02/aliases-dev.md", "aliases = [\"2022/nul.html\"]", "无效：含 Windows 保留的设备名"),
        ("2022/02/aliases-long.md", "aliases = [\"LONG\"]", "无效：路径过长"),
        ("2022/02/aliases-in-file.md", "aliases = [\"about.html/x.html\"]", "无效：文件夹名不能含 ."),
        ("2022/02/aliases-page.md", "aliases = [\"2022/02/p001.html\"]", "别名「2022/02/p001.html」与现有页面重名"),
    ];
    let long = format!("{}/x.html", vec!["abcdefgh"; 30].join("/"));
    for (file, extra, expected) in cases {
        let ws = Workspace::new(&fixture("site"));
        ws.build_ok();
        let before = tree(&ws.public());
        let extra = extra.replace("LONG", &long);
        let text = doc("t", 99, "正文\n").replacen("page = 99\n", &format!("page = 99\n{extra}\n"), 1);
        ws.write(file, &text);
        let err = ws.build_err();
        assert!(err.contains(expected), "{file}: missing {expected:?} in\n{err}");
        if !extra.is_empty() {
            assert!(err.contains(&format!("content/{file}:7:")), "{file}: no line in\n{err}");
        }
        assert_eq!(tree(&ws.public()), before, "{file}: a refused build changed public/");
    }
}

#[test]
fn the_print_pdf_is_a_file_beside_issue_toml() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.pdf"), b"%PDF-1.4 secret").unwrap();
    let cases: Vec<(String, &str)> = vec![
        ("../../../secret.pdf".into(), "不能含路径"),
        (outside.path().join("secret.pdf").display().to_string(), "不能含路径"),
        ("a|b.pdf".into(), "不允许的字符"),
        ("CON.pdf".into(), "Windows 保留的设备名"),
        (format!("{}.pdf", "长".repeat(101)), "文件名过长"),
        ("print.exe".into(), "应为 .pdf 文件"),
        ("missing.pdf".into(), "找不到该文件"),
        ("link.pdf".into(), "符号链接指向内容目录之外"),
    ];
    for (name, expected) in cases {
        let ws = Workspace::new(&fixture("site"));
        std::os::unix::fs::symlink(outside.path().join("secret.pdf"), ws.content().join("2022/02/link.pdf")).unwrap();
        let toml = ws.content().join("2022/02/issue.toml");
        fs::write(&toml, format!("pdf = \"{name}\"\n") + &fs::read_to_string(&toml).unwrap()).unwrap();
        let err = ws.build_err();
        assert!(err.contains("content/2022/02/issue.toml:1: 印刷版 pdf = "), "{name}: {err}");
        assert!(err.contains(expected), "{name}: missing {expected:?} in {err}");
    }
    let ws = Workspace::new(&fixture("site"));
    fs::write(ws.content().join("2022/02/2022年第2期.pdf"), b"%PDF-1.4").unwrap();
    let toml = ws.content().join("2022/02/issue.toml");
    fs::write(&toml, "pdf = \"2022年第2期.pdf\"\n".to_string() + &fs::read_to_string(&toml).unwrap()).unwrap();
    ws.build_ok();
}

#[test]
fn symlinks_out_of_content_to_folders_and_in_loops_are_refused_without_hanging() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("p099.md"), doc("外部", 99, "不应读取\n")).unwrap();
    let ws = Workspace::new(&fixture("site"));
    let dir = ws.content().join("2022/02");
    std::os::unix::fs::symlink(outside.path().join("p099.md"), dir.join("p099.md")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("passwd.txt")).unwrap();
    std::os::unix::fs::symlink("loop-b", dir.join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", dir.join("loop-b")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("up")).unwrap();
    std::os::unix::fs::symlink("missing.md", dir.join("p098.md")).unwrap();
    let started = std::time::Instant::now();
    let err = ws.build_err();
    assert!(started.elapsed().as_secs() < 20);
    for expected in [
        "content/2022/02/p099.md: 符号链接指向内容目录之外",
        "content/2022/02/passwd.txt: 符号链接指向内容目录之外",
        "content/2022/02/loop-a: 符号链接形成循环",
        "content/2022/02/loop-b: 符号链接形成循环",
        "content/2022/02/up: 不支持指向文件夹的符号链接",
        "content/2022/02/p098.md: 找不到该文件",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    assert!(!err.contains("不应读取") && !ws.public().exists());

    // A link to a file inside the content folder is read like the file.
    let ws = Workspace::new(&fixture("site"));
    fs::rename(ws.content().join("2022/02/p060.md"), ws.dir.path().join("p060.md.orig")).unwrap();
    fs::create_dir(ws.content().join("shared")).unwrap();
    fs::rename(ws.dir.path().join("p060.md.orig"), ws.content().join("shared/p060.txt")).unwrap();
    std::os::unix::fs::symlink("../../shared/p060.txt", ws.content().join("2022/02/p060.md")).unwrap();
    ws.build_ok();
    assert!(ws.read("2022/02/p060.html").contains("大事记"));
}

// ---------------------------------------------------------------- faults mid-build

#[test]
fn a_second_build_into_the_same_output_refuses_while_the_first_holds_the_lock() {
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    let before = tree(&ws.public());
    // Hold the lock as a running build would.
    let lock = fs::OpenOptions::new().read(true).write(true).open(ws.dir.path().join(".public.lock")).unwrap();
    fs2::FileExt::try_lock_exclusive(&lock).unwrap();
    fs::write(ws.dir.path().join(".public.lock"), "4242\n").unwrap();
    ws.edit("2022/02/p060.md", "大事记", "大事记（改）");
    let err = ws.build_err();
    assert!(err.contains("另一个 gongbao 生成进程（进程号 4242）正在写入"), "{err}");
    assert!(err.contains("原有输出"), "{err}");
    assert_eq!(tree(&ws.public()), before);
    drop(lock);
    ws.build_ok();
    assert_ne!(tree(&ws.public()), before);
}

#[test]
fn two_builds_started_at_once_never_interleave() {
    let ws = Workspace::new(&fixture("site"));
    for _ in 0..5 {
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_gongbao"))
                .current_dir(ws.dir.path())
                .args(["build", "--content", "content", "--output", "public"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(), spawn());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success() || b.status.success(), "{}{}", String::from_utf8_lossy(&a.stderr), String::from_utf8_lossy(&b.stderr));
        for o in [&a, &b] {
            if !o.status.success() {
                assert!(String::from_utf8_lossy(&o.stderr).contains("正在写入"), "{}", String::from_utf8_lossy(&o.stderr));
            }
        }
        let mut fresh = Workspace::new(&fixture("site"));
        fresh.build_ok();
        assert_eq!(tree(&ws.public()), tree(&fresh.public()));
        fresh.dir = tempfile::tempdir().unwrap();
    }
}

#[test]
fn leftovers_of_killed_builds_are_cleaned_and_a_moved_aside_output_is_restored() {
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    let good = tree(&ws.public());
    // Killed between the two renames of the fallback swap: no public/, the old one aside.
    fs::rename(ws.public(), ws.dir.path().join(".public.old-31337")).unwrap();
    fs::create_dir_all(ws.dir.path().join(".public.tmp-31338/2022")).unwrap();
    fs::write(ws.dir.path().join(".public.tmp-31338/2022/half.html"), "<!DOCTYPE").unwrap();
    // Even a build that fails on content puts the previous output back first.
    ws.edit("2022/02/p060.md", "page = 60", "page = 0");
    ws.build_err();
    assert_eq!(tree(&ws.public()), good, "previous output restored");
    let names: Vec<String> = fs::read_dir(ws.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert!(!names.iter().any(|n| n.contains(".tmp-") || n.contains(".old-")), "{names:?}");
    ws.edit("2022/02/p060.md", "page = 0", "page = 60");
    fs::create_dir(ws.dir.path().join(".public.old-777")).unwrap();
    ws.build_ok();
    assert!(!ws.dir.path().join(".public.old-777").exists());
    assert_eq!(tree(&ws.public()), good);
}

/// Mounts a tmpfs of `size` at `dir` (root only); false when this machine does not allow it.
fn mount_tmpfs(dir: &Path, size: &str) -> bool {
    fs::create_dir_all(dir).unwrap();
    Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir).status().is_ok_and(|s| s.success())
}

struct Unmount<'a>(&'a Path);
impl Drop for Unmount<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0).status();
    }
}

#[test]
fn a_full_disk_or_a_read_only_output_leaves_the_previous_output_and_the_next_build_succeeds() {
    let ws = Workspace::new(&fixture("site"));
    let disk = ws.dir.path().join("disk");
    if !mount_tmpfs(&disk, "3m") {
        // Not root, or no mount in this container: the read-only case below still runs via a
        // folder we cannot write.
        eprintln!("SKIPPED tmpfs part: mount not permitted here");
        return;
    }
    let _unmount = Unmount(&disk);
    let public = disk.join("public");
    let build = || {
        Command::new(env!("CARGO_BIN_EXE_gongbao"))
            .current_dir(ws.dir.path())
            .args(["build", "--content", "content", "--output"])
            .arg(&public)
            .output()
            .unwrap()
    };
    assert!(build().status.success());
    let before = tree(&public);

    // ENOSPC: a 4 MB document does not fit twice in 3 MB.
    ws.write("2022/02/p090.md", &doc("大文件", 90, &"医疗保障基金监管。".repeat(150_000)));
    let out = build();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("磁盘空间不足") && err.contains("原有输出"), "{err}");
    assert_eq!(tree(&public), before, "ENOSPC changed public/");
    let names: Vec<_> = fs::read_dir(&disk).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n != ".public.cache").collect();
    assert_eq!(names.len(), 2, "staging left on the full disk: {names:?}");
    fs::remove_file(ws.content().join("2022/02/p090.md")).unwrap();
    ws.edit("2022/02/p060.md", "大事记", "大事记（改）");
    let out = build();
    assert!(out.status.success(), "next build after the disk has room: {}", String::from_utf8_lossy(&out.stderr));
    assert_ne!(tree(&public), before);
    let before = tree(&public);

    // Read-only file system.
    assert!(Command::new("mount").args(["-o", "remount,ro"]).arg(&disk).status().unwrap().success());
    ws.edit("2022/02/p060.md", "大事记（改）", "大事记");
    let out = build();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("只读") && err.contains("原有输出"), "{err}");
    assert_eq!(tree(&public), before);
    assert!(Command::new("mount").args(["-o", "remount,rw"]).arg(&disk).status().unwrap().success());
    assert!(build().status.success());
    assert_ne!(tree(&public), before);
}

// ---------------------------------------------------------------- odd but valid content

/// True when the built search index of `public` holds every token pair of `query` (each
/// bigram, or the single token), i.e. the query can find a document.
fn index_has(public: &Path, query: &str) -> bool {
    let meta = fs::read_to_string(public.join("search/meta.js")).unwrap();
    let json = meta.trim_start_matches("gongbaoSearch.meta(").trim_end().trim_end_matches(");");
    let meta: serde_json::Value = serde_json::from_str(json).unwrap();
    let shards = meta["shards"].as_u64().unwrap() as u32;
    let tokens = token_strings(query);
    let keys: Vec<String> = if tokens.len() == 1 { vec![unigram_key(&tokens[0])] } else { tokens.windows(2).map(|w| bigram_key(&w[0], &w[1])).collect() };
    keys.iter().all(|key| {
        let s = (key_hash(key) % shards) as usize;
        let bytes = fs::read(public.join(shard_path(s))).unwrap_or_default();
        gongbao::search::shard::keys(&bytes, s).is_some_and(|keys| keys.contains(key))
    })
}

#[test]
fn odd_but_valid_content_builds_renders_and_is_searchable() {
    let ws = Workspace::new(&fixture("site"));
    let long_title = "关于".to_string() + &"进一步加强和规范".repeat(40) + "的通知";
    let rows: String = (1..=10_000).map(|i| format!("| {i} | 第{i}项工作 | 责任单位{i} |\n")).collect();
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("p101.md", doc("空正文", 101, ""), vec!["空正文"]),
        ("p102.md", doc(&long_title, 102, "正文。\n"), vec!["进一步加强和规范"]),
        ("p103.md", doc("表格", 103, &format!("| 序号 | 工作 | 单位 |\n|---|---|---|\n{rows}")), vec!["第9999项工作", "责任单位10000"]),
        ("p104.md", doc("表情与生僻字😀", 104, "𠀀𪚥𰻝字与表情👨‍👩‍👧同在。\n"), vec!["𪚥𰻝字", "生僻字😀", "表情👨‍👩‍👧同在"]),
        ("p105.md", doc("换行", 105, "").replace('\n', "\r\n") + "第一行\r\n第二行\r第三行\n第四行\r\n", vec!["第三行"]),
        ("p106.md", format!("\u{feff}{}", doc("字节顺序标记", 106, "有BOM的文件。\n")), vec!["字节顺序标记"]),
        ("p107.md", doc("零宽字符", 107, "医疗\u{200b}保障与\u{200d}联席\u{feff}会议。\n"), vec!["零宽字符", "医疗保障", "联席会议"]),
        ("p108.md", doc("全角日期", 108, "２０２２年５月１日起施行。\n\n惠农区人民政府办公室\n\n２０２１年１０月１日\n").replace("date = \"2021-10-15\"", "date = \"２０２１年１０月１日\""), vec!["2022年5月1日", "２０２２年５月"]),
    ];
    for (file, text, _) in &cases {
        ws.write(&format!("2021/04/{file}"), text);
    }
    fs::write(ws.content().join("2021/04/issue.toml"), fs::read_to_string(ws.content().join("2021/04/issue.toml")).unwrap().replace("sections = [\"惠农区人民政府文件\"]", "sections = [\"惠农区人民政府文件\", \"惠农区大事记\"]")).unwrap();
    // A 20 MB document.
    let paragraph = "为进一步规范重大行政决策程序，提高决策质量和效率，根据《重大行政决策程序暂行条例》，结合我区实际，制定本方案。\n\n";
    let big = paragraph.repeat(20 * 1024 * 1024 / paragraph.len() + 1) + "最后一段：巨型文件的结尾。\n";
    ws.write("2021/04/p109.md", &doc("巨型文件", 109, &big));
    let started = std::time::Instant::now();
    let summary = ws.build_ok();
    assert!(summary.contains("2 期、13 篇文件"), "{summary}");
    assert!(started.elapsed().as_secs() < 120, "{:?}", started.elapsed());

    let page = |f: &str| ws.read(&format!("2021/04/{}", f.replace(".md", ".html")));
    assert!(page("p101.md").contains("<h1 class=\"doc-title\">空正文</h1>"));
    assert!(page("p102.md").contains(&long_title));
    let table = page("p103.md");
    assert_eq!(table.matches("<td>责任单位").count(), 10_000);
    assert!(table.contains("<td>责任单位10000</td>"));
    assert!(page("p104.md").contains("𠀀𪚥𰻝字与表情👨‍👩‍👧同在。") && page("p104.md").contains("表情与生僻字😀"));
    let lines = page("p105.md");
    assert!(lines.contains("第一行\n第二行\n第三行\n第四行"), "CR and CRLF both end lines");
    assert!(!lines.contains('\r'));
    assert!(page("p106.md").contains("<h1 class=\"doc-title\">字节顺序标记</h1>"));
    assert!(page("p107.md").contains("医疗\u{200b}保障"), "zero-width characters are kept as written");
    let dates = page("p108.md");
    assert!(dates.contains("2021年10月1日") && dates.contains("<p class=\"signature\">２０２１年１０月１日</p>"), "full-width date is a signature");
    let big_page = page("p109.md");
    assert!(big_page.len() > 20 * 1024 * 1024 && big_page.contains("最后一段：巨型文件的结尾。"));

    for (file, _, queries) in &cases {
        for q in queries {
            assert!(index_has(&ws.public(), q), "{file}: {q} not in the index");
        }
    }
    assert!(index_has(&ws.public(), "巨型文件的结尾"));
    assert!(!index_has(&ws.public(), "不存在的词语组合"));
    let docs: serde_json::Value = serde_json::from_str(&ws.read("data/documents.json")).unwrap();
    let dated = docs.as_array().unwrap().iter().find(|d| d["url"] == "2021/04/p108.html").unwrap();
    assert_eq!(dated["date"], "2021-10-01");
}

// ---------------------------------------------------------------- what the output may replace

/// A build replaces its output folder whole: a folder or file that gongbao did not make, or one
/// that holds the content, is refused with a message, untouched, and nothing is left beside it.
#[test]
fn an_output_that_is_not_a_gongbao_site_is_refused_and_left_as_it_was() {
    let ws = Workspace::new(&fixture("site"));
    let run = |output: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_gongbao"))
            .current_dir(ws.dir.path())
            .args(["build", "--content", "content", "--output", output])
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8(out.stderr).unwrap())
    };
    let listing = || {
        let mut names: Vec<String> = fs::read_dir(ws.dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        names
    };
    fs::create_dir_all(ws.dir.path().join("docs")).unwrap();
    fs::write(ws.dir.path().join("docs/report.txt"), "important").unwrap();
    fs::write(ws.dir.path().join("notes.txt"), "a file").unwrap();
    let before = (listing(), tree(&ws.content()));
    for (output, why) in [
        ("docs", "不是 gongbao 生成的网站"),
        ("notes.txt", "是一个文件，不是文件夹"),
        ("content", "就是内容目录或包含内容目录"),
        (".", "就是内容目录或包含内容目录"),
        ("content/public", "位于内容目录之内"),
        ("content/new/public", "位于内容目录之内"),
        ("notes.txt/public", "是文件，不是文件夹"),
    ] {
        let (ok, err) = run(output);
        assert!(!ok && err.contains(why), "{output}: {err}");
        assert!(err.contains("未生成网站"), "{output}: {err}");
        assert_eq!((listing(), tree(&ws.content())), before, "{output}");
    }
    assert_eq!(fs::read_to_string(ws.dir.path().join("docs/report.txt")).unwrap(), "important");
    // an empty folder, and a site gongbao made, are built into
    fs::create_dir(ws.dir.path().join("empty")).unwrap();
    assert!(run("empty").0);
    assert!(run("empty").0, "a site gongbao made is rebuilt");
    fs::remove_file(ws.dir.path().join("empty/search/build.js")).unwrap();
    assert!(run("empty").0, "with its build cache beside it, even without build.js");
    let mut fresh = Workspace::new(&fixture("site"));
    fresh.build_ok();
    assert_eq!(tree(&ws.dir.path().join("empty")), tree(&fresh.public()));
    fresh.dir = tempfile::tempdir().unwrap();
}

/// An output given as a symbolic link stays a link: the folder it points to is what each build
/// replaces, and a failed build writes nothing through it.
#[test]
fn an_output_that_is_a_symbolic_link_is_built_where_it_points() {
    let ws = Workspace::new(&fixture("site"));
    fs::create_dir(ws.dir.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real", ws.public()).unwrap();
    let mut fresh = Workspace::new(&fixture("site"));
    fresh.build_ok();
    for _ in 0..3 {
        ws.build_ok();
        assert!(fs::symlink_metadata(ws.public()).unwrap().file_type().is_symlink());
        assert_eq!(tree(&ws.dir.path().join("real")), tree(&fresh.public()));
        assert!(!ws.dir.path().join(".public.prev").exists(), "the folders beside are the real folder's");
    }
    let good = tree(&ws.dir.path().join("real"));
    ws.edit("2022/02/p003.md", "建立联席会议制度。", "建立联席会议制度。\n\n详见[旧文](../01/p009.html)。");
    assert!(ws.build_err().contains("链接 ../01/p009.html 无效"));
    assert_eq!(tree(&ws.dir.path().join("real")), good);
    for prev in [".real.prev", ".public.prev"] {
        if let Ok(m) = fs::symlink_metadata(ws.dir.path().join(prev)) {
            assert!(!m.file_type().is_symlink(), "{prev}");
        }
    }
    fs::remove_file(ws.public()).unwrap();
    std::os::unix::fs::symlink("nowhere", ws.public()).unwrap();
    assert!(ws.build_err().contains("指向的位置不存在"));
    fresh.dir = tempfile::tempdir().unwrap();
}
