//! A build killed at random moments (SIGKILL on the real binary) never leaves `public/`
//! incomplete: it is always, byte for byte, either the previous site or the new one, and the
//! next build succeeds and cleans up.

mod common;

use common::*;
use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The fixture site plus enough documents that a build takes a while (~0.2–1 s).
fn big_site(variant: &str) -> Workspace {
    let ws = Workspace::new(&fixture("site"));
    let paragraph = "为进一步规范重大行政决策程序，提高决策质量和效率，结合我区实际，制定本方案。\n\n".repeat(40);
    for i in 100..250 {
        ws.write(
            &format!("2022/02/p{i}.md"),
            &format!("+++\ntitle = \"第{i}号通知{variant}\"\nissuer = \"惠农区人民政府办公室\"\ndate = \"2022-04-01\"\nsection = \"惠农区大事记\"\npage = {i}\n+++\n{paragraph}第{i}条 {variant}\n"),
        );
    }
    ws
}

fn spawn(ws: &Workspace, content: &std::path::Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_gongbao"))
        .current_dir(ws.dir.path())
        .arg("build")
        .arg("--content")
        .arg(content)
        .args(["--output", "public"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_or_the_new_complete_site() {
    let a = big_site("甲");
    let b = big_site("乙");
    a.build_ok();
    b.build_ok();
    let (site_a, site_b) = (tree(&a.public()), tree(&b.public()));
    assert_ne!(site_a, site_b);

    // `a` is the archive being rebuilt; its content alternates between the two versions.
    let contents = [a.content(), b.content()];
    let sites = [&site_a, &site_b];
    let started = Instant::now();
    let mut child = spawn(&a, &contents[1]);
    assert!(child.wait().unwrap().success());
    let duration = started.elapsed();
    assert_eq!(&tree(&a.public()), sites[1]);

    let mut seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut current, mut outcomes) = (1usize, [0usize; 2]);
    const ROUNDS: usize = 25;
    for round in 0..ROUNDS {
        let next = 1 - current;
        let delay = Duration::from_micros(random() % (duration.as_micros() as u64 * 12 / 10 + 1));
        let mut child = spawn(&a, &contents[next]);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let now = tree(&a.public());
        let which = sites.iter().position(|s| **s == now);
        let Some(which) = which else {
            panic!("round {round}: killed after {delay:?} ({status}), public/ is neither the previous nor the new site ({} files)", now.len());
        };
        assert!(which == current || which == next);
        outcomes[usize::from(which == next)] += 1;
        // The next build, not killed, succeeds and cleans up.
        let out = spawn(&a, &contents[next]).wait_with_output().unwrap();
        assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(&tree(&a.public()), sites[next], "round {round}");
        let names: Vec<String> = fs::read_dir(a.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
        assert!(!names.iter().any(|n| n.contains(".tmp-") || n.contains(".old-")), "round {round}: {names:?}");
        current = next;
    }
    eprintln!("{ROUNDS} kills over a {duration:?} build: previous site kept {} times, new site complete {} times", outcomes[0], outcomes[1]);
    assert!(outcomes[0] > 0, "no kill landed before the swap: the test did not test anything");
}
