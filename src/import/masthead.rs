//! The masthead (版权页) printed around the 目录: `label：value` lines, values continued on the
//! following lines (`责任编辑：李子萌 陈子昂` / `魏效虎 马芳贤`), a value on the line after an empty
//! label (`准 印 号：` / `石新出管字〔2022〕第0093号`), and group headings such as 编辑委员会 whose
//! members are labelled `编辑委员会主任`, `编辑委员会编委`. The period line (`2022 年 第 2 期`) and
//! the publication line (`2022 年 7 月出版`) become issue metadata.

use crate::content::{GDate, MastheadEntry};

use super::text::{key, label_prefix};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Masthead {
    pub entries: Vec<MastheadEntry>,
    /// (year, 期) as printed.
    pub period: Option<(u16, u16)>,
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
            if let Some(p) = period(&k) {
                self.period = Some(p);
                group.clear();
                open = false;
            } else if let Some(d) = k.strip_suffix("出版").and_then(GDate::parse) {
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

/// `2022年第2期` → (2022, 2).
fn period(k: &str) -> Option<(u16, u16)> {
    let (year, rest) = k.split_once("年第")?;
    let number = rest.strip_suffix('期')?;
    Some((year.parse().ok()?, number.parse().ok()?))
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
    }
}
