//! Generates a synthetic drafts repository: `cargo run --release --example
//! synth -- DIR [s|l|DRAFTS COMMITS]`. The benchmarks build the same ones.

use duyet::ops::synth::{Spec, generate};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: synth DIR [s|l|DRAFTS COMMITS]");
        std::process::exit(2);
    };
    let spec = match args.get(1).map(String::as_str) {
        None | Some("s") => Spec::S,
        Some("l") => Spec::L,
        Some(d) => Spec {
            drafts: d.parse().unwrap_or(200),
            commits: args.get(2).and_then(|c| c.parse().ok()).unwrap_or(5_000),
            ..Spec::S
        },
    };
    let start = std::time::Instant::now();
    match generate(std::path::Path::new(dir), &spec, &mut |n| {
        eprint!("\r{n} commits")
    }) {
        Ok(g) => eprintln!(
            "\r{} drafts, {} commits ({} decisions) in {:.1?}",
            g.drafts.len(),
            g.commits,
            g.decisions,
            start.elapsed()
        ),
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::exit(2);
        }
    }
}
