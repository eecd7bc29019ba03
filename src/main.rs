//! The `gongbao` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "gongbao", version, about = "公报：把政府公报生成可检索的静态网站")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成网站：读取内容目录，写入输出目录（失败时原有输出保持不变）
    Build {
        /// 内容目录
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// 输出目录
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// 网站的正式地址（如 https://www.huinong.gov.cn/gongbao/），覆盖 site.toml 中的 base_url
        #[arg(long)]
        base_url: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build { content, output, base_url } => {
            let options = gongbao::BuildOptions { content, output: output.clone(), base_url };
            gongbao::build(&options).map(|r| {
                let mut text = format!(
                    "已生成 {} 期、{} 篇文件：写入 {} 个文件（{:.1} MB），用时 {} ms → {}",
                    r.issues,
                    r.documents,
                    r.files,
                    r.bytes as f64 / 1_048_576.0,
                    r.millis,
                    output.display()
                );
                // The summary stays the first line; notes follow, one per line.
                for note in &r.notes {
                    text.push_str("\n提示：");
                    text.push_str(note);
                }
                text
            })
        }
    };
    match result {
        Ok(summary) => {
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::FAILURE
        }
    }
}
