//! The importer: any bytes (GBK or UTF-8 text extracted from a PDF) either import or fail with
//! an error, never a panic; what imports renders.
#![no_main]

use std::path::Path;

use gongbao::content::{split_front_matter, FrontMatter};
use gongbao::import;
use gongbao::render::markdown::{no_links, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = import::encoding::decode(data) else { return };
    let Ok(imported) = import::import(&text, 2022, 2) else { return };
    let _ = imported.site_toml();
    let _ = imported.about_md();
    let Ok(files) = imported.issue_files() else { return };
    for (name, text) in files.iter().filter(|(n, _)| n.ends_with(".md")) {
        // what the importer writes is content the build reads
        let path = Path::new(name);
        let (fm, _, body, line) = split_front_matter(path, text).expect("imported front matter splits");
        toml::from_str::<FrontMatter>(fm).unwrap_or_else(|e| panic!("{name}: {e}\n{fm}"));
        let r = render(body, path, line, &no_links).expect("renders");
        assert!(r.warnings.is_empty(), "imported Markdown holds raw HTML: {:?}", r.warnings);
    }
});
