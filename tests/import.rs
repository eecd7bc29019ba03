//! The importer on the real seed issue and on a second issue written for these tests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gongbao::import::{self, ImportError, Imported};

fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/000_0f0c576b54f59930.txt")
}

fn seed() -> String {
    std::fs::read_to_string(seed_path()).expect("the seed issue at ../shared/seeds")
}

fn fixture() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/2023-01.txt")).unwrap()
}

/// Imports into a fresh content folder and loads it back with the site loader.
fn import_and_load(text: &str, year: u16, issue: u16) -> (tempfile::TempDir, Imported, gongbao::content::Site) {
    let dir = tempfile::tempdir().unwrap();
    let imported = import::import(text, year, issue).unwrap();
    import::write(dir.path(), &imported, false).unwrap();
    let site = gongbao::content::load(dir.path(), None).unwrap_or_else(|e| panic!("imported content does not load:\n{e}"));
    (dir, imported, site)
}

/// The 13 documents as printed in the 目录 of 2022年第2期, with issuer and date from their
/// signatures: (slug, title, number, issuer, date, section, page).
/// (slug, title, number, issuer, date, section, page)
type Row = (&'static str, &'static str, Option<&'static str>, &'static str, &'static str, &'static str, u32);

const SEED_TOC: [Row; 13] = {
    const O: &str = "惠农区人民政府办公室";
    const F: &str = "惠农区人民政府办公室文件";
    const D: &str = "惠农区大事记";
    [
        ("p001", "惠农区人民政府办公室关于征集2022年度重大行政决策事项的通知", Some("惠政办发〔2022〕8号"), O, "2022-04-01", F, 1),
        ("p003", "惠农区人民政府办公室关于建立惠农区医疗保障基金监管联席会议制度的通知", Some("惠政办发〔2022〕25号"), O, "2022-04-11", F, 3),
        ("p007", "惠农区人民政府办公室关于印发《惠农区建设全国“数字供销”示范区实施方案(2021年—2025年)》的通知", Some("惠政办发〔2022〕27号"), O, "2022-04-13", F, 7),
        ("p017", "惠农区人民政府办公室关于印发惠农区教育考试突发事件应急处置预案的通知", Some("惠政办发〔2022〕28号"), O, "2022-05-13", F, 17),
        ("p033", "惠农区人民政府办公室关于印发《惠农区继续购买社会救助服务工作实施方案》的通知", Some("惠政办发〔2022〕29号"), O, "2022-05-19", F, 33),
        ("p036", "惠农区人民政府办公室关于成立惠农区自建房屋安全隐患大排查大整治行动工作领导小组的通知", Some("惠政办发〔2022〕30号"), O, "2022-05-19", F, 36),
        ("p038", "惠农区人民政府办公室关于印发惠农区自建房屋安全隐患大排查大整治行动方案的通知", Some("惠政办发〔2022〕31号"), O, "2022-05-19", F, 38),
        ("p042", "惠农区人民政府办公室关于印发惠农区住宅小区物业服务质量提升三年行动实施方案的通知", Some("惠政办发〔2022〕32号"), O, "2022-05-26", F, 42),
        ("p048", "惠农区人民政府办公室关于印发惠农区2022年政务公开工作要点的通知", Some("惠政办发〔2022〕33号"), O, "2022-05-27", F, 48),
        ("p052", "惠农区人民政府办公室关于印发惠农区铁路沿线安全环境治理联席会议制度的通知", Some("惠政办发〔2022〕37号"), O, "2022-06-16", F, 52),
        ("p055", "惠农区人民政府办公室关于印发2022年度惠农区人民政府班子成员安全生产重点工作责任清单的通知", Some("惠政办发〔2022〕39号"), O, "2022-06-08", F, 55),
        ("p060", "惠农区政府四月份大事记", None, O, "2022-05-06", D, 60),
        ("p061", "惠农区政府五月份大事记", None, O, "2022-06-07", D, 61),
    ]
};

#[test]
fn seed_documents_match_the_printed_toc() {
    let (_dir, _, site) = import_and_load(&seed(), 2022, 2);
    let issue = &site.issues[0];
    assert_eq!(issue.title, "2022年第2期");
    assert_eq!(issue.meta.date.iso(), "2022-07");
    assert_eq!(issue.meta.sections, ["惠农区人民政府办公室文件", "惠农区大事记"]);
    let docs: Vec<_> = issue.documents().collect();
    assert_eq!(docs.len(), 13);
    for (doc, (slug, title, number, issuer, date, section, page)) in docs.iter().zip(SEED_TOC) {
        let m = &doc.meta;
        assert_eq!(
            (doc.slug.as_str(), m.title.as_str(), m.number.as_deref(), m.issuer.as_str(), m.date.map(|d| d.iso()).unwrap_or_default().as_str(), m.section.as_str(), m.page),
            (slug, title, number, issuer, date, section, page)
        );
        if number.is_some() {
            assert_eq!(m.disclosure.as_deref(), Some("此件公开发布"), "{slug}");
            assert!(m.addressee.as_deref().is_some_and(|a| a.starts_with("各乡镇人民政府")), "{slug}: {:?}", m.addressee);
            assert!(!doc.body.contains(m.number.as_deref().unwrap()), "{slug}: the number is front matter only");
        }
    }
    assert_eq!(site.config.name, "石嘴山市惠农区人民政府公报");
    assert_eq!(site.config.publisher, "惠农区人民政府办公室");
    assert_eq!(site.config.supervisor.as_deref(), Some("惠农区人民政府办公室"));
    assert_eq!(site.config.serial.as_deref(), Some("石新出管字〔2022〕第0093号"));
    assert_eq!(site.config.address.as_deref(), Some("惠农区北大街394号"));
    assert_eq!(site.config.postcode.as_deref(), Some("753200"));
    assert_eq!(site.config.phone.as_deref(), Some("（0952）-3012946"));
    assert_eq!(site.config.email.as_deref(), Some("3012946@163.com"));
    assert!(site.about.as_ref().is_some_and(|a| a.title == "本刊简介" && a.body.contains("不定期刊登")));
    let labels: Vec<&str> = issue.meta.masthead.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(
        labels,
        ["编辑委员会主任", "编辑委员会编委", "主编", "责任编辑", "主管", "主办", "编辑出版", "地址", "邮编", "电话", "电子邮箱", "准印号", "印刷"]
    );
}

