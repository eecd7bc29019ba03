//! What the portal and its readers get beside the pages: sitemap, robots.txt, Atom feeds, open
//! data (JSON, CSV), the print PDF, the meta tags portal inspections read, and a strict-CSP-safe
//! output. XML is read with a real parser, CSV with an RFC 4180 reader.

mod common;

use common::*;
use std::fs;

const BASE: &str = "https://www.huinong.gov.cn/gongbao/";

fn build_with_base(ws: &Workspace) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao"))
        .current_dir(ws.dir.path())
        .args(["build", "--base-url", BASE])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Every HTML page but the redirects that old paths of documents leave behind.
fn html_pages(ws: &Workspace) -> Vec<String> {
    tree(&ws.public())
        .into_iter()
        .filter(|(p, bytes)| p.ends_with(".html") && !String::from_utf8_lossy(bytes).contains("http-equiv=\"refresh\""))
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn without_base_url_no_feeds_are_written_and_the_build_says_why() {
    let ws = Workspace::new(&fixture("site"));
    let out = ws.build_ok();
    let mut lines = out.lines();
    assert!(lines.next().unwrap().starts_with("已生成 2 期、4 篇文件"), "summary stays the first line: {out}");
    assert!(lines.next().unwrap().contains("未生成 sitemap.xml、robots.txt 和 Atom 订阅"), "{out}");
    assert!(lines.next().unwrap().contains("404.html 的链接为相对地址"), "a 404 page under a sub-path needs it too: {out}");
    for file in ["sitemap.xml", "robots.txt", "feeds/documents.xml", "feeds/issues.xml"] {
        assert!(!ws.public().join(file).exists(), "{file} needs absolute URLs");
    }
    assert!(!ws.read("index.html").contains("feeds/"), "no link to a feed that is not there");

    let out = build_with_base(&ws);
    assert_eq!(out.lines().count(), 1, "nothing to explain with a base_url: {out}");
}

#[test]
fn sitemap_lists_every_page_with_its_date_and_robots_names_it() {
    let ws = Workspace::new(&fixture("site"));
    build_with_base(&ws);
    let xml = ws.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let mut listed = std::collections::BTreeMap::new();
    for url in doc.descendants().filter(|n| n.has_tag_name((ns, "url"))) {
        let text = |name: &str| url.children().find(|c| c.has_tag_name((ns, name))).and_then(|c| c.text()).unwrap_or_default().to_string();
        let loc = text("loc");
        let rel = loc.strip_prefix(BASE).unwrap_or_else(|| panic!("{loc} is not under {BASE}")).to_string();
        assert!(listed.insert(rel, text("lastmod")).is_none(), "{loc} listed twice");
    }
    let mut pages = html_pages(&ws);
    pages.retain(|p| p != "404.html");
    let mut keys: Vec<String> = listed.keys().cloned().collect();
    pages.sort();
    keys.sort();
    assert_eq!(keys, pages, "every page but 404.html, and nothing else");
    // Pages carry their issue's 出版日期 (2022-07 counts from the 1st); the site pages the newest.
    assert_eq!(listed["2022/02/p003.html"], "2022-07-01");
    assert_eq!(listed["2021/04/index.html"], "2021-12-01");
    assert_eq!(listed["index.html"], "2022-07-01");
    for (page, date) in &listed {
        assert!(date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-', "{page}: lastmod {date}");
    }
    let robots = ws.read("robots.txt");
    assert!(robots.lines().any(|l| l == format!("Sitemap: {BASE}sitemap.xml")), "{robots}");
    assert!(robots.contains("User-agent: *"));
    // its paths are the site's folder on the host, where the portal's root robots.txt takes them
    assert!(robots.lines().any(|l| l == "Disallow: /gongbao/404.html") && robots.lines().any(|l| l == "Allow: /gongbao/"), "{robots}");
}

struct FeedEntry {
    title: String,
    id: String,
    published: String,
    summary: String,
}

fn read_feed(xml: &str) -> (String, Vec<FeedEntry>) {
    let doc = roxmltree::Document::parse(xml).expect("feed is well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert!(feed.has_tag_name((atom, "feed")));
    let child = |n: roxmltree::Node, name: &str| n.children().find(|c| c.has_tag_name((atom, name))).and_then(|c| c.text()).unwrap_or_default().to_string();
    for required in ["id", "title", "updated"] {
        assert!(!child(feed, required).is_empty(), "feed lacks {required}");
    }
    let entries = feed
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .map(|e| FeedEntry { title: child(e, "title"), id: child(e, "id"), published: child(e, "published"), summary: child(e, "summary") })
        .collect();
    (child(feed, "updated"), entries)
}

#[test]
fn atom_feeds_list_issues_and_documents_newest_first_with_number_and_date() {
    let ws = Workspace::new(&fixture("site"));
    build_with_base(&ws);
    let (updated, docs) = read_feed(&ws.read("feeds/documents.xml"));
    let ids: Vec<&str> = docs.iter().map(|e| e.id.strip_prefix(BASE).unwrap()).collect();
    assert_eq!(ids, ["2022/02/p001.html", "2022/02/p003.html", "2022/02/p060.html", "2021/04/p001.html"], "newest issue first, print order within");
    assert!(docs.windows(2).all(|w| w[0].published >= w[1].published), "entries out of date order");
    assert_eq!(updated, docs[0].published, "the feed is as new as its newest entry");
    assert_eq!(docs[0].published, "2022-07-01T00:00:00+08:00");
    assert_eq!(docs[1].title, "惠农区人民政府办公室关于建立惠农区医疗保障基金监管联席会议制度的通知");
    assert!(docs[1].summary.contains("惠政办发〔2022〕25号") && docs[1].summary.contains("成文日期：2022年4月11日"), "{}", docs[1].summary);
    assert!(!docs[2].summary.contains("〔"), "大事记 have no number: {}", docs[2].summary);
    for entry in &docs {
        assert!(ws.public().join(entry.id.strip_prefix(BASE).unwrap()).is_file(), "{} is not a page", entry.id);
    }

    let (_, issues) = read_feed(&ws.read("feeds/issues.xml"));
    let titles: Vec<&str> = issues.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["石嘴山市惠农区人民政府公报 2022年第2期", "石嘴山市惠农区人民政府公报 2021年第4期"]);
    assert!(issues.windows(2).all(|w| w[0].published > w[1].published));
    assert!(issues[0].summary.contains("收录文件 3 篇"), "{}", issues[0].summary);
}

#[test]
fn markup_characters_in_content_stay_text_in_xml_and_html() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/p060.md", "title = \"惠农区政府四月份大事记\"", "title = \"大事记 <四月> & \\\"五月\\\" \"");
    ws.edit("site.toml", "name = \"石嘴山市惠农区人民政府公报\"", "name = \"惠农区公报 & <增刊>\"");
    build_with_base(&ws);
    let (_, docs) = read_feed(&ws.read("feeds/documents.xml"));
    assert_eq!(docs[2].title, "大事记 <四月> & \"五月\" ");
    let feed = ws.read("feeds/issues.xml");
    let parsed = roxmltree::Document::parse(&feed).unwrap();
    assert!(parsed.descendants().any(|n| n.text() == Some("惠农区公报 & <增刊> - 各期目录")));
    let page = ws.read("2022/02/p060.html");
    assert!(page.contains("<meta name=\"ArticleTitle\" content=\"大事记 &lt;四月&gt; &amp; &quot;五月&quot; "), "attribute escaped");
}

