//! Citations of document numbers (发文字号) in document text, and what follows from them:
//! links to cited documents of the archive, 被引用 lists, and repeals (…同时废止).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::content::{number_key, DocRef, Site};

const CLOSE: &[char] = &['〕', ']', '】', ')', '）', '］', '﹞', '﹚', '〙'];

/// A document number found in text, e.g. 惠政办发〔2022〕25号.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Byte range of the number in the text.
    pub range: Range<usize>,
    /// The number as written.
    pub text: String,
    /// Whether the sentence repeals the cited document (…同时废止, 宣布废止…).
    pub repeals: bool,
}

/// What a scan of a body found, and what it depends on besides the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    pub citations: Vec<Citation>,
    /// The candidates' tails ([`tail_of`]), sorted, without duplicates: only the archive's
    /// numbers with one of these tails can change what the scan finds (see [`Known::key_for`]).
    pub tails: Vec<String>,
}

/// Finds every document number in `text`. `known` tells which comparison keys (see
/// [`number_key`]) belong to the archive: for those, the issuer code is matched exactly, so
/// that 根据惠政办发〔2022〕8号 cites 惠政办发〔2022〕8号 and not 根据惠政办发….
pub fn find(text: &str, known: &dyn Fn(&str) -> bool) -> Vec<Citation> {
    scan(text, known).citations
}

const OPEN: &[char] = &['〔', '[', '【', '(', '（', '［', '﹝', '﹙', '〘'];

/// [`find`], with the tails of the candidates it asked `known` about.
pub fn scan(text: &str, known: &dyn Fn(&str) -> bool) -> Scan {
    let mut found: Vec<Citation> = Vec::new();
    let mut tails = Vec::new();
    // The number whose code ends at `open` and which ends at `end`, if a code is there.
    let mut cite = |open: usize, end: usize, named: bool| -> bool {
        let starts = code_starts(&text[..open]); // nearest first
        // an order's or a notice's code is a name and 令, 通告 or 公告
        if starts.len() < if named { 3 } else { 1 } {
            return false;
        }
        tails.push(number_key(&text[open..end]));
        let archived = starts.iter().rev().copied().find(|&s| known(&number_key(&text[s..end])));
        // 〔2022〕第8号 is the archive's 〔2022〕8号, but not a number of its own: a 刊号 prints
        // 第 so (石新出管字〔2022〕第0093号), and no document number does
        if archived.is_none() && !named && text[open..end].contains('第') {
            return false;
        }
        let start = archived.unwrap_or_else(|| if named { guess_name_start(text, &starts) } else { guess_code_start(text, &starts) });
        let repeals = sentence_repeals(text, start, end);
        found.push(Citation { range: start..end, text: text[start..end].to_string(), repeals });
        true
    };
    // 〔2022〕8号: at a year's opening bracket
    let mut search_from = 0;
    while let Some(rel) = text[search_from..].find(OPEN) {
        let open = search_from + rel;
        let open_len = text[open..].chars().next().map_or(1, char::len_utf8);
        search_from = open + open_len;
        if let Some(end) = tail(&text[open + open_len..]).map(|len| open + open_len + len) {
            if cite(open, end, false) {
                search_from = end;
            }
        }
    }
    // 令第5号 and 通告2023年第1号: at the two characters before the serial, found bytewise (a
    // search for every 第 stopped at each clause's 第一条, and took a third longer)
    for before in ["令第", "年第"] {
        for at in memchr::memmem::find_iter(text.as_bytes(), before.as_bytes()) {
            if let Some((open, end)) = serial_tail(text, at + before.len() - '第'.len_utf8()) {
                cite(open, end, true);
            }
        }
    }
    found.sort_by_key(|c| c.range.start);
    tails.sort_unstable();
    tails.dedup();
    Scan { citations: found, tails }
}

