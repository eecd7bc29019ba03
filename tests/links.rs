//! Internal links: the build refuses broken ones, and `gongbao check` finds them in a built site.

mod common;

use common::*;
use std::fs;
use std::process::Command;

#[test]
fn a_broken_link_in_a_document_fails_the_build_naming_file_line_and_link() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/p003.md", "建立联席会议制度。", "建立联席会议制度。\n\n详见[附件](p001.html#fujian)和[第五条](p001.html#第五条)，以及[旧文](../01/p009.html)。");
    let err = ws.build_err();
    assert!(err.contains("content/2022/02/p003.md:12: 链接 p001.html#第五条 无效：2022/02/p001.html 中没有锚点 #第五条"), "{err}");
    assert!(err.contains("content/2022/02/p003.md:12: 链接 ../01/p009.html 无效：文件 2022/01/p009.html 不存在"), "{err}");
    assert!(!err.contains("#fujian"), "a link to an existing anchor is fine: {err}");
    assert!(!ws.public().exists());
    // the Markdown linked for the page, and a page of the root linked as if beside this one:
    // told how to write them
    ws.edit("2022/02/p003.md", "以及[旧文](../01/p009.html)。", "以及[通知](p001.md)、[文号索引](wenhao.html)。");
    let err = ws.build_err();
    assert!(err.contains("链接 p001.md 无效：链接的是文件的 Markdown 源文件 2022/02/p001.md，它不随网站发布：请把 .md 改为 .html，链接其网页 2022/02/p001.html"), "{err}");
    assert!(err.contains("链接 wenhao.html 无效：文件 2022/02/wenhao.html 不存在：网站根目录的 wenhao.html 从本页应写作 ../../wenhao.html"), "{err}");
}