/// RFC 4180: fields split on commas outside quotes, `""` inside quotes is one quote, CRLF ends a record.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted, mut chars) = (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    assert!(field.is_empty() && row.is_empty(), "last record not ended by CRLF");
    rows
}

#[test]
fn documents_csv_opens_in_excel_with_the_right_columns() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/p003.md", "page = 3", "page = 3\ntopic = \"卫生、体育\"\nindex_id = \"640205/2022-00025\"\nstatus = \"有效\"\naddressee = \"各乡镇人民政府，区政府各部门\"");
    ws.edit("2022/02/p060.md", "title = \"惠农区政府四月份大事记\"", "title = \"惠农区政府\\\"四月份\\\"大事记\"");
    ws.build_ok();
    let bytes = fs::read(ws.public().join("data/documents.csv")).unwrap();
    assert_eq!(&bytes[..3], b"\xef\xbb\xbf", "UTF-8 BOM, so Excel does not read it as GBK");
    let rows = parse_csv(std::str::from_utf8(&bytes[3..]).unwrap());
    assert_eq!(
        rows[0],
        ["标题", "发文字号", "发文机关", "成文日期", "栏目", "期次", "年份", "期号", "出版日期", "起始页码", "公开属性", "主送机关", "效力状态", "主题分类", "索引号", "网址", "本期目录网址"]
    );
    assert_eq!(rows.len(), 5, "a header and one row per document");
    assert!(rows.iter().all(|r| r.len() == rows[0].len()), "every row has every column");
    let col = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    let p003 = rows.iter().find(|r| r[col("网址")] == "2022/02/p003.html").unwrap();
    assert_eq!(p003[col("发文字号")], "惠政办发〔2022〕25号");
    assert_eq!(p003[col("成文日期")], "2022-04-11");
    assert_eq!(p003[col("主送机关")], "各乡镇人民政府，区政府各部门");
    assert_eq!((p003[col("效力状态")].as_str(), p003[col("主题分类")].as_str(), p003[col("索引号")].as_str()), ("有效", "卫生、体育", "640205/2022-00025"));
    assert_eq!(p003[col("期次")], "2022年第2期");
    assert!(rows.iter().any(|r| r[0] == "惠农区政府\"四月份\"大事记"), "quotes survive");

    let json: serde_json::Value = serde_json::from_str(&ws.read("data/documents.json")).unwrap();
    let rec = json.as_array().unwrap().iter().find(|d| d["url"] == "2022/02/p003.html").unwrap();
    for (field, value) in [("topic", "卫生、体育"), ("index_id", "640205/2022-00025"), ("status", "有效"), ("issue_title", "2022年第2期"), ("issue_date", "2022-07"), ("issue_url", "2022/02/index.html"), ("disclosure", "此件公开发布")] {
        assert_eq!(rec[field], value, "documents.json {field}");
    }
    assert!(json[0]["topic"].is_null(), "absent fields are null, never missing");
}

