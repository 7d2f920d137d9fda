//! Benchmarks on generated repositories (issue 6), each beside a baseline
//! measured in the same run on the same data:
//! - list: the first frame of the drafts list vs `git ls-tree -r HEAD drafts/`
//! - history: one draft's history, cold (index from nothing) and warm, vs
//!   `git log --name-only --format=%H`
//! - diff: a 20,000-line pair with word highlights vs `git diff --word-diff`
//! - diff_frame: one frame of the diff view of that pair
//! - audit: every decision vs `git verify-commit` on a sample (per commit)
//! - decide: one signed decision (sign + write + ref update)
//!
//! The repositories are generated once under target/bench-repos/ (L takes
//! minutes). DUYET_BENCH_SIZE=s runs everything on S instead of L.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use duyet::i18n::Lang;
use duyet::model::Decision;
use duyet::ops::synth::{Spec, big_pair, generate};
use duyet::ops::{DecisionRequest, decide};
use duyet::repo::{Author, DraftRepo};
use duyet::tui::app::{Action, App};
use duyet::tui::keymap::Keymap;
use duyet::tui::theme::Theme;
use duyet::tui::worker::{self, Job};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The generated repository's name and spec: L, or S with DUYET_BENCH_SIZE=s.
fn bench_spec() -> (&'static str, Spec) {
    match std::env::var("DUYET_BENCH_SIZE").as_deref() {
        Ok("s") | Ok("S") => ("S.git", Spec::S),
        _ => ("L.git", Spec::L),
    }
}

fn bench_repo() -> PathBuf {
    let (name, spec) = bench_spec();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-repos")
        .join(name);
    if !dir.join("duyet-generated").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        eprintln!(
            "generating {} ({} drafts, {} commits)…",
            dir.display(),
            spec.drafts,
            spec.commits
        );
        let start = std::time::Instant::now();
        generate(&dir, &spec, &mut |n| eprint!("\r{n} commits")).expect("generate");
        eprintln!("\rgenerated in {:.1?}; packing…", start.elapsed());
        let ok = Command::new("git")
            .args(["-C"])
            .arg(&dir)
            .args(["repack", "-adq"])
            .status()
            .expect("git")
            .success();
        assert!(ok, "git repack failed");
        eprintln!("ready after {:.1?}", start.elapsed());
        std::fs::write(dir.join("duyet-generated"), "").expect("marker");
    }
    dir
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs")
}

fn run_jobs(app: &mut App, repo: &DraftRepo, cache: &mut worker::Cache, only: &[&str]) {
    loop {
        let jobs: Vec<Job> = app.take_jobs();
        if jobs.is_empty() {
            break;
        }
        for j in jobs {
            let keep = match &j {
                Job::List => only.contains(&"list"),
                Job::Stats => only.contains(&"stats"),
                Job::Audit => only.contains(&"audit"),
                _ => true,
            };
            if keep {
                let d = worker::run(repo, j, cache, &mut |_| {});
                app.update(Action::Done(d));
            } else {
                app.pending = app.pending.saturating_sub(1);
            }
        }
    }
}

