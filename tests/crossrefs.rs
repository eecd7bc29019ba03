//! A later issue that cites and repeals documents of 2022年第2期: links, 被引用 and 已废止 appear,
//! and every URL of the earlier build still serves the same document.

mod common;

use common::*;
use std::collections::BTreeMap;

fn with_later_issue() -> Workspace {
    let ws = Workspace::new(&repo().join("content"));
    copy_dir(&fixture("later-issue"), &ws.content());
    ws
}

#[test]
fn citations_link_repeals_mark_and_cited_documents_list_their_citers() {
    let ws = with_later_issue();
    let summary = ws.build_ok();
    // Outside the archive: stays text, listed in the report.
    assert!(summary.contains("国办发〔2019〕54号：2022/03/p001.html"), "{summary}");
    assert!(!summary.contains("惠政办发〔2022〕25号："), "{summary}");
    // the repeal read from the text is told, with what to write where it is only partial
    assert!(summary.contains("认定 惠政办发〔2022〕25号（2022/02/p003.html） 由 惠政办发〔2022〕58号（2022/03/p001.html） 废止：其页面、目录、检索结果和开放数据标为已废止。如只废止了其中一部分，请在被废止文件的 front matter 中写 status = \"有效\""), "{summary}");
    // once: a rebuild that reads no new text does not tell it again
    assert!(!ws.build_ok().contains("认定"));

    let citing = ws.read("2022/03/p001.html");
    assert!(citing.contains("根据<a class=\"cite\" href=\"../../2022/02/p001.html\">惠政办发[2022]8号</a>的安排"), "{citing}");
    assert!(citing.contains("<a class=\"cite\" href=\"../../2022/02/p003.html\">惠政办发〔2022〕25号</a>）同时废止"));
    assert!(citing.contains("国办发〔2019〕54号）要求"), "external numbers stay plain text");
    assert!(citing.contains("<h3>本文引用</h3>"));

    let repealed = ws.read("2022/02/p003.html");
    assert!(repealed.contains("<strong class=\"repealed\">已废止</strong>：见<a href=\"../../2022/03/p001.html\">惠农区人民政府办公室关于印发惠农区医疗保障基金监管联席会议制度（修订）的通知（惠政办发〔2022〕58号）</a>"), "{repealed}");
    assert!(repealed.contains("<h3>被引用</h3>"));
    // under its title too, on screen and on paper
    assert!(repealed.contains("<p class=\"doc-status\" role=\"note\"><strong>本文件已废止</strong>：见<a href=\"../../2022/03/p001.html\">"), "{repealed}");
    // and in the search results
    assert!(search_records(&ws).contains("惠农区医疗保障基金监管联席会议制度的通知\",\"p003\",\"已废止\"]"));
    let cited = ws.read("2022/02/p001.html");
    assert!(cited.contains("<h3>被引用</h3>") && cited.contains("href=\"../../2022/03/p001.html\""));
    assert!(!cited.contains("已废止"), "cited is not repealed");

    let toc = ws.read("2022/02/index.html");
    let row = toc.split("<li>").find(|li| li.contains("惠政办发〔2022〕25号")).unwrap();
    assert!(row.contains("<span class=\"badge-repealed\">已废止</span>"), "{row}");

    let docs: serde_json::Value = serde_json::from_str(&ws.read("data/documents.json")).unwrap();
    let by_url = |u: &str| docs.as_array().unwrap().iter().find(|d| d["url"] == u).unwrap().clone();
    assert_eq!(by_url("2022/02/p003.html")["status"], "已废止");
    assert_eq!(by_url("2022/02/p003.html")["repealed_by"], "2022/03/p001.html");
    assert_eq!(by_url("2022/02/p001.html")["status"], "有效");
    assert_eq!(by_url("2022/02/p001.html")["cited_by"], serde_json::json!(["2022/03/p001.html"]));
    assert_eq!(by_url("2022/03/p001.html")["cites"], serde_json::json!(["2022/02/p001.html", "2022/02/p003.html"]));
}