/// A picture or a file attached to a document, put beside it in the content folder, is
/// published where the link says; rebuilds keep it, take a new version, and drop it with the
/// link, as a full build would; a link to one that is missing, or to what a browser would run,
/// names the file and line and where to put it.
#[test]
fn pictures_and_attachments_beside_a_document_are_published_with_it() {
    let ws = Workspace::new(&fixture("site"));
    let picture = b"\x89PNG\r\n\x1a\n a picture".to_vec();
    fs::create_dir_all(ws.content().join("2022/02/images")).unwrap();
    fs::write(ws.content().join("2022/02/images/photo-1.png"), &picture).unwrap();
    fs::write(ws.content().join("2022/02/附件1.xlsx"), b"PK\x03\x04 a spreadsheet").unwrap();
    ws.edit("2022/02/p003.md", "建立联席会议制度。", "建立联席会议制度。\n\n![现场照片](images/photo-1.png)\n\n附件：[成员名单](附件1.xlsx)");
    ws.build_ok();
    assert_eq!(fs::read(ws.public().join("2022/02/images/photo-1.png")).unwrap(), picture);
    assert_eq!(fs::read(ws.public().join("2022/02/附件1.xlsx")).unwrap(), b"PK\x03\x04 a spreadsheet");
    let page = ws.read("2022/02/p003.html");
    assert!(page.contains("<img src=\"images/photo-1.png\" alt=\"现场照片\" />"), "{page}");
    assert!(page.contains("<a href=\"%E9%99%84%E4%BB%B61.xlsx\">成员名单</a>"), "{page}");

    let full = |ws: &Workspace| {
        let other = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_gongbao")).args(["build", "--full", "--content"]).arg(ws.content()).arg("--output").arg(other.path().join("public")).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        tree(&other.path().join("public"))
    };
    // unchanged, then a new version of the picture, then the link removed: as a full build
    std::thread::sleep(std::time::Duration::from_millis(2100)); // past FAT's time resolution: stamps trusted
    ws.build_ok();
    assert_eq!(tree(&ws.public()), full(&ws));
    fs::write(ws.content().join("2022/02/images/photo-1.png"), b"\x89PNG\r\n\x1a\n another").unwrap();
    ws.build_ok();
    assert_eq!(fs::read(ws.public().join("2022/02/images/photo-1.png")).unwrap(), b"\x89PNG\r\n\x1a\n another");
    assert_eq!(tree(&ws.public()), full(&ws));
    ws.edit("2022/02/p003.md", "![现场照片](images/photo-1.png)", "");
    ws.build_ok();
    assert!(!ws.public().join("2022/02/images").exists());
    assert_eq!(tree(&ws.public()), full(&ws));

    // missing, or of a kind that is not published (a source, a page, a script in an SVG)
    fs::write(ws.content().join("2022/02/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>").unwrap();
    ws.edit("2022/02/p003.md", "附件：[成员名单](附件1.xlsx)", "附件：[成员名单](附件2.xlsx)\n\n![标志](logo.svg)\n\n[源文件](p001.md)");
    let err = ws.build_err();
    assert!(err.contains("content/2022/02/p003.md:14: 链接 附件2.xlsx 无效：文件 2022/02/附件2.xlsx 不存在：图片和附件（jpg、png、pdf、docx、xlsx 等）放在内容目录中的 2022/02/附件2.xlsx，即随文件发布"), "{err}");
    assert!(err.contains("无效：内容目录中的 2022/02/logo.svg 不随文件发布：可链接的只有图片和附件（png、jpg"), "{err}");
    assert!(err.contains("无效：链接的是文件的 Markdown 源文件 2022/02/p001.md，它不随网站发布：请把 .md 改为 .html"), "{err}");
    assert!(!ws.public().join("2022/02/logo.svg").exists());

    // written with other capitals than the file has (as Windows would find it): named
    fs::create_dir_all(ws.content().join("2022/02/images")).unwrap();
    fs::write(ws.content().join("2022/02/images/photo-2.jpg"), b"\xff\xd8 a photo").unwrap();
    ws.edit("2022/02/p003.md", "[成员名单](附件2.xlsx)", "[成员名单](附件1.XLSX)![照片](Images/Photo-2.JPG)");
    let err = ws.build_err();
    for (link, file) in [("附件1.XLSX", "附件1.xlsx"), ("Images/Photo-2.JPG", "images/photo-2.jpg")] {
        assert!(err.contains(&format!("链接 {link} 无效：内容目录中的 2022/02/{link} 不存在，但有 2022/02/{file}：网址区分大小写")), "{link}: {err}");
    }
    ws.edit("2022/02/p003.md", "[成员名单](附件1.XLSX)![照片](Images/Photo-2.JPG)", "[成员名单](附件2.xlsx)");

    // hidden, or in a hidden folder (which the loader's check of symbolic links passes over,
    // as it passes over all that is hidden): refused
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.txt"), "not the site's").unwrap();
    std::os::unix::fs::symlink(outside.path(), ws.content().join("2022/02/.hidden")).unwrap();
    fs::write(ws.content().join("2022/02/.draft.pdf"), "%PDF draft").unwrap();
    ws.edit("2022/02/p003.md", "[源文件](p001.md)", "[乙](.hidden/secret.txt)[丙](.draft.pdf)");
    let err = ws.build_err();
    for hidden in [".hidden/secret.txt", ".draft.pdf"] {
        assert!(err.contains(&format!("内容目录中的 2022/02/{hidden} 是隐藏文件或在隐藏文件夹中")), "{hidden}: {err}");
    }
}

/// A rebuild takes most pages from the previous output without checking their links to files
/// again: the build that made them found those files. So a change that removes a file, or an
/// anchor, that a reused page links to must still fail the build.
#[test]
fn a_rebuild_refuses_links_of_reused_pages_that_a_change_broke() {
    let ws = Workspace::new(&fixture("site"));
    // a later issue, whose second page links into 2022/02 and is made again by nothing below
    ws.write("2022/03/issue.toml", "year = 2022\nnumber = 3\ndate = \"2022-09\"\nsections = [\"文件\"]\n");
    for (page, body) in [(1, "正文。"), (2, "详见[附件](../02/p001.html#fujian)和[另文](../02/p003.html)。")] {
        let meta = format!("title = \"后来的文件{page}\"\nissuer = \"惠农区人民政府办公室\"\ndate = \"2022-09-0{page}\"\nsection = \"文件\"\npage = {page}");
        ws.write(&format!("2022/03/p00{page}.md"), &format!("+++\n{meta}\n+++\n{body}\n"));
    }
    // the first build, the first rebuild after it, and a later one (see `output::Staging`)
    for _ in 0..3 {
        ws.build_ok();
    }
    let linking = ws.read("2022/03/p002.html");

    let p003 = std::fs::read_to_string(ws.content().join("2022/02/p003.md")).unwrap();
    std::fs::remove_file(ws.content().join("2022/02/p003.md")).unwrap();
    let err = ws.build_err();
    assert!(err.contains("content/2022/03/p002.md:8: 链接 ../02/p003.html 无效：文件 2022/02/p003.html 不存在"), "{err}");
    ws.write("2022/02/p003.md", &p003);
    ws.build_ok();

    ws.edit("2022/02/p001.md", "## 附件 {#fujian}", "## 附件");
    let err = ws.build_err();
    assert!(err.contains("content/2022/03/p002.md:8: 链接 ../02/p001.html#fujian 无效：2022/02/p001.html 中没有锚点 #fujian"), "{err}");
    assert_eq!(ws.read("2022/03/p002.html"), linking, "the failed builds left the output as it was");
}

#[test]
fn check_follows_where_a_redirect_page_sends_the_reader() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/p003.md", "page = 3\n", "page = 3\naliases = [\"old/2022-25.html\"]\n");
    ws.build_ok();
    let check = || Command::new(env!("CARGO_BIN_EXE_gongbao")).current_dir(ws.dir.path()).args(["check", "public"]).output().unwrap();
    assert!(check().status.success());
    // the refresh edited by hand to a page that is not there, the link below it left alone
    let page = ws.read("old/2022-25.html");
    fs::write(ws.public().join("old/2022-25.html"), page.replace("url=../2022/02/p003.html", "url=../2022/02/p999.html")).unwrap();
    let out = check();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success() && err.contains("public/old/2022-25.html: ../2022/02/p999.html: 文件 2022/02/p999.html 不存在"), "{err}");
    // a built site has no content folder to send a missing picture's author to
    let doc = ws.read("2022/02/p001.html");
    fs::write(ws.public().join("2022/02/p001.html"), doc.replacen("<p id=\"p1\">", "<p id=\"p1\"><img src=\"x.png\" alt=\"\">", 1)).unwrap();
    let err = String::from_utf8(check().stderr).unwrap();
    let line = err.lines().find(|l| l.starts_with("public/2022/02/p001.html: x.png")).expect(&err);
    assert_eq!(line, "public/2022/02/p001.html: x.png: 文件 2022/02/x.png 不存在");
}