/// Where the issuer code before a year's bracket may start (nearest first): the run of Han
/// characters right before it, up to sixteen, in which a bracketed part of one to three Han
/// characters between two of them belongs to the code (法（研）发〔1987〕32号, a court's code)
/// but is no start of it.
fn code_starts(before: &str) -> Vec<usize> {
    let back: Vec<(usize, char)> = before.char_indices().rev().take(24).collect();
    let mut starts = Vec::new();
    let mut k = 0;
    while let Some(&(i, c)) = back.get(k).filter(|_| starts.len() < 16) {
        if is_han(c) {
            starts.push(i);
            k += 1;
            continue;
        }
        // a closing bracket after a Han character: 1–3 Han characters, the opening one, and a
        // Han character before it
        let inner = back[k + 1..].iter().take_while(|(_, c)| is_han(*c)).count();
        let bracketed = !starts.is_empty()
            && matches!(c, '）' | ')')
            && (1..=3).contains(&inner)
            && back.get(k + 1 + inner).is_some_and(|(_, c)| matches!(c, '（' | '('))
            && back.get(k + 2 + inner).is_some_and(|(_, c)| is_han(*c));
        if !bracketed {
            break;
        }
        k += inner + 2;
    }
    starts
}

/// A number's comparison key after its code (〔2022〕25号, 第5号, 2023年第1号): every key
/// `scan` asks about ends with the tail of the candidate it is reading.
fn tail_of(key: &str) -> Option<&str> {
    crate::content::number_parts(key).map(|p| &key[p.code.len()..])
}

/// The number whose serial's 第 is at `at`, with a name before it: where its code ends and where
/// it ends. An order's code ends in 令 (令第5号); a yearly count's (2023年第1号) is a 通告 or 公告.
fn serial_tail(text: &str, at: usize) -> Option<(usize, usize)> {
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let rest = &text[at + '第'.len_utf8()..];
    let digits = rest.char_indices().find(|(_, c)| !is_digit(*c)).map_or(rest.len(), |(i, _)| i);
    if digits == 0 || !rest[digits..].starts_with('号') {
        return None;
    }
    let end = at + '第'.len_utf8() + digits + '号'.len_utf8();
    // 2号楼, 3号院: a building's number
    if text[end..].starts_with(['楼', '院', '房', '栋', '室', '门', '库', '线']) {
        return None;
    }
    let before = &text[..at];
    // 人民政府令, 国务院令, 主席令, 省长令, 交通运输部令, 海关总署令, 委员会令, 银行令: who
    // issues orders; not 责令, 指令, 命令, 禁令
    if before.strip_suffix('令').is_some_and(|b| b.ends_with(['府', '院', '席', '长', '部', '委', '局', '署', '会', '行', '办'])) {
        return Some((at, end));
    }
    let year_at = before.strip_suffix('年')?.char_indices().rev().nth(3).map(|(i, _)| i)?;
    let year = &before[year_at..before.len() - '年'.len_utf8()];
    (year.chars().all(is_digit) && (text[..year_at].ends_with("通告") || text[..year_at].ends_with("公告"))).then_some((year_at, end))
}

/// After the opening bracket: four digits, a closing bracket, 第 or not, digits, 号. Returns
/// the byte length consumed.
fn tail(rest: &str) -> Option<usize> {
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let digits = |s: &str| s.char_indices().find(|(_, c)| !is_digit(*c)).map_or(s.len(), |(i, _)| i);
    let year = digits(rest);
    if rest[..year].chars().count() != 4 {
        return None;
    }
    let close = rest[year..].chars().next().filter(|c| CLOSE.contains(c))?;
    let mut after = year + close.len_utf8();
    if rest[after..].starts_with('第') {
        after += '第'.len_utf8();
    }
    let number = digits(&rest[after..]);
    let end = after + number;
    (number > 0 && rest[end..].starts_with('号')).then_some(end + '号'.len_utf8())
}

/// For numbers outside the archive: an issuer code (机关代字) is short and follows the words
/// that lead into a citation (根据, 按照, 执行, 废止…): cut after the last such word, and keep at
/// most six characters.
fn guess_code_start(text: &str, starts: &[usize]) -> usize {
    const LEAD: &[&str] = &[
        "根据", "依据", "按照", "参照", "遵照", "执行", "落实", "关于", "印发", "转发", "文件", "同时", "废止", "宣布", "请", "按", "依",
        "将", "对", "把", "由", "见", "和", "及", "与", "或", "的", "是", "经",
        // what the corpus showed before a code: 简称京缓堵函〔2017〕3号, 我院以法〔1998〕86号,
        // 北京市人民政府京政发〔1985〕167号
        "简称", "我院", "本院", "以", "政府",
        // 原温江区国土局作出温国土资发（2018）366号
        "作出", "下发",
    ];
    let window = starts[starts.len().min(8) - 1];
    let code_end = starts[0];
    let after_lead = (window..code_end)
        .rev()
        .filter(|&i| text.is_char_boundary(i))
        .find_map(|i| LEAD.iter().find(|w| text[i..].starts_with(**w)).map(|w| i + w.len()))
        .filter(|&e| starts.contains(&e));
    after_lead.unwrap_or(starts[starts.len().min(6) - 1])
}