#[test]
fn seed_bodies_are_repaired() {
    let imported = import::import(&seed(), 2022, 2).unwrap();
    let body = |slug: &str| &imported.documents.iter().find(|d| d.slug == slug).unwrap().body;
    // paragraphs cut at page breaks are whole again
    for (slug, seam) in [
        ("p007", "成立惠农区“数字供销”工作推进领导小组"),
        ("p003", "确保广大参保人“看病钱”"),
        ("p017", "红果子交警大队：负责教育考试期间"),
        ("p052", "建立联动机制"),
        ("p055", "召开1次安全生产形势分析会"),
    ] {
        assert!(body(slug).contains(seam), "{slug}: {seam}");
    }
    // outline, enclosed document, attachments, people, tables
    assert!(body("p001").contains("\n### 一、重大行政决策的范围\n"));
    assert!(body("p001").contains("\n1\\.制定有关经济调节"), "list dashes dropped, numbers escaped");
    assert!(body("p001").contains("\n## 附件　惠农区人民政府2022年度重大行政决策事项征集单 {#fujian}\n"));
    assert!(body("p003").contains("\n## 惠农区医疗保障基金监管联席会议制度 {#wenben}\n"));
    assert!(body("p003").contains("\n## 附件1　联席会议成员名单 {#fujian-1}\n"));
    assert!(body("p003").contains("\n## 附件2　联席会议成员单位职责 {#fujian-2}\n"));
    assert!(body("p003").contains("成员：温永涛　区发展和改革局副局长\\\n龙振菊　区财政局副局长\\\n袁娜　区人力资源和社会保障障局副局长\\\n"));
    assert!(body("p017").contains("\n#### （一）发生试卷、试题失(泄)密突发事件应急处置措施\n"));
    assert!(body("p017").contains("| 偶发事件 | 处置办法：监考人员 | 处置办法：考点主考 |\n| --- | --- | --- |\n"));
    assert!(body("p042").contains("组长：李守府　区人民政府副区长"));
    assert!(body("p001").starts_with("各乡镇人民政府、街道办事处，区政府各部门、直属单位，驻惠各单位：\n\n"));
    assert!(body("p001").contains("\n\n惠农区人民政府办公室\n\n2022年4月1日\n\n（此件公开发布）\n\n"));
    // every row of the 27号 task table is one table row: a header, its rule and 20 rows
    let table_rows = body("p007").lines().filter(|l| l.starts_with("| ")).count();
    assert_eq!(table_rows, 22);
    for doc in &imported.documents {
        for line in doc.body.lines() {
            assert!(!line.starts_with("- ") && !line.starts_with('<'), "{}: {line}", doc.slug);
            assert!(!line.contains('\t'), "{}: tab left in {line}", doc.slug);
        }
    }
}

/// Chinese characters and digits of `text`, counted.
fn census(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text.chars().filter(|&c| c.is_ascii_digit() || ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

#[test]
fn nothing_of_the_seed_is_lost() {
    let text = seed();
    // Lines 1–23 are the cover, 36–74 the 目录 (from 「目 录」 to the last entry), as printed.
    let source: String = text
        .lines()
        .enumerate()
        .filter(|(i, _)| !(0..23).contains(i) && !(35..74).contains(i))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let imported = import::import(&text, 2022, 2).unwrap();
    let mut output = format!("{}年第{}期{}出版", imported.meta.year, imported.meta.number, imported.meta.date.chinese());
    for e in &imported.meta.masthead {
        output.push_str(&e.label);
        output.push_str(&e.value);
    }
    for d in &imported.documents {
        output.push_str(&d.front.title);
        output.push_str(d.front.number.as_deref().unwrap_or(""));
        output.push_str(&d.body);
    }
    output.push_str(&imported.site.name);
    output.push_str(imported.about.as_deref().unwrap_or(""));
    let (want, got) = (census(&source), census(&output));
    let mut missing: Vec<(char, usize, usize)> =
        want.iter().filter(|(c, n)| got.get(c).copied().unwrap_or(0) < **n).map(|(c, n)| (*c, *n, got.get(c).copied().unwrap_or(0))).collect();
    missing.sort();
    assert!(missing.is_empty(), "characters lost (char, in source, in output): {missing:?}");
    // and nothing is invented wholesale: the output is not more than the source plus metadata
    let (n_src, n_out) = (want.values().sum::<usize>(), got.values().sum::<usize>());
    assert!(n_out < n_src + n_src / 50, "{n_out} characters out for {n_src} in");
}

#[test]
fn committed_content_is_exactly_the_import_of_the_seed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let dir = tempfile::tempdir().unwrap();
    import::run(&seed_path(), 2022, 2, dir.path(), false).unwrap();
    let list = |p: &Path| {
        let mut names: Vec<String> = std::fs::read_dir(p).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        names
    };
    let (committed, fresh) = (root.join("2022/02"), dir.path().join("2022/02"));
    assert_eq!(list(&committed), list(&fresh));
    for name in list(&fresh) {
        let (a, b) = (std::fs::read(committed.join(&name)).unwrap(), std::fs::read(fresh.join(&name)).unwrap());
        assert!(a == b, "content/2022/02/{name} differs from a fresh import: re-run the importer, do not edit by hand");
    }
    for name in ["site.toml", "about.md"] {
        assert_eq!(std::fs::read(root.join(name)).unwrap(), std::fs::read(dir.path().join(name)).unwrap(), "{name}");
    }
}

#[test]
fn gbk_copy_imports_identically() {
    let text = seed();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable, "the seed is representable in GBK");
    let decoded = import::encoding::decode(&gbk).unwrap();
    assert_eq!(import::import(&decoded, 2022, 2).unwrap(), import::import(&text, 2022, 2).unwrap());
    // and through the command, from a file
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gbk.txt");
    std::fs::write(&file, &gbk).unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    import::run(&file, 2022, 2, &a, false).unwrap();
    import::run(&seed_path(), 2022, 2, &b, false).unwrap();
    for name in ["issue.toml", "p001.md", "p060.md"] {
        assert_eq!(std::fs::read(a.join("2022/02").join(name)).unwrap(), std::fs::read(b.join("2022/02").join(name)).unwrap());
    }
}

