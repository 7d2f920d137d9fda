//! duyet reads tree objects as git and libgit2 read them: generated trees
//! with odd mode spellings, odd names, bad orders and duplicates are fed to
//! duyet's raw reader, to libgit2, and (for a sample) to stock git, and
//! they must agree on which entry is a folder and, for every tree duyet
//! finds nothing wrong with, on exactly which entries there are; a tree git
//! fsck --strict complains about is never one duyet finds nothing wrong with.

mod common;

use common::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

const MODES: &[&str] = &[
    "40000", "040000", "40755", "0040000", "100644", "100755", "100664", "0100644", "120000",
    "160000", "644", "1040000", "0",
];
const NAMES: &[&[u8]] = &[
    b"a",
    b"b",
    b"a.b",
    b"a-b",
    b"a0",
    b"drafts",
    b"x",
    b"review.toml",
    b".",
    b"..",
    b".git",
    b".GIT",
    b"git~1",
    b"a/b",
    b"\xff",
    b"",
    b"T\xe1\xba\xa1",
];

/// Raw bytes of a tree with these (mode, name, id byte) entries, in order.
fn tree_bytes(entries: &[(usize, usize, u8)]) -> Vec<u8> {
    let mut out = Vec::new();
    for &(m, n, id) in entries {
        out.extend_from_slice(MODES[m].as_bytes());
        out.push(b' ');
        out.extend_from_slice(NAMES[n]);
        out.push(0);
        out.extend_from_slice(&[id.max(1); 20]);
    }
    out
}

fn entries() -> impl Strategy<Value = Vec<(usize, usize, u8)>> {
    proptest::collection::vec((0..MODES.len(), 0..NAMES.len(), 1u8..4), 0..6)
}

fn libgit2_entries(
    repo: &git2::Repository,
    bytes: &[u8],
) -> Option<Vec<(Vec<u8>, git2::Oid, bool)>> {
    let id = repo.odb().ok()?.write(git2::ObjectType::Tree, bytes).ok()?;
    let tree = repo.find_tree(id).ok()?;
    Some(
        tree.iter()
            .map(|e| {
                (
                    e.name_bytes().to_vec(),
                    e.id(),
                    e.kind() == Some(git2::ObjectType::Tree),
                )
            })
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]
    #[test]
    fn duyet_and_libgit2_agree(list in entries()) {
        let t = tmp();
        let repo = git2::Repository::init_bare(t.path()).unwrap();
        let bytes = tree_bytes(&list);
        let ours = duyet::repo::raw_entries(&bytes);
        let faults = duyet::repo::tree_faults(&bytes);
        let theirs = libgit2_entries(&repo, &bytes);
        match (&ours, &theirs) {
            (Some(o), Some(l)) => {
                // Every entry is a folder for both or for neither.
                let kinds = |v: &Vec<(Vec<u8>, git2::Oid, bool)>| v.iter().map(|e| e.2).collect::<Vec<_>>();
                prop_assert_eq!(kinds(o), kinds(l));
                if faults.is_empty() {
                    prop_assert_eq!(o, l);
                    // Lookups by name (libgit2 searches) find what duyet finds.
                    let tree = repo.find_tree(repo.odb().unwrap().write(git2::ObjectType::Tree, &bytes).unwrap()).unwrap();
                    for (name, id, _) in o {
                        let found = std::str::from_utf8(name).ok().and_then(|n| tree.get_name(n)).map(|e| e.id());
                        prop_assert_eq!(found, Some(*id));
                    }
                }
            }
            // libgit2 refuses a tree: duyet never calls it sound.
            (_, None) => prop_assert!(!faults.is_empty(), "{:?}", list),
            (None, Some(_)) => prop_assert!(!faults.is_empty(), "{:?}", list),
        }
    }
}

#[test]
fn duyet_and_stock_git_agree() {
    if !tool_present("git") {
        return;
    }
    // A fixed sample of generated trees, all written into one repository:
    // `git ls-tree` reads each, `git fsck --strict` judges them all.
    let t = tmp();
    let dir = t.path();
    git(dir, &["init", "-q", "--bare"]);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut trees = Vec::new();
    for _ in 0..150 {
        let list = entries().new_tree(&mut runner).unwrap().current();
        let bytes = tree_bytes(&list);
        let id = hash_tree(dir, &bytes);
        trees.push((id, bytes));
    }
    let fsck = git_out(dir, &["fsck", "--strict", "--no-dangling"]);
    let complaints =
        String::from_utf8_lossy(&fsck.stderr).into_owned() + &String::from_utf8_lossy(&fsck.stdout);
    for (id, bytes) in &trees {
        let faults = duyet::repo::tree_faults(bytes);
        let git_complains = complaints.contains(id.as_str());
        if git_complains {
            assert!(
                !faults.is_empty(),
                "git fsck complains about {id} but duyet does not: {bytes:?}\n{complaints}"
            );
        }
        let ls = git_out(dir, &["ls-tree", "-z", id]);
        let Some(ours) = duyet::repo::raw_entries(bytes) else {
            assert!(!faults.is_empty());
            continue;
        };
        if !ls.status.success() {
            assert!(
                !faults.is_empty(),
                "git cannot read {id}: {}",
                String::from_utf8_lossy(&ls.stderr)
            );
            continue;
        }
        let listed: Vec<(Vec<u8>, bool)> = ls
            .stdout
            .split(|b| *b == 0)
            .filter(|l| !l.is_empty())
            .map(|l| {
                let tab = l.iter().position(|b| *b == b'\t').unwrap();
                let kind = l.split(|b| *b == b' ').nth(1).unwrap();
                (l[tab + 1..].to_vec(), kind == b"tree")
            })
            .collect();
        let mine: Vec<(Vec<u8>, bool)> = ours.iter().map(|e| (e.0.clone(), e.2)).collect();
        // Folder or not, entry by entry, whatever the faults.
        assert_eq!(
            listed.iter().map(|e| e.1).collect::<Vec<_>>(),
            mine.iter().map(|e| e.1).collect::<Vec<_>>(),
            "{id}"
        );
        if faults.is_empty() {
            assert_eq!(listed, mine, "{id}");
        }
    }
}

fn hash_tree(dir: &std::path::Path, bytes: &[u8]) -> String {
    use std::io::Write;
    let mut p = std::process::Command::new("git")
        .current_dir(dir)
        .args(["hash-object", "-w", "--literally", "-t", "tree", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    p.stdin.take().unwrap().write_all(bytes).unwrap();
    String::from_utf8(p.wait_with_output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string()
}

/// Whether `prog` runs; a loud skip otherwise, a failure with DUYET_REQUIRE_TOOLS=1.
fn tool_present(prog: &str) -> bool {
    let ok = std::process::Command::new(prog)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("DUYET_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{prog} is required (DUYET_REQUIRE_TOOLS=1)"
        );
        eprintln!("SKIPPED: {prog} is not installed");
    }
    ok
}