#[test]
fn check_reports_exactly_the_links_a_deleted_page_broke() {
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    let check = || Command::new(env!("CARGO_BIN_EXE_gongbao")).current_dir(ws.dir.path()).args(["check", "public"]).output().unwrap();
    let ok = check();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));

    std::fs::remove_file(ws.public().join("2022/02/p003.html")).unwrap();
    let out = check();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let mut reported: Vec<&str> = err.lines().filter(|l| l.starts_with("public/")).collect();
    reported.sort();
    assert_eq!(
        reported,
        [
            "public/2022/02/index.html: ../../2022/02/p003.html: 文件 2022/02/p003.html 不存在",
            "public/2022/02/p001.html: ../../2022/02/p003.html: 文件 2022/02/p003.html 不存在",
            "public/2022/02/p060.html: ../../2022/02/p003.html: 文件 2022/02/p003.html 不存在",
            "public/index.html: 2022/02/p003.html: 文件 2022/02/p003.html 不存在",
            "public/wenhao.html: 2022/02/p003.html: 文件 2022/02/p003.html 不存在",
        ],
        "{err}"
    );
    assert!(err.contains("共 5 个无效链接"));
}

#[test]
fn aliases_become_redirect_pages_and_bad_ones_are_refused() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/p003.md", "page = 3\n", "page = 3\naliases = [\"2022/02/yibao.html\", \"old/2022-25.html\"]\n");
    ws.build_ok();
    let redirect = ws.read("old/2022-25.html");
    assert!(redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=../2022/02/p003.html\">"), "{redirect}");
    assert!(redirect.contains("<a href=\"../2022/02/p003.html\">惠农区人民政府办公室关于建立惠农区医疗保障基金监管联席会议制度的通知</a>"));
    assert!(ws.read("2022/02/yibao.html").contains("url=../../2022/02/p003.html"));

    for (alias, why) in [
        ("/2022/x.html", "应为相对于网站根目录的路径"),
        ("../x.html", "只能用小写英文字母"),
        ("2022/02/X.html", "只能用小写英文字母"),
        ("2022/02/x", "应以 .html 结尾"),
        ("index.html", "与网站自身的文件重名"),
        ("2022/02/p001.html", "与现有页面重名"),
    ] {
        ws.edit("2022/02/p003.md", "aliases = [", &format!("aliases = [\"{alias}\", "));
        let err = ws.build_err();
        assert!(err.contains(alias) && err.contains(why), "{alias}: {err}");
        ws.edit("2022/02/p003.md", &format!("aliases = [\"{alias}\", "), "aliases = [");
    }
    // one alias of two documents: the other is named with its line
    ws.edit("2022/02/p001.md", "page = 1\n", "page = 1\naliases = [\"old/2022-25.html\"]\n");
    let err = ws.build_err();
    let line = |file: &str| fs::read_to_string(ws.content().join(file)).unwrap().lines().position(|l| l.starts_with("aliases")).unwrap() + 1;
    let (p001, p003) = (line("2022/02/p001.md"), line("2022/02/p003.md"));
    assert!(err.contains(&format!("别名「old/2022-25.html」已被 content/2022/02/p001.md:{p001} 使用")) || err.contains(&format!("别名「old/2022-25.html」已被 content/2022/02/p003.md:{p003} 使用")), "{err}");
}