#[test]
fn second_issue_with_another_mix() {
    let (_dir, imported, site) = import_and_load(&fixture(), 2023, 1);
    let issue = &site.issues[0];
    assert_eq!(issue.meta.sections, ["惠农区人民政府文件", "惠农区人民政府办公室文件", "惠农区大事记"]);
    assert_eq!(issue.meta.date.iso(), "2023-03");
    let got: Vec<(&str, Option<&str>, &str, u32)> =
        issue.documents().map(|d| (d.slug.as_str(), d.meta.number.as_deref(), d.meta.issuer.as_str(), d.meta.page)).collect();
    assert_eq!(
        got,
        [
            ("p001", Some("惠政发〔2023〕3号"), "惠农区人民政府", 1),
            ("p005", Some("惠政办发〔2023〕5号"), "惠农区人民政府办公室", 5),
            ("p005-2", Some("惠政办发〔2023〕6号"), "惠农区人民政府办公室", 5),
            ("p009", None, "惠农区人民政府办公室", 9),
        ]
    );
    let body = |slug: &str| &imported.documents.iter().find(|d| d.slug == slug).unwrap().body;
    // the repeal stays in the text, where the renderer can link it
    assert!(body("p001").contains("（惠政办发〔2018〕82号）同时废止。"));
    // a table across a page break with a wrapped row, escaped cells
    assert!(body("p001").contains("| 特种行业用水 | 12.00 | 洗车、洗浴\\|桶装水 |\n| 工程施工临时用水 | 6.50 | 按实际用水量计收 |"));
    assert!(body("p001").contains("公示\\&接受监督。"));
    assert!(body("p005").contains("## 附件1　防汛抗旱指挥部成员单位职责 {#fujian-1}"));
    assert!(body("p005").contains("## 附件2　防汛重点部位清单 {#fujian-2}"));
    assert!(body("p005").contains("区应急管理局：负责组织协调抢险救灾工作。"));
    assert!(body("p005").contains("总指挥：赵六　区人民政府区长\n\n副总指挥：孙七　区人民政府副区长\\\n周八　区农业农村和水务局局长"));
    assert!(body("p005").contains("钱十一　区自然资源局局长"));
    let late = site.documents().find(|d| d.slug == "p005-2").unwrap();
    assert_eq!(late.meta.disclosure, None, "printed without （此件公开发布）");
    assert!(body("p009").contains("要求各企业落实主体责任，严防各类事故发生。"));
    assert_eq!(site.config.serial.as_deref(), Some("石新出管字〔2023〕第0007号"));
    assert!(site.about.is_some());
}

/// `2022年4月1日` as documents signed before GB/T 9704-2012 print it: 二〇二二年四月一日.
fn in_chinese_numerals(date: &str, zero: char) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let counted = |n: u32| match (n / 10, n % 10) {
        (0, u) => DIGITS[u as usize].to_string(),
        (t, u) => format!("{}十{}", if t == 1 { String::new() } else { DIGITS[t as usize].to_string() }, if u == 0 { String::new() } else { DIGITS[u as usize].to_string() }),
    };
    let d = gongbao::content::GDate::parse(date).unwrap();
    let year: String = d.year.to_string().chars().map(|c| if c == '0' { zero } else { DIGITS[c.to_digit(10).unwrap() as usize] }).collect();
    format!("{year}年{}月{}日", counted(d.month as u32), counted(d.day.unwrap() as u32))
}

#[test]
fn signatures_dated_in_chinese_numerals_import_as_printed() {
    // Every signature of the seed dated as older issues print it, the zero of the year as
    // extraction gives it (〇, ○, or a letter O).
    let zeros = ['〇', '○', 'O'];
    let mut signed: Vec<String> = Vec::new();
    let text: String = seed()
        .lines()
        .map(|line| match gongbao::content::GDate::parse(line).filter(|d| d.day.is_some() && line.ends_with('日')) {
            Some(_) => {
                signed.push(in_chinese_numerals(line, zeros[(signed.len() + 1) % 3]));
                format!("{}\n", signed.last().unwrap())
            }
            None => format!("{line}\n"),
        })
        .collect();
    assert_eq!(signed.len(), 13, "one signature per document");
    assert!(text.contains("\n二○二二年四月一日\n") && text.contains("\n二O二二年四月十一日\n") && text.contains("\n二〇二二年五月二十七日\n"));
    let (_dir, imported, site) = import_and_load(&text, 2022, 2);
    let printed = import::import(&seed(), 2022, 2).unwrap();
    assert_eq!(imported.documents.len(), 13);
    for ((got, want), line) in imported.documents.iter().zip(&printed.documents).zip(&signed) {
        assert_eq!(got.front, want.front, "{}: the same metadata, 成文日期 included", got.slug);
        // the signature as printed, in the body
        let arabic = format!("\n\n{}\n", want.front.date.unwrap().chinese());
        assert_eq!(got.body, want.body.replacen(&arabic, &format!("\n\n{line}\n"), 1), "{}", got.slug);
    }
    let p001 = site.documents().find(|d| d.slug == "p001").unwrap();
    assert_eq!(p001.meta.date.map(|d| d.iso()).as_deref(), Some("2022-04-01"));
}

