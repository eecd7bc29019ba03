//! Building fixture sites into temp folders and checking what a reader gets.

mod common;

use common::*;
use std::fs;

#[test]
fn fixture_site_builds_every_page() {
    let ws = Workspace::new(&fixture("site"));
    let out = ws.run(&[]);
    assert!(out.status.success(), "build failed:\n{}", String::from_utf8_lossy(&out.stderr));
    // stderr is for errors and warnings only: a clean build leaves it empty
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.contains("2 期、4 篇文件"), "{summary}");
    for page in ["index.html", "about.html", "404.html", "search.html", "2022/02/index.html", "2022/02/p001.html", "2022/02/p003.html", "2022/02/p060.html", "2021/04/index.html", "2021/04/p001.html", "data/documents.json"] {
        assert!(ws.public().join(page).is_file(), "{page} missing");
    }
    for (path, bytes) in tree(&ws.public()) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"), "{path}");
        }
    }
}

#[test]
fn documents_json_lists_documents_in_issue_and_print_order() {
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    let docs: serde_json::Value = serde_json::from_str(&ws.read("data/documents.json")).unwrap();
    let docs = docs.as_array().unwrap();
    let urls: Vec<&str> = docs.iter().map(|d| d["url"].as_str().unwrap()).collect();
    assert_eq!(urls, ["2021/04/p001.html", "2022/02/p001.html", "2022/02/p003.html", "2022/02/p060.html"]);
    let first = &docs[1];
    assert_eq!(first["title"], "惠农区人民政府办公室关于征集2022年度重大行政决策事项的通知");
    assert_eq!(first["number"], "惠政办发〔2022〕8号");
    assert_eq!(first["issuer"], "惠农区人民政府办公室");
    assert_eq!(first["date"], "2022-04-01");
    assert_eq!(first["section"], "惠农区人民政府办公室文件");
    assert_eq!((first["year"].as_u64(), first["issue"].as_u64(), first["page"].as_u64()), (Some(2022), Some(2), Some(1)));
    assert!(docs[3]["number"].is_null(), "大事记 have no number");
}

