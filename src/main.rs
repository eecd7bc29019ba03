fn main() {
    let site = gongbao::content::load(std::path::Path::new("content"));
    match site {
        Ok(s) => println!("{}", s.issues.len()),
        Err(e) => eprintln!("{e}"),
    }
}