#[test]
fn a_part_repealed_or_a_document_kept_in_force_is_not_marked_repealed() {
    let ws = with_later_issue();
    let repealed = |ws: &Workspace| ws.read("2022/02/p003.html").contains("本文件已废止");
    // only its annex
    ws.edit("2022/03/p001.md", "（惠政办发〔2022〕25号）同时废止", "（惠政办发〔2022〕25号）附件1同时废止");
    assert!(!ws.build_ok().contains("认定"));
    assert!(!repealed(&ws));
    ws.edit("2022/03/p001.md", "（惠政办发〔2022〕25号）附件1同时废止", "（惠政办发〔2022〕25号）中关于联席会议成员的规定同时废止");
    ws.build_ok();
    assert!(!repealed(&ws));
    ws.edit("2022/03/p001.md", "（惠政办发〔2022〕25号）中关于联席会议成员的规定同时废止", "（惠政办发〔2022〕25号）同时废止");
    ws.build_ok();
    assert!(repealed(&ws));
    // the office's word wins over the sentence read by rule
    ws.edit("2022/02/p003.md", "section = ", "status = \"有效\"\nsection = ");
    ws.build_ok();
    assert!(!repealed(&ws));
    let docs: serde_json::Value = serde_json::from_str(&ws.read("data/documents.json")).unwrap();
    assert_eq!(docs.as_array().unwrap().iter().find(|d| d["url"] == "2022/02/p003.html").unwrap()["status"], "有效");
}

/// The search index's heads files, which hold the records results show, as text.
fn search_records(ws: &Workspace) -> String {
    let heads = ws.public().join("search/h");
    let mut text = String::new();
    for entry in std::fs::read_dir(heads).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let units: Vec<u16> = bytes.chunks(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
        text.push_str(&String::from_utf16_lossy(&units));
    }
    text
}

fn titles_by_url(ws: &Workspace) -> BTreeMap<String, String> {
    tree(&ws.public())
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .filter_map(|(p, bytes)| {
            let html = String::from_utf8(bytes).unwrap();
            let h1 = html.split("<h1").nth(1)?.split_once('>')?.1.split("</h1>").next()?.to_string();
            Some((p, h1))
        })
        .collect()
}

#[test]
fn adding_an_issue_keeps_every_published_url_serving_the_same_document() {
    let ws = Workspace::new(&repo().join("content"));
    ws.build_ok();
    let before = titles_by_url(&ws);
    assert!(before.len() >= 15);
    copy_dir(&fixture("later-issue"), &ws.content());
    ws.build_ok();
    let after = titles_by_url(&ws);
    for (url, title) in &before {
        assert_eq!(after.get(url), Some(title), "{url} changed");
    }
    assert!(after.contains_key("2022/03/p001.html"));
    // the repeal it brings marks the earlier document's search record as a full build does
    let full = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongbao")).args(["build", "--full", "--content"]).arg(ws.content()).arg("--output").arg(full.path().join("public")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tree(&ws.public()) == tree(&full.path().join("public")), "the rebuild differs from a full build");
    assert!(search_records(&ws).contains("\"已废止\"]"));
}

/// A control character pasted into a cited number or a link's address is taken out before
/// anything reads the body: the page, the 被引用 lists and the broken-link message agree.
#[test]
fn a_control_character_inside_a_number_or_an_address_is_read_as_the_page_shows_it() {
    let ws = with_later_issue();
    ws.edit("2022/03/p001.md", "根据惠政办发[2022]8号", "根据惠政办发[2022]\u{7}8号");
    let out = ws.run(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2022/03/p001.md:12: 已删除控制字符 U+0007"));
    assert!(ws.read("2022/03/p001.html").contains("根据<a class=\"cite\" href=\"../../2022/02/p001.html\">惠政办发[2022]8号</a>"));
    assert!(ws.read("2022/02/p001.html").contains("<h3>被引用</h3>"), "the citing page is listed");

    ws.edit("2022/03/p001.md", "现将修订后的制度印发给你们。", "现将修订后的[制度](p0\u{7}99.html)印发给你们。");
    let err = ws.build_err();
    assert!(err.contains("2022/03/p001.md:12: ") && err.contains("p099.html"), "the line of the link is named: {err}");
}