/// For orders and notices outside the archive: the code is a government's name and 令, 通告 or
/// 公告 (宁夏回族自治区人民政府令), longer than an issuer code: the whole run of Han characters
/// before it, cut after the last word that leads into a citation.
fn guess_name_start(text: &str, starts: &[usize]) -> usize {
    let (first, code_end) = (starts[starts.len() - 1], starts[0]);
    (first..code_end)
        .rev()
        .filter(|&i| text.is_char_boundary(i))
        .find_map(|i| NAME_LEAD.iter().find(|w| text[i..].starts_with(**w)).map(|w| i + w.len()))
        .filter(|&e| starts[2..].contains(&e))
        .unwrap_or(first)
}

/// Words that lead into an order's or a notice's citation (a government's name holds none).
const NAME_LEAD: &[&str] = &[
    "根据", "依据", "依照", "按照", "参照", "遵照", "执行", "落实", "废止", "印发", "发布", "公布", "施行", "简称", "关于", "经", "以", "和", "及", "与", "或", "的",
    "见", "请", "按", "由", "对", "将", "把", "是",
];

/// Whether the sentence of a citation repeals the document cited, whole: not a part of it
/// (…〔2022〕25号）附件1同时废止, …中关于值班的规定同时废止, 废止…9号第三条).
fn sentence_repeals(text: &str, start: usize, end: usize) -> bool {
    let is_stop = |c: char| matches!(c, '。' | '；' | '\n' | '！');
    let sentence_start = text[..start].rfind(is_stop).map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let sentence_end = text[end..].find(is_stop).map_or(text.len(), |i| end + i);
    let before = &text[sentence_start..start];
    let after = &text[end..sentence_end];
    // what stands between the number and 废止 after it, or after the number when 废止 leads,
    // up to the next of a list (、《…》（…2号）: the words of another document)
    let qualifier = match after.find("废止") {
        Some(at) => &after[..at],
        None if before.contains("废止") => after,
        None => return false,
    };
    !names_a_part(qualifier.split(['、', '和', '及', '与', '《', '，', ',']).next().unwrap_or(""))
}

