//! Incremental builds: unchanged files are reused from the previous output, and the result is
//! byte-identical to a full build after edits, additions and deletions.

mod common;

use common::*;
use std::process::Command;

fn build(ws: &Workspace, output: &str, full: bool) -> String {
    run_build(ws, output, if full { &["--full"] } else { &[] })
}

/// Runs `gongbao build` into `output` with `args`; its summary.
fn run_build(ws: &Workspace, output: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gongbao"))
        .current_dir(ws.dir.path())
        .args(["build", "--content", "content", "--output", output])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn reused(summary: &str) -> usize {
    let after = summary.split("其中 ").nth(1).unwrap();
    after.split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn an_incremental_build_equals_a_full_build_after_edits_additions_and_deletions() {
    let ws = Workspace::new(&repo().join("content"));
    let first = build(&ws, "public", false);
    assert_eq!(reused(&first), 0, "nothing to reuse the first time: {first}");
    let again = build(&ws, "public", false);
    let total: usize = again.split("输出 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert_eq!(reused(&again), total, "an unchanged site reuses every file: {again}");

    // Edit one body, add a document to a later issue, delete another document.
    ws.edit("2022/02/p036.md", "安全隐患", "安全隐患（已修订）");
    copy_dir(&fixture("later-issue"), &ws.content());
    std::fs::remove_file(ws.content().join("2022/02/p061.md")).unwrap();

    let incremental = build(&ws, "public", false);
    assert!(reused(&incremental) > 0, "{incremental}");
    assert_same_as_full(&ws, "edits, additions and deletions");
    assert!(!ws.public().join("2022/02/p061.html").exists(), "a deleted document's page is gone");
    assert!(ws.read("2022/02/p036.html").contains("安全隐患（已修订）"));
    // and the build says where it still is, and how to clear it (a full build does: no word then)
    let told = incremental.lines().find(|l| l.starts_with("提示：上次生成的 2022/02/p061.html 已撤下；其页面仍在 ")).expect(&incremental);
    assert!(told.contains("/.public.prev，正文仍在 ") && told.contains("/.public.cache（输出目录旁的隐藏文件夹）"), "{told}");
    assert!(incremental.contains("请加 --full 再生成一次予以清除"), "{incremental}");
    // notes come before the list of numbers cited from outside, which may be long
    assert!(incremental.find("\n提示：").unwrap() < incremental.find("\n引用了").unwrap(), "{incremental}");
    assert!(!build(&ws, "public", false).contains("撤下"), "told once");
}

/// A body edited, a title corrected, a recent document withdrawn: the search index is updated
/// in place; `--full` builds it anew. The output is the same bytes either way (files a rebuild
/// makes alike are linked), so only the build's own account tells them apart.
#[test]
fn corrections_update_the_search_index_in_place() {
    let ws = Workspace::new(&repo().join("content"));
    let timed = |args: &[&str]| run_build(&ws, "public", &[&["--timings"], args].concat());
    let anew = "检索索引重新生成";
    let in_place = "检索索引在上次的索引上更新";
    assert!(timed(&[]).contains(anew), "nothing to update the first time");
    ws.edit("2022/02/p036.md", "组长：刘占强", "组长：刘占强（已修订）");
    let edited = timed(&[]);
    assert!(edited.contains(in_place), "{edited}");
    ws.edit("2022/02/p036.md", "title = \"", "title = \"（更正）");
    let retitled = timed(&[]);
    assert!(retitled.contains(in_place), "{retitled}");
    assert_same_as_full(&ws, "a title corrected");
    // the third newest of the issue: the two after it move
    std::fs::remove_file(ws.content().join("2022/02/p061.md")).unwrap();
    let removed = timed(&[]);
    assert!(removed.contains(in_place), "{removed}");
    assert_same_as_full(&ws, "a recent document withdrawn");
    ws.edit("2022/02/p036.md", "刘占强（已修订）", "刘占强（再次修订）");
    assert!(timed(&["--full"]).contains(anew));
    assert_same_as_full(&ws, "a body edited after --full");
}

/// `--full` over an existing output makes every file anew, but links those whose bytes come out
/// as the output has them instead of writing them: the output it leaves behind as the
/// generation before then differs only where something changed, and the next rebuild takes it
/// up (writing 9,473 files anew made that rebuild take 1.0 s at 1×, against 0.09 s). A page
/// changed by hand, even to the same length, is written anew.
#[test]
fn a_full_build_links_the_files_whose_bytes_it_would_write_again() {
    let ws = Workspace::new(&repo().join("content"));
    build(&ws, "public", false);
    let page = ws.public().join("2022/02/p036.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let by_hand = html.replacen("安全隐患", "安全问题", 1);
    assert_eq!(by_hand.len(), html.len());
    std::fs::write(&page, by_hand).unwrap();
    let full = build(&ws, "public", true);
    let total: usize = full.split("输出 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert_eq!(reused(&full), total - 1, "all but the page changed by hand: {full}");
    assert_eq!(std::fs::read_to_string(&page).unwrap(), html);
    ws.edit("2022/02/p036.md", "组长：刘占强", "组长：刘占强（已修订）");
    build(&ws, "public", false);
    assert_same_as_full(&ws, "a body edited after --full over an output");
}

/// A build from nothing leaves the output's twin beside it as the generation before, every
/// file of it a second link to the output's own, and the first rebuild takes that up as its
/// staging folder, as a later rebuild takes up the generation before, rather than link the
/// whole output into a fresh one.
#[test]
#[cfg(target_os = "linux")] // the twin is made by folder descriptors
fn the_first_rebuild_after_a_build_from_nothing_takes_up_the_twin_it_left() {
    use std::os::unix::fs::MetadataExt;
    let ws = Workspace::new(&repo().join("content"));
    build(&ws, "public", false);
    let twin = ws.dir.path().join(".public.prev");
    let output = tree(&ws.public());
    assert_eq!(tree(&twin), output, "the twin holds the output's files");
    let inode = |path: &std::path::Path| std::fs::metadata(path).unwrap().ino();
    for (path, _) in &output {
        assert_eq!(inode(&twin.join(path)), inode(&ws.public().join(path)), "{path} is a copy, not the output's own file");
    }
    let twin_folder = inode(&twin);
    ws.edit("2022/02/p036.md", "组长：刘占强", "组长：刘占强（已修订）");
    build(&ws, "public", false);
    assert_eq!(inode(&ws.public()), twin_folder, "the rebuild made a fresh staging folder");
    assert_same_as_full(&ws, "the first rebuild after a build from nothing");
    // The output removed by hand, the generation before it left: a build links its files
    // where the bytes are the same, keeps it as the generation before, and the next rebuild
    // takes it up.
    let left = inode(&twin);
    std::fs::remove_dir_all(ws.public()).unwrap();
    let summary = build(&ws, "public", false);
    assert_eq!(inode(&twin), left, "the generation left was removed");
    let kept: std::collections::HashMap<String, Vec<u8>> = tree(&twin).into_iter().collect();
    let same: Vec<String> = tree(&ws.public()).into_iter().filter(|(path, bytes)| kept.get(path) == Some(bytes)).map(|(path, _)| path).collect();
    assert!(same.len() > 30, "{same:?}");
    assert_eq!(reused(&summary), same.len(), "every file with the same bytes linked from what was left: {summary}");
    for path in &same {
        assert_eq!(inode(&twin.join(path)), inode(&ws.public().join(path)), "{path} was written anew");
    }
    assert_same_as_full(&ws, "a build after the output was removed");
    ws.edit("2022/02/p036.md", "组长：刘占强（已修订）", "组长：刘占强（再次修订）");
    build(&ws, "public", false);
    assert_eq!(inode(&ws.public()), left, "the rebuild after the output was removed made a fresh staging folder");
    assert_same_as_full(&ws, "the first rebuild after the output was removed");
}

/// Builds with `--timings`; returns how many bodies the build read.
fn bodies_read(ws: &Workspace) -> usize {
    let summary = run_build(ws, "public", &["--timings"]);
    let line = summary.lines().find_map(|l| l.trim().strip_prefix("读取正文 ")).unwrap_or_else(|| panic!("no count of bodies read: {summary}"));
    line.split(' ').next().unwrap().parse().unwrap()
}

/// The output equals a full build of the same content.
fn assert_same_as_full(ws: &Workspace, what: &str) {
    let _ = std::fs::remove_dir_all(ws.dir.path().join("full"));
    build(ws, "full", true);
    let (a, b) = (tree(&ws.public()), tree(&ws.dir.path().join("full")));
    assert_eq!(a.iter().map(|(p, _)| p).collect::<Vec<_>>(), b.iter().map(|(p, _)| p).collect::<Vec<_>>(), "{what}: same files");
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{what}: {path} differs between the incremental and the full build");
    }
}

/// A rebuild reads only the front matter of a source file stamped as the previous build found
/// it, but any change to the file, even one that keeps its length and sets its modification
/// time back (`cp -p`, `rsync -t`), is read.
#[test]
#[cfg(target_os = "linux")] // elsewhere every file is read (see `Stamp::trusted_on`)
fn a_rebuild_reads_the_bodies_of_changed_files_only() {
    let ws = Workspace::new(&repo().join("content"));
    let docs = walk_md(&ws.content());
    // Files changed within two seconds before a build are read by the next one all the same
    // (their times could hide a second change): let the copies settle first.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(bodies_read(&ws), docs, "the first build reads every body");
    assert_eq!(bodies_read(&ws), 0, "an unchanged site is built from the front matter and the cache");
    assert_same_as_full(&ws, "unchanged");

    // The same length, the same modification time: only the status-change time tells.
    let file = ws.content().join("2022/02/p036.md");
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("安全隐患"));
    std::fs::write(&file, text.replace("安全隐患", "安全问题")).unwrap();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(modified).unwrap();
    let read = bodies_read(&ws);
    assert!((1..docs).contains(&read), "the changed body is read, few others: {read}");
    assert!(ws.read("2022/02/p036.html").contains("安全问题"));
    assert_same_as_full(&ws, "a body changed in place");
    // Changed within two seconds before the last build: read again, the others not.
    assert_eq!(bodies_read(&ws), 1, "a file changed just before the previous build is read again");

    // Messages about a file that was not read still point at its lines: a new document that
    // takes the number of an unchanged one.
    add_issue(&ws, "惠政办发〔2022〕27号");
    let line = std::fs::read_to_string(ws.content().join("2022/02/p007.md")).unwrap().lines().position(|l| l.contains("惠政办发〔2022〕27号")).unwrap() + 1;
    let err = ws.build_err();
    assert!(err.contains(&format!("2022/02/p007.md:{line} 已使用")), "{err}");

    // A number the archive gains is looked for again only in the bodies with a candidate that
    // ends as it does (〔2021〕35号): p007, which cites it, is scanned again, the others not.
    // (Read besides: the new document's body, and p003 and p017, whose pages show p007 as
    // their neighbour and so what it cites.) Settled first: p036 changed just before the
    // builds above, and is read until a build begins two seconds after.
    std::fs::remove_dir_all(ws.content().join("2022/03")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    bodies_read(&ws);
    add_issue(&ws, "宁政办发〔2021〕35号");
    assert_eq!(bodies_read(&ws), 4, "the new document's, the citing one's and its neighbours' bodies");
    assert!(ws.read("2022/02/p007.html").contains("href=\"../../2022/03/p001.html\""), "the citing page links it");
    assert_same_as_full(&ws, "a number added");
    // A document whose number no body has a candidate for: its body is read, and p001's,
    // whose page shows it as the next one, no other. (Each step settled first, as above.)
    let settle = || {
        std::thread::sleep(std::time::Duration::from_millis(2100));
        bodies_read(&ws);
    };
    settle();
    ws.write("2022/03/p002.md", "+++\ntitle = \"又一份文件\"\nnumber = \"惠政办发〔2099〕1号\"\nissuer = \"惠农区人民政府办公室\"\ndate = \"2022-09-02\"\nsection = \"文件\"\npage = 2\n+++\n正文。\n");
    assert_eq!(bodies_read(&ws), 2, "no other body is scanned again");
    assert_same_as_full(&ws, "a number no body cites added");
    // and when it goes, only p001's page changes
    settle();
    std::fs::remove_file(ws.content().join("2022/03/p002.md")).unwrap();
    assert_eq!(bodies_read(&ws), 1);
    assert_same_as_full(&ws, "that number removed");
}

/// A print PDF stamped as the previous build found it is taken from the previous output
/// unread; any change to it, even one that keeps its length and modification time, is copied.
#[test]
#[cfg(target_os = "linux")] // elsewhere every file is read (see `Stamp::trusted_on`)
fn a_print_pdf_unchanged_since_the_last_build_is_not_read_again() {
    let ws = Workspace::new(&repo().join("content"));
    let source = ws.content().join("2022/02/print.pdf");
    let pdf = |fill: u8| b"%PDF-1.4\n".iter().copied().chain(std::iter::repeat_n(fill, 50_000)).collect::<Vec<u8>>();
    std::fs::write(&source, pdf(b'a')).unwrap();
    ws.edit("2022/02/issue.toml", "date = \"2022-07\"", "date = \"2022-07\"\npdf = \"print.pdf\"");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    build(&ws, "public", false);
    let output = ws.public().join("2022/02/gongbao-2022-02.pdf");
    assert_eq!(std::fs::read(&output).unwrap(), pdf(b'a'));

    // Not read: a copy changed by hand in the output stays (the build links the file).
    std::fs::remove_file(&output).unwrap();
    std::fs::write(&output, pdf(b'b')).unwrap();
    build(&ws, "public", false);
    assert_eq!(std::fs::read(&output).unwrap(), pdf(b'b'), "the unchanged source is not copied again");

    // The same length, the modification time set back: the status-change time tells.
    let modified = std::fs::metadata(&source).unwrap().modified().unwrap();
    std::fs::write(&source, pdf(b'c')).unwrap();
    std::fs::File::options().write(true).open(&source).unwrap().set_modified(modified).unwrap();
    // settled again before the build, so that only its stamp can tell
    std::thread::sleep(std::time::Duration::from_millis(2100));
    build(&ws, "public", false);
    assert_eq!(std::fs::read(&output).unwrap(), pdf(b'c'), "the changed source is copied");
    assert_same_as_full(&ws, "a print PDF replaced");
}

fn walk_md(dir: &std::path::Path) -> usize {
    walkdir::WalkDir::new(dir).into_iter().filter_map(|e| e.ok()).filter(|e| e.path().extension().is_some_and(|x| x == "md") && e.path().parent() != Some(dir)).count()
}

/// Adds issue 2022/03 with one document numbered `number`.
fn add_issue(ws: &Workspace, number: &str) {
    ws.write("2022/03/issue.toml", "year = 2022\nnumber = 3\ndate = \"2022-09\"\nsections = [\"文件\"]\n");
    let meta = format!("title = \"后来的文件\"\nnumber = \"{number}\"\nissuer = \"惠农区人民政府办公室\"\ndate = \"2022-09-01\"\nsection = \"文件\"\npage = 1");
    ws.write("2022/03/p001.md", &format!("+++\n{meta}\n+++\n正文。\n"));
}

/// After each change, an incremental build and a full build of the same content give the same
/// tree: the build cache re-renders exactly what a change reaches.
#[test]
fn the_build_cache_remakes_what_each_kind_of_change_reaches() {
    let ws = Workspace::new(&repo().join("content"));
    build(&ws, "public", false);
    // a second build: the next one takes up the generation before, whose files have no hand edit
    build(&ws, "public", false);
    let same_as_full = |what: &str| {
        build(&ws, "public", false);
        assert_same_as_full(&ws, what);
    };

    // A page whose inputs did not change is taken from the previous output, not made again:
    // even a hand edit there survives, until --full (the folder's time tells the build that
    // the output's file is no longer the generation before's).
    let page = ws.public().join("2022/02/p007.html");
    let original = std::fs::read_to_string(&page).unwrap();
    std::fs::remove_file(&page).unwrap(); // the build links the file: do not write through the link
    std::fs::write(&page, original.replace("</body>", "<!-- 手工修改 --></body>")).unwrap();
    build(&ws, "public", false);
    assert!(ws.read("2022/02/p007.html").contains("手工修改"));
    build(&ws, "public", true);
    assert!(!ws.read("2022/02/p007.html").contains("手工修改"));

    // A page removed from the output by hand is made again, though nothing it shows changed:
    // by the first build after a full one (a fresh staging folder) and by a later one (the
    // generation before taken up).
    for _ in 0..2 {
        std::fs::remove_file(&page).unwrap();
        same_as_full("a page removed from the output");
        assert!(page.is_file());
    }
    // The hand edits below are seen after a full build too, whose generation before (all of it
    // differing) the next build takes up, linking every file it keeps from the output.
    build(&ws, "public", true);

    // The home page too, until what it shows changes (a new issue, below), and the open data,
    // made from the front matter and the citations, not the bodies.
    let hand_edit = |path: &str, mark: &str| {
        let file = ws.public().join(path);
        let original = std::fs::read_to_string(&file).unwrap();
        std::fs::remove_file(&file).unwrap();
        std::fs::write(&file, original.replacen(mark, &format!("{mark} 手工修改"), 1)).unwrap();
        move || {
            std::fs::remove_file(&file).unwrap();
            std::fs::write(&file, original).unwrap();
        }
    };
    let home = hand_edit("index.html", "<body");
    let data = hand_edit("data/documents.json", "[");

    ws.edit("2022/02/p036.md", "组长：刘占强", "组长：刘占强（已修订）");
    build(&ws, "public", false);
    assert!(ws.read("index.html").contains("手工修改"), "a body edit does not make the home page again");
    assert!(ws.read("data/documents.json").contains("手工修改"), "nor the open data");
    assert!(ws.read("2022/02/p036.html").contains("刘占强（已修订）"));
    home();
    data();
    same_as_full("a body edited");
    ws.edit("2022/02/p036.md", "安全隐患", "安全隐患（已修订）");
    same_as_full("a title edited");
    ws.edit("2022/02/p007.md", "title = \"惠农区人民政府办公室关于印发", "title = \"惠农区人民政府办公室关于印发修订后的");
    same_as_full("a title edited: its neighbours link it by title");
    assert!(ws.read("2022/02/p003.html").contains("关于印发修订后的") && ws.read("2022/02/p017.html").contains("关于印发修订后的"));

    // An issue.toml is read again once changed (an unchanged one is taken from the cache).
    ws.edit("2022/02/issue.toml", "date = \"2022-07\"", "date = \"2022-07\"\ntotal_number = 118");
    same_as_full("an issue.toml edited");
    assert!(ws.read("2022/02/index.html").contains("总第118期"));

    // p007 cites 宁政办发〔2021〕35号, which the archive lacks until this issue comes.
    add_issue(&ws, "宁政办发〔2021〕35号");
    same_as_full("a cited number added");
    assert!(ws.read("2022/02/p007.html").contains("href=\"../../2022/03/p001.html\""), "the citing page links the new document");
    std::fs::remove_dir_all(ws.content().join("2022/03")).unwrap();
    same_as_full("the cited number removed again");
    // A number only the rendered text shows whole (the Markdown escapes its brackets): the
    // scan of the sources misses it, the page's link depends on it all the same.
    ws.edit("2022/02/p036.md", "（此件公开发布）", "（此件公开发布，见惠政办发\\[2022\\]99号）");
    same_as_full("a citation written with escapes");
    add_issue(&ws, "惠政办发〔2022〕99号");
    same_as_full("the number it cites added");
    assert!(ws.read("2022/02/p036.html").contains("href=\"../../2022/03/p001.html\""), "the citing page links it");
    std::fs::remove_dir_all(ws.content().join("2022/03")).unwrap();
    same_as_full("and removed");
    assert!(!ws.public().join("2022/03").exists(), "the removed issue's folder is gone too");

    ws.edit("2022/02/issue.toml", "宋文祥", "宋文祥（代）");
    same_as_full("an issue's masthead edited");
    ws.edit("site.toml", "name = \"石嘴山市惠农区人民政府公报\"", "name = \"惠农区人民政府公报\"");
    same_as_full("the site renamed");
    ws.edit("site.toml", "name = \"惠农区人民政府公报\"", "theme = \"x\"\nname = \"惠农区人民政府公报\"");
    ws.write("../themes/x/static/extra.css", "p { color: black }\n");
    same_as_full("a theme chosen");
    std::fs::remove_file(ws.content().join("2022/02/p061.md")).unwrap();
    same_as_full("a document deleted");
}

/// The cache only ever saves work: where it cannot be written, the texts the search index
/// would read back from it are held instead, and the site is the same.
#[test]
fn a_cache_that_cannot_be_written_changes_nothing_but_the_next_builds_speed() {
    let ws = Workspace::new(&repo().join("content"));
    build(&ws, "full", true);
    std::fs::write(ws.dir.path().join(".public.cache"), "a file where the cache folder goes").unwrap();
    let summary = build(&ws, "public", false);
    assert!(summary.contains("未能写入生成缓存"), "{summary}");
    assert!(tree(&ws.public()) == tree(&ws.dir.path().join("full")), "the site differs when the cache cannot be written");
    assert!(ws.read("search/meta.js").len() > 1000);
}

/// A build that replaces an output the cache does not describe (after `--full`, or without a
/// cache, as a new gongbao binary's first build) lists that output, so that the next build,
/// taking it up, removes what it holds and the site no longer does: the page of a document
/// withdrawn in that build.
#[test]
fn a_rebuild_after_a_full_build_or_one_without_a_cache_equals_a_full_build() {
    for (what, full) in [("without a cache", false), ("--full", true)] {
        let ws = Workspace::new(&repo().join("content"));
        build(&ws, "public", false);
        build(&ws, "public", false);
        if !full {
            std::fs::remove_dir_all(ws.dir.path().join(".public.cache")).unwrap();
        }
        // in that build, a document withdrawn (its page goes) and another edited
        std::fs::remove_file(ws.content().join("2022/02/p061.md")).unwrap();
        ws.edit("2022/02/p036.md", "组长：刘占强", "组长：刘占强（已修订）");
        let summary = build(&ws, "public", full);
        if !full {
            assert!(reused(&summary) > 0, "files made alike are linked from the output");
        }
        ws.edit("2022/02/p036.md", "刘占强（已修订）", "刘占强（再次修订）");
        build(&ws, "public", false);
        assert!(!ws.public().join("2022/02/p061.html").exists(), "{what}: the withdrawn page is gone");
        assert_same_as_full(&ws, &format!("a rebuild after a build {what}"));
    }
}

/// A file put into the output by hand is not part of the site a build makes: it is gone after
/// the next build, and it does not come back with the generation before, which still held it.
#[test]
fn files_added_to_the_output_by_hand_stay_gone() {
    let ws = Workspace::new(&repo().join("content"));
    build(&ws, "public", false);
    build(&ws, "public", false);
    std::fs::write(ws.public().join("google0123456789.html"), "google-site-verification").unwrap();
    std::fs::create_dir(ws.public().join("verify")).unwrap();
    std::fs::write(ws.public().join("verify/key.txt"), "key").unwrap();
    for n in 1..=3 {
        ws.edit("2022/02/p036.md", "组长：刘占强", "组长：刘占强（修订）");
        build(&ws, "public", false);
        assert!(!ws.public().join("google0123456789.html").exists(), "build {n} after: the file added by hand is gone");
        assert!(!ws.public().join("verify").exists(), "build {n} after: the folder added by hand is gone");
    }
    assert_same_as_full(&ws, "files added by hand, three builds later");
}

/// An update of the search index reads the shards it edits back from the output: one changed
/// there since (by hand, or damaged on disk) is not edited, carrying the change into the file
/// written anew, but the index is built anew, and the site equals a full build.
#[test]
fn a_search_shard_changed_in_the_output_is_not_carried_into_the_next_index() {
    let ws = Workspace::new(&repo().join("content"));
    run_build(&ws, "public", &[]);
    // a bit flipped in the middle of every shard's text, in place (folder times unchanged)
    for entry in std::fs::read_dir(ws.public().join("search/t")).unwrap() {
        let path = entry.unwrap().path();
        let mut bytes = std::fs::read(&path).unwrap();
        let i = (bytes.len() / 2) & !1;
        bytes[i] ^= 1;
        std::fs::OpenOptions::new().write(true).open(&path).and_then(|mut f| std::io::Write::write_all(&mut f, &bytes)).unwrap();
    }
    ws.edit("2022/02/p060.md", "issuer = \"惠农区人民政府办公室\"", "issuer = \"惠农区人民政府\"");
    let rebuilt = run_build(&ws, "public", &["--timings"]);
    assert!(rebuilt.contains("检索索引重新生成"), "{rebuilt}");
    assert_same_as_full(&ws, "a shard changed by hand, then an edit that reaches it");
}
