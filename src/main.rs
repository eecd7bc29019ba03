//! The `gongbao` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand};

/// Prints a line, ignoring a closed pipe (`gongbao build | head`) instead of panicking, with its
/// control characters shown as escapes: a message may quote content (a section name, a path),
/// and an escape sequence there would act on the terminal.
macro_rules! say {
    ($stream:ident, $($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::$stream(), "{}", gongbao::error::visible(&format!($($arg)*)));
    }};
}

// The help's layouts, one per kind of command: clap's own headings and words are English, and
// its headings end with an ASCII colon.
const HELP_COMMANDS: &str = "{about-with-newline}\n用法：{usage}\n\n命令：\n{subcommands}\n\n选项：\n{options}";
const HELP_OPTIONS: &str = "{about-with-newline}\n用法：{usage}\n\n选项：\n{options}";
const HELP_BOTH: &str = "{about-with-newline}\n用法：{usage}\n\n参数：\n{positionals}\n\n选项：\n{options}";

#[derive(Parser)]
#[command(
    name = "gongbao",
    version,
    about = "公报：把政府公报生成可检索的静态网站",
    help_template = HELP_COMMANDS,
    override_usage = "gongbao <命令> [选项]",
    subcommand_value_name = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// 显示帮助
    #[arg(short = 'h', long, action = ArgAction::Help, global = true, display_order = 100)]
    help: Option<bool>,
    /// 显示版本号
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand)]
enum Command {
    /// 生成网站：读取内容目录，写入输出目录（失败时输出目录不作任何改动）
    #[command(help_template = HELP_OPTIONS, override_usage = "gongbao build [选项]")]
    Build {
        /// 内容目录（默认 content）
        #[arg(long, value_name = "目录", default_value = "content", hide_default_value = true)]
        content: PathBuf,
        /// 输出目录（默认 public）
        #[arg(long, value_name = "目录", default_value = "public", hide_default_value = true)]
        output: PathBuf,
        /// 网站的正式地址（如 https://www.huinong.gov.cn/gongbao/），覆盖 site.toml 中的 base_url
        #[arg(long, value_name = "网址")]
        base_url: Option<String>,
        /// 逐项列出各阶段用时
        #[arg(long)]
        timings: bool,
        /// 不用生成缓存，全部重新生成（默认只重新生成输入有变化的文件）；生成结果与上次输出相同的文件仍直接沿用
        #[arg(long)]
        full: bool,
    },
    /// 导入一期公报：从印刷版 PDF 提取的文本生成 content/<年>/<期>/
    #[command(help_template = HELP_BOTH, override_usage = "gongbao import <文本文件> --year <年份> --issue <期号> [选项]")]
    Import {
        /// 提取的文本文件（UTF-8 或 GBK/GB18030）
        #[arg(value_name = "文本文件")]
        file: PathBuf,
        /// 年份
        #[arg(long, value_name = "年份")]
        year: u16,
        /// 期号
        #[arg(long, value_name = "期号")]
        issue: u16,
        /// 内容目录（默认 content）
        #[arg(long, value_name = "目录", default_value = "content", hide_default_value = true)]
        content: PathBuf,
        /// 覆盖已存在的期次目录
        #[arg(long)]
        force: bool,
    },
    /// 检查已生成的网站：每个站内链接和锚点都必须存在（用于生成后又手工修改过的网站）
    #[command(help_template = HELP_BOTH, override_usage = "gongbao check [网站目录]")]
    Check {
        /// 网站目录（默认 public）
        #[arg(value_name = "网站目录", default_value = "public", hide_default_value = true)]
        dir: PathBuf,
    },
    /// 显示帮助，或某个命令的帮助（同 gongbao <命令> --help）
    #[command(help_template = HELP_BOTH, override_usage = "gongbao help [命令]")]
    Help {
        /// 命令：build、import 或 check
        #[arg(value_name = "命令")]
        command: Option<String>,
    },
}