#[test]
fn every_internal_link_is_relative_and_names_an_existing_file() {
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    let mut checked = 0;
    for (path, bytes) in tree(&ws.public()) {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for link in links(&html) {
            assert!(!link.contains("://") && !link.starts_with("//"), "{path}: external reference {link}");
            if link.starts_with("mailto:") {
                continue;
            }
            let target = link.split('#').next().unwrap().split('?').next().unwrap();
            if target.is_empty() {
                continue; // same-page anchor
            }
            assert!(!target.starts_with('/'), "{path}: absolute link {link}");
            assert!(!target.ends_with('/'), "{path}: link to a folder {link}");
            let resolved = ws.public().join(&path).parent().unwrap().join(target);
            assert!(resolved.is_file(), "{path}: broken link {link}");
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn pages_show_the_printed_toc_and_document_metadata() {
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    let issue = ws.read("2022/02/index.html");
    let order: Vec<usize> = ["【惠农区人民政府办公室文件】", "惠政办发〔2022〕8号", "惠政办发〔2022〕25号", "【惠农区大事记】", "惠农区政府四月份大事记"]
        .iter()
        .map(|s| issue.find(s).unwrap_or_else(|| panic!("issue page lacks {s}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "目录 out of print order: {order:?}");
    // read as 第3页 (an aria-label on a span is not read by every screen reader), seen as 3
    assert!(issue.contains("<span class=\"toc-page\"><span class=\"visually-hidden\">第</span>3<span class=\"visually-hidden\">页</span></span>"));

    let doc = ws.read("2022/02/p003.html");
    for expected in ["<h1 class=\"doc-title\">惠农区人民政府办公室关于建立惠农区医疗保障基金监管联席会议制度的通知</h1>", "<th scope=\"row\">发文字号</th><td>惠政办发〔2022〕25号</td>", "2022年4月11日", "<th scope=\"row\">刊载期次</th><td><a href=\"../../2022/02/index.html\">2022年第2期</a>", "第3页", "此件公开发布", "首页</a> › <a href=\"../../index.html#y2022\">2022年</a> › <a href=\"../../2022/02/index.html\">2022年第2期</a> › ", "上一篇：惠农区人民政府办公室关于征集2022年度重大行政决策事项的通知", "下一篇：惠农区政府四月份大事记"] {
        assert!(doc.contains(expected), "document page lacks {expected}");
    }
    // No 上一篇 across issues: 2021/04/p001 is the last document of its issue.
    assert!(!ws.read("2021/04/p001.html").contains("下一篇"));

    let home = ws.read("index.html");
    let newest = home.find("2022年第2期").unwrap();
    assert!(home.contains("最新一期"), "home shows the newest issue's 目录");
    assert!(newest < home.find("2021年第4期").unwrap(), "issues newest first");
    // each year can be linked, and is reached from its issues' pages; an issue leads to the
    // issues before and after it
    assert!(home.contains("<nav class=\"year-nav\" aria-label=\"按年份\"><a href=\"#y2022\">2022</a><a href=\"#y2021\">2021</a></nav>"), "{home}");
    assert!(home.contains("<h3 class=\"year\" id=\"y2021\">2021年</h3>"));
    assert!(issue.contains("<a href=\"../../index.html#y2022\">2022年</a> › <span aria-current=\"page\">2022年第2期</span>"));
    assert!(issue.contains("<a class=\"prev\" rel=\"prev\" href=\"../../2021/04/index.html\">上一期：2021年第4期</a>") && !issue.contains("下一期"));
    let older = ws.read("2021/04/index.html");
    assert!(older.contains("<a class=\"next\" rel=\"next\" href=\"../../2022/02/index.html\">下一期：2022年第2期</a>") && !older.contains("上一期"));
    // the 文号 index leads to each issuer code's group, by the code itself
    let numbers = ws.read("wenhao.html");
    for code in ["惠政办发", "惠政发"] {
        assert!(numbers.contains(&format!("<li><a href=\"#{code}\">{code}</a>")) && numbers.contains(&format!("<h2 id=\"{code}\">{code}</h2>")), "{numbers}");
    }
}

#[test]
fn a_content_error_names_file_and_line_and_keeps_the_previous_output() {
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    let before = tree(&ws.public());
    ws.edit("2022/02/p003.md", "section = \"惠农区人民政府办公室文件\"", "section = \"不存在的栏目\"");
    let err = ws.build_err();
    assert!(err.contains("content/2022/02/p003.md:6: 栏目「不存在的栏目」不在本期"), "{err}");
    assert_eq!(tree(&ws.public()), before, "a failed build changed public/");
    // the lock, the cache of the last good build, the generation before it (its twin, after
    // a build from nothing) and the empty nurseries (where the file system makes them) stay
    // beside the output
    let kept = [".public.lock", ".public.cache", ".public.prev", ".public.nursery"];
    let leftovers: Vec<_> = fs::read_dir(ws.dir.path()).unwrap().map(|e| e.unwrap().file_name()).filter(|n| !kept.iter().any(|k| n == k)).collect();
    assert_eq!(leftovers.len(), 2, "temporary folders left behind: {leftovers:?}");
    for nursery in fs::read_dir(ws.dir.path().join(".public.nursery")).into_iter().flatten() {
        let nursery = nursery.unwrap().path();
        assert_eq!(fs::read_dir(&nursery).unwrap().count(), 0, "{} left holding a folder", nursery.display());
    }
    let cache: Vec<_> = fs::read_dir(ws.dir.path().join(".public.cache")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(cache.iter().all(|n| !n.to_string_lossy().ends_with(".new")), "{cache:?}");
}

#[test]
fn every_kind_of_bad_content_is_reported_with_file_and_line() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/p003.md", "number = \"惠政办发〔2022〕25号\"", "number = \"惠政办发[2022]8号\"");
    ws.edit("2022/02/p060.md", "page = 60", "page = \"六十\"");
    ws.edit("2021/04/issue.toml", "date = \"2021-12\"", "date = \"2021-13\"");
    ws.write("2022/02/p080.md", "+++\ntitle = \"t\"\nissuer = \"i\"\ndate = \"2022-04-31\"\nsection = \"惠农区大事记\"\npage = 80\n+++\n");
    ws.edit("2021/04/p001.md", "title = ", "titel = ");
    ws.write("2022/02/p070.md", "+++\ntitle = \"x\nissuer = \"y\"\n+++\n");
    // signed after its issue was printed (2022-07): a slip of a key
    ws.edit("2022/02/p001.md", "date = \"2022-", "date = \"2032-");
    fs::write(ws.content().join("2021/04/p020.md"), b"+++\ntitle = \"\xce\xc4\xbc\xfe\"\n+++\n").unwrap();
    let err = ws.build_err();
    for expected in [
        "content/2022/02/p060.md:6: TOML 格式错误：此处应为整数，实为文字 \"六十\"",
        "content/2021/04/issue.toml:3: 日期「2021-13」不存在：没有13月",
        "content/2022/02/p080.md:4: 日期「2022-04-31」不存在：2022年4月没有31日，应写作 2022-04-01 或 2022年4月1日",
        "content/2022/02/p003.md:3: 发文字号「惠政办发[2022]8号」重复：content/2022/02/p001.md:3 已使用",
        "content/2021/04/p001.md:2: 未知字段 `titel`",
        "content/2022/02/p070.md:2: TOML 格式错误",
        "content/2021/04/p020.md:2: 不是 UTF-8 编码",
        "content/2022/02/p001.md:5: 成文日期 2032年4月1日 晚于本期的出版日期（2022年7月）",
        "晚于本期的出版日期（2022年7月）：文件应在刊印之前成文，请核对 date，或 issue.toml 的 date",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!ws.public().exists(), "nothing is written when content is bad");
}

#[test]
fn a_section_without_documents_is_a_warning() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/issue.toml", "\"惠农区大事记\"]", "\"惠农区大事记\", \"人事任免\"]");
    let out = ws.run(&[]);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("警告：content/2022/02/issue.toml: 栏目「人事任免」列在 sections 中，但没有文件的 section 是它：目录中不显示这一栏"), "{err}");
    assert!(!ws.read("2022/02/index.html").contains("人事任免"));
}

#[test]
fn raw_html_in_a_body_is_cleaned_with_a_warning_per_line() {
    let ws = Workspace::new(&fixture("site"));
    ws.write("2022/02/p010.md", "+++\ntitle = \"t\"\nissuer = \"i\"\ndate = \"2021-10-15\"\nsection = \"惠农区大事记\"\npage = 10\n+++\n正文\n\n<script>alert(1)</script>\n\n文字<img src=x onerror=alert(2)>，H<sub>2</sub>O\n\n<p class=MsoNormal>从 Word 粘贴的一段。</p>\n\n<p class=MsoNormal>一块里的第一段，源码在\n此折行。</p>\n<p class=MsoNormal>&nbsp;</p>\n<p class=MsoNormal><span lang=EN-US>　　第二段 with\nEnglish</span></p>\n");
    let out = ws.run(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("警告：content/2022/02/p010.md:10: 已删除不允许的 HTML：<script> 及其内容"), "{err}");
    assert!(err.contains("警告：content/2022/02/p010.md:12: 已删除不允许的 HTML：<img> 及其属性 src onerror"), "{err}");
    assert!(err.contains("警告：content/2022/02/p010.md:14: 已删除不允许的 HTML：<p> 及其属性 class（文字保留）"), "{err}");
    assert!(String::from_utf8(out.stdout).unwrap().contains("有 6 处警告"));
    let page = ws.read("2022/02/p010.html");
    assert!(!page.contains("alert") && !page.contains("<img") && !page.contains("<script>"), "{page}");
    assert!(page.contains("文字，H<sub>2</sub>O"), "{page}");
    // a block of Word's HTML is a paragraph, which can be linked, as any other
    assert!(page.contains("<p id=\"p3\">从 Word 粘贴的一段。<a class=\"anchor\" href=\"#p3\""), "{page}");
    // as is each of several in one block, a line wrapped in the source joined as it shows
    assert!(page.contains("<p id=\"p4\">一块里的第一段，源码在此折行。<a class=\"anchor\" href=\"#p4\""), "{page}");
    assert!(page.contains("<p id=\"p5\">　　第二段 with English<a class=\"anchor\" href=\"#p5\""), "{page}");
    assert!(!page.contains("id=\"p6\""), "Word's empty paragraph is none: {page}");
}

#[test]
fn missing_fields_and_misplaced_files_are_named() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/p003.md", "issuer = \"惠农区人民政府办公室\"\n", "");
    // every field a file lacks, in one build: the date, the page and the sections of an issue
    let p060 = fs::read_to_string(ws.content().join("2022/02/p060.md")).unwrap();
    let strip = |text: &str, keys: &[&str]| text.lines().filter(|l| !keys.iter().any(|k| l.starts_with(&format!("{k} = ")))).map(|l| format!("{l}\n")).collect::<String>();
    ws.write("2022/02/p060.md", &strip(&p060, &["issuer", "date", "page"]));
    let issue = fs::read_to_string(ws.content().join("2021/04/issue.toml")).unwrap();
    ws.write("2021/04/issue.toml", &strip(&issue, &["number", "sections"]));
    ws.write("stray.md", "# 不在期次目录里\n");
    let err = ws.build_err();
    assert!(err.contains("content/2022/02/p003.md:2: 缺少必填字段 `issuer`\n"), "{err}");
    assert!(err.contains("content/2022/02/p060.md:2: 缺少必填字段 `issuer`、`date`、`page`\n"), "{err}");
    assert!(err.contains("content/2021/04/issue.toml:1: 缺少必填字段 `number`、`sections`\n"), "{err}");
    assert!(err.contains("content/stray.md: 位置不对"), "{err}");
}