#[test]
fn each_issue_has_its_toc_as_json_linked_from_the_about_and_issue_pages() {
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    let issue: serde_json::Value = serde_json::from_str(&ws.read("data/issues/2022-02.json")).unwrap();
    assert_eq!(issue["title"], "2022年第2期");
    let toc = issue["toc"].as_array().unwrap();
    let sections: Vec<&str> = toc.iter().map(|s| s["section"].as_str().unwrap()).collect();
    assert_eq!(sections, ["惠农区人民政府办公室文件", "惠农区大事记"]);
    let pages: Vec<u64> = toc[0]["documents"].as_array().unwrap().iter().map(|d| d["page"].as_u64().unwrap()).collect();
    assert_eq!(pages, [1, 3]);
    assert_eq!(toc[0]["documents"][1]["number"], "惠政办发〔2022〕25号");
    assert_eq!(issue["masthead"][0]["label"], "主编");
    let index: serde_json::Value = serde_json::from_str(&ws.read("data/issues.json")).unwrap();
    assert_eq!(index[1]["data"], "data/issues/2022-02.json");
    let about = ws.read("about.html");
    for link in ["data/documents.csv", "data/documents.json", "data/issues.json", "data/issues/2021-04.json", "data/issues/2022-02.json"] {
        assert!(about.contains(&format!("href=\"{link}\"")), "about.html lacks {link}");
    }
    assert!(ws.read("2022/02/index.html").contains("href=\"../../data/issues/2022-02.json\""));
}

