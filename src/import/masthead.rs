//! The masthead (版权页) printed around the 目录: `label：value` lines, values continued on the
//! following lines (`责任编辑：李子萌 陈子昂` / `魏效虎 马芳贤`), a value on the line after an empty
//! label (`准 印 号：` / `石新出管字〔2022〕第0093号`), and group headings such as 编辑委员会 whose
//! members are labelled `编辑委员会主任`, `编辑委员会编委`. The period line (`2022 年 第 2 期`,
//! `2023年第一期（总第25期）`, `总第25期`) and the publication line (`2022 年 7 月出版`, `出版日期：
//! 2023年3月15日`) become issue metadata.

use crate::content::{arabic_numerals, GDate, MastheadEntry};

use super::text::{key, label_prefix};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Masthead {
    pub entries: Vec<MastheadEntry>,
    /// (year, 期) as printed.
    pub period: Option<(u16, u16)>,
    /// 总第…期.
    pub total: Option<u32>,
    /// A line that reads like a period (…年第…期) but was not read as one, as printed.
    pub period_like: Option<String>,
    /// 出版日期.
    pub published: Option<GDate>,
}

impl Masthead {
    /// The value of the first entry whose label (spaces removed) is one of `labels`.
    pub fn get(&self, labels: &[&str]) -> Option<&str> {
        self.entries.iter().find(|e| labels.contains(&e.label.as_str())).map(|e| e.value.as_str())
    }

    /// Reads one region of masthead lines; regions are read separately so that a group heading
    /// does not run on across the 目录.
    pub fn read_region<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) {
        let mut group = String::new();
        let mut open = false; // whether the last entry may take continuation lines
        for line in lines {
            let line = line.trim();
            let k = key(line);
            if k.is_empty() {
                continue;
            }
            let numbered = arabic_numerals(&k).unwrap_or_else(|| k.as_str().into());
            if let Some(p) = period(&numbered) {
                self.period = p.issue.or(self.period);
                self.total = p.total.or(self.total);
                group.clear();
                open = false;
            } else if numbered.contains("年第") && numbered.contains('期') && self.period_like.is_none() {
                self.period_like = Some(join_spaces(line));
                self.entries.push(MastheadEntry { label: String::new(), value: join_spaces(line) });
            } else if let Some(d) = k.strip_suffix("出版").or_else(|| ["出版日期:", "出版时间:"].iter().find_map(|l| k.strip_prefix(l))).and_then(GDate::parse) {
                self.published = Some(d);
                group.clear();
                open = false;
            } else if k.ends_with("委员会") || k.ends_with("编委会") {
                group = k;
                open = false;
            } else if let Some((label, value)) = label_prefix(line) {
                let label = format!("{group}{}", key(label));
                self.entries.push(MastheadEntry { label, value: join_spaces(value) });
                open = true;
            } else if let (true, Some(last)) = (open, self.entries.last_mut()) {
                if !last.value.is_empty() {
                    last.value.push(' ');
                }
                last.value.push_str(&join_spaces(line));
            } else {
                // A line that belongs to no label is kept rather than lost.
                self.entries.push(MastheadEntry { label: String::new(), value: join_spaces(line) });
            }
        }
    }
}

/// A period line: (year, 期) and 总第…期, either may be printed alone.
struct Period {
    issue: Option<(u16, u16)>,
    total: Option<u32>,
}

/// `2022年第2期` → (2022, 2); `2023年第1期(总第25期)` and `总第25期` also give the total number
/// (the line as `key` and [`arabic_numerals`] leave it: 第一期 as 第1期).
fn period(k: &str) -> Option<Period> {
    // 总第25期, in brackets or not, before the period or after it
    let (total, rest) = match k.find("总第") {
        Some(at) => {
            let after = &k[at + "总第".len()..];
            let end = after.find('期')?;
            let before = k[..at].trim_end_matches(['(', '[', '【', '〔']);
            let tail = after[end + '期'.len_utf8()..].trim_start_matches([')', ']', '】', '〕']);
            (Some(after[..end].parse().ok()?), format!("{before}{tail}"))
        }
        None => (None, k.to_string()),
    };
    if rest.is_empty() {
        return Some(Period { issue: None, total });
    }
    let (year, number) = rest.split_once("年第")?;
    let number = number.strip_suffix('期')?;
    Some(Period { issue: Some((year.parse().ok()?, number.parse().ok()?)), total })
}

/// Runs of white space become one space; names keep their printed padding (`李 莹`).
fn join_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_continuations_groups_and_period() {
        let mut m = Masthead::default();
        m.read_region(["编辑委员会", "主任：宋文祥", "编委：陈云", "黄宝玮", "2022 年 第 2 期", "2022 年 7 月出版"]);
        m.read_region(["主 编：宋文祥", "责任编辑：李子萌 陈子昂", "", "李 莹 谢晓阳", "准 印 号：", "石新出管字〔2022〕第0093号"]);
        let got: Vec<(&str, &str)> = m.entries.iter().map(|e| (e.label.as_str(), e.value.as_str())).collect();
        assert_eq!(
            got,
            [
                ("编辑委员会主任", "宋文祥"),
                ("编辑委员会编委", "陈云 黄宝玮"),
                ("主编", "宋文祥"),
                ("责任编辑", "李子萌 陈子昂 李 莹 谢晓阳"),
                ("准印号", "石新出管字〔2022〕第0093号"),
            ]
        );
        assert_eq!(m.period, Some((2022, 2)));
        assert_eq!(m.published.unwrap().iso(), "2022-07");
        assert_eq!(m.get(&["刊号", "准印号"]), Some("石新出管字〔2022〕第0093号"));
        assert_eq!(m.total, None);
    }

    #[test]
    fn periods_in_chinese_numerals_with_a_total_and_a_labelled_date() {
        let mut m = Masthead::default();
        m.read_region(["总第25期", "主任：张三", "二〇二三年第一期（总第25期）", "出版日期：2023年3月15日"]);
        assert_eq!((m.period, m.total), (Some((2023, 1)), Some(25)));
        assert_eq!(m.published.unwrap().iso(), "2023-03-15");
        assert_eq!(m.entries.len(), 1, "{:?}", m.entries);
        let mut m = Masthead::default();
        m.read_region(["2023 年 第 十二 期", "总 第 36 期"]);
        assert_eq!((m.period, m.total), (Some((2023, 12)), Some(36)));
        for line in ["2022 年 第 3 期  总第25期", "总第25期 2022年第3期", "2022年第3期[总第25期]"] {
            let mut m = Masthead::default();
            m.read_region([line]);
            assert_eq!((m.period, m.total, m.entries.len()), (Some((2022, 3)), Some(25), 0), "{line}");
        }
        // a line that reads like a period but is not one is kept, to be told
        let mut m = Masthead::default();
        m.read_region(["2023年第1期增刊"]);
        assert_eq!((m.period, m.period_like.as_deref()), (None, Some("2023年第1期增刊")));
        for line in ["2023年第1期增刊", "第1期", "总第期"] {
            assert!(period(&key(line)).is_none(), "{line}");
        }
    }
}
