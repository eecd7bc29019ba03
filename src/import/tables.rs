//! Tab-separated rows → table rows. A table goes on across blank lines (a page break between
//! rows); a row with fewer cells than the header was wrapped by the extraction and is joined
//! with the line after it; a line without tabs right under a row continues that row's last cell.
//! A two-row header (`偶发事件⇥处置办法⇥` / `⇥监考人员⇥考点主考`) is merged into one.

use super::people::{self, Person};
use super::text::{marker, tidy_spaces};

pub enum TableBlock {
    Table(Vec<Vec<String>>),
    People(Vec<Person>),
}

/// Collects the table starting at line `i` (which has a tab). Returns the rows and the index of
/// the first line after the table.
pub fn collect(lines: &[&str], i: usize) -> (Vec<Vec<String>>, usize) {
    let cells = |l: &str| l.trim_end_matches(['\r', '\n']).split('\t').map(|c| c.trim().to_string()).collect::<Vec<_>>();
    let mut rows = vec![cells(lines[i])];
    let width = rows[0].len();
    let mut next = i + 1;
    let mut j = i + 1;
    while j < lines.len() {
        let line = lines[j];
        if line.trim().is_empty() {
            j += 1;
            continue;
        }
        let directly_under = j == next;
        let last = rows.last_mut().expect("a table has a first row");
        if line.contains('\t') {
            let row = cells(line);
            if last.len() < width {
                join_cells(last, row);
            } else {
                rows.push(row);
            }
        } else if last.len() < width || (directly_under && marker(line.trim()).is_none()) {
            join_cells(last, vec![line.trim().to_string()]);
        } else {
            break;
        }
        j += 1;
        next = j;
    }
    (rows, next)
}

/// The continuation `more` of a wrapped row: its first cell ends the row's last cell.
fn join_cells(row: &mut Vec<String>, more: Vec<String>) {
    let mut more = more.into_iter();
    if let (Some(last), Some(first)) = (row.last_mut(), more.next()) {
        last.push_str(&first);
    }
    row.extend(more);
}

/// A table of people (role, name, post) reads better as a list; any other table is a table with
/// its first row as the header.
pub fn classify(mut rows: Vec<Vec<String>>) -> TableBlock {
    let people: Option<Vec<Person>> = rows.iter().map(|r| people::from_cells(r)).collect();
    if let Some(people) = people.filter(|p| p.first().is_some_and(|p| p.role.is_some())) {
        return TableBlock::People(people);
    }
    merge_two_row_header(&mut rows);
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut rows {
        for cell in row.iter_mut() {
            *cell = tidy_spaces(cell);
        }
        row.resize(width, String::new());
    }
    TableBlock::Table(rows)
}

fn merge_two_row_header(rows: &mut Vec<Vec<String>>) {
    if rows.len() < 3 {
        return;
    }
    let (top, sub) = (&rows[0], &rows[1]);
    let spans = top.iter().skip(1).any(String::is_empty);
    if !spans || !sub[0].is_empty() || top[0].is_empty() || sub.len() != top.len() {
        return;
    }
    let mut carried = String::new();
    let merged: Vec<String> = top
        .iter()
        .zip(sub)
        .map(|(t, s)| {
            if !t.is_empty() {
                carried = t.clone();
            }
            match (carried.is_empty(), s.is_empty()) {
                (_, true) => carried.clone(),
                (true, false) => s.clone(),
                (false, false) => format!("{carried}：{s}"),
            }
        })
        .collect();
    rows.splice(0..2, [merged]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_continue_across_page_breaks_and_wraps() {
        let lines = ["序号\t任务\t单位", "1\t甲\t乙", "", "2\t丙的", "延续\t丁", "3\t戊\t己", "第二行", "", "说明:"];
        let (rows, next) = collect(&lines, 0);
        assert_eq!(rows, [vec!["序号", "任务", "单位"], vec!["1", "甲", "乙"], vec!["2", "丙的延续", "丁"], vec!["3", "戊", "己第二行"]]);
        assert_eq!(next, 7);
    }

    #[test]
    fn two_row_headers_merge() {
        let rows = vec![
            vec!["偶发事件".to_string(), "处置办法".into(), "".into()],
            vec!["".to_string(), "监考人员".into(), "考点主考".into()],
            vec!["1.重号".to_string(), "报告".into(), "处理".into()],
        ];
        let TableBlock::Table(rows) = classify(rows) else { panic!("not a people list") };
        assert_eq!(rows[0], ["偶发事件", "处置办法：监考人员", "处置办法：考点主考"]);
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn people_tables_become_lists() {
        let row = |a: &str, b: &str, c: &str| vec![a.to_string(), b.to_string(), c.to_string()];
        let block = classify(vec![row("组 长：", "李守府", "副区长"), row("成 员：", "郭维荣", "副部长"), row("", "马 玲", "局长")]);
        let TableBlock::People(p) = block else { panic!("not recognised as people") };
        assert_eq!(p.len(), 3);
        assert_eq!(p[2].role, None);
    }
}