#[test]
fn the_print_pdf_is_copied_and_offered_with_its_size() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("2022/02/issue.toml", "date = \"2022-07\"", "date = \"2022-07\"\npdf = \"惠农区公报2022年第2期.pdf\"");
    let pdf = b"%PDF-1.4\n".iter().copied().chain(std::iter::repeat_n(b'x', 1_300_000)).collect::<Vec<u8>>();
    fs::write(ws.content().join("2022/02/惠农区公报2022年第2期.pdf"), &pdf).unwrap();
    ws.build_ok();
    assert_eq!(fs::read(ws.public().join("2022/02/gongbao-2022-02.pdf")).unwrap(), pdf, "copied byte for byte under an ASCII name");
    let page = ws.read("2022/02/index.html");
    assert!(page.contains("<a class=\"button\" href=\"../../2022/02/gongbao-2022-02.pdf\" type=\"application/pdf\" download>下载2022年第2期印刷版（PDF，1.2 MB）</a>"), "{page}");
    assert!(!ws.read("2021/04/index.html").contains(".pdf"), "no download for an issue without a PDF");
    let issue: serde_json::Value = serde_json::from_str(&ws.read("data/issues/2022-02.json")).unwrap();
    assert_eq!(issue["pdf"]["bytes"], pdf.len() as u64);
}

#[test]
fn a_missing_or_misnamed_pdf_is_an_error_naming_issue_toml_and_line() {
    let ws = Workspace::new(&fixture("site"));
    ws.build_ok();
    let before = tree(&ws.public());
    ws.edit("2022/02/issue.toml", "date = \"2022-07\"", "date = \"2022-07\"\npdf = \"2022-02.pdf\"");
    ws.edit("2021/04/issue.toml", "date = \"2021-12\"", "date = \"2021-12\"\npdf = \"../2021-04.pdf\"");
    let err = ws.build_err();
    assert!(err.contains("content/2022/02/issue.toml:4: 印刷版 pdf = \"2022-02.pdf\" 无效：找不到该文件：请把印刷版 PDF 放在 content/2022/02/2022-02.pdf，与 issue.toml 同一文件夹"), "{err}");
    assert!(err.contains("content/2021/04/issue.toml:4: 印刷版 pdf = \"../2021-04.pdf\" 无效：只能写与 issue.toml 同一文件夹中的文件名，不能含路径"), "{err}");
    assert_eq!(tree(&ws.public()), before, "the previous output stays");
}

#[test]
fn document_pages_carry_the_portal_meta_tags_and_open_graph() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("site.toml", "name = ", "site_id_code = \"6402050001\"\nname = ");
    ws.edit("2022/02/p003.md", "page = 3", "page = 3\ntopic = \"卫生、体育\"");
    build_with_base(&ws);
    let page = ws.read("2022/02/p003.html");
    for tag in [
        "<meta name=\"SiteName\" content=\"石嘴山市惠农区人民政府公报\">",
        "<meta name=\"SiteDomain\" content=\"www.huinong.gov.cn\">",
        "<meta name=\"SiteIDCode\" content=\"6402050001\">",
        "<meta name=\"ColumnName\" content=\"惠农区人民政府办公室文件\">",
        "<meta name=\"ArticleTitle\" content=\"惠农区人民政府办公室关于建立惠农区医疗保障基金监管联席会议制度的通知\">",
        "<meta name=\"PubDate\" content=\"2022-07-01\">",
        "<meta name=\"ContentSource\" content=\"惠农区人民政府办公室\">",
        "<meta name=\"Keywords\" content=\"惠政办发〔2022〕25号,惠农区人民政府办公室,惠农区人民政府办公室文件,卫生、体育\">",
        "<meta name=\"description\" content=\"为加强医疗保障基金使用监督管理，建立联席会议制度。\">",
        "<meta property=\"og:title\" content=\"惠农区人民政府办公室关于建立惠农区医疗保障基金监管联席会议制度的通知\">",
        "<meta property=\"og:description\" content=\"为加强医疗保障基金使用监督管理，建立联席会议制度。\">",
        "<meta property=\"og:url\" content=\"https://www.huinong.gov.cn/gongbao/2022/02/p003.html\">",
        "<title>惠农区人民政府办公室关于建立惠农区医疗保障基金监管联席会议制度的通知 - 石嘴山市惠农区人民政府公报</title>",
    ] {
        assert!(page.contains(tag), "2022/02/p003.html lacks {tag}");
    }
    for rel in html_pages(&ws) {
        let html = ws.read(&rel);
        assert_eq!(html.matches("<title>").count(), 1, "{rel}");
        if rel != "404.html" {
            assert!(html.contains("<meta name=\"description\" content=\""), "{rel} has no description");
            assert!(html.contains("<meta property=\"og:title\""), "{rel}");
        }
        assert!(html.contains("<meta name=\"SiteIDCode\" content=\"6402050001\">"), "{rel}");
        if rel.matches('/').count() == 2 && !rel.ends_with("index.html") {
            for name in ["ColumnName", "ArticleTitle", "PubDate", "ContentSource", "Keywords"] {
                assert!(html.contains(&format!("<meta name=\"{name}\" content=\"")), "{rel} lacks {name}");
            }
        }
    }
}