#[test]
fn same_content_gives_identical_output_whatever_the_thread_count() {
    let ws = Workspace::new(&fixture("site"));
    let out = ws.run(&[("RAYON_NUM_THREADS", "1")]);
    assert!(out.status.success());
    let one = tree(&ws.public());
    let out = ws.run(&[("RAYON_NUM_THREADS", "7")]);
    assert!(out.status.success());
    assert_eq!(tree(&ws.public()), one);
}

#[test]
fn a_site_theme_overrides_default_templates() {
    let ws = Workspace::new(&fixture("site"));
    let theme = ws.dir.path().join("themes/local/templates");
    fs::create_dir_all(&theme).unwrap();
    fs::write(theme.join("about.html"), "{% extends \"base.html\" %}{% block main %}<p>本地主题：{{ page.title }}</p>{% endblock main %}").unwrap();
    fs::write(ws.content().join("site.toml"), fs::read_to_string(ws.content().join("site.toml")).unwrap() + "theme = \"local\"\n").unwrap();
    ws.build_ok();
    assert!(ws.read("about.html").contains("<p>本地主题：本刊简介</p>"));
    assert!(ws.read("index.html").contains("往期公报"), "other templates stay default");
    fs::write(theme.join("about.html"), "{% extends \"base.html\" %}{% block main %}{{ page.title | nosuchfilter }}{% endblock main %}").unwrap();
    // its errors name the template to fix, in the site's theme folder beside the content
    // folder, as the content folder was given (`--content content`)
    let file = "themes/local/templates/about.html";
    assert!(ws.build_err().contains(&format!("模板错误：生成页面时模板 {file} 出错：没有名为 nosuchfilter 的过滤器")));
    // a syntax error is told at its line, in Chinese; a block left open at the line of its start
    fs::write(theme.join("about.html"), "{% extends \"base.html\" %}{% block main %}\n{{ page.title }\n{% endblock main %}").unwrap();
    assert!(ws.build_err().contains(&format!("模板错误：{file}:2:15: 语法错误：此处应为or、and、not、")), "{}", ws.build_err());
    fs::write(theme.join("about.html"), "{% extends \"base.html\" %}{% block main %}\n{% if page.title %}<p>{{ page.title }}</p>\n{% endblock main %}").unwrap();
    assert!(ws.build_err().contains(&format!("模板错误：{file}:2: {{% if %}} 到第 3 行的 {{% endblock %}} 之前没有对应的 {{% endif %}}\n")), "{}", ws.build_err());

    fs::write(ws.content().join("site.toml"), fs::read_to_string(ws.content().join("site.toml")).unwrap().replace("local", "missing")).unwrap();
    assert!(ws.build_err().contains("theme = \"missing\" 不存在"));
}