fn main() -> ExitCode {
    gongbao::memory::init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let result = match cli.command {
        Command::Build { content, output, base_url, timings, full } => {
            let options = gongbao::BuildOptions { content, output: output.clone(), base_url, full };
            gongbao::build(&options).map_err(|e| match e {
                gongbao::Error::Content(_) => e,
                e if output.exists() => gongbao::Error::Other(format!("{e}\n未生成网站，原有输出 {} 保持不变。", output.display())),
                e => gongbao::Error::Other(format!("{e}\n未生成网站。")),
            }).map(|r| {
                let mut text = format!(
                    "已生成 {} 期、{} 篇文件：输出 {} 个文件（{:.1} MB，其中 {} 个未变沿用），用时 {} ms → {}",
                    r.issues,
                    r.documents,
                    r.files,
                    r.bytes as f64 / 1_048_576.0,
                    r.reused,
                    r.millis,
                    output.display()
                );
                if timings {
                    for (stage, micros) in &r.stages {
                        text.push_str(&format!("\n  {stage:<16} {:>9.1} ms", *micros as f64 / 1000.0));
                    }
                    text.push_str(&format!("\n  读取正文 {} 篇，其余 {} 篇的文件自上次生成后未变", r.bodies_read, r.documents - r.bodies_read));
                    text.push_str(if r.index_updated { "\n  检索索引在上次的索引上更新" } else { "\n  检索索引重新生成" });
                }
                if !r.warnings.is_empty() {
                    const SHOWN: usize = 200;
                    for w in r.warnings.iter().take(SHOWN) {
                        say!(stderr, "警告：{w}");
                    }
                    if r.warnings.len() > SHOWN {
                        say!(stderr, "警告：……另有 {} 处，未全部列出", r.warnings.len() - SHOWN);
                    }
                    text.push_str(&format!("\n有 {} 处警告（见上），其余内容照常生成", r.warnings.len()));
                }
                // The summary stays the first line; notes follow, one per line, before the list
                // of numbers cited from outside the archive, which may run to hundreds of lines.
                for note in &r.notes {
                    text.push_str("\n提示：");
                    text.push_str(note);
                }
                if !r.external_citations.is_empty() {
                    text.push_str(&format!("\n引用了 {} 个本库未收录的文号（保留为文字）：", r.external_citations.len()));
                    for (number, pages) in &r.external_citations {
                        text.push_str(&format!("\n  {number}：{}", pages.join("、")));
                    }
                }
                text
            })
        }
        Command::Import { file, year, issue, content, force } => {
            gongbao::import::run(&file, year, issue, &content, force).map_err(|e| gongbao::Error::Other(e.to_string()))
        }
        Command::Check { dir } => check(&dir),
        Command::Help { command } => return help(command.as_deref()),
    };
    let code = match result {
        Ok(summary) => {
            say!(stdout, "{summary}");
            0
        }
        Err(e) => {
            say!(stderr, "错误：{e}");
            1
        }
    };
    exit_now(code)
}

/// Ends the process without the allocator's clean-up at exit: statically linked, mimalloc
/// hands every page it holds back to the system then, one `madvise` per segment (148 after a
/// rebuild at 1×), which the system does anyway as the process ends. Everything the build
/// writes is closed and renamed into place before this point.
#[cfg(target_os = "linux")]
fn exit_now(code: i32) -> ExitCode {
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: ends the process; no state of this process is used afterwards.
    unsafe { libc::_exit(code) }
}

#[cfg(not(target_os = "linux"))]
fn exit_now(code: i32) -> ExitCode {
    if code == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// A command line clap cannot take, told in Chinese (help and version are printed as asked).
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind: ContextKind| -> String {
        match e.get(kind) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join("、"),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    };
    let suggested = |kind: ContextKind| match context(kind) {
        s if s.is_empty() => String::new(),
        s => format!("（是否要用 {s}？）"),
    };
    let what = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
        ErrorKind::UnknownArgument => format!("未知参数 {}{}", context(ContextKind::InvalidArg), suggested(ContextKind::SuggestedArg)),
        ErrorKind::InvalidSubcommand => format!("未知命令 {}{}", context(ContextKind::InvalidSubcommand), suggested(ContextKind::SuggestedSubcommand)),
        ErrorKind::MissingRequiredArgument => format!("缺少参数 {}", context(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("参数 {} 的值「{}」无效", context(ContextKind::InvalidArg), context(ContextKind::InvalidValue))
        }
        ErrorKind::ArgumentConflict => match context(ContextKind::PriorArg) {
            prior if prior.is_empty() || prior == context(ContextKind::InvalidArg) => format!("参数 {} 只能给一次", context(ContextKind::InvalidArg)),
            prior => format!("参数 {} 与 {prior} 不能同时使用", context(ContextKind::InvalidArg)),
        },
        ErrorKind::TooManyValues => format!("参数 {} 给了多次或多个值", context(ContextKind::InvalidArg)),
        _ => e.to_string().trim().to_string(),
    };
    say!(stderr, "错误：{what}\n用法见 gongbao --help，或某个命令的 gongbao <命令> --help");
    ExitCode::from(2)
}

/// `gongbao help [命令]`: the help of the command, or of one of its commands.
fn help(command: Option<&str>) -> ExitCode {
    use clap::CommandFactory;
    let mut cli = Cli::command();
    cli.build();
    // as `say!`: a closed pipe (`gongbao help | head`) is no error
    let _ = match command {
        None => cli.print_help(),
        Some(name) => match cli.find_subcommand_mut(name) {
            Some(sub) => sub.print_help(),
            None => {
                say!(stderr, "错误：未知命令 {name}（命令有 build、import、check）");
                return ExitCode::from(2);
            }
        },
    };
    ExitCode::SUCCESS
}

fn check(dir: &std::path::Path) -> gongbao::Result<String> {
    if !dir.is_dir() {
        return Err(gongbao::Error::Other(format!("{} 不是文件夹：请给出生成的网站目录（如 public）", dir.display())));
    }
    let index = gongbao::links::LinkIndex::from_dir(dir)?;
    let broken = index.broken(false);
    if broken.is_empty() {
        return Ok(format!("{}：所有站内链接和锚点均有效", dir.display()));
    }
    for b in &broken {
        say!(stderr, "{}/{}: {}: {}", dir.display(), b.page, gongbao::links::percent_decode(&b.link), b.reason);
    }
    Err(gongbao::Error::Other(format!("共 {} 个无效链接", broken.len())))
}
