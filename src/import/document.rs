//! One document: its metadata from the lines of its body (addressee, signature, disclosure) and
//! its Markdown — the notice, the signature as printed, then the enclosed document (`{#wenben}`)
//! and each attachment (`{#fujian}`, `{#fujian-1}` …) under their own level-2 headings.

use crate::content::FrontMatter;

use super::markdown;
use super::repair::{self, Block};
use super::text::{date_shaped, ends_sentence, full_date, key, len, marker, tidy_spaces};
use super::ImportError;
use super::toc::TocEntry;

pub struct Built {
    pub front: FrontMatter,
    pub body: String,
    /// Whether the signature gave its issuer and date; else they are empty, for the office to
    /// fill in (see [`unsigned`]).
    pub signed: bool,
}

/// `lines` are the body lines after the title and the 发文字号 line, up to the next document;
/// the first is line `first_line` (1-based) of the text.
pub fn build(entry: &TocEntry, number: Option<String>, lines: &[&str], first_line: usize) -> Result<Built, ImportError> {
    let sig = match signature(lines) {
        Ok(Some(sig)) => sig,
        Ok(None) => return Ok(unsigned(entry, number, lines)),
        Err(at) => return Err(ImportError::NoSuchDate { entry: entry.describe(), date: lines[at].trim().to_string(), line: first_line + at }),
    };
    let addressee = lines[..sig.issuer]
        .iter()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())
        .filter(|l| l.ends_with(['：', ':']) && len(l) <= 150 && marker(l).is_none() && !l.contains('\t'))
        // a 通告 or 公告 opens with a sentence that leads into its clauses, not with whom it is sent to
        .filter(|l| !l.contains('。') && !l.trim_end_matches(['：', ':']).ends_with("如下"))
        .map(|l| tidy_spaces(l.trim_end_matches(['：', ':'])));

    let mut blocks = repair::blocks(&lines[..sig.issuer]);
    blocks.push(Block::Para(super::people::signer(lines[sig.issuer]).unwrap_or_else(|| tidy_spaces(lines[sig.issuer]))));
    blocks.push(Block::Para(tidy_spaces(lines[sig.date])));
    let mut tail_start = sig.date + 1;
    let disclosure = sig.disclosure.map(|i| {
        blocks.push(Block::Para(tidy_spaces(lines[i])));
        tail_start = i + 1;
        key(lines[i]).trim_matches(['(', ')']).to_string()
    });
    blocks.extend(tail(&lines[tail_start..]));

    // An order is signed by the head of the government (区长 王某某), and issued by the
    // government its number names: 惠农区人民政府令第5号.
    let order_of = number.as_deref().map(crate::content::number_key).and_then(|k| {
        let parts = crate::content::number_parts(&k).filter(|p| p.is_order())?;
        parts.code.strip_suffix('令').map(str::to_string)
    });
    let issuer = order_of.unwrap_or_else(|| tidy_spaces(lines[sig.issuer]));
    let front = FrontMatter { issuer, date: Some(sig.when), disclosure, addressee, ..entry_front(entry, number) };
    Ok(Built { front, body: markdown::render(&blocks), signed: true })
}

/// What the 目录 entry tells of a document; its issuer and date are left empty, for the body.
fn entry_front(entry: &TocEntry, number: Option<String>) -> FrontMatter {
    FrontMatter {
        title: entry.title.clone(),
        number,
        issuer: String::new(),
        date: None,
        section: entry.section.clone(),
        page: entry.page,
        disclosure: None,
        addressee: None,
        status: None,
        topic: None,
        index_id: None,
        aliases: Vec::new(),
    }
}

