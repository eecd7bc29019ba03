fn main() {
    // Temporary dispatch until the clap CLI lands: gongbao import FILE --year Y --issue N [--content DIR] [--force]
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("import") {
        let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
        let number = |name: &str| flag(name).and_then(|v| v.parse::<u16>().ok());
        let (Some(file), Some(year), Some(issue)) = (args.get(1), number("--year"), number("--issue")) else {
            eprintln!("用法：gongbao import FILE --year 2022 --issue 2 [--content DIR] [--force]");
            std::process::exit(2);
        };
        let content = flag("--content").map_or("content", String::as_str);
        let force = args.iter().any(|a| a == "--force");
        match gongbao::import::run(file.as_ref(), year, issue, content.as_ref(), force) {
            Ok(summary) => println!("{summary}"),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        return;
    }
    let site = gongbao::content::load(std::path::Path::new("content"));
    match site {
        Ok(s) => println!("{}", s.issues.len()),
        Err(e) => eprintln!("{e}"),
    }
}