#[test]
fn the_issue_is_read_in_chinese_numerals_with_its_total_number() {
    let seed = seed();
    let expected = import::import(&seed, 2022, 2).unwrap();
    assert!(seed.contains("\n2022 年 第 2 期\n") && seed.contains("\n2022 年 7 月出版\n"));
    // the period as older gazettes print it, the total number after it, the running header too
    let mut text = seed.replacen("\n2022 年 第 2 期\n", "\n二〇二二年第二期（总第102期）\n", 1);
    let cut = "为进一步规范重大行政决策程序，";
    text = text.replacen(cut, &format!("{cut}\n\n石嘴山市惠农区人民政府公报 二〇二二年第二期\n\n"), 1);
    let imported = import::import(&text, 2022, 2).unwrap();
    assert_eq!(imported.meta.total_number, Some(102));
    assert_eq!(imported.documents, expected.documents, "the running header dropped");
    assert_eq!((imported.meta.date, &imported.meta.masthead), (expected.meta.date, &expected.meta.masthead));
    // so a wrong --issue is refused, as with Arabic numerals
    let err = import::import(&text, 2022, 3).unwrap_err();
    assert_eq!(err.to_string(), "文本印的是 2022年第2期，与参数 --year 2022 --issue 3 不符");
    // a labelled publication date is the issue's date, not a masthead line
    let labelled = seed.replacen("\n2022 年 7 月出版\n", "\n出版日期：2022年7月15日\n", 1);
    let imported = import::import(&labelled, 2022, 2).unwrap();
    assert_eq!(imported.meta.date.iso(), "2022-07-15");
    assert_eq!(imported.meta.masthead, expected.meta.masthead);
    // a cover with no masthead before the 目录: the period and date are read from it
    let toc = seed.find("\n目 录\n").unwrap();
    let plain = format!("石嘴山市惠农区人民政府公报\n\n2022年第2期（总第58期）\n\n2022年7月出版\n{}", &seed[toc..]);
    let imported = import::import(&plain, 2022, 2).unwrap();
    assert_eq!((imported.meta.date.iso().as_str(), imported.meta.total_number), ("2022-07", Some(58)));
    assert!(!imported.notes.iter().any(|n| n.contains("期次") || n.contains("出版日期")), "{:?}", imported.notes);
    assert!(!imported.meta.masthead.iter().any(|m| m.value.contains("人民政府公报")), "the cover's name is no masthead entry");
    // neither printed: the import goes ahead on the arguments and the latest document, and says so
    let bare = seed.replacen("\n2022 年 第 2 期\n", "\n", 1).replacen("\n2022 年 7 月出版\n", "\n", 1);
    let imported = import::import(&bare, 2022, 2).unwrap();
    assert_eq!(imported.meta.date.iso(), "2022-06");
    assert_eq!(
        imported.notes,
        [
            "文本中没有找到期次（如「2022年第2期」）：按参数记为 2022年第2期，请与印刷版核对",
            "文本中没有找到出版日期（如「2022年7月出版」）：issue.toml 的 date 暂记为 2022年6月，请按印刷版改正",
        ]
    );
}

#[test]
fn a_document_printed_without_a_signature_is_imported_for_the_office_to_date() {
    let seed = seed();
    let expected = import::import(&seed, 2022, 2).unwrap();
    let signature = "\n惠农区人民政府办公室\n\n2022年6月7日\n";
    assert_eq!(seed.matches(signature).count(), 1, "p061's signature");
    let text = seed.replacen(signature, "\n", 1);
    let imported = import::import(&text, 2022, 2).unwrap();
    assert_eq!(imported.documents[..12], expected.documents[..12]);
    let (got, want) = (&imported.documents[12], &expected.documents[12]);
    assert_eq!(got.slug, "p061");
    assert!(!got.signed && want.signed);
    assert_eq!((got.front.issuer.as_str(), got.front.disclosure.as_deref()), ("", None));
    assert_eq!((&got.front.title, &got.front.section, got.front.page), (&want.front.title, &want.front.section, want.front.page));
    // every line of its text is kept, the disclosure too, as text
    let kept = want.body.replacen("\n\n惠农区人民政府办公室\n\n2022年6月7日", "", 1);
    assert_eq!(got.body, kept);
    assert_eq!(got.front.date, None);
    assert_eq!(imported.notes, ["p061.md（惠农区政府五月份大事记）正文中没有找到落款（发文机关一行，下一行为成文日期，如 2022年4月1日）：发文机关（issuer）留空，请按印刷版填写后再生成；成文日期（date）也留空，印刷版有的请填写"]);

    // written with the two fields empty under a word; the build names the file and line until
    // the issuer is filled in; a 大事记 printed without a date may stay without one
    let dir = tempfile::tempdir().unwrap();
    let (content, file) = (dir.path().join("content"), dir.path().join("issue.txt"));
    std::fs::write(&file, &text).unwrap();
    import::run(&file, 2022, 2, &content, false).unwrap();
    let md = std::fs::read_to_string(content.join("2022/02/p061.md")).unwrap();
    assert!(md.starts_with("+++\ntitle = \"惠农区政府五月份大事记\"\n# 导入时正文中没有找到落款：请按印刷版填写发文机关（issuer）；成文日期（date，如 2022-04-01）印刷版没有的，留空即可\nissuer = \"\"\ndate = \"\"\nsection = \"惠农区大事记\"\n"), "{md}");
    let build = |content: &Path| gongbao::build(&gongbao::BuildOptions { content: content.to_path_buf(), output: dir.path().join("public"), base_url: None, full: false });
    let err = build(&content).unwrap_err().to_string();
    assert!(err.contains("2022/02/p061.md:4: 发文机关（issuer）不能为空"), "{err}");
    assert!(!dir.path().join("public").exists());
    std::fs::write(content.join("2022/02/p061.md"), md.replace("issuer = \"\"", "issuer = \"惠农区人民政府办公室\"")).unwrap();
    build(&content).unwrap();
    // without a 成文日期 row; the search shows no date for it, and it counts from the issue's
    // 出版日期 among the others (the newest: the issue came out in July)
    let page = std::fs::read_to_string(dir.path().join("public/2022/02/p061.html")).unwrap();
    assert!(!page.contains("成文日期") && page.contains("<th scope=\"row\">刊载期次</th>"), "{page}");
    let site = gongbao::content::load(&content, None).unwrap();
    let order = gongbao::search::index::document_order(&site);
    assert_eq!(site.documents().nth(*order.last().unwrap()).unwrap().slug, "p061");
    // the open data give it an empty date, as its number when it has none
    let data = std::fs::read_to_string(dir.path().join("public/data/documents.json")).unwrap();
    assert!(data.contains("\"url\": \"2022/02/p061.html\""), "{data}");
    let record: serde_json::Value = serde_json::from_str::<Vec<serde_json::Value>>(&data).unwrap().into_iter().find(|r| r["url"] == "2022/02/p061.html").unwrap();
    assert_eq!(record["date"], "");
}