/// A document printed without a signature (a 大事记, a 政策解读, or one whose signature the
/// extraction garbled): its whole text is its body, attachments under their headings, and its
/// issuer and date are left empty. The gazette is not asked for what it does not print: the
/// office fills them in, and until then the build names the file and line.
fn unsigned(entry: &TocEntry, number: Option<String>, lines: &[&str]) -> Built {
    let first = (0..lines.len()).find(|&i| attachment_marker(lines[i]).is_some()).unwrap_or(lines.len());
    let mut blocks = repair::blocks(&lines[..first]);
    blocks.extend(tail(&lines[first..]));
    Built { front: entry_front(entry, number), body: markdown::render(&blocks), signed: false }
}

struct Signature {
    issuer: usize,
    date: usize,
    when: crate::content::GDate,
    disclosure: Option<usize>,
}

/// The first `issuer` / `2022年4月1日` pair: a full date line under a short line that is not a
/// sentence, an item or a heading. An optional `（此件公开发布）` follows. `Err` with the line of
/// a date that does not exist (2022年4月31日) where one stands under such a line: a misprint or
/// a misread to correct, not a document without a signature.
fn signature(lines: &[&str]) -> Result<Option<Signature>, usize> {
    let filled: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].trim().is_empty()).collect();
    for w in filled.windows(2) {
        let (issuer, date) = (w[0], w[1]);
        let who = lines[issuer].trim();
        let issuer_like = len(who) <= 40 && !ends_sentence(who) && marker(who).is_none() && !who.contains(['，', '。', '\t', ',']);
        let Some(when) = full_date(lines[date]) else {
            if issuer_like && date_shaped(lines[date]) {
                return Err(date);
            }
            continue;
        };
        if !issuer_like {
            continue;
        }
        let disclosure = filled.iter().copied().find(|&i| i > date).filter(|&i| {
            let k = key(lines[i]);
            k.starts_with('(') && k.ends_with(')') && len(&k) <= 24 && (k.contains("公开") || k.contains("发布"))
        });
        return Ok(Some(Signature { issuer, date, when, disclosure }));
    }
    Ok(None)
}

/// `附件`, `附件1`, `附件 2` standing alone: the start of an attachment and its number.
fn attachment_marker(line: &str) -> Option<Option<u32>> {
    let rest = key(line).strip_prefix("附件")?.to_string();
    if rest.is_empty() {
        return Some(None);
    }
    rest.parse().ok().map(Some)
}

/// What follows the signature: the enclosed document, then the attachments.
fn tail(lines: &[&str]) -> Vec<Block> {
    let starts: Vec<usize> = (0..lines.len()).filter(|&i| attachment_marker(lines[i]).is_some()).collect();
    let first = starts.first().copied().unwrap_or(lines.len());
    let mut out = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    if let Some(t) = (0..first).find(|&i| !lines[i].trim().is_empty()) {
        out.push(heading(tidy_spaces(lines[t]), "wenben", &mut ids));
        out.extend(repair::blocks(&lines[t + 1..first]));
    }
    for (n, &s) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let number = attachment_marker(lines[s]).flatten();
        let (label, id) = match number {
            Some(k) => (format!("附件{k}"), format!("fujian-{k}")),
            None => ("附件".to_string(), "fujian".to_string()),
        };
        let title = (s + 1..end).find(|&i| !lines[i].trim().is_empty()).filter(|&i| {
            let t = lines[i].trim();
            !lines[i].contains('\t') && len(t) <= 60 && !ends_sentence(t) && marker(t).is_none()
        });
        let (text, body_from) = match title {
            Some(i) => (format!("{label}　{}", tidy_spaces(lines[i])), i + 1),
            None => (label, s + 1),
        };
        out.push(heading(text, &id, &mut ids));
        out.extend(repair::blocks(&lines[body_from..end]));
    }
    out
}