#[test]
fn base_url_gives_canonical_links_but_pages_stay_relative() {
    let ws = Workspace::new(&fixture("site"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao"))
        .current_dir(ws.dir.path())
        .args(["build", "--base-url", "https://www.huinong.gov.cn/gongbao"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = ws.read("2022/02/p001.html");
    assert!(doc.contains("<link rel=\"canonical\" href=\"https://www.huinong.gov.cn/gongbao/2022/02/p001.html\">"));
    assert!(doc.contains("href=\"../../index.html\""));
    // from the host's root: at any depth, on any host that serves the site at /gongbao/
    let missing = ws.read("404.html");
    assert!(missing.contains("href=\"/gongbao/index.html\"") && missing.contains("href=\"/gongbao/assets/"), "{missing}");
    assert!(!missing.contains("https://www.huinong.gov.cn"), "{missing}");
    // The print view carries the permanent URL as text and as a QR code.
    assert!(doc.contains("<p>本文网址：https://www.huinong.gov.cn/gongbao/2022/02/p001.html</p>"));
    assert!(doc.contains("<svg role=\"img\" aria-label=\"本文网址的二维码\" class=\"qr\""));

    // Without a base_url there is no URL to print.
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    assert!(!ws.read("2022/02/p001.html").contains("class=\"qr\""));
}

/// What would be left out without a word (a document or a whole issue under a name that is not
/// UTF-8 or not `.md`), reach the pages as control characters, or read files outside the site
/// (a theme named by a path) is an error naming the file, and the line where there is one.
#[test]
fn names_and_values_that_would_be_lost_or_garble_pages_are_refused() {
    let ws = Workspace::new(&fixture("site"));
    let page = fs::read_to_string(ws.content().join("2022/02/p060.md")).unwrap();
    use std::os::unix::ffi::OsStrExt;
    fs::write(ws.content().join("2022/02").join(std::ffi::OsStr::from_bytes(b"p\xce\xc4061.md")), &page).unwrap();
    fs::create_dir(ws.content().join(std::ffi::OsStr::from_bytes(b"2022/0\xff3"))).unwrap();
    fs::write(ws.content().join("2022/02/p062.MD"), &page).unwrap();
    fs::write(ws.content().join("2022/02/p063.markdown"), &page).unwrap();
    fs::write(ws.content().join("2022/02/p065.md.txt"), &page).unwrap();
    // a text kept beside an issue (its extract, say) is no document
    fs::write(ws.content().join("2022/02/2022-02.txt"), "目 录").unwrap();
    fs::create_dir(ws.content().join("2022/02/p064.md")).unwrap();
    fs::write(ws.content().join("2022/02/p\u{1b}[2J.md"), &page).unwrap();
    ws.edit("2022/02/p001.md", "title = \"", "title = \"\\u001b[31m");
    // a literal string's backslash is text, and so is one in a comment
    let p003 = fs::read_to_string(ws.content().join("2022/02/p003.md")).unwrap();
    let title = p003.lines().find(|l| l.starts_with("title = ")).unwrap();
    ws.edit("2022/02/p003.md", title, "# \\u0000\ntitle = '文字\\u0000'");
    ws.edit("2022/02/issue.toml", "number = 2", "number = 0");
    fs::write(ws.content().join("2022/02/p071.md"), [0xff, 0xfe, b'+', 0, b'+', 0]).unwrap();
    ws.edit("2021/04/issue.toml", "sections = [", "sections = [\"惠农区人民政府文件\", ");
    fs::write(ws.content().join("site.toml"), fs::read_to_string(ws.content().join("site.toml")).unwrap() + "theme = \"../../etc\"\n").unwrap();
    let site_lines = fs::read_to_string(ws.content().join("site.toml")).unwrap().lines().count();
    let err = ws.build_err();
    for expected in [
        "content/2022/02/p��061.md: 名称不是 UTF-8 编码".to_string(),
        "content/2022/0�3: 名称不是 UTF-8 编码".to_string(),
        "content/2022/02/p062.MD: 扩展名应为小写的 .md".to_string(),
        "content/2022/02/p063.markdown: 扩展名应为小写的 .md".to_string(),
        "content/2022/02/p065.md.txt: 扩展名是 .txt（记事本另存时会自动加上，且不显示）".to_string(),
        "content/2022/02/p064.md: 是文件夹".to_string(),
        "content/2022/02/p001.md:2: 含控制字符 U+001B".to_string(),
        "content/2022/02/issue.toml:2: 期号（number）应从 1 开始".to_string(),
        "content/2022/02/p071.md:1: 是 UTF-16 编码：请用 UTF-8 保存".to_string(),
        "content/2021/04/issue.toml:4: 栏目「惠农区人民政府文件」重复".to_string(),
        format!("content/site.toml:{site_lines}: 主题 theme = \"../../etc\" 无效"),
        // echoed as an escape, not acted on by the terminal
        "content/2022/02/p\\u{1b}[2J.md:".to_string(),
    ] {
        assert!(err.contains(&expected), "missing {expected:?} in:\n{err}");
    }
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(!err.contains("p003.md"), "{err}");
    assert!(!err.contains("没有 issue.toml"), "the issue's documents are not blamed for it: {err}");
    assert!(!err.contains("2022-02.txt"), "{err}");
    assert!(!ws.public().exists());
}

#[test]
fn a_theme_that_does_not_exist_is_named_at_its_line_and_an_empty_archive_is_a_warning() {
    let ws = Workspace::new(&fixture("site"));
    fs::write(ws.content().join("site.toml"), fs::read_to_string(ws.content().join("site.toml")).unwrap() + "theme = \"nope\"\n").unwrap();
    let lines = fs::read_to_string(ws.content().join("site.toml")).unwrap().lines().count();
    assert!(ws.build_err().contains(&format!("content/site.toml:{lines}: 主题 theme = \"nope\" 不存在")));
    let site = fs::read_to_string(ws.content().join("site.toml")).unwrap().replace("theme = \"nope\"\n", "website = \"javascript:alert(1)\"\n");
    fs::write(ws.content().join("site.toml"), &site).unwrap();
    let issue = fs::read_to_string(ws.content().join("2022/02/issue.toml")).unwrap();
    let (n, sections) = issue.lines().enumerate().find(|(_, l)| l.starts_with("sections = ")).unwrap();
    ws.edit("2022/02/issue.toml", sections, "sections = []");
    let err = ws.build_err();
    assert!(err.contains(&format!("content/site.toml:{lines}: 门户网站 website 应为以 https:// 或 http:// 开头的网址")), "{err}");
    assert!(err.contains(&format!("content/2022/02/issue.toml:{}: 栏目（sections）不能为空", n + 1)), "{err}");
    assert!(!err.contains("p001.md"), "its documents are not blamed for it: {err}");
    let site = site.replace("website = \"javascript:alert(1)\"\n", "");
    fs::remove_dir_all(ws.content()).unwrap();
    ws.write("site.toml", &site);
    let out = ws.run(&[]);
    assert!(out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("警告：content: 没有任何一期公报"));
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("已生成 0 期、0 篇文件"));
}

/// A mistyped command line is told in Chinese, with the likely meant word, and exits with 2.
#[test]
fn command_line_mistakes_are_told_in_chinese() {
    for (args, expected) in [
        (&["build", "--outptu", "x"][..], "错误：未知参数 --outptu（是否要用 --output？）"),
        (&["biuld"][..], "错误：未知命令 biuld（是否要用 build？）"),
        (&["import", "x.txt", "--year", "二〇二二", "--issue", "2"][..], "错误：参数 --year <年份> 的值「二〇二二」无效"),
        (&["import"][..], "错误：缺少参数 --year <年份>、--issue <期号>、<文本文件>"),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(err.starts_with(expected) && err.contains("gongbao --help"), "{args:?}: {err}");
    }
}

/// The help of the command and of each subcommand is in Chinese: clap's own words (Usage,
/// Options, Arguments, Print help, default) are replaced, only names the user types stay.
#[test]
fn help_is_in_chinese() {
    for args in [&["--help"][..], &["-h"], &["build", "--help"], &["import", "-h"], &["check", "--help"], &["help"], &["help", "build"]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).args(args).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(out.status.success() && help.contains("用法：gongbao") && help.contains("\n选项：\n") && help.contains("显示帮助"), "{args:?}: {help}");
        for english in ["Usage", "Options", "Arguments", "Commands", "Print", "default", "[OPTIONS]", "<COMMAND>", "<FILE>"] {
            assert!(!help.contains(english), "{args:?}: {english} in\n{help}");
        }
    }
    let top = String::from_utf8(std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).arg("--help").output().unwrap().stdout).unwrap();
    assert!(top.contains("命令：\n  build   生成网站") && top.contains("\n  help    显示帮助") && top.contains("显示版本号"), "{top}");
    let build = String::from_utf8(std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).args(["help", "build"]).output().unwrap().stdout).unwrap();
    assert!(build.contains("用法：gongbao build [选项]") && build.contains("--content <目录>   内容目录（默认 content）"), "aligned by display width: {build}");
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).args(["help", "biuld"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8(unknown.stderr).unwrap().starts_with("错误：未知命令 biuld"));
    let version = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).arg("-V").output().unwrap();
    assert_eq!(String::from_utf8(version.stdout).unwrap(), format!("gongbao {}\n", env!("CARGO_PKG_VERSION")));
}
