//! The history index against a naive walk on a generated S
//! repository, incremental updates, corrupt files and rewritten history.

mod common;

use common::*;
use duyet::ops::synth::{Spec, generate};
use duyet::repo::{Author, DraftRepo, Edit};

fn all_equal_to_walk(repo: &DraftRepo, ids: &[(String, String)]) {
    for (id, _) in ids {
        let indexed = repo.history(id).unwrap();
        let walked = repo.history_walk(id).unwrap();
        assert_eq!(indexed, walked, "draft {id}");
    }
}

fn add_commits(repo: &DraftRepo, ids: &[(String, String)], n: usize, salt: &str) {
    let author = Author {
        name: "Chuyên viên".into(),
        email: "cv@example.vn".into(),
        time: None,
    };
    for i in 0..n {
        let (id, folder) = &ids[(i * 7) % ids.len()];
        let path = format!("{folder}/draft.md");
        let plan = repo
            .prepare_commit(
                &[Edit::Put {
                    path,
                    content: format!("Nội dung mới {salt} {i}\n").into_bytes(),
                }],
                &format!("Sửa {id} ({salt} {i})"),
                &author,
            )
            .unwrap();
        repo.finish_commit(&plan, None).unwrap();
    }
}

#[test]
fn index_matches_a_naive_walk_and_updates_incrementally() {
    let t = tmp();
    let dir = t.path().join("s.git");
    let g = generate(&dir, &Spec::S, &mut |_| {}).unwrap();
    assert_eq!(g.drafts.len(), 200);
    assert!(
        g.decisions > 800 && g.decisions < 1200,
        "about one in five: {}",
        g.decisions
    );
    let repo = DraftRepo::open(Some(&dir)).unwrap();
    // cold build by one walk, watched: the bar knows the total
    let mut seen = Vec::new();
    assert_eq!(
        repo.update_index(Some(&mut |c| seen.push(c))).unwrap(),
        5000
    );
    let dones: Vec<usize> = seen.iter().map(|c| c.done).collect();
    assert_eq!(dones, [1000, 2000, 3000, 4000, 5000]);
    assert!(seen.iter().all(|c| c.total == Some(5000)), "{seen:?}");
    all_equal_to_walk(&repo, &g.drafts);
    let stats = repo.draft_stats().unwrap();
    let h = repo.history(&g.drafts[3].0).unwrap();
    assert_eq!(stats[&g.drafts[3].0].revisions, h.revisions.len());

    // incremental: only the new commits are walked, and the result equals a rebuild
    add_commits(&repo, &g.drafts, 30, "a");
    assert_eq!(repo.update_index(None).unwrap(), 30);
    let incremental: Vec<_> = g
        .drafts
        .iter()
        .map(|(id, _)| repo.history(id).unwrap())
        .collect();
    let stats_inc = repo.draft_stats().unwrap();
    std::fs::remove_dir_all(dir.join("duyet/index")).unwrap();
    let rebuilt: Vec<_> = g
        .drafts
        .iter()
        .map(|(id, _)| repo.history(id).unwrap())
        .collect();
    assert_eq!(incremental, rebuilt);
    assert_eq!(stats_inc, repo.draft_stats().unwrap());
    all_equal_to_walk(&repo, &g.drafts[..20]);
}

#[test]
fn corrupt_or_truncated_index_is_rebuilt_silently() {
    let t = tmp();
    let dir = t.path().join("small.git");
    let spec = Spec {
        drafts: 20,
        commits: 400,
        ..Spec::S
    };
    let g = generate(&dir, &spec, &mut |_| {}).unwrap();
    let repo = DraftRepo::open(Some(&dir)).unwrap();
    let (id, _) = &g.drafts[5];
    let good = repo.history(id).unwrap();
    // Truncate every bucket file of the index.
    for f in std::fs::read_dir(dir.join("duyet/index/drafts")).unwrap() {
        let file = f.unwrap().path();
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    }
    add_commits(&repo, &g.drafts, 3, "b");
    let h = repo.history(id).unwrap();
    assert_eq!(h, repo.history_walk(id).unwrap());
    assert!(h.revisions.len() >= good.revisions.len());
    // garbage head file, old format, stats file gone
    std::fs::write(dir.join("duyet/index/head.json"), "{not json").unwrap();
    assert_eq!(repo.history(id).unwrap(), repo.history_walk(id).unwrap());
    std::fs::write(
        dir.join("duyet/index/head.json"),
        r#"{"format":0,"head":"x","commits":1}"#,
    )
    .unwrap();
    assert_eq!(repo.history(id).unwrap(), repo.history_walk(id).unwrap());
    std::fs::remove_file(dir.join("duyet/index/stats.json")).unwrap();
    assert_eq!(repo.draft_stats().unwrap()[id].revisions, h.revisions.len());
    // The CLI shows no error either.
    let out = duyet(&dir, &["log", id]);
    assert!(
        out.status.success() && stderr(&out).is_empty(),
        "{}",
        stderr(&out)
    );
}

#[test]
fn rewritten_history_is_detected_and_the_index_rebuilt() {
    let t = tmp();
    let dir = t.path().join("small.git");
    let spec = Spec {
        drafts: 10,
        commits: 200,
        ..Spec::S
    };
    let g = generate(&dir, &spec, &mut |_| {}).unwrap();
    let repo = DraftRepo::open(Some(&dir)).unwrap();
    add_commits(&repo, &g.drafts, 5, "c");
    all_equal_to_walk(&repo, &g.drafts);
    // Move the branch back 20 commits and write other history on top.
    git(&dir, &["update-ref", "refs/heads/main", "main~20"]);
    add_commits(&repo, &g.drafts, 4, "d");
    all_equal_to_walk(&repo, &g.drafts);
}