#[test]
fn orders_and_notices_counted_by_year_are_read_and_linked() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/2023-05-order.txt")).unwrap();
    let (dir, imported, site) = import_and_load(&text, 2023, 5);
    let got: Vec<(&str, Option<&str>, &str, &str)> =
        site.documents().map(|d| (d.slug.as_str(), d.meta.number.as_deref(), d.meta.issuer.as_str(), d.meta.section.as_str())).collect();
    assert_eq!(
        got,
        [
            // printed as orders are: its number on two lines over the words that publish the
            // regulation, signed by the head of the government, the regulation's title below
            ("p001", Some("惠农区人民政府令第5号"), "惠农区人民政府", "区政府令"),
            ("p004", Some("惠农区人民政府通告2023年第1号"), "惠农区人民政府", "区政府文件"),
            ("p005", Some("惠政办发〔2023〕9号"), "惠农区人民政府办公室", "区政府文件"),
        ]
    );
    let order = &imported.documents[0].body;
    assert!(order.starts_with("《惠农区城市绿化管理办法》已经2023年8月5日"), "{order}");
    assert!(order.contains("起施行。\n\n区长　王某某\n\n2023年8月10日\n\n## 惠农区城市绿化管理办法"), "signed as printed: {order}");
    assert!(order.contains("## 惠农区城市绿化管理办法 {#wenben}\n\n### 第一章　总则\n\n第一条　为了促进"), "{order}");
    assert!(order.contains("第二条　本办法适用于本区城市规划区内城市绿化的规划、建设、保护和管理。"), "{order}");
    // a 通告 opens with no 主送机关
    assert_eq!(imported.documents[1].front.addressee, None);

    // built: the citations of both are links, the order counted without a year in the 文号索引
    let built = tempfile::tempdir().unwrap();
    let out = built.path().join("public");
    gongbao::build(&gongbao::BuildOptions { content: dir.path().to_path_buf(), output: out.clone(), base_url: None, full: false }).unwrap();
    let page = std::fs::read_to_string(out.join("2023/05/p005.html")).unwrap();
    assert!(page.contains("请依照<a class=\"cite\" href=\"../../2023/05/p001.html\">惠农区人民政府令第5号</a>和宁夏回族自治区人民政府令第118号"), "{page}");
    assert!(page.contains("<a class=\"cite\" href=\"../../2023/05/p004.html\">惠农区人民政府通告2023年第1号</a>"));
    let index = std::fs::read_to_string(out.join("wenhao.html")).unwrap();
    assert!(index.contains("<h2 id=\"惠农区人民政府令\">惠农区人民政府令</h2>\n  \n  \n  <ul class=\"wenhao-list\">"), "{index}");
    assert!(!index.contains("<h3>年</h3>"));
    // several codes: a list of them to jump to, each to its group's heading, with its count
    let jumps: Vec<&str> = index.split("<a href=\"#").skip(1).map(|a| a.split('"').next().unwrap()).collect();
    assert_eq!(jumps, ["惠农区人民政府令", "惠农区人民政府通告", "惠政办发"], "{index}");
    assert!(index.contains("<a href=\"#惠农区人民政府通告\">惠农区人民政府通告</a> <span class=\"muted\">1</span>"), "{index}");
    assert!(index.contains("<h2 id=\"惠农区人民政府通告\">"));
}

#[test]
fn bad_input_fails_with_the_entry_named_and_writes_nothing() {
    let err = import::import("只有正文，没有目录。", 2022, 2).unwrap_err();
    assert!(matches!(err, ImportError::NoToc), "{err}");

    let text = seed().replacen("\n惠政办发〔2022〕29号\n", "\n\n", 1);
    let err = import::import(&text, 2022, 2).unwrap_err().to_string();
    assert!(err.contains("惠农区人民政府办公室关于印发《惠农区继续购买社会救助服务工作实施方案》的通知") && err.contains("惠政办发〔2022〕29号"), "{err}");

    let err = import::import(&seed(), 2022, 3).unwrap_err().to_string();
    assert!(err.contains("2022年第2期"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, &text).unwrap();
    let err = import::run(&bad, 2022, 2, &dir.path().join("content"), false).unwrap_err().to_string();
    // at the line of the entry in the 目录, as the build names a file and line
    let entry_line = text.lines().position(|l| l.contains("惠农区继续购买社会救助服务工作实施方案")).unwrap() + 1;
    assert!(err.starts_with(&format!("{}:{entry_line}: 目录条目", bad.display())), "{err}");
    assert!(!dir.path().join("content").exists(), "nothing written on failure");
}

#[test]
fn an_existing_issue_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path();
    import::run(&seed_path(), 2022, 2, content, false).unwrap();
    std::fs::write(content.join("2022/02/issue.pdf"), b"%PDF").unwrap();
    std::fs::write(content.join("2022/02/p001.md"), "edited").unwrap();
    std::fs::write(content.join("site.toml"), "name = \"edited\"\npublisher = \"x\"\n").unwrap();
    let err = import::run(&seed_path(), 2022, 2, content, false).unwrap_err().to_string();
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(content.join("2022/02/p001.md")).unwrap(), "edited");
    // the office's additions beside it: pictures in a folder, a document added by hand
    std::fs::create_dir_all(content.join("2022/02/images")).unwrap();
    std::fs::write(content.join("2022/02/images/photo.png"), b"\x89PNG").unwrap();
    std::fs::write(content.join("2022/02/p070.md"), "added by hand").unwrap();
    // the print PDF named, and a correction linking the pictures and an attachment
    let issue_toml = content.join("2022/02/issue.toml");
    std::fs::write(&issue_toml, "pdf = \"issue.pdf\"\n".to_string() + &std::fs::read_to_string(&issue_toml).unwrap()).unwrap();
    std::fs::write(content.join("2022/02/附件1.xlsx"), b"PK").unwrap();
    let p007 = content.join("2022/02/p007.md");
    std::fs::write(&p007, std::fs::read_to_string(&p007).unwrap() + "\n![现场](images/photo.png)\n\n[附件1](%E9%99%84%E4%BB%B61.xlsx)\n").unwrap();
    let summary = import::run(&seed_path(), 2022, 2, content, true).unwrap();
    assert!(std::fs::read_to_string(&issue_toml).unwrap().contains("\npdf = \"issue.pdf\""), "the print PDF stays named");
    assert!(summary.contains("注意：重写的文件不再链接这些图片或附件，生成网站时将不再发布，请把链接补回：p007.md（images、附件1.xlsx）"), "{summary}");
    assert!(std::fs::read_to_string(content.join("2022/02/p001.md")).unwrap().starts_with("+++"));
    assert_eq!(std::fs::read(content.join("2022/02/issue.pdf")).unwrap(), b"%PDF", "the print PDF is kept");
    assert_eq!(std::fs::read(content.join("2022/02/images/photo.png")).unwrap(), b"\x89PNG", "a folder of pictures is kept");
    assert!(std::fs::read_to_string(content.join("site.toml")).unwrap().contains("edited"), "site.toml is the office's");
    // what the import overwrote or left out is told, and kept where the build does not look
    let kept = content.join("2022/.02.import-old");
    assert!(summary.contains("注意：改动过的文件已按导入结果重写：issue.toml、p001.md、p007.md"), "{summary}");
    assert!(summary.contains("注意：导入结果中没有的文件已移出：p070.md"), "{summary}");
    assert!(summary.contains(&format!("注意：原有的本期文件保存在 {}（隐藏文件夹，生成网站时不读取）", kept.display())), "{summary}");
    assert_eq!(std::fs::read_to_string(kept.join("p001.md")).unwrap(), "edited");
    assert_eq!(std::fs::read_to_string(kept.join("p070.md")).unwrap(), "added by hand");
    assert!(!content.join("2022/02/p070.md").exists());
    // replaced again, with nothing of the office's lost: nothing kept, the earlier copy stays
    let summary = import::run(&seed_path(), 2022, 2, content, true).unwrap();
    assert!(!summary.contains("注意"), "{summary}");
    let left: Vec<_> = std::fs::read_dir(content.join("2022")).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name().into_string().unwrap()).collect();
    assert_eq!(left.len(), 2, "no temporary folders left behind: {left:?}");
    assert!(kept.join("p070.md").exists());
}