/// The line of a broken link is where it is written as a link, every such line, not the first
/// line that happens to hold its text; in about.md too, and in a file with old Mac line ends.
#[test]
fn each_line_a_broken_link_is_written_on_is_named() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit(
        "2022/02/p003.md",
        "建立联席会议制度。",
        "建立联席会议制度。\n\n文字 nope.html 出现在这里，[about](../../about.html)。\n\n[坏](nope.html)与[别](about.html)\n\n再次[坏](nope.html \"标题\")。\n\n[定义]\n\n[定义]: nope.html",
    );
    ws.write("about.md", "+++\ntitle = \"本刊简介\"\n+++\n简介\n\n见[此](missing.html)。\n");
    let err = ws.build_err();
    for expected in [
        "content/2022/02/p003.md:14: 链接 nope.html 无效",
        "content/2022/02/p003.md:16: 链接 nope.html 无效",
        "content/2022/02/p003.md:20: 链接 nope.html 无效",
        "content/2022/02/p003.md:14: 链接 about.html 无效",
        "content/about.md:6: 链接 missing.html 无效",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!err.contains("p003.md:12:"), "{err}");

    let ws = Workspace::new(&fixture("site"));
    let path = ws.content().join("2022/02/p003.md");
    let text = fs::read_to_string(&path).unwrap().replace("建立联席会议制度。", "建立联席会议制度。\n\n[坏](nope.html)");
    let line = text.lines().position(|l| l == "[坏](nope.html)").unwrap() + 1;
    fs::write(&path, text.replace('\n', "\r")).unwrap();
    let err = ws.build_err();
    assert!(err.contains(&format!("content/2022/02/p003.md:{line}: 链接 nope.html 无效")), "{err}");
}

/// A link to another host written without a scheme would take `file:` from a USB stick and lead
/// nowhere: it is given `https:`.
#[test]
fn a_link_without_a_scheme_to_another_host_gets_https() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/p003.md", "建立联席会议制度。", "建立联席会议制度。\n\n见[中国政府网](//www.gov.cn/zhengce/)。");
    ws.build_ok();
    let page = ws.read("2022/02/p003.html");
    assert!(page.contains("<a href=\"https://www.gov.cn/zhengce/\">中国政府网</a>"), "{page}");
    assert!(!page.contains("\"//www.gov.cn"));
}