/// A level-2 heading with a unique id (a second plain 附件 gets `fujian-b`, never `fujian-2`,
/// which belongs to 附件2).
fn heading(text: String, id: &str, ids: &mut Vec<String>) -> Block {
    let mut unique = id.to_string();
    let mut suffix = b'b';
    while ids.contains(&unique) && suffix <= b'z' {
        unique = format!("{id}-{}", suffix as char);
        suffix += 1;
    }
    ids.push(unique.clone());
    Block::Heading { level: 2, text, id: Some(unique) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> TocEntry {
        TocEntry { title: "关于印发方案的通知".into(), number: Some("惠政办发〔2022〕1号".into()), page: 3, section: "文件".into(), line: 0 }
    }

    #[test]
    fn metadata_signature_enclosed_document_and_attachments() {
        let text = "各乡镇人民政府：\n\n现将方案印发给你们。\n\n惠农区人民政府办公室\n\n2022年4月1日\n\n（此件公开发布）\n\n某某方案\n\n一、总体要求\n\n附件：1.名单\n\n附件1\n\n成员名单\n\n组 长：刘占强 区长\n\n附件 2\n\n序号\t事项\n1\t甲\n";
        let lines: Vec<&str> = text.lines().collect();
        let built = build(&entry(), Some("惠政办发〔2022〕1号".into()), &lines, 1).unwrap();
        assert_eq!(built.front.addressee.as_deref(), Some("各乡镇人民政府"));
        assert_eq!(built.front.issuer, "惠农区人民政府办公室");
        assert_eq!(built.front.date.map(|d| d.iso()).as_deref(), Some("2022-04-01"));
        assert_eq!(built.front.disclosure.as_deref(), Some("此件公开发布"));
        assert_eq!(
            built.body,
            "各乡镇人民政府：\n\n现将方案印发给你们。\n\n惠农区人民政府办公室\n\n2022年4月1日\n\n（此件公开发布）\n\n## 某某方案 {#wenben}\n\n### 一、总体要求\n\n附件：1.名单\n\n## 附件1　成员名单 {#fujian-1}\n\n组长：刘占强　区长\n\n## 附件2 {#fujian-2}\n\n| 序号 | 事项 |\n| --- | --- |\n| 1 | 甲 |"
        );
    }

    #[test]
    fn a_document_without_signature_keeps_its_text_and_attachments() {
        let built = build(&entry(), None, &["各单位：", "", "正文。", "", "附件1", "", "名单", "", "张三"], 1).unwrap();
        assert!(!built.signed);
        assert_eq!((built.front.issuer.as_str(), built.front.addressee.as_deref()), ("", None));
        assert_eq!(built.body, "各单位：\n\n正文。\n\n## 附件1　名单 {#fujian-1}\n\n张三");
    }

    #[test]
    fn the_sentence_that_opens_a_notice_to_all_is_no_addressee() {
        for first in ["为保护环境，根据有关规定，现就有关事项通告如下：", "经研究，现将有关事项公告如下:", "根据规定。现通知："] {
            let built = build(&entry(), None, &[first, "", "一、禁止燃放。", "", "惠农区人民政府", "", "2023年1月5日"], 1).unwrap();
            assert_eq!(built.front.addressee, None, "{first}");
            assert!(built.body.starts_with(first), "{}", built.body);
        }
    }

    #[test]
    fn a_signature_dated_on_a_day_that_does_not_exist_is_an_error_at_its_line() {
        let err = build(&entry(), None, &["正文。", "", "惠农区人民政府办公室", "", "2022年4月31日"], 40).err().expect("no such day");
        assert_eq!(err.line(), Some(44));
        assert_eq!(err.to_string(), "目录条目「关于印发方案的通知」（惠政办发〔2022〕1号，第 3 页）的落款日期「2022年4月31日」不存在：请对照印刷版改正文本后再导入");
    }

    #[test]
    fn a_date_inside_a_sentence_is_not_a_signature() {
        assert!(signature(&["会议于：", "2022年4月1日", "召开。"]).unwrap().is_none());
        let s = signature(&["正文。", "惠农区人民政府办公室", "2022年5月6日"]).unwrap().unwrap();
        assert_eq!((s.issuer, s.date, s.disclosure), (1, 2, None));
    }
}