#[test]
fn malformed_and_truncated_input_never_panics() {
    let text = seed();
    let lines: Vec<&str> = text.lines().collect();
    // every prefix and suffix at a stride, and the text with each 97th line dropped
    for cut in (0..lines.len()).step_by(41) {
        let _ = import::import(&lines[..cut].join("\n"), 2022, 2);
        let _ = import::import(&lines[cut..].join("\n"), 2022, 2);
    }
    let thinned: Vec<&str> = lines.iter().enumerate().filter(|(i, _)| i % 97 != 50).map(|(_, l)| *l).collect();
    let _ = import::import(&thinned.join("\n"), 2022, 2);
    for odd in ["", "\n\n", "目录", "目录\n\t1", "目录\n（惠政发〔2022〕1号）……1", "目录\n甲……99999\n甲", "目录\n【】\n甲……1\n甲\n2022年1月1日"] {
        let _ = import::import(odd, 2022, 2);
    }
}

#[test]
fn imported_markdown_has_no_raw_html_and_keeps_printed_numbers() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES;
    for (text, year, issue) in [(seed(), 2022, 2), (fixture(), 2023, 1)] {
        let imported = import::import(&text, year, issue).unwrap();
        let bodies = imported.documents.iter().map(|d| (d.slug.clone(), d.body.clone())).chain(imported.about.clone().map(|a| ("about".into(), a)));
        for (slug, body) in bodies {
            let mut ids = Vec::new();
            for event in Parser::new_ext(&body, options) {
                match event {
                    Event::Html(h) | Event::InlineHtml(h) => panic!("{slug}: raw HTML {h}"),
                    Event::Start(Tag::List(_)) => panic!("{slug}: printed numbering became a Markdown list"),
                    Event::Start(Tag::Heading { id: Some(id), .. }) => ids.push(id.to_string()),
                    _ => {}
                }
            }
            if body.contains("{#wenben}") {
                assert!(ids.contains(&"wenben".to_string()), "{slug}: {ids:?}");
            }
        }
    }
}

/// Other gazettes print their 目录 otherwise: the page in parentheses or with 页, sections in 〖〗,
/// the 发文字号 after a space without parentheses, titles wrapped onto two lines or shortened. Each
/// reads as the seed's own layout does.
#[test]
fn other_layouts_of_the_toc_import_as_the_seed_does() {
    let seed = seed();
    let toc_end = seed.find("主 编").expect("the masthead after the 目录");
    let (toc, rest) = seed.split_at(toc_end);
    let expected = import::import(&seed, 2022, 2).unwrap();
    // every page as ……（N）
    let in_parentheses: String = toc.lines().map(|l| match l.rsplit_once('\t') { Some((text, page)) => format!("{text}……（{page}）\n"), None => format!("{l}\n") }).collect();
    assert!(in_parentheses.contains("(惠政办发〔2022〕8号)……（1）") && !in_parentheses.contains('\t'), "{in_parentheses}");
    assert_eq!(import::import(&format!("{in_parentheses}{rest}"), 2022, 2).unwrap(), expected);
    // every page as 第N页 after a space, every section in 〖〗
    let paged: String = toc
        .lines()
        .map(|l| match l.rsplit_once('\t') {
            Some((text, page)) => format!("{text} 第{page}页\n"),
            None => format!("{}\n", l.replace('【', "〖").replace('】', "〗")),
        })
        .collect();
    assert!(paged.contains("〖惠农区大事记〗") && paged.contains(") 第1页"), "{paged}");
    assert_eq!(import::import(&format!("{paged}{rest}"), 2022, 2).unwrap(), expected);
    // a number after the title and a full-width space
    let spaced = seed.replacen("的通知 (惠政办发〔2022〕8号)\t1", "的通知　惠政办发〔2022〕8号\t1", 1);
    assert_ne!(spaced, seed);
    assert_eq!(import::import(&spaced, 2022, 2).unwrap(), expected);
    // a one-line entry's title wrapped onto two lines, and a page's footer before an entry
    let wrapped = seed.replacen("\n惠农区人民政府办公室关于征集 2022", "\n惠农区人民政府办公室关于征集\n2022", 1);
    let footer = seed.replacen("\n惠农区人民政府办公室关于建立", "\n— 2 —\n惠农区人民政府办公室关于建立", 1);
    for text in [wrapped, footer] {
        assert_ne!(text, seed);
        assert_eq!(import::import(&text, 2022, 2).unwrap(), expected);
    }
    // a title the 目录 prints without its issuer: the document keeps the title over its body
    let short = seed.replacen("\n惠农区人民政府办公室关于建立惠农区医疗", "\n关于建立惠农区医疗", 1);
    let imported = import::import(&short, 2022, 2).unwrap();
    assert_eq!((&imported.documents, &imported.meta), (&expected.documents, &expected.meta));
    assert_eq!(imported.notes.len(), 1, "{:?}", imported.notes);
    assert!(imported.notes[0].contains("「关于建立惠农区医疗保障基金监管联席会议制度的通知」"), "{:?}", imported.notes);
}