#[test]
fn pages_have_nothing_inline_that_a_strict_csp_would_block() {
    let ws = Workspace::new(&fixture("site"));
    // Aligned table columns are where a Markdown renderer writes style= attributes.
    ws.write("2022/02/p050.md", "+++\ntitle = \"表\"\nissuer = \"i\"\ndate = \"2022-05-10\"\nsection = \"惠农区大事记\"\npage = 50\n+++\n| 序号 | 金额 |\n|:-:|--:|\n| 1 | 2 |\n");
    build_with_base(&ws);
    let mut scripts = 0;
    for rel in html_pages(&ws) {
        let html = ws.read(&rel);
        let lower = html.to_lowercase();
        assert!(!lower.contains(" style=") && !lower.contains("<style"), "{rel}: inline style");
        for (i, _) in lower.match_indices("<script") {
            let tag = &lower[i..i + lower[i..].find('>').unwrap()];
            assert!(tag.contains(" src=\""), "{rel}: inline script {tag}");
            scripts += 1;
        }
        let mut rest = lower.as_str();
        while let Some(i) = rest.find(" on") {
            let attr: String = rest[i + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            assert!(!(rest[i + 1 + attr.len()..].starts_with('=') && attr.len() > 3), "{rel}: inline handler {attr}");
            rest = &rest[i + 3..];
        }
        assert!(!lower.contains("javascript:"), "{rel}");
    }
    assert!(scripts >= 8, "prefs.js is loaded on every page ({scripts})");
    assert!(ws.read("2022/02/p050.html").contains("<td class=\"align-right\">2</td>"));
}

#[test]
fn a_base_url_that_is_not_a_full_address_is_refused() {
    let ws = Workspace::new(&fixture("site"));
    ws.edit("site.toml", "name = ", "base_url = \"www.huinong.gov.cn/gongbao/\"\nname = ");
    let err = ws.build_err();
    assert!(err.contains("site.toml:1: base_url「www.huinong.gov.cn/gongbao/」不是完整网址"), "{err}");
    assert!(!ws.public().exists(), "nothing is written");
    // the command line's address replaces it, and so does none
    build_with_base(&ws);
    assert!(ws.read("sitemap.xml").contains(BASE));

    // on the command line, the option is named instead
    let ws = Workspace::new(&fixture("site"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).current_dir(ws.dir.path()).args(["build", "--base-url", "https://"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("--base-url「https://」不是完整网址"), "{err}");
    // the address of a page, copied from the browser, is not the site's
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).current_dir(ws.dir.path()).args(["build", "--base-url", "https://www.huinong.gov.cn/gongbao/index.html"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("--base-url「https://www.huinong.gov.cn/gongbao/index.html」是一个网页的地址，应是网站所在目录的地址"), "{err}");
    assert!(!ws.public().exists(), "nothing is written");
}

#[test]
fn a_base_url_is_written_as_a_sitemap_needs_it() {
    let ws = Workspace::new(&fixture("site"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).current_dir(ws.dir.path()).args(["build", "--base-url", "HTTPS://WWW.Huinong.gov.cn/政府公报"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sitemap = ws.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://www.huinong.gov.cn/%E6%94%BF%E5%BA%9C%E5%85%AC%E6%8A%A5/2022/02/p001.html</loc>"), "{sitemap}");
}