/// Whether words after a document's number name a part of it: its 附件, a 第…条 (款, 项, 章,
/// 节), or what it says 中 (中关于…的规定, 中第三条, 部分条款).
fn names_a_part(words: &str) -> bool {
    const PART: &[&str] = &["附件", "附表", "中", "部分", "条款", "规定", "内容", "附录"];
    if PART.iter().any(|w| words.contains(w)) {
        return true;
    }
    // 第 and numerals and a unit: not 令第735号, a number of another document
    words.match_indices('第').any(|(i, _)| {
        let rest = words[i + '第'.len_utf8()..].trim_start_matches(|c: char| c.is_ascii_digit() || "一二三四五六七八九十百零〇两".contains(c));
        rest.len() < words.len() - i - '第'.len_utf8() && rest.starts_with(['条', '款', '项', '章', '节', '部'])
    })
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The citation graph's loose ends: what the archive does not hold.
#[derive(Debug, Default, Clone)]
pub struct CrossRefs {
    /// Per document (print order), what the scan of its body found, and the key of the
    /// archive's numbers it depends on ([`Known::key_for`]): for the build cache.
    pub found: Vec<(Scan, crate::cache::Key)>,
    /// 发文字号 comparison key → URL of the document, for linking citations in text.
    pub urls: HashMap<String, String>,
    /// Numbers cited but not in the archive, with the URLs of the documents citing them.
    pub external: BTreeMap<String, Vec<String>>,
    /// The repeals read in the bodies scanned by this build (new or changed ones), as the build
    /// tells them: `惠政办发〔2022〕25号（2022/02/p003.html） 由 …（…） 废止`.
    pub repeals: Vec<String>,
}

/// The archive's document numbers: comparison key → the document's place (print order), and
/// the keys by tail, which tell what a kept scan of a body depends on. A new issue's numbers
/// thus send only the bodies that have a candidate with one of their tails to be scanned again.
pub struct Known {
    index: HashMap<String, usize>,
    by_tail: HashMap<String, Vec<String>>,
}

impl Known {
    pub fn new(site: &Site) -> Known {
        Known::of(site.documents().map(|d| d.meta.number.as_deref()))
    }

    /// The numbers of the documents in print order (`None`: a document without one).
    pub fn of<'a>(numbers: impl Iterator<Item = Option<&'a str>>) -> Known {
        let index: HashMap<String, usize> = numbers.enumerate().filter_map(|(i, n)| n.map(|n| (number_key(n), i))).collect();
        let mut by_tail: HashMap<String, Vec<String>> = HashMap::new();
        for key in index.keys() {
            if let Some(tail) = tail_of(key) {
                by_tail.entry(tail.to_string()).or_default().push(key.clone());
            }
        }
        for keys in by_tail.values_mut() {
            keys.sort_unstable();
        }
        Known { index, by_tail }
    }

    fn contains(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// A key of the archive's numbers with one of `tails`: a scan of the same body finds the
    /// same citations while this key is the same. (Most bodies have no such number: their key
    /// is made without a hasher, as it is asked for every body in every build.)
    pub fn key_for(&self, tails: &[String]) -> crate::cache::Key {
        let mut h: Option<crate::cache::Hasher> = None;
        for keys in tails.iter().filter_map(|tail| self.by_tail.get(tail)) {
            let h = h.get_or_insert_with(|| crate::cache::Hasher::new(b"numbers"));
            for key in keys {
                h.bytes(key.as_bytes());
            }
        }
        h.map_or([0; 16], |h| h.key())
    }
}

/// Scans every document body for citations and records them on the documents: `cites`,
/// `cited_by` and `repealed_by`. `kept` gives what an earlier scan found in the i-th body and
/// its key, if it was the same body and the numbers it depends on are the same.
pub fn cross_reference(site: &mut Site, known: &Known, kept: &(dyn Fn(usize) -> Option<(Scan, crate::cache::Key)> + Sync)) -> CrossRefs {
    use rayon::prelude::*;
    let docs: Vec<_> = site.documents().collect();
    let index = &known.index;
    let (found, kept_scan): (Vec<(Scan, crate::cache::Key)>, Vec<bool>) = docs
        .par_iter()
        .enumerate()
        .map(|(i, d)| match kept(i) {
            Some(found) => (found, true),
            None => {
                let scan = scan(&crate::content::shown_text(&d.body), &|key| known.contains(key));
                let key = known.key_for(&scan.tails);
                ((scan, key), false)
            }
        })
        .unzip();
    let mut repeals = Vec::new();

    let named = |i: usize| format!("{}（{}）", docs[i].meta.number.as_deref().unwrap_or(&docs[i].meta.title), docs[i].url);
    let doc_ref = |i: usize| DocRef { url: docs[i].url.clone(), title: docs[i].meta.title.clone(), number: docs[i].meta.number.clone() };
    let mut cites: Vec<Vec<DocRef>> = vec![Vec::new(); docs.len()];
    let mut cited_by: Vec<Vec<DocRef>> = vec![Vec::new(); docs.len()];
    let mut repealed_by: Vec<Option<DocRef>> = vec![None; docs.len()];
    let mut external: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (from, (scan, _)) in found.iter().enumerate() {
        for c in &scan.citations {
            match index.get(&number_key(&c.text)) {
                Some(&to) if to != from => {
                    if !cites[from].iter().any(|r| r.url == docs[to].url) {
                        cites[from].push(doc_ref(to));
                        cited_by[to].push(doc_ref(from));
                    }
                    // a document its front matter keeps 有效 is not taken as repealed: the
                    // office's word against a sentence read by rule
                    if c.repeals && repealed_by[to].is_none() && docs[to].meta.status != Some(crate::content::Status::InForce) {
                        repealed_by[to] = Some(doc_ref(from));
                        if !kept_scan[from] {
                            repeals.push(format!("{} 由 {} 废止", named(to), named(from)));
                        }
                    }
                }
                Some(_) => {}
                None => {
                    let citing = external.entry(c.text.clone()).or_default();
                    if !citing.contains(&docs[from].url) {
                        citing.push(docs[from].url.clone());
                    }
                }
            }
        }
    }
    let urls = index.iter().map(|(k, &i)| (k.clone(), docs[i].url.clone())).collect();
    let docs = site.issues.iter_mut().flat_map(|i| i.sections.iter_mut()).flat_map(|s| s.documents.iter_mut());
    for (((doc, cites), cited_by), repealed_by) in docs.zip(cites).zip(cited_by).zip(repealed_by) {
        doc.cites = cites;
        doc.cited_by = cited_by;
        doc.repealed_by = repealed_by;
    }
    CrossRefs { found, urls, external, repeals }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str, known: &[&str]) -> Vec<(String, bool)> {
        let keys: Vec<String> = known.iter().map(|n| number_key(n)).collect();
        find(text, &|k| keys.iter().any(|x| x == k)).into_iter().map(|c| (c.text, c.repeals)).collect()
    }

    #[test]
    fn finds_numbers_in_any_bracket_style() {
        let text = "根据《关于印发…的通知》（惠政办发〔2022〕25号）和惠政办发[2022]8号要求，参照国办发（2018）22号执行。";
        assert_eq!(
            numbers(text, &["惠政办发〔2022〕25号", "惠政办发〔2022〕8号"]),
            [("惠政办发〔2022〕25号".into(), false), ("惠政办发[2022]8号".into(), false), ("国办发（2018）22号".into(), false)]
        );
        // with 第 before the serial, as some print it: the archive's 8号 all the same
        assert_eq!(numbers("依照惠政办发〔2022〕第8号执行", &["惠政办发〔2022〕8号"]), [("惠政办发〔2022〕第8号".into(), false)]);
        assert!(numbers("〔2022〕第号", &[]).is_empty());
    }

    #[test]
    fn known_numbers_win_over_the_guess() {
        // 和 is dropped by the guess; a known code that itself starts with a lead word is kept.
        assert_eq!(numbers("和石政发〔2020〕1号", &[]), [("石政发〔2020〕1号".into(), false)]);
        assert_eq!(numbers("经信发〔2021〕3号", &["经信发〔2021〕3号"]), [("经信发〔2021〕3号".into(), false)]);
        // words the corpus showed before a code are not taken into it
        for (text, code) in [
            ("（以下简称京缓堵函〔2017〕3号）", "京缓堵函〔2017〕3号"),
            ("我院以法〔1998〕86号通知", "法〔1998〕86号"),
            ("我院法〔1998〕86号", "法〔1998〕86号"),
            ("北京市人民政府京政发〔1985〕167号", "京政发〔1985〕167号"),
        ] {
            assert_eq!(numbers(text, &[]), [(code.into(), false)], "{text}");
        }
    }

    #[test]
    fn a_part_repealed_is_not_the_document_repealed() {
        let known = ["惠政办发〔2022〕25号", "惠政发〔2015〕9号"];
        for part in ["（惠政办发〔2022〕25号）附件1同时废止", "（惠政办发〔2022〕25号）中关于节假日值班的规定同时废止", "废止惠政发〔2015〕9号第三条", "惠政发〔2015〕9号第十二条第二款同时废止"] {
            assert!(numbers(part, &known).iter().all(|(_, repeals)| !repeals), "{part}");
        }
        // whole, even beside an order's 第, or a title in the list saying 中 or 规定
        assert_eq!(
            numbers("惠政办发〔2022〕25号、国务院令第735号同时废止。", &known),
            [("惠政办发〔2022〕25号".into(), true), ("国务院令第735号".into(), true)]
        );
        assert_eq!(
            numbers("《甲》（惠政发〔2015〕9号）、《惠农区城市管理中心工作规定》（惠政办发〔2022〕25号）同时废止。", &known),
            [("惠政发〔2015〕9号".into(), true), ("惠政办发〔2022〕25号".into(), true)]
        );
        // a part of one in a list is still a part
        assert!(!numbers("（惠政办发〔2022〕25号）附件1和附件2同时废止", &known)[0].1);
    }

    #[test]
    fn a_bracketed_part_of_a_code_belongs_to_it() {
        // as the corpus has it; the code is not in the archive
        let text = "《关于…的解释》（法（研）发〔1987〕32号）同时废止";
        assert_eq!(numbers(text, &[]), [("法（研）发〔1987〕32号".into(), true)]);
        // in the archive, in another bracket style
        assert_eq!(numbers("根据法(研)发〔1987〕32号", &["法（研）发〔1987〕32号"]), [("法(研)发〔1987〕32号".into(), false)]);
        // not one: no Han character before it, or too long
        assert_eq!(numbers("（研）发〔1987〕32号", &[]), [("发〔1987〕32号".into(), false)]);
        assert_eq!(numbers("法（研究部门）发〔1987〕32号", &[]), [("发〔1987〕32号".into(), false)]);
        // a scan with such a number depends on the archive's numbers of its tail
        let known = Known::of([Some("法（研）发〔1987〕32号")].into_iter());
        let scan = scan(text, &|key| known.contains(key));
        assert_ne!(known.key_for(&scan.tails), [0; 16]);
    }

    #[test]
    fn words_that_lead_into_a_number_are_not_taken_into_it() {
        assert_eq!(numbers("原温江区国土局作出温国土资发（2018）366号《决定》", &[]), [("温国土资发（2018）366号".into(), false)]);
        assert_eq!(numbers("已下发川府发〔2020〕3号", &[]), [("川府发〔2020〕3号".into(), false)]);
    }

    #[test]
    fn repeal_clauses_are_recognised() {
        let text = "本办法自印发之日起施行，《惠农区…办法》（惠政办发〔2018〕82号）同时废止。请遵照执行惠政办发〔2019〕3号。";
        assert_eq!(numbers(text, &[]), [("惠政办发〔2018〕82号".into(), true), ("惠政办发〔2019〕3号".into(), false)]);
        assert_eq!(numbers("宣布废止惠政发〔2015〕9号等文件", &[]), [("惠政发〔2015〕9号".into(), true)]);
    }

    #[test]
    fn orders_and_yearly_notices_are_numbers_too() {
        let text = "依照惠农区人民政府令第5号执行；根据《医疗保障基金使用监督管理条例》（国务院令第735号）和宁夏回族自治区人民政府令第118号要求。见惠农区人民政府通告2023年第1号。";
        assert_eq!(
            numbers(text, &["惠农区人民政府令第5号"]),
            [
                ("惠农区人民政府令第5号".into(), false),
                ("国务院令第735号".into(), false),
                ("宁夏回族自治区人民政府令第118号".into(), false),
                ("惠农区人民政府通告2023年第1号".into(), false)
            ]
        );
        // a known code that a lead word ends is matched whole
        assert_eq!(numbers("经济开发区管委会令第2号", &["经济开发区管委会令第2号"]), [("经济开发区管委会令第2号".into(), false)]);
        // not numbers: no code, a 第 of a clause, a count of something else, an order given
        // (责令, 指令), a building, a 刊号
        assert!(numbers("令第5号、第三条、第5号、2023年第1号、会议2023年第1号、市令第2号", &[]).is_empty());
        assert!(numbers("区住房城乡建设局已责令第2号楼施工单位停工，并下达指令第3号文书，惠农区人民政府令第4号院内。准印号石新出管字〔2022〕第0093号", &[]).is_empty());
        // but 〔2022〕第8号 is the archive's 〔2022〕8号
        assert_eq!(numbers("依照惠政办发〔2022〕第8号", &["惠政办发〔2022〕8号"]), [("惠政办发〔2022〕第8号".into(), false)]);
        // a scan with an order depends on the archive's orders of its serial
        let known = Known::of([Some("惠农区人民政府令第5号")].into_iter());
        assert_ne!(known.key_for(&scan(text, &|key| known.contains(key)).tails), [0; 16]);
    }

    #[test]
    fn years_and_brackets_that_are_not_numbers_are_ignored() {
        assert!(numbers("（2021年—2025年）和〔2022〕号以及惠政办发〔22〕1号、[2022]", &[]).is_empty());
    }
}