/// The seed with its 目录's section headings printed bare, the second as `events`.
fn bare_toc(seed: &str, events: &str) -> String {
    let bare = seed.replacen("【惠农区人民政府办公室文件】", "惠农区人民政府办公室文件", 1).replacen("【惠农区大事记】", events, 1);
    assert!(!bare[..bare.find("主 编").unwrap()].contains('【'), "every heading bare");
    bare
}

/// A section's heading printed without brackets in the 目录 is read as the section, and told;
/// printed again in the body over the section's first document, bracketed or not, or atop a
/// page in brackets, it is the print's: not the last line of the document before, nor a
/// paragraph.
#[test]
fn bare_section_headings_and_headings_over_a_section_are_read() {
    let seed = seed();
    let expected = import::import(&seed, 2022, 2).unwrap();
    let bare = bare_toc(&seed, "惠 农 区 大 事 记");
    let imported = import::import(&bare, 2022, 2).unwrap();
    assert_eq!((&imported.documents, &imported.meta, &imported.site), (&expected.documents, &expected.meta, &expected.site));
    assert_eq!(imported.notes.len(), 2, "{:?}", imported.notes);
    assert!(imported.notes[0].starts_with("目录第 38 行「惠农区人民政府办公室文件」"), "{:?}", imported.notes);
    assert!(imported.notes[1].starts_with("目录第 70 行「惠农区大事记」"), "{:?}", imported.notes);
    // over a two-line entry, after a page's footer
    let two_lines = bare.replacen("\n惠农区人民政府办公室关于印发惠农区住宅小区", "\n— 2 —\n住宅小区物业专栏\n惠农区人民政府办公室关于印发惠农区住宅小区", 1);
    let imported = import::import(&two_lines, 2022, 2).unwrap();
    let sections: Vec<&str> = imported.documents.iter().map(|d| d.front.section.as_str()).collect();
    assert_eq!(&sections[6..9], ["惠农区人民政府办公室文件", "住宅小区物业专栏", "住宅小区物业专栏"]);
    assert_eq!(imported.meta.sections, ["惠农区人民政府办公室文件", "住宅小区物业专栏", "惠农区大事记"]);
    assert_eq!(imported.documents[7].front.title, expected.documents[7].front.title);
    assert_eq!(imported.notes.len(), 3, "{:?}", imported.notes);
    // in a 目录 that brackets its headings, a bare line is no heading
    let mixed = seed.replacen("\n惠农区人民政府办公室关于印发惠农区住宅小区", "\n住宅小区物业专栏\n惠农区人民政府办公室关于印发惠农区住宅小区", 1);
    assert_eq!(import::import(&mixed, 2022, 2).unwrap().meta.sections, expected.meta.sections);

    // the headings in the body, over the first document and over the first 大事记
    // (bare in the 目录 too: there the heading over the first title reads as its first line as well)
    for (toc, over_first, over_events) in
        [(&seed, "【惠农区人民政府办公室文件】", "【惠农区大事记】"), (&seed, "惠农区人民政府办公室文件", "惠 农 区 大 事 记"), (&bare, "惠农区人民政府办公室文件", "惠农区大事记")]
    {
        let mut text = toc.clone();
        let body_start = text.find("\n惠农区人民政府办公室关于 征集").expect("the first document's title as the body prints it");
        text.insert_str(body_start, &format!("\n{over_first}\n"));
        let events = text.rfind("\n惠农区政府四月份大事记\n").unwrap();
        text.insert_str(events, &format!("\n\n{over_events}\n"));
        let imported = import::import(&text, 2022, 2).unwrap();
        assert_eq!((&imported.documents, &imported.meta, &imported.site, &imported.about), (&expected.documents, &expected.meta, &expected.site, &expected.about), "{over_first} {over_events}");
        assert_eq!(imported.notes.len(), if toc == &bare { 2 } else { 0 }, "{:?}", imported.notes);
    }
    // atop a page inside a document, where it cuts a paragraph, in brackets; bare, inside a
    // document, the same words may be the document's own (a subheading, a list's item)
    let atop = seed.replacen("为进一步规范重大行政决策程序，", "为进一步规范重大行政决策程序，\n\n【惠农区人民政府办公室文件】\n\n", 1);
    assert_ne!(atop, seed);
    assert_eq!(import::import(&atop, 2022, 2).unwrap(), expected);
    let listed = bare.replacen("现就有关事项通知如下：", "现就有关事项通知如下：\n\n惠农区人民政府办公室文件\n\n惠农区大事记\n", 1);
    assert!(import::import(&listed, 2022, 2).unwrap().documents[0].body.contains("通知如下：\n\n惠农区人民政府办公室文件\n\n惠农区大事记\n\n"));
}