fn benches(c: &mut Criterion) {
    // The process-wide libgit2 settings of the duyet commands (the TUI maps
    // less of the pack at once: see repo::tune and benches/memory.sh).
    duyet::repo::tune(false);
    // 3. The 20,000-line pair (first, on a fresh heap).
    let (old, new) = big_pair(20_000, 200, 7);
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.md"), &old).unwrap();
    std::fs::write(tmp.path().join("new.md"), &new).unwrap();
    let mut g = c.benchmark_group("diff_20k_lines");
    g.sample_size(20);
    g.bench_function("duyet (lines + word highlights)", |b| {
        b.iter(|| duyet::diff::diff_texts(&old, &new))
    });
    g.bench_function("git diff --no-index --word-diff", |b| {
        b.iter(|| {
            let o = Command::new("git")
                .args(["diff", "--no-index", "--word-diff"])
                .arg(tmp.path().join("old.md"))
                .arg(tmp.path().join("new.md"))
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(1));
        })
    });
    g.finish();

    let dir = bench_repo();
    let repo = DraftRepo::open(Some(&dir)).unwrap();
    let theme = Theme::default();

    // 1. First frame of the list: open, read HEAD's tree, draw.
    let mut g = c.benchmark_group("list_first_frame");
    g.sample_size(20);
    g.bench_function("duyet", |b| {
        b.iter(|| {
            let repo = DraftRepo::open(Some(&dir)).unwrap();
            let mut app = App::new(Lang::Vi, Keymap::default(), 0, (160, 50));
            let mut cache = worker::Cache::new();
            run_jobs(&mut app, &repo, &mut cache, &["list"]);
            let mut term = Terminal::new(TestBackend::new(160, 50)).unwrap();
            term.draw(|f| app.draw(f, &theme)).unwrap();
            assert!(app.list.drafts.len() >= 200);
        })
    });
    g.bench_function("git ls-tree -r HEAD drafts/", |b| {
        b.iter(|| {
            assert!(
                git(&dir, &["ls-tree", "-r", "HEAD", "drafts/"])
                    .status
                    .success()
            )
        })
    });
    g.finish();

    // 2. One draft's history: cold (index from nothing), warm.
    let id = repo.list().unwrap().drafts[7].id.clone();
    let mut g = c.benchmark_group("history");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("duyet cold (index built by one walk)", |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_dir_all(dir.join("duyet/index"));
            },
            |_| repo.history(&id).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("git log --name-only --format=%H", |b| {
        b.iter(|| {
            assert!(
                git(&dir, &["log", "--name-only", "--format=%H"])
                    .status
                    .success()
            )
        })
    });
    g.finish();
    let mut g = c.benchmark_group("history_warm");
    g.bench_function("duyet warm", |b| b.iter(|| repo.history(&id).unwrap()));
    g.finish();

    // One frame of the diff view of that pair.
    let diff = std::sync::Arc::new(duyet::diff::diff_texts(&old, &new));
    let mut app = App::new(Lang::Vi, Keymap::default(), 0, (160, 50));
    let mut cache = worker::Cache::new();
    run_jobs(&mut app, &repo, &mut cache, &["list"]);
    app.update(Action::Key(ratatui::crossterm::event::KeyEvent::from(
        ratatui::crossterm::event::KeyCode::Enter,
    )));
    run_jobs(&mut app, &repo, &mut cache, &["list"]);
    if let Some(v) = app.draft.as_mut() {
        v.pane.side_rows = diff.side_by_side();
        v.pane.cursor = diff.changes[100];
        v.pane.scroll = v.pane.cursor.saturating_sub(3);
        v.pane.diff = Some(diff.clone());
    }
    let mut term = Terminal::new(TestBackend::new(160, 50)).unwrap();
    let mut g = c.benchmark_group("diff_view_frame_20k_lines");
    g.bench_function("unified", |b| {
        b.iter(|| {
            term.draw(|f| app.draw(f, &theme)).unwrap();
        })
    });
    if let Some(v) = app.draft.as_mut() {
        v.pane.side_by_side = true;
        v.pane.cursor = duyet::tui::screens::side_row_of(&v.pane.side_rows, v.pane.cursor);
    }
    g.bench_function("side by side", |b| {
        b.iter(|| {
            term.draw(|f| app.draw(f, &theme)).unwrap();
        })
    });
    g.finish();

    // 4. Audit of every decision, and stock git verifying a sample.
    let report = duyet::audit::audit(&repo, &duyet::audit::Options::default()).unwrap();
    assert!(report.clean());
    let decisions = report.trail.len();
    let sample: Vec<String> = report
        .trail
        .iter()
        .step_by((decisions / 20).max(1))
        .map(|e| e.commit.clone())
        .collect();
    let signers = tmp.path().join("allowed_signers");
    std::fs::write(&signers, repo.trust_list(None).unwrap().allowed_signers()).unwrap();
    let mut g = c.benchmark_group("audit");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function(format!("duyet audit, all {decisions} decisions"), |b| {
        b.iter(|| {
            let full = duyet::audit::Options {
                full: true,
                ..Default::default()
            };
            let r = duyet::audit::audit(&repo, &full).unwrap();
            assert_eq!(r.from_cache, 0);
            r
        })
    });
    g.bench_function(
        format!("git verify-commit, {} commits", sample.len()),
        |b| {
            b.iter(|| {
                for s in &sample {
                    let o = Command::new("git")
                        .arg("-C")
                        .arg(&dir)
                        .args([
                            "-c",
                            &format!("gpg.ssh.allowedSignersFile={}", signers.display()),
                            "verify-commit",
                            s,
                        ])
                        .output()
                        .unwrap();
                    assert!(o.status.success());
                }
            })
        },
    );
    g.finish();
    eprintln!(
        "audit: {decisions} decisions; git verify-commit sample: {} commits",
        sample.len()
    );

    // 5. One decision with an in-process SSH key, on a copy of the repository.
    let copy = tmp.path().join("copy.git");
    assert!(
        Command::new("git")
            .args(["clone", "-q", "--bare"])
            .arg(&dir)
            .arg(&copy)
            .status()
            .unwrap()
            .success()
    );
    let crepo = DraftRepo::open(Some(&copy)).unwrap();
    // An approver of the generated trust list (so the audit below is clean).
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&bench_spec().1.seed.to_le_bytes());
    seed[31] = 1;
    let (signer, _) = duyet::sign::seeded_ssh_signer(seed, "ld1@stttt.langson.gov.vn").unwrap();
    let target = crepo.list().unwrap().drafts[11].id.clone();
    let mut n = 0u64;
    let mut g = c.benchmark_group("decide");
    g.sample_size(50);
    g.bench_function("approve (plan + sign + write + ref update)", |b| {
        b.iter(|| {
            n += 1;
            let req = DecisionRequest {
                id: target.clone(),
                decision: if n.is_multiple_of(2) {
                    Decision::Approved
                } else {
                    Decision::Returned
                },
                revision: None,
                comment: format!("Ý kiến {n}"),
                notes: vec![],
                author: Some(Author {
                    name: "Lãnh đạo".into(),
                    email: "ld@example.vn".into(),
                    time: Some((1_700_000_000 + n as i64, 420)),
                }),
            };
            decide(&crepo, &req, &signer, None).unwrap()
        })
    });
    g.finish();

    // 4b. The audit again after one more decision: the cache of the last
    // audit stands for everything before it.
    let full = duyet::audit::audit(&crepo, &duyet::audit::Options::default()).unwrap();
    assert!(full.clean());
    let mut g = c.benchmark_group("audit_incremental");
    g.sample_size(20);
    g.bench_function("duyet audit after one new decision (cache)", |b| {
        b.iter_batched(
            || {
                n += 1;
                let req = DecisionRequest {
                    id: target.clone(),
                    decision: Decision::Approved,
                    revision: None,
                    comment: format!("Ý kiến {n}"),
                    notes: vec![],
                    author: Some(Author {
                        name: "Lãnh đạo 1".into(),
                        email: "ld1@stttt.langson.gov.vn".into(),
                        time: Some((1_800_000_000 + n as i64, 420)),
                    }),
                };
                decide(&crepo, &req, &signer, None).unwrap();
            },
            |_| {
                let r = duyet::audit::audit(&crepo, &duyet::audit::Options::default()).unwrap();
                assert!(r.from_cache > 0 && r.clean());
                r
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(scale, benches);
criterion_main!(scale);
