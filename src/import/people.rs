//! Lists of people (组长/副组长/成员 with name and post). Printed as a role label, then a name and
//! a post separated by spaces, one person per line; names of two characters are padded to three
//! (`王 静`). A block starts at a line with a role label and goes on over the lines of the people
//! under it; a post wrapped onto its own line (`区人力资源和社会保障` / `障局副局长`) is rejoined.

use super::text::{has_punct, is_cjk, key, label_prefix, len, tidy_spaces};

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    /// 组长, 副组长, 成员… as printed, without padding; `None` for the further people under a role.
    pub role: Option<String>,
    pub name: String,
    pub post: String,
}

/// A role label: a few Chinese characters ending the way names of roles end (组长, 成员,
/// 召集人, 主任, 顾问, 总指挥, 书记, 主席, 经理). `发行：`, `牵头单位：` are not roles.
fn role_like(label: &str) -> bool {
    let k = key(label);
    let n = len(&k);
    (1..=5).contains(&n) && k.chars().all(is_ideograph) && k.ends_with(['长', '员', '人', '任', '问', '挥', '记', '席', '理'])
}

fn is_ideograph(c: char) -> bool {
    is_cjk(c) && c.is_alphanumeric()
}

/// A signature by a person, as an order is signed (`区长 王某某`): the post and the name with the
/// space print sets between them, which tidying would take out. `None` for an issuing body.
pub fn signer(line: &str) -> Option<String> {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let [post, name] = parts[..] else { return None };
    (role_like(post) && (2..=4).contains(&len(name)) && name.chars().all(is_ideograph)).then(|| format!("{post}　{name}"))
}

/// A line that starts a people block: `组 长：刘占强 区委常委、区人民政府常务副区长`.
pub fn role_line(line: &str) -> Option<Person> {
    let (label, rest) = label_prefix(line.trim())?;
    if !role_like(label) {
        return None;
    }
    let mut p = person(rest)?;
    p.role = Some(key(label));
    Some(p)
}

/// A line under a role: `徐文华 区工业信息化和商务局局长`.
pub fn person(line: &str) -> Option<Person> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let single = |t: &str| len(t) == 1 && t.chars().all(is_ideograph);
    let (name, post) = match tokens.as_slice() {
        [a, b, post @ ..] if single(a) && single(b) && !post.is_empty() => (format!("{a}{b}"), post),
        [name, post @ ..] if !post.is_empty() => (name.to_string(), post),
        _ => return None,
    };
    let post = tidy_spaces(&post.join(" "));
    let name_ok = (2..=4).contains(&len(&name)) && name.chars().all(is_ideograph);
    let post_ok = len(&post) <= 40 && !post.contains(['，', '。', '；', ',', ';', '：', ':']);
    (name_ok && post_ok).then_some(Person { role: None, name, post })
}

/// A wrapped piece of the previous person's post: short, one word, no punctuation.
pub fn post_fragment(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && len(t) <= 12 && !t.contains(char::is_whitespace) && !has_punct(t) && t.chars().all(is_ideograph)
}

/// People from the cells of a table row: `组 长：`, `李守府`, `区人民政府副区长`, where rows after
/// the first leave the role cell empty.
pub fn from_cells(cells: &[String]) -> Option<Person> {
    let [role, name, post] = cells else { return None };
    let role = role.trim();
    let role = if role.is_empty() {
        None
    } else {
        let label = role.strip_suffix(['：', ':'])?;
        if !role_like(label) {
            return None;
        }
        Some(key(label))
    };
    let mut p = person(&format!("{} {}", name.trim(), post.trim()))?;
    p.role = role;
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_signing_keeps_the_space_between_post_and_name() {
        assert_eq!(signer("区长 王某某").as_deref(), Some("区长　王某某"));
        assert_eq!(signer("  主席  张三 ").as_deref(), Some("主席　张三"));
        for body in ["惠农区人民政府办公室", "惠农区人民政府 办公室", "区长 王 静", "区长 Wang"] {
            assert_eq!(signer(body), None, "{body}");
        }
    }

    #[test]
    fn role_lines_and_padded_names() {
        let p = role_line("召集人：王 静 区人民政府副区长").unwrap();
        assert_eq!((p.role.as_deref(), p.name.as_str(), p.post.as_str()), (Some("召集人"), "王静", "区人民政府副区长"));
        let p = role_line("成 员:宋文祥 区人民政府办公室主任").unwrap();
        assert_eq!(p.role.as_deref(), Some("成员"));
        assert_eq!(person(" 龙振菊 区财政局副局长").unwrap().name, "龙振菊");
        assert_eq!(role_line("副总指挥：孙七 区人民政府副区长").unwrap().role.as_deref(), Some("副总指挥"));
        assert_eq!(role_line("发行：内部资料 免费交流"), None);
        assert_eq!(role_line("牵头单位：区工业信息化和商务局"), None);
        assert_eq!(person("同日，市人民政府 副市长"), None);
        assert!(post_fragment(" 障局副局长"));
        assert!(!post_fragment("联席会议下设办公室，承担"));
    }

    #[test]
    fn people_from_table_cells() {
        let cells = |a: &str, b: &str, c: &str| vec![a.to_string(), b.to_string(), c.to_string()];
        assert_eq!(from_cells(&cells("组 长：", "李守府", "区人民政府副区长")).unwrap().role.as_deref(), Some("组长"));
        assert_eq!(from_cells(&cells("", "马 玲", "区民政局局长")).unwrap().name, "马玲");
        assert_eq!(from_cells(&cells("红果子镇", "2022", "1")), None);
    }
}