/// What a bare section heading must not be taken for (found by review): a title's first line
/// wrapped after its issuer, in the 目录 and over the body alike; a section named after the
/// office that signs the documents; a motto; a page's folio between a heading and its entry.
#[test]
fn bare_section_headings_are_not_read_into_what_they_resemble() {
    let seed = seed();
    let expected = import::import(&seed, 2022, 2).unwrap();
    let documents = |imported: &Imported| imported.documents.iter().map(|d| (d.front.title.clone(), d.body.clone())).collect::<Vec<_>>();
    let wrapped = seed
        .replacen("\n惠农区人民政府办公室关于征集 2022 年度", "\n惠农区人民政府办公室\n关于征集 2022 年度", 1)
        .replacen("\n惠农区人民政府办公室关于 征集2022年度", "\n惠农区人民政府办公室\n\n关于征集2022年度", 1);
    assert!(wrapped.contains("办公室\n关于征集 2022") && wrapped.contains("办公室\n\n关于征集2022"), "wrapped in the 目录 and over the body");
    assert_eq!(import::import(&wrapped, 2022, 2).unwrap(), expected);
    for named in ["【惠农区人民政府办公室】", "惠农区人民政府办公室"] {
        let imported = import::import(&seed.replacen("【惠农区人民政府办公室文件】", named, 1), 2022, 2).unwrap();
        assert_eq!(documents(&imported), documents(&expected), "{named}: every signature kept");
    }
    let motto = seed.replacen("发布政令 宣传政策 通报信息\n\n公开政务 指导工作 服务社会\n\n目 录\n", "目 录\n\n发布政令宣传政策通报信息\n\n公开政务指导工作服务社会\n", 1);
    assert_ne!(motto, seed);
    assert_eq!(import::import(&motto, 2022, 2).unwrap().meta.sections, expected.meta.sections);
    let footer = bare_toc(&seed, "惠农区 大事记\n\n— 3 —\n");
    let imported = import::import(&footer, 2022, 2).unwrap();
    assert_eq!((&imported.documents, &imported.meta), (&expected.documents, &expected.meta));
    assert_eq!(imported.notes.len(), 2, "{:?}", imported.notes);
    // a section named as its document, after a document that ends without a full stop: its
    // title stays
    let titled = seed.replacen("【惠农区大事记】", "惠农区政府四月份大事记", 1).replacen("规定的职责。\n\n惠农区政府四月份大事记", "规定的职责。\n\n（此件公开发布）\n\n惠农区政府四月份大事记", 1);
    assert_eq!(titled.matches("（此件公开发布）\n\n惠农区政府四月份大事记").count(), 1, "the document before ends without a full stop");
    let imported = import::import(&titled, 2022, 2).unwrap();
    let titles = |imported: &Imported| imported.documents.iter().map(|d| d.front.title.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&imported), titles(&expected));
    // a title's first line that reads like a section's name: a 会议纪要 and its session, under a
    // bracketed section (then no bare line is one) and under a bare one
    for (toc, heading) in [(seed.replacen("【惠农区大事记】", "【会议纪要】", 1), "【会议纪要】"), (bare_toc(&seed, "会议纪要"), "会议纪要")] {
        let text = toc
            .replacen(&format!("{heading}\n\n惠农区政府四月份大事记……………60"), &format!("{heading}\n\n惠农区人民政府常务会议纪要\n（第十五次）……………60"), 1)
            .replacen("\n惠农区政府四月份大事记\n", "\n惠农区人民政府常务会议纪要\n（第十五次）\n", 1);
        assert!(text.contains("纪要\n（第十五次）……") && text.contains("纪要\n（第十五次）\n"), "{heading}");
        let imported = import::import(&text, 2022, 2).unwrap();
        let minutes = imported.documents.iter().find(|d| d.front.page == 60).unwrap();
        assert_eq!((minutes.front.title.as_str(), minutes.front.section.as_str()), ("惠农区人民政府常务会议纪要（第十五次）", "会议纪要"), "{heading}");
    }
    // of two headings over an entry the nearer is its section, and the other is told
    let two = bare_toc(&seed, "政务要闻\n惠农区大事记");
    let imported = import::import(&two, 2022, 2).unwrap();
    assert_eq!((&imported.documents, &imported.meta), (&expected.documents, &expected.meta));
    assert!(imported.notes.iter().any(|n| n.contains("「政务要闻」不是可识别的条目")), "{:?}", imported.notes);
}

/// An entry the 目录 parser cannot read must not leave its document out in silence: before the
/// first document found it is an error naming the line and number (its text would be taken for
/// the masthead), after it a note naming the number (its text is in the body before it).
#[test]
fn a_toc_entry_that_is_not_read_is_told() {
    let first = seed().replacen("(惠政办发〔2022〕8号)\t1", "(惠政办发〔2022〕8号)【1】", 1);
    let err = import::import(&first, 2022, 2).unwrap_err();
    assert!(matches!(&err, ImportError::UnlistedDocument { number, .. } if number == "惠政办发〔2022〕8号"), "{err}");
    assert!(err.to_string().contains("第 112 行"), "{err}");

    let middle = seed().replacen("(惠政办发〔2022〕28号)\t17", "(惠政办发〔2022〕28号)【17】", 1);
    let imported = import::import(&middle, 2022, 2).unwrap();
    assert_eq!(imported.documents.len(), 12);
    assert_eq!(imported.notes.len(), 1, "{:?}", imported.notes);
    assert!(imported.notes[0].contains("惠政办发〔2022〕28号") && imported.notes[0].contains("惠政办发〔2022〕27号"), "{:?}", imported.notes);
    // a line with a leader that is not read as an entry is told as well
    let leader = seed().replacen("(惠政办发〔2022〕28号)\t17", "(惠政办发〔2022〕28号)……第十七页", 1);
    let notes = import::import(&leader, 2022, 2).unwrap().notes;
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].starts_with("目录第 43 行") && notes[0].contains("第十七页"), "{notes:?}");
    assert!(import::import(&seed(), 2022, 2).unwrap().notes.is_empty(), "the seed itself has nothing to tell");
}

/// What pdftotext puts where a page breaks, besides the blank line: the form feed, the page's
/// folio at its foot and the running header atop the next (the issue, or the gazette's name). None of it is the documents' text;
/// the paragraph cut there is joined as in the seed.
#[test]
fn the_print_of_a_page_break_is_not_taken_for_text() {
    let seed = seed();
    let expected = import::import(&seed, 2022, 2).unwrap();
    let mut text = seed.clone();
    for (cut, folio) in [("为进一步规范重大行政决策程序，", "— 2 —"), ("根据《宁夏回族自治区重大行政决策规定》要求，", "- 3 -"), ("区人民政府决定在全区范围内", "第 4 页")] {
        assert!(text.contains(cut), "{cut}");
        text = text.replacen(cut, &format!("{cut}\n\n{folio}\n\u{c}惠农区人民政府公报 2022 年第 2 期\n\n"), 1);
    }
    assert_eq!(import::import(&text, 2022, 2).unwrap(), expected);
    // the gazette's name alone atop page after page (on even pages, say)
    let mut text = seed.clone();
    for cut in ["为进一步规范重大行政决策程序，", "区人民政府决定在全区范围内"] {
        text = text.replacen(cut, &format!("{cut}\n\n石嘴山市惠农区人民政府公报\n\n"), 1);
    }
    assert_eq!(import::import(&text, 2022, 2).unwrap(), expected);
    // a sentence of a body that names the issue is text
    for sentence in ["本通知刊登于《惠农区人民政府公报》2022年第2期。", "见《惠农区人民政府公报》2022年第2期，第3页"] {
        let named = seed.replacen("\n为进一步规范重大行政决策程序", &format!("\n{sentence}\n\n为进一步规范重大行政决策程序"), 1);
        let imported = import::import(&named, 2022, 2).unwrap();
        assert!(imported.documents[0].body.contains(sentence), "{}", imported.documents[0].body);
    }
}
